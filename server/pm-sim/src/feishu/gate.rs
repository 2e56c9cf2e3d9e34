//! Feishu Project's side of the gate ([`crate::common::gate`]): the
//! plugin's rate limit answers HTTP 429 with code 99991400 and the
//! gateway's `x-ogw-ratelimit-reset` seconds (unconfirmed numbers); server
//! errors come from Alibaba's `tengine`. Writes are the answers a handler
//! marked [`Wrote`]; the gate counts them.

use std::sync::Mutex;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::error::RATE_LIMITED;
use super::state::FeishuState;
use crate::common::faults::{Call, WriteDrops};
use crate::common::gate::{truncated_json, whole_seconds, Gated};
use crate::common::limits::{Admission, RateLimit, TokenBucket};
use crate::common::stats::Stats;

/// Put in a response's extensions by a handler that changed records (a
/// repeated answer for an idempotency key changes nothing).
#[derive(Debug, Clone, Copy)]
pub struct Wrote;

impl Gated for FeishuState {
    /// Alibaba's nginx.
    const PROXY: &'static str = "tengine";

    fn gate_parts(&self) -> (&Mutex<TokenBucket>, &WriteDrops, &Mutex<Stats>) {
        (&self.limiter, &self.write_drops, &self.counters)
    }

    fn wrote(_: &Call<'_>, response: &Response) -> bool {
        marked(response)
    }

    /// The gateway's 429: Feishu's rate-limit code, the reset in whole seconds.
    fn too_many(_: RateLimit, retry_after: Duration) -> Response {
        let body = json!({
            "err_code": RATE_LIMITED,
            "err_msg": "request trigger frequency limit",
            "err": {"code": RATE_LIMITED, "msg": "request trigger frequency limit"},
        });
        let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
        response.headers_mut().insert(
            "x-ogw-ratelimit-reset",
            HeaderValue::from(whole_seconds(retry_after)),
        );
        response
    }

    fn malformed_json() -> Response {
        truncated_json(
            "application/json; charset=utf-8",
            r#"{"err_code":0,"err_msg":"","data":[{"id":7300000001,"work_ti"#,
        )
    }

    /// Counts the writes here (a repeated answer is not marked).
    fn finish(&self, response: &mut Response, _: Admission) {
        if marked(response) {
            self.count(|s| s.writes += 1);
        }
    }
}

fn marked(response: &Response) -> bool {
    response.extensions().get::<Wrote>().is_some()
}
