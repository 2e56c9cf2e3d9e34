//! `GET /healthz`: is the server up and its database reachable.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use hourbridge_core::AppState;

pub async fn health(State(state): State<AppState>) -> Response {
    let ok = state.db.ping().await;
    let body = serde_json::json!({
        "status": if ok { "ok" } else { "database unreachable" },
        "database": state.db.backend_name(),
    });
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}
