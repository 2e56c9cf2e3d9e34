//! Who is calling: `Authorization: Basic base64(api_user:api_password)` of
//! a company API account; anything else is 401.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::config::ApiAccount;
use super::data::Workspace;
use super::error::{TapdError, TapdResult};
use super::input::Input;
use super::state::TapdState;

/// The authenticated caller: an index into the config's accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub account: usize,
}

impl Caller {
    pub fn account<'a>(&self, state: &'a TapdState) -> Option<&'a ApiAccount> {
        state.config.accounts.get(self.account)
    }

    /// The workspace `workspace_id` names: 422 when missing, 404 when not
    /// the company's, 403 when this account may not use it.
    pub fn workspace<'a>(&self, state: &'a TapdState, input: &Input) -> TapdResult<&'a Workspace> {
        let id = input.required("workspace_id")?;
        let workspace = state
            .directory
            .workspace(id)
            .ok_or_else(|| TapdError::not_found(format!("workspace {id} does not exist")))?;
        if self.account(state).is_some_and(|a| a.may_use(id)) {
            Ok(workspace)
        } else {
            Err(TapdError::forbidden(format!(
                "no permission to access workspace {id}"
            )))
        }
    }
}

/// The account an `Authorization` header names, if the password matches.
pub fn authenticate(accounts: &[ApiAccount], header: Option<&str>) -> Option<usize> {
    let header = header?.trim();
    let encoded = header
        .strip_prefix("Basic ")
        .or_else(|| header.strip_prefix("basic "))?;
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    accounts
        .iter()
        .position(|a| a.api_user == user && a.api_password == password)
}

impl FromRequestParts<Arc<TapdState>> for Caller {
    type Rejection = TapdError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<TapdState>,
    ) -> Result<Self, TapdError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        match authenticate(&state.config.accounts, header) {
            Some(account) => Ok(Caller { account }),
            None => {
                state.count(|s| s.unauthorized += 1);
                Err(TapdError::unauthorized())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_right_password_lets_in() {
        let accounts = vec![ApiAccount::integration(), ApiAccount::limited()];
        let basic = |u: &str, p: &str| format!("Basic {}", STANDARD.encode(format!("{u}:{p}")));
        let a = &accounts[1];
        assert_eq!(
            authenticate(&accounts, Some(&basic(&a.api_user, &a.api_password))),
            Some(1)
        );
        assert_eq!(
            authenticate(&accounts, Some(&basic(&a.api_user, "nope"))),
            None
        );
        assert_eq!(authenticate(&accounts, Some("Bearer x")), None);
        assert_eq!(authenticate(&accounts, None), None);
    }
}
