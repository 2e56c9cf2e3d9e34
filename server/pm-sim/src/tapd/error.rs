//! TAPD's answers: `{"status":1,"data":…,"info":"success"}`, and failures
//! as `{"status":<code>,"data":"","info":"<message>"}` with the same code as
//! the HTTP status (as TAPD answers a bad login: HTTP 401, status 401,
//! "401 Unauthorized", `WWW-Authenticate: Basic realm='TAPD API'`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::common::gate::whole_seconds;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TapdError {
    pub status: StatusCode,
    pub info: String,
    /// `Retry-After` seconds (429 only).
    pub retry_after: Option<u64>,
}

pub type TapdResult<T> = Result<T, TapdError>;

impl TapdError {
    fn new(status: StatusCode, info: impl Into<String>) -> Self {
        Self {
            status,
            info: info.into(),
            retry_after: None,
        }
    }

    /// No or wrong credentials.
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "401 Unauthorized")
    }

    /// The account may not use this workspace or company.
    pub fn forbidden(info: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, info)
    }

    pub fn not_found(info: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, info)
    }

    /// A missing or invalid parameter, or a refused write.
    pub fn invalid(info: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, info)
    }

    /// Rate limited: wait `retry_after` (whole seconds, at least 1).
    pub fn too_many(retry_after: Duration) -> Self {
        Self {
            retry_after: Some(whole_seconds(retry_after)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "API rate limit exceeded, please retry later",
            )
        }
    }
}

fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("sim-{:016x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

impl IntoResponse for TapdError {
    fn into_response(self) -> Response {
        let body = json!({
            "status": self.status.as_u16(),
            "data": "",
            "info": self.info,
            "meta": {"request_id": request_id()},
        });
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm='TAPD API'"),
            );
        }
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// A successful answer.
pub fn success(data: Value) -> Json<Value> {
    Json(json!({"status": 1, "data": data, "info": "success"}))
}
