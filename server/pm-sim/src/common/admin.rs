//! The `/_sim/faults` and `/_sim/stats` routes every simulator serves
//! (never counted, never faulted).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::faults::{FaultRequest, Faults};
use super::stats::Stats;

/// What the admin routes need from a simulator's state.
pub trait SimAdmin: Send + Sync + 'static {
    fn faults(&self) -> &Faults;
    fn stats(&self) -> Stats;
}

pub fn router<S: SimAdmin>() -> Router<Arc<S>> {
    Router::new()
        .route(
            "/_sim/faults",
            post(add_fault::<S>).delete(clear_faults::<S>),
        )
        .route("/_sim/stats", get(stats::<S>))
}

type Reply = (StatusCode, Json<Value>);

async fn add_fault<S: SimAdmin>(State(state): State<Arc<S>>, body: Bytes) -> Reply {
    let parsed = serde_json::from_slice::<FaultRequest>(&body)
        .map_err(|e| format!("invalid fault request: {e}"))
        .and_then(|request| request.parse());
    match parsed {
        Ok((fault, scope)) => {
            state.faults().inject(fault, scope);
            let pending = state.faults().pending();
            (
                StatusCode::OK,
                Json(json!({"ok": true, "pending": pending})),
            )
        }
        Err(e) => (StatusCode::BAD_REQUEST, Json(json!({"error": e}))),
    }
}

async fn clear_faults<S: SimAdmin>(State(state): State<Arc<S>>) -> Reply {
    state.faults().clear();
    (StatusCode::OK, Json(json!({"ok": true})))
}

async fn stats<S: SimAdmin>(State(state): State<Arc<S>>) -> Json<Value> {
    Json(json!(state.stats()))
}
