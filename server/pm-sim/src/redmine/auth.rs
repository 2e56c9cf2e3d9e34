//! Who is calling: the API key from `X-Redmine-API-Key`, `?key=`, or HTTP
//! Basic with the key as user name; then `X-Redmine-Switch-User` for an
//! administrator's key (unknown or locked login → 412; ignored for others).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::data::{Project, RedmineUser};
use super::error::RedmineError;
use super::paging::Params;
use super::state::RedmineState;

/// The user a call acts as (after any switch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub user_id: u64,
    pub admin: bool,
}

impl Caller {
    pub fn user<'a>(&self, state: &'a RedmineState) -> Option<&'a RedmineUser> {
        state.directory.user(self.user_id)
    }

    /// Whether the project is visible (admins see all, others their projects).
    pub fn sees(&self, project: &Project) -> bool {
        self.admin || project.member(self.user_id).is_some()
    }

    pub fn may_log_time(&self, project: &Project) -> bool {
        self.admin || project.member(self.user_id).is_some_and(|m| m.log_time)
    }

    pub fn may_log_for_others(&self, project: &Project) -> bool {
        self.admin
            || project
                .member(self.user_id)
                .is_some_and(|m| m.log_for_others)
    }

    /// *Edit time logs*, or *Edit own time logs* for one's own entry.
    pub fn may_edit(&self, project: &Project, entry_user: u64) -> bool {
        self.admin
            || project
                .member(self.user_id)
                .is_some_and(|m| m.edit_all || (m.log_time && entry_user == self.user_id))
    }
}

/// The API key a request carries, if any.
fn api_key(parts: &Parts) -> Option<String> {
    if let Some(key) = parts
        .headers
        .get("x-redmine-api-key")
        .and_then(|v| v.to_str().ok())
    {
        return Some(key.trim().to_owned());
    }
    let params = Params::parse(parts.uri.query().unwrap_or(""));
    if let Some(key) = params.get("key") {
        return Some(key.trim().to_owned());
    }
    let header = parts.headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let encoded = header
        .strip_prefix("Basic ")
        .or_else(|| header.strip_prefix("basic "))?;
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let user = text.split_once(':').map_or(text.as_str(), |(u, _)| u);
    Some(user.to_owned())
}

/// Resolves the caller of a request.
pub fn authenticate(state: &RedmineState, parts: &Parts) -> Result<Caller, RedmineError> {
    let Some(user) = api_key(parts).and_then(|key| state.directory.user_by_key(&key)) else {
        return Err(RedmineError::Unauthorized);
    };
    if !user.is_active() {
        return Err(RedmineError::Unauthorized);
    }
    let switch = parts
        .headers
        .get("x-redmine-switch-user")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|login| !login.is_empty());
    match switch {
        Some(login) if user.admin => match state.directory.user_by_login(login) {
            Some(target) if target.is_active() => Ok(Caller {
                user_id: target.id,
                admin: target.admin,
            }),
            _ => Err(RedmineError::PreconditionFailed),
        },
        _ => Ok(Caller {
            user_id: user.id,
            admin: user.admin,
        }),
    }
}

impl FromRequestParts<Arc<RedmineState>> for Caller {
    type Rejection = RedmineError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<RedmineState>,
    ) -> Result<Self, RedmineError> {
        let caller = authenticate(state, parts);
        if caller == Err(RedmineError::Unauthorized) {
            state.count(|s| s.unauthorized += 1);
        }
        caller
    }
}
