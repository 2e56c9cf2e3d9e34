//! Every API call goes through here first: counting, injected faults, then
//! the token bucket when one is configured (ZenTao itself has none; a
//! proxy in front answers 429 with `Retry-After`).
//!
//! Calls are named without the `/zentao/api.php/v1` prefix: stats and
//! fault scopes read `POST /tasks/{id}/estimate`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::common::faults::{Call, Fault};
use crate::common::limits::Admission;
use crate::common::lock;
use crate::common::server::Connection;

use super::routes::API_PREFIX;
use super::state::ZentaoState;

fn strip(path: &str) -> String {
    let rest = path.strip_prefix(API_PREFIX).unwrap_or(path);
    if rest.is_empty() {
        "/".to_owned()
    } else {
        rest.to_owned()
    }
}

pub async fn gate(State(state): State<Arc<ZentaoState>>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = strip(
        request
            .extensions()
            .get::<OriginalUri>()
            .map(|uri| uri.path())
            .unwrap_or_else(|| request.uri().path()),
    );
    let template = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| strip(m.as_str()))
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

/// Whether a call records effort (what
/// [`ZentaoConfig::drop_after_write_ratio`](super::ZentaoConfig) drops).
fn is_write(method: &str, template: &str) -> bool {
    method == "POST" && template == "/tasks/{id}/estimate"
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
        [("content-type", "application/json")],
        Body::from(r#"{"page":1,"total":3,"limit":20,"tasks":[{"id":1,"na"#),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::{is_write, strip};

    #[test]
    fn calls_are_named_without_the_api_prefix() {
        assert_eq!(
            strip("/zentao/api.php/v1/tasks/{id}/estimate"),
            "/tasks/{id}/estimate"
        );
        assert_eq!(strip("/tasks/5"), "/tasks/5");
        assert!(is_write("POST", "/tasks/{id}/estimate"));
        assert!(!is_write("GET", "/tasks/{id}/estimate"));
        assert!(!is_write("POST", "/tokens"));
    }
}
