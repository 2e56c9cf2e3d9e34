//! JSON error answers for requests refused before they reach a server function.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

pub fn json_error(status: StatusCode, error: &str, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": error, "message": message })),
    )
        .into_response()
}
