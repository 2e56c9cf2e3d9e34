//! What a ZenTao connection is made of: the address, the integration
//! account, and whose name the hours are recorded under.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use crate::http::RetryPolicy;

/// Whose account an effort (工时) is recorded under. ZenTao records every
/// effort under the account whose token made the call: there is no
/// on-behalf-of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordAs {
    /// Effort is recorded with the person's own token (ZenTao records effort
    /// under the token owner); needs the person's password in
    /// [`ZentaoConfig::personal_passwords`].
    PersonalAccount,
    /// Effort is recorded under the connection's account; the person is
    /// named in the work text (the hours then belong to that account in
    /// ZenTao's own reports).
    ConnectionAccount,
}

/// A ZenTao connection.
#[derive(Clone)]
pub struct ZentaoConfig {
    /// What the admin typed: `https://pm.corp/zentao` or `https://pm.corp`;
    /// the connector adds `/api.php/v1` (accepted already present too).
    pub base_url: String,
    /// The integration account (needs the *company-browse* privilege to
    /// list users, and the privilege to record effort on tasks).
    pub account: String,
    pub password: String,
    pub record_as: RecordAs,
    /// ZenTao account → password, for [`RecordAs::PersonalAccount`].
    pub personal_passwords: HashMap<String, String>,
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

impl fmt::Debug for ZentaoConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut people: Vec<&String> = self.personal_passwords.keys().collect();
        people.sort();
        f.debug_struct("ZentaoConfig")
            .field("base_url", &self.base_url)
            .field("account", &self.account)
            .field("password", &"[redacted]")
            .field("record_as", &self.record_as)
            .field(
                "personal_passwords",
                &format!("[{} redacted]", people.len()),
            )
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl ZentaoConfig {
    /// Records under the connection's account, with no personal passwords.
    pub fn new(base_url: &str, account: &str, password: &str) -> Self {
        ZentaoConfig {
            base_url: base_url.trim().to_owned(),
            account: account.trim().to_owned(),
            password: password.to_owned(),
            record_as: RecordAs::ConnectionAccount,
            personal_passwords: HashMap::new(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }

    /// The REST API's root: `…/api.php/v1`, however the address was typed
    /// (with or without `/api.php/v1`, `/api.php` or `/index.php`).
    pub fn api_root(&self) -> String {
        api_root(&self.base_url)
    }
}

fn api_root(typed: &str) -> String {
    let mut base = typed.trim().trim_end_matches('/').to_owned();
    if base.ends_with("/api.php/v1") {
        return base;
    }
    for tail in ["/api.php", "/index.php"] {
        if let Some(stripped) = base.strip_suffix(tail) {
            base = stripped.trim_end_matches('/').to_owned();
        }
    }
    format!("{base}/api.php/v1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_root_is_found_however_the_address_was_typed() {
        for typed in [
            "https://pm.corp/zentao",
            "https://pm.corp/zentao/",
            " https://pm.corp/zentao/api.php/v1 ",
            "https://pm.corp/zentao/api.php/v1/",
            "https://pm.corp/zentao/api.php",
            "https://pm.corp/zentao/index.php",
        ] {
            assert_eq!(
                api_root(typed),
                "https://pm.corp/zentao/api.php/v1",
                "{typed}"
            );
        }
        assert_eq!(api_root("https://pm.corp"), "https://pm.corp/api.php/v1");
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let mut config = ZentaoConfig::new("https://pm.corp", "hourbridge", "s3cret-pass");
        config
            .personal_passwords
            .insert("alice".into(), "alice-pass".into());
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("s3cret-pass") && !shown.contains("alice-pass"),
            "{shown}"
        );
        assert!(shown.contains("hourbridge") && shown.contains("[1 redacted]"));
    }
}
