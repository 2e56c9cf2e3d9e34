//! Every API call goes through here first: counting, injected faults, then
//! the token bucket (HTTP 429 + `{"status":429,…}` + `Retry-After`; TAPD's
//! limits and throttling answer are unconfirmed).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::common::faults::{Call, Fault};
use crate::common::limits::Admission;
use crate::common::lock;
use crate::common::server::Connection;

use super::error::TapdError;
use super::state::TapdState;

pub async fn gate(State(state): State<Arc<TapdState>>, request: Request, next: Next) -> Response {
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
                return TapdError::too_many(Duration::from_secs(retry_after_secs)).into_response();
            }
        }
    }

    let admission = lock(&state.limiter).admit(Instant::now());
    if let Admission::Refused { retry_after, .. } = admission {
        state.count(|s| s.rate_limited += 1);
        return TapdError::too_many(retry_after).into_response();
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

/// Whether a call changes timesheets (what
/// [`TapdConfig::drop_after_write_ratio`](super::TapdConfig) drops).
fn is_write(method: &str, template: &str) -> bool {
    method == "POST" && template.starts_with("/timesheets")
}

fn server_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("Server Error");
    let code = status.as_u16();
    let body = format!(
        "<html><head><title>{code} {reason}</title></head>\
         <body><center><h1>{code} {reason}</h1></center><hr><center>stgw</center></body></html>"
    );
    (status, [("content-type", "text/html")], Body::from(body)).into_response()
}

fn malformed_json() -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json; charset=utf-8")],
        Body::from(r#"{"status":1,"data":[{"Timesheet":{"id":"10"#),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::is_write;

    #[test]
    fn only_timesheet_posts_are_writes() {
        assert!(is_write("POST", "/timesheets"));
        assert!(is_write("POST", "/timesheets/delete_timesheets"));
        assert!(!is_write("GET", "/timesheets"));
        assert!(!is_write("GET", "/timesheets/count"));
        assert!(!is_write("POST", "/tasks"));
    }
}
