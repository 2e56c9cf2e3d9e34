//! A project-management connection (Jira, Redmine, ZenTao, TAPD, Feishu
//! Project) as the admin enters it, validated, and as the connections page
//! shows it. The secret goes in, never out.

use serde::{Deserialize, Serialize};

use crate::connection::base_url;
use crate::field::{required_text, FieldError, Problem};
use crate::ids::ConnectionId;
use crate::target::{Capabilities, TargetKind};

/// What the admin typed. An empty secret keeps the stored one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PmConnectionForm {
    pub name: String,
    pub kind: String,
    pub base_url: String,
    /// Jira e-mail or login, ZenTao account, TAPD API user, Feishu plugin id.
    pub username: String,
    /// API token, password, personal access token, API key or plugin secret.
    pub secret: String,
    /// Redmine: the activity entries are logged under.
    pub activity_id: String,
    /// Redmine: the time-entry custom field for HourBridge's id.
    pub external_id_field: String,
    /// Redmine: write as the person with `X-Redmine-Switch-User` ("on").
    pub switch_user: String,
    /// TAPD company id, or Feishu Project project key.
    pub space: String,
    /// Feishu Project: the user key (`X-USER-KEY`) reads and tests act as.
    pub operator: String,
    /// ZenTao: whose account effort is recorded under (`connection_account`
    /// or `personal_account`).
    pub record_as: String,
}

/// ZenTao records effort under the account whose token writes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordAs {
    /// The connection's account; each person is named in the work text.
    #[default]
    ConnectionAccount,
    /// Each person's own account (needs their ZenTao password).
    PersonalAccount,
}

impl RecordAs {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordAs::ConnectionAccount => "connection_account",
            RecordAs::PersonalAccount => "personal_account",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [RecordAs::ConnectionAccount, RecordAs::PersonalAccount]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// Settings some kinds need.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PmSettings {
    pub activity_id: Option<u64>,
    pub external_id_field: Option<u64>,
    pub switch_user: bool,
    pub space: Option<String>,
    /// Feishu Project: the user key reads act as.
    #[serde(default)]
    pub operator: Option<String>,
    /// ZenTao: whose account effort goes under.
    #[serde(default)]
    pub record_as: RecordAs,
}

#[derive(Clone, PartialEq, Eq)]
pub struct PmConnectionInput {
    pub name: String,
    pub kind: TargetKind,
    pub base_url: String,
    pub username: String,
    /// `None`: keep the stored secret.
    pub secret: Option<String>,
    pub settings: PmSettings,
}

impl std::fmt::Debug for PmConnectionInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PmConnectionInput")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// What a connection can and cannot do: its kind's capabilities, except
/// that a ZenTao connection recording under its own account writes for
/// nobody else (the person is named in the text).
pub fn capabilities(kind: TargetKind, settings: &PmSettings) -> Capabilities {
    let mut caps = Capabilities::of(kind);
    if kind == TargetKind::Zentao && settings.record_as == RecordAs::ConnectionAccount {
        caps.on_behalf_of = crate::target::OnBehalfOf::AccountOnly;
    }
    caps
}

/// Whether the kind needs a user name beside the secret.
pub fn needs_username(kind: TargetKind) -> bool {
    !matches!(kind, TargetKind::JiraDataCenter | TargetKind::Redmine)
}

/// Whether the kind needs a space (TAPD company, Feishu project).
pub fn needs_space(kind: TargetKind) -> bool {
    matches!(kind, TargetKind::Tapd | TargetKind::FeishuProject)
}

/// Whether the kind needs an operator user key (Feishu Project).
pub fn needs_operator(kind: TargetKind) -> bool {
    kind == TargetKind::FeishuProject
}

/// An identifier typed by the admin: letters, digits, `-` and `_`.
fn identifier(field: &str, raw: &str, required: bool) -> Result<Option<String>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return if required {
            Err(FieldError::new(field, Problem::Required))
        } else {
            Ok(None)
        };
    }
    if raw.len() > 100
        || !raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    {
        return Err(FieldError::new(field, Problem::InvalidCharacters));
    }
    Ok(Some(raw.to_owned()))
}

