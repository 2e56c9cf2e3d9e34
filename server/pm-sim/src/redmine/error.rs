//! Redmine's error answers: 401 (empty, `WWW-Authenticate`), 403, 404 and
//! 412 with empty bodies typed `application/json`, 400 empty `text/html`,
//! 422 `{"errors":[…]}`.

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedmineError {
    /// A body that is not JSON (Rails' 400, empty here).
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    /// Switch-user to an unknown or locked login.
    PreconditionFailed,
    /// Validation errors, in Redmine's full-message English.
    Unprocessable(Vec<String>),
}

impl IntoResponse for RedmineError {
    fn into_response(self) -> Response {
        // Rails' `head`: an empty body, still typed as the request's format.
        let empty = |status: StatusCode| {
            (
                status,
                [(header::CONTENT_TYPE, "application/json")],
                Body::empty(),
            )
                .into_response()
        };
        match self {
            RedmineError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::WWW_AUTHENTICATE, "Basic realm=\"Redmine API\""),
                ],
                Body::empty(),
            )
                .into_response(),
            RedmineError::BadRequest => (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                Body::empty(),
            )
                .into_response(),
            RedmineError::Forbidden => empty(StatusCode::FORBIDDEN),
            RedmineError::NotFound => empty(StatusCode::NOT_FOUND),
            RedmineError::PreconditionFailed => empty(StatusCode::PRECONDITION_FAILED),
            RedmineError::Unprocessable(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "errors": errors })),
            )
                .into_response(),
        }
    }
}

pub type RedmineResult<T> = Result<T, RedmineError>;
