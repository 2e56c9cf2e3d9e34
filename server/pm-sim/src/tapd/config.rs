//! What a TAPD simulator is started with: the company, its API accounts,
//! the limits.

use hourbridge_dingtalk_sim::CompanySpec;

use crate::common::limits::RateLimit;

/// A company API account (公司管理 › 开放集成 › API账号管理), used with HTTP
/// Basic `api_user:api_password`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiAccount {
    pub api_user: String,
    pub api_password: String,
    /// Workspaces this account may not use (status 403 "no permission").
    pub denied_workspaces: Vec<String>,
}

impl ApiAccount {
    /// The integration account: every workspace of the company.
    pub fn integration() -> Self {
        Self {
            api_user: "hourbridge_api".to_owned(),
            api_password: "sim-tapd-api-password-0001".to_owned(),
            denied_workspaces: Vec::new(),
        }
    }

    /// An account without permission on the first workspace.
    pub fn limited() -> Self {
        Self {
            api_user: "limited_api".to_owned(),
            api_password: "sim-tapd-api-password-0002".to_owned(),
            denied_workspaces: vec![super::data::workspace_id(0)],
        }
    }

    pub fn may_use(&self, workspace_id: &str) -> bool {
        !self.denied_workspaces.iter().any(|w| w == workspace_id)
    }
}

/// Everything a [`TapdSim`](super::TapdSim) is started with.
#[derive(Debug, Clone)]
pub struct TapdConfig {
    /// The DingTalk company whose people become TAPD members (same e-mails
    /// and names; the nick is the e-mail's local part); its seed also drives
    /// workspaces, memberships, tasks and stories.
    pub company: CompanySpec,
    /// TAPD's id of that company (`/workspaces/projects?company_id=`, and
    /// `/workspaces/users?workspace_id=` for every member).
    pub company_id: String,
    /// Project workspaces to generate.
    pub projects: usize,
    /// Callers; the first is the integration account.
    pub accounts: Vec<ApiAccount>,
    /// The token bucket shared by all callers ([`RateLimit::OFF`] = none).
    /// TAPD's numbers are not published: 20 calls/s, burst 40 by default.
    pub rate_limit: RateLimit,
    /// The deepest a list may be read: `page × limit` at most this
    /// (20 000, from third-party notes; unconfirmed).
    pub max_rows_per_query: usize,
    /// Share of successful timesheet writes (create, update, delete) whose
    /// answer is dropped after the write: committed, then the connection is
    /// cut. 0 = none (the default); see
    /// [`WriteDrops`](crate::common::faults::WriteDrops).
    pub drop_after_write_ratio: f64,
    /// Seeds the choice of which writes are dropped.
    pub drop_after_write_seed: u64,
}

impl Default for TapdConfig {
    /// 300 people (seed 2026, as the DingTalk simulator's default), company
    /// 20358620, 36 workspaces, the integration and limited accounts,
    /// 20 calls/s burst 40, 20 000 rows per query, no answers dropped.
    fn default() -> Self {
        Self {
            company: CompanySpec::default(),
            company_id: "20358620".to_owned(),
            projects: 36,
            accounts: vec![ApiAccount::integration(), ApiAccount::limited()],
            rate_limit: RateLimit {
                per_second: 20,
                burst: 40,
            },
            max_rows_per_query: 20_000,
            drop_after_write_ratio: 0.0,
            drop_after_write_seed: 2026,
        }
    }
}

impl TapdConfig {
    /// The integration account (the first).
    pub fn integration_account(&self) -> Option<&ApiAccount> {
        self.accounts.first()
    }
}
