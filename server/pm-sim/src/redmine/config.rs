//! What a Redmine simulator is started with: the company, the API keys,
//! the settings that can refuse a time entry.

use hourbridge_dingtalk_sim::CompanySpec;

use crate::common::limits::RateLimit;

/// Everything a [`RedmineSim`](super::RedmineSim) is started with.
#[derive(Debug, Clone)]
pub struct RedmineConfig {
    /// The DingTalk company whose people become Redmine users (same e-mails
    /// and names); its seed also drives projects, memberships and issues.
    pub company: CompanySpec,
    /// Projects to generate.
    pub projects: usize,
    /// The API key of the administrator `admin` (may switch user).
    pub admin_key: String,
    /// The API key of the non-admin integration user `hourbridge`, a member
    /// of every project with *Log spent time*, *Log time for other users*,
    /// *Edit time logs* and *View spent time*.
    pub integration_key: String,
    /// The id of the time-entry custom field "HourBridge ID".
    pub custom_field_id: u64,
    /// Whether that field is *Used as a filter* (`cf_N=` works only then).
    pub custom_field_filterable: bool,
    /// *Maximum hours that can be logged per day and user* (`None` = no limit).
    pub max_hours_per_day: Option<f64>,
    /// Off by default (Redmine has no rate limiting; a proxy may add one).
    pub rate_limit: RateLimit,
    /// Share of successful time-entry writes (create, update, delete) whose
    /// answer is dropped after the write: committed, then the connection is
    /// cut. 0 = none (the default); see
    /// [`WriteDrops`](crate::common::faults::WriteDrops).
    pub drop_after_write_ratio: f64,
    /// Seeds the choice of which writes are dropped.
    pub drop_after_write_seed: u64,
}

impl Default for RedmineConfig {
    /// 300 people (seed 2026, as the DingTalk simulator's default), 36
    /// projects, custom field 7 (filterable), no hour cap, no rate limit, no answers
    /// dropped.
    fn default() -> Self {
        Self {
            company: CompanySpec::default(),
            projects: 36,
            admin_key: "ad00000000000000000000000000000000000001".to_owned(),
            integration_key: "4b00000000000000000000000000000000000002".to_owned(),
            custom_field_id: 7,
            custom_field_filterable: true,
            max_hours_per_day: None,
            rate_limit: RateLimit::OFF,
            drop_after_write_ratio: 0.0,
            drop_after_write_seed: 2026,
        }
    }
}
