//! Jira's side of the gate ([`crate::common::gate`]): its 429 carries
//! `Retry-After` and the `X-RateLimit-*` headers, and answers that went
//! through carry the bucket's `X-RateLimit-*` headers.

use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use crate::common::faults::WriteDrops;
use crate::common::gate::{truncated_json, whole_seconds, Gated};
use crate::common::limits::{Admission, RateLimit, TokenBucket};
use crate::common::stats::Stats;

use super::error::JiraError;
use super::state::JiraState;

impl Gated for JiraState {
    fn gate_parts(&self) -> (&Mutex<TokenBucket>, &WriteDrops, &Mutex<Stats>) {
        (&self.limiter, &self.write_drops, &self.counters)
    }

    /// Whether a call changes worklogs or their properties (what
    /// [`JiraConfig::drop_after_write_ratio`](super::JiraConfig) drops): POST,
    /// PUT or DELETE under `/issue/{issueIdOrKey}/worklog`. Searches and
    /// `worklog/list` are POSTs that only read.
    fn is_write(method: &str, template: &str) -> bool {
        matches!(method, "POST" | "PUT" | "DELETE")
            && template.contains("/issue/{issueIdOrKey}/worklog")
    }

    /// The 429: `Retry-After` in whole seconds (at least 1), the Cloud
    /// headers and the Data Center token-bucket headers.
    fn too_many(limit: RateLimit, retry_after: Duration) -> Response {
        let secs = whole_seconds(retry_after);
        let reset = Utc::now() + chrono::Duration::seconds(secs as i64);
        let mut response = JiraError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Rate limit exceeded. Please retry after the time given in Retry-After.",
        )
        .into_response();
        let headers = response.headers_mut();
        headers.insert("retry-after", HeaderValue::from(secs));
        headers.insert("x-ratelimit-limit", HeaderValue::from(limit.burst));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(0));
        headers.insert("x-ratelimit-nearlimit", HeaderValue::from_static("true"));
        headers.insert("x-ratelimit-interval-seconds", HeaderValue::from(1));
        headers.insert("x-ratelimit-fillrate", HeaderValue::from(limit.per_second));
        headers.insert(
            "ratelimit-reason",
            HeaderValue::from_static("jira-burst-based"),
        );
        if let Ok(value) = HeaderValue::from_str(&reset.format("%Y-%m-%dT%H:%M:%SZ").to_string()) {
            headers.insert("x-ratelimit-reset", value);
        }
        response
    }

    /// Atlassian's proxy page.
    fn server_error(status: StatusCode) -> Response {
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
        truncated_json(
            "application/json;charset=UTF-8",
            r#"{"startAt":0,"maxResults":50,"total":3,"worklogs":[{"self":"htt"#,
        )
    }

    /// The bucket's headers on every answer it let through; near the limit
    /// (under a fifth of the burst left) also `X-RateLimit-NearLimit`.
    fn finish(&self, response: &mut Response, admission: Admission) {
        if let Admission::Allowed { limit, remaining } = admission {
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
            headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
            if u64::from(remaining) * 5 < u64::from(limit) {
                headers.insert("x-ratelimit-nearlimit", HeaderValue::from_static("true"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::common::gate::Gated;

    use super::JiraState;

    #[test]
    fn only_worklog_changes_are_writes() {
        let is_write = JiraState::is_write;
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
