//! Every API call goes through here first: counting, injected faults, then
//! the token bucket when one is configured (Redmine itself has none; a
//! proxy in front answers 429 with `Retry-After`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::common::faults::{Call, Fault};
use crate::common::limits::Admission;
use crate::common::lock;
use crate::common::server::Connection;

use super::state::RedmineState;

/// The route template of a path: `/time_entries/{id}` matched on
/// `/time_entries/5.json` reads `/time_entries/{id}.json`.
fn template(matched: Option<&str>, path: &str) -> String {
    let Some(matched) = matched else {
        return path.to_owned();
    };
    if path.ends_with(".json") && !matched.ends_with(".json") {
        format!("{matched}.json")
    } else {
        matched.to_owned()
    }
}

pub async fn gate(
    State(state): State<Arc<RedmineState>>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().to_string();
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map(|uri| uri.path().to_owned())
        .unwrap_or_else(|| request.uri().path().to_owned());
    let template = template(
        request
            .extensions()
            .get::<MatchedPath>()
            .map(|m| m.as_str()),
        &path,
    );
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
    let mut response = next.run(request).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        state.count(|s| s.unauthorized += 1);
    }
    with_charset(&mut response);
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
    response
}

/// Rails types JSON bodies `application/json; charset=utf-8` (empty `head`
/// answers stay plain `application/json`).
fn with_charset(response: &mut Response) {
    let status = response.status();
    if !(status.is_success() || status == StatusCode::UNPROCESSABLE_ENTITY) {
        return;
    }
    let headers = response.headers_mut();
    if headers
        .get(CONTENT_TYPE)
        .is_some_and(|v| v == "application/json")
    {
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
}

/// Whether a call changes time entries (what
/// [`RedmineConfig::drop_after_write_ratio`](super::RedmineConfig) drops).
fn is_write(method: &str, template: &str) -> bool {
    matches!(method, "POST" | "PUT" | "DELETE") && template.starts_with("/time_entries")
}

/// A proxy's 429: `Retry-After` in whole seconds (at least 1), HTML body.
fn too_many(retry_after: Duration) -> Response {
    let secs = retry_after.as_secs_f64().ceil().max(1.0) as u64;
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        [("content-type", "text/html")],
        Body::from("<html><body><h1>429 Too Many Requests</h1></body></html>"),
    )
        .into_response();
    response
        .headers_mut()
        .insert("retry-after", HeaderValue::from(secs));
    response
}

fn server_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("Server Error");
    let code = status.as_u16();
    let body = format!(
        "<html><head><title>{code} {reason}</title></head>\
         <body><center><h1>{code} {reason}</h1></center><hr><center>nginx</center></body></html>"
    );
    (status, [("content-type", "text/html")], Body::from(body)).into_response()
}

fn malformed_json() -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json; charset=utf-8")],
        Body::from(r#"{"time_entries":[{"id":1,"project":{"id":1,"na"#),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::{is_write, template};

    #[test]
    fn templates_keep_the_json_suffix() {
        assert_eq!(
            template(Some("/time_entries/{id}"), "/time_entries/5.json"),
            "/time_entries/{id}.json"
        );
        assert_eq!(
            template(Some("/projects.json"), "/projects.json"),
            "/projects.json"
        );
        assert_eq!(template(None, "/x"), "/x");
    }

    #[test]
    fn only_time_entry_changes_are_writes() {
        assert!(is_write("POST", "/time_entries.json"));
        assert!(is_write("PUT", "/time_entries/{id}.json"));
        assert!(is_write("DELETE", "/time_entries/{id}.json"));
        assert!(!is_write("GET", "/time_entries.json"));
        assert!(!is_write("POST", "/users.json"));
    }
}
