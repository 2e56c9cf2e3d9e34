//! Every API call goes through here first: counting, injected faults, then
//! the token bucket (429 with `Retry-After` and the `X-RateLimit-*`
//! headers).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use crate::common::faults::{Call, Fault};
use crate::common::limits::Admission;
use crate::common::lock;
use crate::common::server::Connection;

use super::error::JiraError;
use super::state::JiraState;

pub async fn gate(State(state): State<Arc<JiraState>>, request: Request, next: Next) -> Response {
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
                let limit = lock(&state.limiter).limit();
                return too_many(
                    limit.burst,
                    limit.per_second,
                    Duration::from_secs(retry_after_secs),
                );
            }
        }
    }

    let admission = lock(&state.limiter).admit(Instant::now());
    if let Admission::Refused { limit, retry_after } = admission {
        state.count(|s| s.rate_limited += 1);
        let rate = lock(&state.limiter).limit().per_second;
        return too_many(limit, rate, retry_after);
    }

    let connection = Connection::of(&request);
    let mut response = next.run(request).await;
    if !drop_after
        && response.status().is_success()
        && is_write(&method, &template)
        && state.write_drops.roll()
    {
        drop_after = true;
    }
    if drop_after {
        state.count(|s| s.dropped_after_write += 1);
        if let Some(connection) = connection {
            connection.cut();
        }
    }
    if let Admission::Allowed { limit, remaining } = admission {
        let headers = response.headers_mut();
        headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
        if u64::from(remaining) * 5 < u64::from(limit) {
            headers.insert("x-ratelimit-nearlimit", HeaderValue::from_static("true"));
        }
    }
    response
}

/// Whether a call changes worklogs or their properties (what
/// [`JiraConfig::drop_after_write_ratio`](super::JiraConfig) drops): POST,
/// PUT or DELETE under `/issue/{issueIdOrKey}/worklog`. Searches and
/// `worklog/list` are POSTs that only read.
fn is_write(method: &str, template: &str) -> bool {
    matches!(method, "POST" | "PUT" | "DELETE")
        && template.contains("/issue/{issueIdOrKey}/worklog")
}

/// The 429: `Retry-After` in whole seconds (at least 1), the Cloud headers
/// and the Data Center token-bucket headers.
fn too_many(limit: u32, per_second: u32, retry_after: Duration) -> Response {
    let secs = retry_after.as_secs_f64().ceil().max(1.0) as u64;
    let reset = Utc::now() + chrono::Duration::seconds(secs as i64);
    let mut response = JiraError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "Rate limit exceeded. Please retry after the time given in Retry-After.",
    )
    .into_response();
    let headers = response.headers_mut();
    headers.insert("retry-after", HeaderValue::from(secs));
    headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(0));
    headers.insert("x-ratelimit-nearlimit", HeaderValue::from_static("true"));
    headers.insert("x-ratelimit-interval-seconds", HeaderValue::from(1));
    headers.insert("x-ratelimit-fillrate", HeaderValue::from(per_second));
    headers.insert(
        "ratelimit-reason",
        HeaderValue::from_static("jira-burst-based"),
    );
    if let Ok(value) = HeaderValue::from_str(&reset.format("%Y-%m-%dT%H:%M:%SZ").to_string()) {
        headers.insert("x-ratelimit-reset", value);
    }
    response
}

fn server_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("Server Error");
    let code = status.as_u16();
    let body = format!(
        "<html><head><title>{code} {reason}</title></head>\
         <body><h1>{code} {reason}</h1><p>Atlassian proxy</p></body></html>"
    );
    (
        status,
        [("content-type", "text/html;charset=UTF-8")],
        Body::from(body),
    )
        .into_response()
}

fn malformed_json() -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json;charset=UTF-8")],
        Body::from(r#"{"startAt":0,"maxResults":50,"total":3,"worklogs":[{"self":"htt"#),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::is_write;

    #[test]
    fn only_worklog_changes_are_writes() {
        assert!(is_write("POST", "/rest/api/3/issue/{issueIdOrKey}/worklog"));
        assert!(is_write(
            "PUT",
            "/rest/api/2/issue/{issueIdOrKey}/worklog/{worklogId}/properties/{propertyKey}"
        ));
        assert!(is_write(
            "DELETE",
            "/rest/api/3/issue/{issueIdOrKey}/worklog/{id}"
        ));
        assert!(!is_write("GET", "/rest/api/3/issue/{issueIdOrKey}/worklog"));
        assert!(!is_write("POST", "/rest/api/3/search/jql"));
        assert!(!is_write("POST", "/rest/api/3/worklog/list"));
    }
}
