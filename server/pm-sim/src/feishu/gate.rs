//! Every API call goes through here first: counting, injected faults, the
//! plugin's rate limit (HTTP 429 with code 99991400 and the gateway's
//! `x-ogw-ratelimit-reset` seconds; unconfirmed numbers), and cutting the
//! connection after a write when asked to.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::error::RATE_LIMITED;
use super::state::FeishuState;
use crate::common::faults::{Call, Fault};
use crate::common::limits::Admission;
use crate::common::lock;
use crate::common::server::Connection;

/// Put in a response's extensions by a handler that changed records (a
/// repeated answer for an idempotency key changes nothing).
#[derive(Debug, Clone, Copy)]
pub struct Wrote;

pub async fn gate(State(state): State<Arc<FeishuState>>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map(|uri| uri.path().to_owned())
        .unwrap_or_else(|| request.uri().path().to_owned());
    let template = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| path.clone());
    state.count(|s| *s.calls.entry(format!("{method} {template}")).or_insert(0) += 1);

    let call = Call {
        method: &method,
        template: &template,
        path: &path,
    };
    let mut drop_after = false;
    if let Some(fault) = state.faults.take(&call) {
        state.count(|s| s.faults_served += 1);
        match fault {
            Fault::Slow(delay) => tokio::time::sleep(delay).await,
            Fault::DropAfterWrite => drop_after = true,
            Fault::ServerError(status) => return server_error(status),
            Fault::MalformedJson => return malformed_json(),
            Fault::TooManyRequests { retry_after_secs } => {
                state.count(|s| s.rate_limited += 1);
                return too_many(Duration::from_secs(retry_after_secs));
            }
        }
    }

    let admission = lock(&state.limiter).admit(Instant::now());
    if let Admission::Refused { retry_after, .. } = admission {
        state.count(|s| s.rate_limited += 1);
        return too_many(retry_after);
    }

    let connection = Connection::of(&request);
    let response = next.run(request).await;
    let wrote = response.extensions().get::<Wrote>().is_some();
    if wrote {
        state.count(|s| s.writes += 1);
    }
    if !drop_after && wrote && state.write_drops.roll() {
        drop_after = true;
    }
    if drop_after {
        state.count(|s| s.dropped_after_write += 1);
        if let Some(connection) = connection {
            connection.cut();
        }
    }
    response
}

/// The gateway's 429: Feishu's rate-limit code, the reset in whole seconds.
fn too_many(retry_after: Duration) -> Response {
    let secs = retry_after.as_secs_f64().ceil().max(1.0) as u64;
    let body = json!({
        "err_code": RATE_LIMITED,
        "err_msg": "request trigger frequency limit",
        "err": {"code": RATE_LIMITED, "msg": "request trigger frequency limit"},
    });
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
    response
        .headers_mut()
        .insert("x-ogw-ratelimit-reset", HeaderValue::from(secs));
    response
}

fn server_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("Server Error");
    let code = status.as_u16();
    let body = format!(
        "<html><head><title>{code} {reason}</title></head>\
         <body><center><h1>{code} {reason}</h1></center><hr><center>tengine</center></body></html>"
    );
    (status, [("content-type", "text/html")], Body::from(body)).into_response()
}

fn malformed_json() -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json; charset=utf-8")],
        Body::from(r#"{"err_code":0,"err_msg":"","data":[{"id":7300000001,"work_ti"#),
    )
        .into_response()
}
