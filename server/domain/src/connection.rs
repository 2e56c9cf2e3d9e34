//! A DingTalk connection as the admin enters it, validated, and as the
//! connections page shows it. Secrets go in, never out: the summary only
//! says whether one is stored.

use serde::{Deserialize, Serialize};

use crate::field::{required_text, FieldError, Problem};
use crate::ids::ConnectionId;

pub const DEFAULT_OAPI_BASE: &str = "https://oapi.dingtalk.com";
pub const DEFAULT_API_BASE: &str = "https://api.dingtalk.com";
pub const DEFAULT_QPS: u32 = 20;
/// Standard edition: 5 000 billable calls a month.
pub const DEFAULT_MONTHLY_QUOTA: u64 = 5_000;
pub const MAX_QPS: u32 = 1_000;

/// What the admin typed. Secret fields left empty keep the stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionForm {
    pub name: String,
    pub corp_id: String,
    pub app_key: String,
    pub app_secret: String,
    pub agent_id: String,
    pub oapi_base: String,
    pub api_base: String,
    pub qps: String,
    pub monthly_quota: String,
    pub robot_webhook: String,
    pub robot_secret: String,
}

/// A validated connection. `app_secret`/`robot_*` are `None` when the form
/// left them empty (keep what is stored).
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectionInput {
    pub name: String,
    pub corp_id: String,
    pub app_key: String,
    pub app_secret: Option<String>,
    pub agent_id: String,
    pub oapi_base: String,
    pub api_base: String,
    pub qps: u32,
    pub monthly_quota: u64,
    pub robot_webhook: Option<String>,
    pub robot_secret: Option<String>,
}

impl std::fmt::Debug for ConnectionInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionInput")
            .field("name", &self.name)
            .field("corp_id", &self.corp_id)
            .field("app_key", &self.app_key)
            .field("oapi_base", &self.oapi_base)
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

fn key_like(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let value = required_text(field, raw, max)?;
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        Ok(value)
    } else {
        Err(FieldError::new(field, Problem::InvalidCharacters))
    }
}

/// An `http(s)://host[:port][/path]` base URL without a trailing slash.
pub fn base_url(field: &str, raw: &str, default: &str) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(default.to_owned());
    }
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| FieldError::new(field, Problem::InvalidUrl))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty()
        || value.len() > 300
        || value.contains(['?', '#', ' '])
        || value.chars().any(|c| c.is_control())
    {
        return Err(FieldError::new(field, Problem::InvalidUrl));
    }
    Ok(value.trim_end_matches('/').to_owned())
}

/// A group robot's webhook: `http(s)://host/…?access_token=…` (the query is
/// the robot's identity, so unlike a base URL it is required).
pub fn robot_webhook(field: &str, raw: &str) -> Result<String, FieldError> {
    let value = raw.trim();
    let invalid = || FieldError::new(field, Problem::InvalidUrl);
    let (address, query) = value.split_once('?').ok_or_else(invalid)?;
    base_url(field, address, "")?;
    let has_token = query.split('&').any(|pair| {
        pair.strip_prefix("access_token=")
            .is_some_and(|t| !t.is_empty())
    });
    if !has_token || address.is_empty() || value.contains(['#', ' ']) || value.len() > 500 {
        return Err(invalid());
    }
    Ok(value.to_owned())
}

fn number<T: std::str::FromStr + PartialOrd + Copy>(
    field: &str,
    raw: &str,
    default: T,
    min: T,
    max: T,
) -> Result<T, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(default);
    }
    let n: T = value
        .parse()
        .map_err(|_| FieldError::new(field, Problem::OutOfRange))?;
    if n < min || n > max {
        return Err(FieldError::new(field, Problem::OutOfRange));
    }
    Ok(n)
}

fn optional_secret(field: &str, raw: &str) -> Result<Option<String>, FieldError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        key_like(field, raw, 200).map(Some)
    }
}

impl ConnectionInput {
    /// Validates every field; `new` requires the AppSecret (an edit may keep it).
    pub fn parse(form: &ConnectionForm, new: bool) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut take =
            |r: Result<String, FieldError>| r.map_err(|e| errors.push(e)).unwrap_or_default();
        let name = take(required_text("name", &form.name, 80));
        let corp_id = take(key_like("corp_id", &form.corp_id, 100));
        let app_key = take(key_like("app_key", &form.app_key, 100));
        let agent_id = if form.agent_id.trim().is_empty() {
            String::new()
        } else {
            take(key_like("agent_id", &form.agent_id, 40))
        };
        let oapi_base = take(base_url("oapi_base", &form.oapi_base, DEFAULT_OAPI_BASE));
        let api_base = take(base_url("api_base", &form.api_base, DEFAULT_API_BASE));
        let mut app_secret = None;
        match optional_secret("app_secret", &form.app_secret) {
            Ok(Some(s)) => app_secret = Some(s),
            Ok(None) if new => errors.push(FieldError::new("app_secret", Problem::Required)),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
        let robot_webhook = if form.robot_webhook.trim().is_empty() {
            None
        } else {
            robot_webhook("robot_webhook", &form.robot_webhook)
                .map_err(|e| errors.push(e))
                .ok()
        };
        let robot_secret = optional_secret("robot_secret", &form.robot_secret)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let qps = number("qps", &form.qps, DEFAULT_QPS, 1, MAX_QPS)
            .map_err(|e| errors.push(e))
            .unwrap_or(DEFAULT_QPS);
        let monthly_quota = number(
            "monthly_quota",
            &form.monthly_quota,
            DEFAULT_MONTHLY_QUOTA,
            0,
            1_000_000_000,
        )
        .map_err(|e| errors.push(e))
        .unwrap_or(DEFAULT_MONTHLY_QUOTA);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ConnectionInput {
            name,
            corp_id,
            app_key,
            app_secret,
            agent_id,
            oapi_base,
            api_base,
            qps,
            monthly_quota,
            robot_webhook,
            robot_secret,
        })
    }
}

