//! Who is calling: the API key from `X-Redmine-API-Key`, `?key=`, or HTTP
//! Basic with the key as user name; then `X-Redmine-Switch-User` for an
//! administrator's key (unknown or locked login → 412; ignored for others).
//! No key, a wrong key, a locked user's key, or any key while the REST API
//! is off: the anonymous user, as in Redmine (what needs a login is then 401,
//! or 403 with the REST API off; with *Authentication required* everything is).

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

/// The user a call acts as (after any switch); `user_id` 0 is anonymous.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub user_id: u64,
    pub admin: bool,
    /// *Edit own time logs* for plain members
    /// ([`RedmineConfig::members_edit_own_entries`](super::RedmineConfig)).
    pub edit_own: bool,
    /// Whether the REST API is on (what a refused login answers).
    pub api_on: bool,
}

impl Caller {
    pub fn user<'a>(&self, state: &'a RedmineState) -> Option<&'a RedmineUser> {
        state.directory.user(self.user_id)
    }

    pub fn is_anonymous(&self) -> bool {
        self.user_id == 0
    }

    /// Redmine's `require_login`: 401 (`WWW-Authenticate`), or 403 when the
    /// REST API is off.
    pub fn login_needed(&self) -> RedmineError {
        if self.api_on {
            RedmineError::Unauthorized
        } else {
            RedmineError::Forbidden
        }
    }

    /// Passes logged-in callers only.
    pub fn logged_in(&self) -> Result<(), RedmineError> {
        if self.is_anonymous() {
            Err(self.login_needed())
        } else {
            Ok(())
        }
    }

    /// Redmine's `deny_access`: a login for the anonymous user, else 403.
    pub fn denied(&self) -> RedmineError {
        if self.is_anonymous() {
            self.login_needed()
        } else {
            RedmineError::Forbidden
        }
    }

    /// Whether the project is visible (admins see all, others their projects;
    /// the simulator has no public projects).
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
            || project.member(self.user_id).is_some_and(|m| {
                m.edit_all || (self.edit_own && m.log_time && entry_user == self.user_id)
            })
    }
}

/// The API key a request carries, if any: `?key=` first, then the header
/// (Redmine's order), then HTTP Basic's user name.
fn api_key(parts: &Parts) -> Option<String> {
    let params = Params::parse(parts.uri.query().unwrap_or(""));
    if let Some(key) = params.get("key").filter(|k| !k.trim().is_empty()) {
        return Some(key.trim().to_owned());
    }
    if let Some(key) = parts
        .headers
        .get("x-redmine-api-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.trim().is_empty())
    {
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
    let config = &state.config;
    let anonymous = Caller {
        user_id: 0,
        admin: false,
        edit_own: config.members_edit_own_entries,
        api_on: config.rest_api_enabled,
    };
    let user = if config.rest_api_enabled {
        api_key(parts)
            .and_then(|key| state.directory.user_by_key(&key))
            .filter(|user| user.is_active())
    } else {
        None
    };
    let Some(user) = user else {
        if config.login_required {
            return Err(anonymous.login_needed());
        }
        return Ok(anonymous);
    };
    let switch = parts
        .headers
        .get("x-redmine-switch-user")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|login| !login.is_empty());
    let user = match switch {
        Some(login) if user.admin => match state.directory.user_by_login(login) {
            Some(target) if target.is_active() => target,
            _ => return Err(RedmineError::PreconditionFailed),
        },
        _ => user,
    };
    Ok(Caller {
        user_id: user.id,
        admin: user.admin,
        ..anonymous
    })
}

impl FromRequestParts<Arc<RedmineState>> for Caller {
    type Rejection = RedmineError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<RedmineState>,
    ) -> Result<Self, RedmineError> {
        authenticate(state, parts)
    }
}
