//! What a Jira simulator is started with: the company, the API accounts,
//! the limits.

use std::time::Duration;

use hourbridge_dingtalk_sim::CompanySpec;

use crate::common::limits::RateLimit;

/// An account that may call the API (the integration user HourBridge is
/// configured with, or another).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiAccount {
    pub display_name: String,
    /// Cloud: `Basic base64(email:api_token)`.
    pub email: String,
    pub api_token: String,
    /// Data Center: `Basic base64(login:password)` or `Bearer <pat>`.
    pub login: String,
    pub password: String,
    pub pat: String,
    /// Keys of the projects this account may log work on; `None` = all.
    pub worklog_projects: Option<Vec<String>>,
}

impl ApiAccount {
    /// The integration user: may log work everywhere.
    pub fn integration() -> Self {
        Self {
            display_name: "HourBridge 集成账号".to_owned(),
            email: "hourbridge@corp.example".to_owned(),
            api_token: "sim-jira-api-token-0001".to_owned(),
            login: "hourbridge".to_owned(),
            password: "sim-jira-password-0001".to_owned(),
            pat: "sim-jira-pat-0001".to_owned(),
            worklog_projects: None,
        }
    }

    /// A user who may browse but not log work anywhere.
    pub fn observer() -> Self {
        Self {
            display_name: "只读观察员".to_owned(),
            email: "observer@corp.example".to_owned(),
            api_token: "sim-jira-api-token-0002".to_owned(),
            login: "observer".to_owned(),
            password: "sim-jira-password-0002".to_owned(),
            pat: "sim-jira-pat-0002".to_owned(),
            worklog_projects: Some(Vec::new()),
        }
    }

    pub fn may_log_work_on(&self, project_key: &str) -> bool {
        self.worklog_projects
            .as_ref()
            .is_none_or(|keys| keys.iter().any(|k| k.eq_ignore_ascii_case(project_key)))
    }
}

/// Everything a [`JiraSim`](super::JiraSim) is started with.
#[derive(Debug, Clone)]
pub struct JiraConfig {
    /// The DingTalk company whose people become Jira users (same e-mails and
    /// names); its seed also drives projects and issues.
    pub company: CompanySpec,
    /// Projects to generate.
    pub projects: usize,
    /// Callers; the first is the integration user.
    pub accounts: Vec<ApiAccount>,
    /// The token bucket shared by all callers ([`RateLimit::OFF`] = none).
    pub rate_limit: RateLimit,
    /// `worklog/updated` leaves out worklogs changed this recently (Jira: one minute).
    pub updated_feed_lag: Duration,
    /// Worklogs one issue may hold before a create answers 413.
    pub max_worklogs_per_issue: usize,
    /// Share of successful worklog writes (create, update, delete, their
    /// properties) whose answer is dropped after the write: committed, then
    /// the connection is cut. 0 = none (the default); see
    /// [`WriteDrops`](crate::common::faults::WriteDrops).
    pub drop_after_write_ratio: f64,
    /// Seeds the choice of which writes are dropped.
    pub drop_after_write_seed: u64,
}

impl Default for JiraConfig {
    /// 300 people (seed 2026, as the DingTalk simulator's default), 36
    /// projects, the integration and observer accounts, 20 calls/s burst 40, no
    /// answers dropped.
    fn default() -> Self {
        Self {
            company: CompanySpec::default(),
            projects: 36,
            accounts: vec![ApiAccount::integration(), ApiAccount::observer()],
            rate_limit: RateLimit {
                per_second: 20,
                burst: 40,
            },
            updated_feed_lag: Duration::from_secs(60),
            max_worklogs_per_issue: 5_000,
            drop_after_write_ratio: 0.0,
            drop_after_write_seed: 2026,
        }
    }
}

impl JiraConfig {
    /// The integration user (the first account).
    pub fn integration_account(&self) -> Option<&ApiAccount> {
        self.accounts.first()
    }
}
