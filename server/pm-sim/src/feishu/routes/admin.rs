//! `GET /_sim/man-hour-records` (every record held) and
//! `POST /_sim/tokens/expire` (every plugin token issued so far expires now,
//! for testing a client's renewal).

use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::common::lock;
use crate::feishu::render;
use crate::feishu::state::FeishuState;

pub fn router() -> Router<Arc<FeishuState>> {
    Router::new()
        .route("/_sim/man-hour-records", get(records))
        .route("/_sim/tokens/expire", post(expire_tokens))
}

async fn records(State(state): State<Arc<FeishuState>>) -> Json<Value> {
    let store = lock(&state.store);
    let all: Vec<Value> = store
        .all()
        .map(|r| {
            let mut v = render::record(r);
            v["project_key"] = json!(r.project_key);
            v
        })
        .collect();
    Json(Value::Array(all))
}

async fn expire_tokens(State(state): State<Arc<FeishuState>>) -> Json<Value> {
    let mut tokens = lock(&state.tokens);
    tokens.expire_all(Instant::now());
    Json(json!({"ok": true, "issued": tokens.issued()}))
}
