//! CSRF protection: every state-changing request must present the session's
//! token, in the `X-CSRF-Token` header (set by `public/csrf.js` on every
//! fetch) or in a `_csrf` form field (for forms posted before the page became
//! interactive). The token is mirrored into the readable `hb_csrf` cookie.

use super::errors::json_error;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use hourbridge_core::session::AppSession;
use tower_sessions::Session;

pub const HEADER: &str = "x-csrf-token";
pub const COOKIE: &str = "hb_csrf";
pub const FORM_FIELD: &str = "_csrf";
const MAX_FORM_BYTES: usize = 1024 * 1024;

#[derive(Clone, Copy)]
pub struct CsrfCookie {
    pub secure: bool,
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn cookie_value(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn is_form(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The token the request presents; a form body is read and put back.
async fn presented_token(req: Request) -> Result<(Option<String>, Request), Response> {
    if let Some(token) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        let token = token.to_owned();
        return Ok((Some(token), req));
    }
    if !is_form(&req) {
        return Ok((None, req));
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| {
        json_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "request body over 1 MB",
        )
    })?;
    let token = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == FORM_FIELD)
        .map(|(_, v)| v.into_owned());
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

pub async fn protect(
    State(cfg): State<CsrfCookie>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    let session = AppSession(session);
    let cookie_token = cookie_value(&req, COOKIE);
    let req = if is_safe(req.method()) {
        let wants_page = req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        if wants_page {
            if let Err(e) = session.csrf_token().await {
                tracing::error!(error = %e, "cannot create CSRF token");
            }
        }
        req
    } else {
        let (token, req) = match presented_token(req).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        let valid = match token {
            Some(token) => session.csrf_matches(&token).await.unwrap_or(false),
            None => false,
        };
        if !valid {
            tracing::warn!(path = %req.uri().path(), "refused: missing or invalid CSRF token");
            return json_error(
                StatusCode::FORBIDDEN,
                "csrf",
                "missing or invalid CSRF token: reload the page and try again",
            );
        }
        req
    };
    let mut response = next.run(req).await;
    // Hand the current token to the page's script when it changed (new session, login).
    if let Ok(Some(token)) = session.current_csrf_token().await {
        if cookie_token.as_deref() != Some(token.as_str()) {
            let secure = if cfg.secure { "; Secure" } else { "" };
            let cookie = format!("{COOKIE}={token}; Path=/; SameSite=Lax{secure}");
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
    }
    response
}
