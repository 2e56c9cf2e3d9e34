//! The gate every simulator's API calls go through first (`/_sim` routes and
//! unknown paths excepted): it counts the call under `METHOD template`,
//! serves an injected fault if one is waiting for it, takes a token from the
//! bucket (429 when there is none), and after the handler has answered cuts
//! the connection if the call was a `DropAfterWrite` target or a write the
//! write-drop roll picked.
//!
//! What differs between systems (how their 429, server error and truncated
//! JSON look, which calls are writes, how calls are named, what else they do
//! to an answer) is the [`Gated`] trait each simulator's state implements.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::admin::SimAdmin;
use super::faults::{Call, Fault, WriteDrops};
use super::limits::{Admission, RateLimit, TokenBucket};
use super::lock;
use super::server::Connection;
use super::stats::Stats;

/// A simulator's state as the gate sees it: where it keeps what the gate
/// uses (its faults: [`SimAdmin::faults`]), and how its system names calls,
/// tells writes and answers what the gate refuses. The defaults fit a
/// system with no rate limit of its own behind an nginx.
pub trait Gated: SimAdmin {
    /// The proxy in front of the system, named at the foot of its error
    /// pages ([`proxy_error`]).
    const PROXY: &'static str = "nginx";

    /// The token bucket, the write-drop roll and the counters.
    fn gate_parts(&self) -> (&Mutex<TokenBucket>, &WriteDrops, &Mutex<Stats>);

    /// The names a call is counted and faulted under, `(path, template)`,
    /// from the path as sent and the route it matched (if any). By default
    /// the path itself and the route as written.
    fn call_names(path: &str, route: Option<&str>) -> (String, String) {
        (path.to_owned(), route.unwrap_or(path).to_owned())
    }

    /// Whether a call (method, route template) is a write: what the
    /// write-drop ratio drops when it succeeds. None by default (a system
    /// whose handlers mark their writes overrides [`Self::wrote`] instead).
    fn is_write(_method: &str, _template: &str) -> bool {
        false
    }

    /// Whether the call, answered with `response`, wrote (only those
    /// answers are rolled for): by default a successful [`Self::is_write`].
    fn wrote(call: &Call<'_>, response: &Response) -> bool {
        response.status().is_success() && Self::is_write(call.method, call.template)
    }

    /// The 429, given the bucket's settings and how long to wait; by default
    /// the proxy's ([`proxy_too_many`]).
    fn too_many(_limit: RateLimit, retry_after: Duration) -> Response {
        proxy_too_many(retry_after)
    }

    /// An injected server error (5xx); by default [`Self::PROXY`]'s page.
    fn server_error(status: StatusCode) -> Response {
        proxy_error(status, Self::PROXY)
    }

    /// An injected HTTP 200 with truncated JSON ([`truncated_json`]).
    fn malformed_json() -> Response;

    /// Anything else done to an answer that went through the gate, before
    /// its connection may be cut (`admission` is what the bucket said).
    fn finish(&self, _response: &mut Response, _admission: Admission) {}
}

/// The middleware (`from_fn_with_state(state, gate::<State>)`).
pub async fn gate<S: Gated>(State(state): State<Arc<S>>, request: Request, next: Next) -> Response {
    let (limiter, write_drops, counters) = state.gate_parts();
    let method = request.method().to_string();
    let (path, template) = {
        let sent = match request.extensions().get::<OriginalUri>() {
            Some(uri) => uri.path(),
            None => request.uri().path(),
        };
        let route = request.extensions().get::<MatchedPath>();
        S::call_names(sent, route.map(MatchedPath::as_str))
    };
    count(counters, |s| {
        *s.calls.entry(format!("{method} {template}")).or_insert(0) += 1
    });

    let call = Call {
        method: &method,
        template: &template,
        path: &path,
    };
    let mut drop_after = false;
    if let Some(fault) = state.faults().take(&call) {
        count(counters, |s| s.faults_served += 1);
        match fault {
            Fault::Slow(delay) => tokio::time::sleep(delay).await,
            Fault::DropAfterWrite => drop_after = true,
            Fault::ServerError(status) => {
                let status =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                return S::server_error(status);
            }
            Fault::MalformedJson => return S::malformed_json(),
            Fault::TooManyRequests { retry_after_secs } => {
                count(counters, |s| s.rate_limited += 1);
                let limit = lock(limiter).limit();
                return S::too_many(limit, Duration::from_secs(retry_after_secs));
            }
        }
    }

    let admission = lock(limiter).admit(Instant::now());
    if let Admission::Refused { retry_after, .. } = admission {
        count(counters, |s| s.rate_limited += 1);
        let limit = lock(limiter).limit();
        return S::too_many(limit, retry_after);
    }

    let connection = Connection::of(&request);
    let mut response = next.run(request).await;
    state.finish(&mut response, admission);
    if !drop_after && S::wrote(&call, &response) && write_drops.roll() {
        drop_after = true;
    }
    if drop_after {
        count(counters, |s| s.dropped_after_write += 1);
        if let Some(connection) = connection {
            connection.cut();
        }
    }
    response
}

fn count(counters: &Mutex<Stats>, what: impl FnOnce(&mut Stats)) {
    what(&mut lock(counters));
}

/// `Retry-After` in whole seconds, at least 1.
pub fn whole_seconds(retry_after: Duration) -> u64 {
    retry_after.as_secs_f64().ceil().max(1.0) as u64
}

/// The error page of an nginx-style proxy (nginx, Tencent's `stgw`,
/// Alibaba's `tengine`) naming itself at the bottom.
pub fn proxy_error(status: StatusCode, server: &str) -> Response {
    let reason = status.canonical_reason().unwrap_or("Server Error");
    let code = status.as_u16();
    let body = format!(
        "<html><head><title>{code} {reason}</title></head>\
         <body><center><h1>{code} {reason}</h1></center><hr><center>{server}</center></body></html>"
    );
    (status, [("content-type", "text/html")], Body::from(body)).into_response()
}

/// A proxy's 429: `Retry-After` in whole seconds (at least 1), HTML body.
pub fn proxy_too_many(retry_after: Duration) -> Response {
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        [("content-type", "text/html")],
        Body::from("<html><body><h1>429 Too Many Requests</h1></body></html>"),
    )
        .into_response();
    response
        .headers_mut()
        .insert("retry-after", HeaderValue::from(whole_seconds(retry_after)));
    response
}

/// HTTP 200 with a body of JSON cut short.
pub fn truncated_json(content_type: &'static str, body: &'static str) -> Response {
    (
        StatusCode::OK,
        [("content-type", content_type)],
        Body::from(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::whole_seconds;

    #[test]
    fn retry_after_is_rounded_up_to_whole_seconds() {
        assert_eq!(whole_seconds(Duration::ZERO), 1);
        assert_eq!(whole_seconds(Duration::from_millis(50)), 1);
        assert_eq!(whole_seconds(Duration::from_millis(1_001)), 2);
        assert_eq!(whole_seconds(Duration::from_secs(3)), 3);
    }
}
