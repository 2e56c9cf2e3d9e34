//! ZenTao's error answers: `{"error": …}` with 400 (a message, or
//! messages keyed by field), 401 `Unauthorized`, 403 `Access not allowed`,
//! 404 `404 Not found`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZentaoError {
    /// A refusal: a message (`Value::String`) or messages keyed by field.
    BadRequest(Value),
    Unauthorized,
    Forbidden,
    NotFound,
}

impl ZentaoError {
    pub fn message(text: impl Into<String>) -> Self {
        ZentaoError::BadRequest(Value::String(text.into()))
    }
}

impl IntoResponse for ZentaoError {
    fn into_response(self) -> Response {
        let (status, error) = match self {
            ZentaoError::BadRequest(error) => (StatusCode::BAD_REQUEST, error),
            ZentaoError::Unauthorized => (StatusCode::UNAUTHORIZED, json!("Unauthorized")),
            ZentaoError::Forbidden => (StatusCode::FORBIDDEN, json!("Access not allowed")),
            ZentaoError::NotFound => (StatusCode::NOT_FOUND, json!("404 Not found")),
        };
        (status, Json(json!({ "error": error }))).into_response()
    }
}

pub type ZentaoResult<T> = Result<T, ZentaoError>;
