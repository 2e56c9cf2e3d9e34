//! The simulator's own routes under `/_sim` (never counted, never faulted).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::state::AppState;
use crate::faults::{lock, FaultRequest};
use crate::push::{push_event, PushSettings};

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/_sim/faults", post(add_fault).delete(clear_faults))
        .route("/_sim/stats", get(stats))
        .route("/_sim/revoke-tokens", post(revoke_tokens))
        .route("/_sim/push", post(push))
        .route("/_sim/robot-messages", get(robot_messages))
}

type Reply = (StatusCode, Json<Value>);

fn bad_request(message: impl Into<String>) -> Reply {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": message.into()})),
    )
}

async fn add_fault(State(state): State<Arc<AppState>>, body: axum::body::Bytes) -> Reply {
    let request: FaultRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return bad_request(format!("invalid fault request: {e}")),
    };
    match request.parse() {
        Ok((fault, scope)) => {
            state.faults.inject(fault, scope);
            let pending = state.faults.pending();
            (
                StatusCode::OK,
                Json(json!({"ok": true, "pending": pending})),
            )
        }
        Err(e) => bad_request(e),
    }
}

async fn clear_faults(State(state): State<Arc<AppState>>) -> Reply {
    state.faults.clear();
    (StatusCode::OK, Json(json!({"ok": true})))
}

async fn stats(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!(state.stats()))
}

async fn revoke_tokens(State(state): State<Arc<AppState>>) -> Reply {
    state.revoke_tokens();
    (StatusCode::OK, Json(json!({"ok": true})))
}

async fn robot_messages(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!(lock(&state.robot).messages()))
}

#[derive(Deserialize)]
struct PushRequest {
    url: String,
    token: String,
    aes_key: String,
    #[serde(default)]
    owner_key: Option<String>,
    event: Value,
}

async fn push(State(state): State<Arc<AppState>>, body: axum::body::Bytes) -> Reply {
    let request: PushRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return bad_request(format!("invalid push request: {e}")),
    };
    let settings = PushSettings {
        token: request.token,
        aes_key: request.aes_key,
        owner_key: request
            .owner_key
            .unwrap_or_else(|| state.config.app_key.clone()),
    };
    match push_event(&request.url, &settings, request.event).await {
        Ok(outcome) => (StatusCode::OK, Json(json!(outcome))),
        Err(e) => (
            StatusCode::BAD_GATEWAY,
            Json(json!({"error": e.to_string()})),
        ),
    }
}