/// The outcome of "Test connection".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestOutcome {
    pub ok: bool,
    pub organisation: Option<String>,
    pub departments: u64,
    pub people: u64,
    /// DingTalk's own error text when the test failed.
    pub error: Option<String>,
    pub at_ms: i64,
}

/// A connection as the connections page lists it. No secret values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionSummary {
    pub id: ConnectionId,
    pub name: String,
    pub corp_id: String,
    pub app_key: String,
    pub agent_id: String,
    pub oapi_base: String,
    pub api_base: String,
    pub qps: u32,
    pub monthly_quota: u64,
    pub enabled: bool,
    pub has_robot: bool,
    /// The event callback address to enter in the DingTalk console.
    pub callback_url: String,
    pub last_test: Option<TestOutcome>,
    pub calls_this_month: u64,
    pub forecast_this_month: u64,
    pub people: u64,
    pub departments: u64,
    pub last_directory_sync_ms: Option<i64>,
}

/// Shown once, right after a connection is created: what to paste into
/// the DingTalk developer console's event subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackCredentials {
    pub callback_url: String,
    pub token: String,
    pub aes_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedConnection {
    pub summary: ConnectionSummary,
    pub callback: CallbackCredentials,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ConnectionForm {
        ConnectionForm {
            name: "总部".into(),
            corp_id: "dingcorp01".into(),
            app_key: "dingappkey".into(),
            app_secret: "s3cret-Value_1".into(),
            ..ConnectionForm::default()
        }
    }

    fn problems(form: &ConnectionForm, new: bool) -> Vec<(String, Problem)> {
        ConnectionInput::parse(form, new)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn defaults_fill_the_optional_fields() {
        let input = ConnectionInput::parse(&form(), true).expect("valid");
        assert_eq!(input.oapi_base, DEFAULT_OAPI_BASE);
        assert_eq!(input.api_base, DEFAULT_API_BASE);
        assert_eq!(input.qps, 20);
        assert_eq!(input.monthly_quota, 5000);
        assert_eq!(input.app_secret.as_deref(), Some("s3cret-Value_1"));
    }

    #[test]
    fn a_new_connection_needs_its_secret_an_edit_keeps_it() {
        let f = ConnectionForm {
            app_secret: " ".into(),
            ..form()
        };
        assert_eq!(
            problems(&f, true),
            vec![("app_secret".into(), Problem::Required)]
        );
        assert_eq!(
            ConnectionInput::parse(&f, false).expect("edit").app_secret,
            None
        );
    }

    #[test]
    fn every_wrong_field_is_named() {
        let f = ConnectionForm {
            name: "".into(),
            corp_id: "ding corp".into(),
            oapi_base: "ftp://x".into(),
            qps: "0".into(),
            monthly_quota: "lots".into(),
            robot_webhook: "https://oapi.dingtalk.com/robot/send".into(),
            ..form()
        };
        let fields: Vec<String> = problems(&f, true).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "name",
                "corp_id",
                "oapi_base",
                "robot_webhook",
                "qps",
                "monthly_quota"
            ]
        );
    }

    #[test]
    fn a_robot_webhook_needs_its_access_token() {
        let ok = "https://oapi.dingtalk.com/robot/send?access_token=abc123";
        assert_eq!(robot_webhook("f", ok).as_deref(), Ok(ok));
        assert!(robot_webhook("f", "http://127.0.0.1:9/robot/send?x=1&access_token=t").is_ok());
        for bad in [
            "https://oapi.dingtalk.com/robot/send",
            "https://oapi.dingtalk.com/robot/send?access_token=",
            "https://oapi.dingtalk.com/robot/send?token=abc",
            "ftp://oapi.dingtalk.com/robot/send?access_token=abc",
            "https://?access_token=abc",
        ] {
            assert!(robot_webhook("f", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base_urls_lose_their_trailing_slash() {
        assert_eq!(
            base_url("f", "http://127.0.0.1:8080/", "d").as_deref(),
            Ok("http://127.0.0.1:8080")
        );
        assert!(base_url("f", "http:///x", "d").is_err());
        assert!(base_url("f", "https://a.b/?q=1", "d").is_err());
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let input = ConnectionInput::parse(&form(), true).expect("valid");
        assert!(!format!("{input:?}").contains("s3cret"));
    }
}
