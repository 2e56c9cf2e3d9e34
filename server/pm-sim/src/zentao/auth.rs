//! Who is calling: the `Token` header names a live session.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::common::lock;

use super::data::ZentaoUser;
use super::error::ZentaoError;
use super::state::ZentaoState;

/// The account a call acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub account: String,
}

impl Caller {
    pub fn user<'a>(&self, state: &'a ZentaoState) -> Option<&'a ZentaoUser> {
        state.directory.user(&self.account)
    }
}

fn authenticate(state: &ZentaoState, parts: &Parts) -> Result<Caller, ZentaoError> {
    let token = parts
        .headers
        .get("token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ZentaoError::Unauthorized)?;
    let account = lock(&state.sessions)
        .touch(token, Instant::now())
        .ok_or(ZentaoError::Unauthorized)?;
    match state.directory.user(&account) {
        Some(user) if !user.deleted => Ok(Caller { account }),
        _ => Err(ZentaoError::Unauthorized),
    }
}

impl FromRequestParts<Arc<ZentaoState>> for Caller {
    type Rejection = ZentaoError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<ZentaoState>,
    ) -> Result<Self, ZentaoError> {
        let caller = authenticate(state, parts);
        if caller.is_err() {
            state.count(|s| s.unauthorized += 1);
        }
        caller
    }
}
