//! Who is calling: a valid `X-PLUGIN-TOKEN` on every API call, and for most
//! calls the acting user in `X-USER-KEY`, who must see the space.

use std::time::Instant;

use axum::http::HeaderMap;

use super::data::{FeishuUser, Space};
use super::error::{
    FeishuError, FeishuResult, PERMISSION_DENIED, PROJECT_NOT_FOUND, USER_NOT_FOUND,
};
use super::state::FeishuState;
use crate::common::lock;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The plugin token must be known and unexpired.
pub fn plugin(state: &FeishuState, headers: &HeaderMap) -> FeishuResult<()> {
    let checked = lock(&state.tokens).check(header(headers, "x-plugin-token"), Instant::now());
    if checked.is_err() {
        state.count(|s| s.unauthorized += 1);
    }
    checked
}

/// The plugin token, then the user in `X-USER-KEY` (required, known).
pub fn user<'a>(state: &'a FeishuState, headers: &HeaderMap) -> FeishuResult<&'a FeishuUser> {
    plugin(state, headers)?;
    let Some(key) = header(headers, "x-user-key") else {
        return Err(FeishuError::new(USER_NOT_FOUND, "X-USER-KEY is missing"));
    };
    state
        .directory
        .user(key)
        .ok_or_else(|| FeishuError::new(USER_NOT_FOUND, format!("user not found: {key}")))
}

/// The space `key` names, if `user` may see it (members and administrators).
pub fn space<'a>(state: &'a FeishuState, user: &FeishuUser, key: &str) -> FeishuResult<&'a Space> {
    let space = state
        .directory
        .space(key)
        .ok_or_else(|| FeishuError::new(PROJECT_NOT_FOUND, format!("project not exist: {key}")))?;
    if space.is_member(&user.user_key) || space.is_admin(&user.user_key) {
        Ok(space)
    } else {
        Err(FeishuError::new(
            PERMISSION_DENIED,
            format!("user {} has no permission on project {key}", user.user_key),
        ))
    }
}

/// The `X-IDEM-UUID` of a request, if any.
pub fn idem_key(headers: &HeaderMap) -> Option<String> {
    header(headers, "x-idem-uuid").map(str::to_owned)
}
