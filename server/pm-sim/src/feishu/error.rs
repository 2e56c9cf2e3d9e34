//! Feishu Project's error answers: HTTP 200 with `err_code` ≠ 0, `err_msg`
//! and `err{code,msg,log_id}` (the SDK's `CodeError`); the token endpoint
//! answers `error{code,msg}` instead. Rate limiting is HTTP 429.
//!
//! The SDK lists no codes: 30006, 20002, 20004 and 1000052063 come from
//! third-party API notes, 99991400 from the Feishu gateway as third-party
//! clients see it; the others are this simulator's choice (the connector in
//! `hourbridge_pm::feishu::codes` uses the same numbers).

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

pub const PERMISSION_DENIED: i64 = 10001;
pub const TOKEN_INVALID: i64 = 10021;
pub const TOKEN_EXPIRED: i64 = 10022;
pub const PLUGIN_REFUSED: i64 = 10211;
pub const PAGE_SIZE_LIMIT: i64 = 20002;
pub const SEARCH_USER_LIMIT: i64 = 20004;
pub const INVALID_PARAM: i64 = 20006;
pub const IDEMPOTENCY_CONFLICT: i64 = 20013;
pub const WORK_ITEM_NOT_FOUND: i64 = 30005;
pub const USER_NOT_FOUND: i64 = 30006;
pub const NOT_A_MEMBER: i64 = 30009;
pub const RECORD_NOT_FOUND: i64 = 30014;
pub const PROJECT_NOT_FOUND: i64 = 1_000_052_063;
pub const RATE_LIMITED: i64 = 99_991_400;

/// A refusal: the code and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeishuError {
    pub code: i64,
    pub message: String,
}

impl FeishuError {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        FeishuError {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(INVALID_PARAM, message)
    }

    pub fn is_token_problem(&self) -> bool {
        matches!(self.code, TOKEN_INVALID | TOKEN_EXPIRED)
    }
}

/// A log id per error answer, as the real `err.log_id`.
fn log_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("2026SIM{:012}", NEXT.fetch_add(1, Ordering::Relaxed))
}

impl IntoResponse for FeishuError {
    fn into_response(self) -> Response {
        let body = json!({
            "err_code": self.code,
            "err_msg": self.message,
            "err": {"code": self.code, "msg": self.message, "log_id": log_id()},
            "data": null,
        });
        (StatusCode::OK, Json(body)).into_response()
    }
}

pub type FeishuResult<T> = Result<T, FeishuError>;

/// A success answer carrying `data`.
pub fn ok(data: serde_json::Value) -> serde_json::Value {
    json!({"err_code": 0, "err_msg": "", "err": {}, "data": data})
}
