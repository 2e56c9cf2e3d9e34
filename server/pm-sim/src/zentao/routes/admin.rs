//! The ZenTao simulator's own admin routes (never counted, never faulted):
//! `GET /_sim/efforts` (every effort held), `POST /_sim/tokens/expire`
//! (every session ends now, as after the idle timeout),
//! `POST /_sim/efforts/{id}/delete` (the web page's soft delete) and
//! `POST /_sim/unlock` (lifts every login lock).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::common::lock;
use crate::zentao::render;
use crate::zentao::state::ZentaoState;

pub fn router() -> Router<Arc<ZentaoState>> {
    Router::new()
        .route("/_sim/efforts", get(efforts))
        .route("/_sim/efforts/{id}/delete", post(delete))
        .route("/_sim/tokens/expire", post(expire))
        .route("/_sim/unlock", post(unlock))
}

async fn efforts(State(state): State<Arc<ZentaoState>>) -> Json<Value> {
    let store = lock(&state.store);
    Json(Value::Array(store.efforts().map(render::effort).collect()))
}

async fn delete(
    State(state): State<Arc<ZentaoState>>,
    Path(id): Path<u64>,
) -> (StatusCode, Json<Value>) {
    if lock(&state.store).delete(id) {
        (StatusCode::OK, Json(json!({"ok": true})))
    } else {
        (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such live effort"})),
        )
    }
}

async fn expire(State(state): State<Arc<ZentaoState>>) -> Json<Value> {
    let expired = lock(&state.sessions).expire_all();
    Json(json!({"ok": true, "expired": expired}))
}

async fn unlock(State(state): State<Arc<ZentaoState>>) -> Json<Value> {
    lock(&state.sessions).unlock_all();
    Json(json!({"ok": true}))
}