fn optional_id(field: &str, raw: &str) -> Result<Option<u64>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<u64>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(FieldError::new(field, Problem::OutOfRange)),
    }
}

fn optional_secret(raw: &str) -> Result<Option<String>, FieldError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    if raw.chars().count() > 500 {
        return Err(FieldError::new("secret", Problem::TooLong));
    }
    if raw.chars().any(char::is_control) {
        return Err(FieldError::new("secret", Problem::InvalidCharacters));
    }
    Ok(Some(raw.trim().to_owned()))
}

impl PmConnectionInput {
    /// Validates every field; `new` requires the secret.
    pub fn parse(form: &PmConnectionForm, new: bool) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = required_text("name", &form.name, 80)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let kind = TargetKind::parse(form.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", Problem::InvalidChoice));
        }
        let base = match base_url("base_url", &form.base_url, "") {
            Ok(url) if url.is_empty() => {
                errors.push(FieldError::new("base_url", Problem::Required));
                String::new()
            }
            Ok(url) => url,
            Err(e) => {
                errors.push(e);
                String::new()
            }
        };
        let username = form.username.trim().to_owned();
        if username.chars().count() > 200 || username.chars().any(char::is_control) {
            errors.push(FieldError::new("username", Problem::InvalidCharacters));
        } else if username.is_empty() && kind.is_some_and(needs_username) {
            errors.push(FieldError::new("username", Problem::Required));
        }
        let secret = match optional_secret(&form.secret) {
            Ok(None) if new => {
                errors.push(FieldError::new("secret", Problem::Required));
                None
            }
            Ok(s) => s,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let activity_id = optional_id("activity_id", &form.activity_id)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let external_id_field = optional_id("external_id_field", &form.external_id_field)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let space = identifier("space", &form.space, kind.is_some_and(needs_space))
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let operator = identifier("operator", &form.operator, kind.is_some_and(needs_operator))
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let record_as = match form.record_as.trim() {
            "" => RecordAs::default(),
            text => RecordAs::parse(text).unwrap_or_else(|| {
                errors.push(FieldError::new("record_as", Problem::InvalidChoice));
                RecordAs::default()
            }),
        };
        match (errors.is_empty(), kind) {
            (true, Some(kind)) => Ok(PmConnectionInput {
                name,
                kind,
                base_url: base,
                username,
                secret,
                settings: PmSettings {
                    activity_id,
                    external_id_field,
                    switch_user: matches!(form.switch_user.trim(), "on" | "true" | "1"),
                    space,
                    operator: operator.filter(|_| needs_operator(kind)),
                    record_as,
                },
            }),
            _ => Err(errors),
        }
    }
}

/// A PM connection as the connections page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PmConnectionSummary {
    pub id: ConnectionId,
    pub name: String,
    pub kind: TargetKind,
    pub base_url: String,
    pub username: String,
    pub settings: PmSettings,
    pub enabled: bool,
    pub capabilities: Capabilities,
    pub last_test_at: Option<i64>,
    pub last_test_ok: Option<bool>,
    /// The projects found, or the exact error.
    pub last_test_detail: Option<String>,
}

