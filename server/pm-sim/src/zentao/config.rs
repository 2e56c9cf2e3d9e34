//! What a ZenTao simulator is started with: the company, the version whose
//! request shapes it reads, the accounts, the session timeout and lock-out.

use std::time::Duration;

use chrono::NaiveDate;
use hourbridge_dingtalk_sim::CompanySpec;

use crate::common::limits::RateLimit;

/// The ZenTao release line whose shapes the simulator speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZentaoVersion {
    /// ≤ 18.x (`recordEstimate`): reads `dates[]` and `id[]`; lists efforts
    /// as an object keyed by effort id; refuses with a plain message; user
    /// fields are plain accounts.
    V18,
    /// 20.x/21.x (`recordWorkhour`): reads `date[]`; lists efforts as an
    /// array; refuses validation with messages keyed by field
    /// (`{"consumed[0]":…}`); user fields are objects.
    V20,
}

impl ZentaoVersion {
    /// `18` or `20`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().trim_start_matches('v') {
            "18" => Some(ZentaoVersion::V18),
            "20" | "21" => Some(ZentaoVersion::V20),
            _ => None,
        }
    }

    /// The field holding the effort dates.
    pub fn date_field(self) -> &'static str {
        match self {
            ZentaoVersion::V18 => "dates",
            ZentaoVersion::V20 => "date",
        }
    }
}

/// Everything a [`ZentaoSim`](super::ZentaoSim) is started with.
#[derive(Debug, Clone)]
pub struct ZentaoConfig {
    /// The DingTalk company whose people become ZenTao users (same e-mails,
    /// mobiles and names); its seed also drives projects and tasks.
    pub company: CompanySpec,
    /// Projects to generate.
    pub projects: usize,
    /// Executions (sprints) per project.
    pub executions_per_project: usize,
    /// Tasks per execution.
    pub tasks_per_execution: usize,
    pub version: ZentaoVersion,
    /// The integration account: sees every project, has *company-browse*
    /// and may record effort.
    pub admin_account: String,
    pub admin_password: String,
    /// An account that sees every project but has neither *company-browse*
    /// nor the privilege to record effort.
    pub observer_account: String,
    pub observer_password: String,
    /// A token (PHP session) unused this long expires (PHP's default
    /// `session.gc_maxlifetime`: 1440 s).
    pub session_idle: Duration,
    /// Failed logins before an account is locked (ZenTao's `failTimes`: 6).
    pub lock_after: u32,
    /// How long a lock lasts (ZenTao's `lockMinutes`: 10).
    pub lock_minutes: u32,
    /// "Today" for the no-future-dates rule (`None`: the date in China now).
    pub today: Option<NaiveDate>,
    /// Off by default (ZenTao has no rate limiting; a proxy may add one).
    pub rate_limit: RateLimit,
    /// Share of successful effort records whose answer is dropped after the
    /// write: committed, then the connection is cut. 0 = none (the default).
    pub drop_after_write_ratio: f64,
    /// Seeds the choice of which writes are dropped.
    pub drop_after_write_seed: u64,
}

/// A person's password: `{account}@Zt2026` (e.g. `wangwei0001@Zt2026`).
pub fn person_password(account: &str) -> String {
    format!("{account}@Zt2026")
}

impl Default for ZentaoConfig {
    /// 300 people (seed 2026, as the DingTalk simulator's default), 36
    /// projects with 2 executions of 12 tasks, version 20, sessions idle
    /// for 24 minutes expire, lock after 6 failed logins for 10 minutes, no
    /// rate limit, no answers dropped.
    fn default() -> Self {
        Self {
            company: CompanySpec::default(),
            projects: 36,
            executions_per_project: 2,
            tasks_per_execution: 12,
            version: ZentaoVersion::V20,
            admin_account: "hourbridge".to_owned(),
            admin_password: "HourBridge@2026".to_owned(),
            observer_account: "observer".to_owned(),
            observer_password: "Observer@2026".to_owned(),
            session_idle: Duration::from_secs(1440),
            lock_after: 6,
            lock_minutes: 10,
            today: None,
            rate_limit: RateLimit::OFF,
            drop_after_write_ratio: 0.0,
            drop_after_write_seed: 2026,
        }
    }
}
