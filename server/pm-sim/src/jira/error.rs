//! Jira's error answer: `{"errorMessages":[...],"errors":{...}}`.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JiraError {
    pub status: StatusCode,
    pub messages: Vec<String>,
    pub errors: BTreeMap<String, String>,
}

impl JiraError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            messages: vec![message.into()],
            errors: BTreeMap::new(),
        }
    }

    /// A 400 about one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            messages: Vec::new(),
            errors: BTreeMap::from([(field.to_owned(), message.into())]),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "You are not authenticated. Authentication required to perform this operation.",
        )
    }

    pub fn issue_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Issue does not exist or you do not have permission to see it.",
        )
    }

    pub fn worklog_not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            format!("Cannot find worklog with id: {id}"),
        )
    }

    /// The body did not parse as the JSON expected.
    pub fn bad_json(e: &serde_json::Error) -> Self {
        Self::bad_request(format!("Unexpected character in request body: {e}"))
    }
}

impl IntoResponse for JiraError {
    fn into_response(self) -> Response {
        let body = json!({"errorMessages": self.messages, "errors": self.errors});
        (self.status, Json(body)).into_response()
    }
}

pub type JiraResult<T> = Result<T, JiraError>;
