//! Who is calling: Cloud `Basic base64(email:api_token)`; Data Center
//! `Basic base64(login:password)` or `Bearer <PAT>` (v2 paths also take the
//! Cloud form, as Cloud serves v2 too).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::config::ApiAccount;
use super::data::JiraUser;
use super::error::JiraError;
use super::state::JiraState;
use super::Api;

/// The authenticated caller: an index into the config's accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub account: usize,
}

impl Caller {
    pub fn account<'a>(&self, state: &'a JiraState) -> Option<&'a ApiAccount> {
        state.config.accounts.get(self.account)
    }

    pub fn user<'a>(&self, state: &'a JiraState) -> Option<&'a JiraUser> {
        state.directory.account_user(self.account)
    }

    /// Whether the caller may log work on the project `key`.
    pub fn may_log_work_on(&self, state: &JiraState, key: &str) -> bool {
        self.account(state).is_some_and(|a| a.may_log_work_on(key))
    }
}

/// The account the `Authorization` header names, if the secret matches.
pub fn authenticate(accounts: &[ApiAccount], api: Api, header: Option<&str>) -> Option<usize> {
    let header = header?.trim();
    if let Some(token) = header.strip_prefix("Bearer ") {
        if api == Api::Cloud {
            return None;
        }
        return accounts.iter().position(|a| a.pat == token.trim());
    }
    let encoded = header
        .strip_prefix("Basic ")
        .or_else(|| header.strip_prefix("basic "))?;
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, secret) = text.split_once(':')?;
    accounts.iter().position(|a| {
        let cloud = a.email.eq_ignore_ascii_case(user) && a.api_token == secret;
        let server = a.login.eq_ignore_ascii_case(user) && a.password == secret;
        cloud || (api == Api::DataCenter && server)
    })
}

impl FromRequestParts<Arc<JiraState>> for Caller {
    type Rejection = JiraError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<JiraState>,
    ) -> Result<Self, JiraError> {
        let api = Api::of_path(parts.uri.path());
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        match authenticate(&state.config.accounts, api, header) {
            Some(account) => Ok(Caller { account }),
            None => {
                state.count(|s| s.unauthorized += 1);
                Err(JiraError::unauthorized())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(user: &str, secret: &str) -> String {
        format!("Basic {}", STANDARD.encode(format!("{user}:{secret}")))
    }

    #[test]
    fn each_flavour_takes_its_own_credentials() {
        let accounts = [ApiAccount::integration(), ApiAccount::observer()];
        let cloud = basic("hourbridge@corp.example", "sim-jira-api-token-0001");
        let server = basic("hourbridge", "sim-jira-password-0001");
        assert_eq!(authenticate(&accounts, Api::Cloud, Some(&cloud)), Some(0));
        assert_eq!(authenticate(&accounts, Api::Cloud, Some(&server)), None);
        assert_eq!(
            authenticate(&accounts, Api::DataCenter, Some(&server)),
            Some(0)
        );
        assert_eq!(
            authenticate(&accounts, Api::DataCenter, Some("Bearer sim-jira-pat-0002")),
            Some(1)
        );
        assert_eq!(
            authenticate(&accounts, Api::Cloud, Some("Bearer sim-jira-pat-0002")),
            None
        );
        assert_eq!(authenticate(&accounts, Api::Cloud, Some("Basic !!!")), None);
        assert_eq!(authenticate(&accounts, Api::Cloud, None), None);
        let wrong = basic("hourbridge@corp.example", "nope");
        assert_eq!(authenticate(&accounts, Api::Cloud, Some(&wrong)), None);
    }
}
