//! Finds the client's address for the audit log and login throttling.

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use hourbridge_core::services::Origin;
use std::net::SocketAddr;

/// Whether to believe `X-Forwarded-For` (only behind the operator's own proxy).
#[derive(Clone, Copy)]
pub struct TrustProxy(pub bool);

pub async fn attach_origin(
    State(TrustProxy(trust)): State<TrustProxy>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string());
    let forwarded = if trust {
        req.headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().chars().take(64).collect::<String>())
            .filter(|v| !v.is_empty())
    } else {
        None
    };
    req.extensions_mut().insert(Origin {
        ip: forwarded.or(peer),
    });
    next.run(req).await
}