/// What "Test connection" shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PmTestOutcome {
    pub ok: bool,
    pub account: Option<String>,
    /// Project names, in the target's order.
    pub projects: Vec<String>,
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str) -> PmConnectionForm {
        PmConnectionForm {
            name: "研发 Jira".into(),
            kind: kind.into(),
            base_url: "https://corp.atlassian.net/".into(),
            username: "hourbridge@corp.cn".into(),
            secret: "token-1".into(),
            ..PmConnectionForm::default()
        }
    }

    fn problems(result: Result<PmConnectionInput, Vec<FieldError>>) -> Vec<(String, Problem)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_jira_cloud_connection_is_accepted() {
        let input = PmConnectionInput::parse(&form("jira_cloud"), true).expect("valid");
        assert_eq!(input.kind, TargetKind::JiraCloud);
        assert_eq!(input.base_url, "https://corp.atlassian.net");
        assert_eq!(input.secret.as_deref(), Some("token-1"));
    }

    #[test]
    fn every_wrong_field_is_named() {
        let bad = PmConnectionForm {
            name: String::new(),
            kind: "teambition".into(),
            base_url: "ftp://x".into(),
            secret: String::new(),
            activity_id: "-3".into(),
            ..PmConnectionForm::default()
        };
        let found = problems(PmConnectionInput::parse(&bad, true));
        for expected in [
            ("name", Problem::Required),
            ("kind", Problem::InvalidChoice),
            ("base_url", Problem::InvalidUrl),
            ("secret", Problem::Required),
            ("activity_id", Problem::OutOfRange),
        ] {
            assert!(
                found.contains(&(expected.0.to_owned(), expected.1)),
                "{expected:?} in {found:?}"
            );
        }
    }

    #[test]
    fn kinds_ask_for_what_they_need() {
        let mut tapd = form("tapd");
        tapd.space = String::new();
        assert_eq!(
            problems(PmConnectionInput::parse(&tapd, true)),
            vec![("space".to_owned(), Problem::Required)]
        );
        let mut redmine = form("redmine");
        redmine.username = String::new();
        redmine.switch_user = "on".into();
        redmine.external_id_field = "7".into();
        let input = PmConnectionInput::parse(&redmine, true).expect("redmine needs no user name");
        assert!(input.settings.switch_user);
        assert_eq!(input.settings.external_id_field, Some(7));
        let mut cloud = form("jira_cloud");
        cloud.username = String::new();
        assert_eq!(
            problems(PmConnectionInput::parse(&cloud, true)),
            vec![("username".to_owned(), Problem::Required)]
        );
    }

    #[test]
    fn feishu_needs_its_project_and_operator_and_zentao_knows_whose_account() {
        let mut feishu = form("feishu_project");
        feishu.space = "hr_platform".into();
        assert_eq!(
            problems(PmConnectionInput::parse(&feishu, true)),
            vec![("operator".to_owned(), Problem::Required)]
        );
        feishu.operator = "user key with spaces".into();
        assert_eq!(
            problems(PmConnectionInput::parse(&feishu, true)),
            vec![("operator".to_owned(), Problem::InvalidCharacters)]
        );
        feishu.operator = "7146352112345".into();
        let input = PmConnectionInput::parse(&feishu, true).expect("valid");
        assert_eq!(input.settings.operator.as_deref(), Some("7146352112345"));

        let mut zentao = form("zentao");
        assert_eq!(
            PmConnectionInput::parse(&zentao, true)
                .expect("valid")
                .settings
                .record_as,
            RecordAs::ConnectionAccount
        );
        zentao.record_as = "personal_account".into();
        assert_eq!(
            PmConnectionInput::parse(&zentao, true)
                .expect("valid")
                .settings
                .record_as,
            RecordAs::PersonalAccount
        );
        zentao.record_as = "someone_else".into();
        assert_eq!(
            problems(PmConnectionInput::parse(&zentao, true)),
            vec![("record_as".to_owned(), Problem::InvalidChoice)]
        );
    }

    #[test]
    fn a_zentao_connection_says_whose_name_effort_goes_under() {
        use crate::target::OnBehalfOf;
        let mut settings = PmSettings::default();
        assert_eq!(
            capabilities(TargetKind::Zentao, &settings).on_behalf_of,
            OnBehalfOf::AccountOnly
        );
        settings.record_as = RecordAs::PersonalAccount;
        assert_eq!(
            capabilities(TargetKind::Zentao, &settings).on_behalf_of,
            OnBehalfOf::PersonalCredentials
        );
        assert_eq!(
            capabilities(TargetKind::Redmine, &settings),
            Capabilities::of(TargetKind::Redmine)
        );
    }

    #[test]
    fn settings_saved_before_these_fields_still_read() {
        let old: PmSettings = serde_json::from_str(
            r#"{"activity_id":9,"external_id_field":null,"switch_user":false,"space":null}"#,
        )
        .expect("old settings");
        assert_eq!(old.activity_id, Some(9));
        assert_eq!(old.record_as, RecordAs::ConnectionAccount);
        assert_eq!(old.operator, None);
    }

    #[test]
    fn an_edit_may_keep_the_secret() {
        let mut edit = form("redmine");
        edit.secret = "   ".into();
        let input = PmConnectionInput::parse(&edit, false).expect("valid edit");
        assert_eq!(input.secret, None);
    }
}
