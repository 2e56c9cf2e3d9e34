//! What a Redmine simulator is started with: the company, the API keys,
//! the settings and permissions that can refuse a time entry.

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
    /// *Maximum hours that can be logged per day and user*. `None` is
    /// Redmine's default, 999; 0 turns the check off.
    pub max_hours_per_day: Option<f64>,
    /// *Accept time logs with 0 hours* (Redmine's default: yes).
    pub accept_zero_hours: bool,
    /// *Accept time logs on future dates* (Redmine's default: yes; when off,
    /// "Cannot log time on a future date", measured in UTC+8).
    pub accept_future_dates: bool,
    /// The activity an entry without `activity_id` gets. Redmine's default
    /// data marks none as default: then such an entry is refused with
    /// "Activity cannot be blank".
    pub default_activity: Option<u64>,
    /// Whether the people's role has *Edit own time logs*. Redmine's default
    /// Developer and Reporter roles have not (only *Log spent time* and
    /// *View spent time*): a person may then not change or delete even their
    /// own entries (403), also not through `X-Redmine-Switch-User`.
    pub members_edit_own_entries: bool,
    /// *Authentication required* (Redmine's default: off, so that a missing
    /// or wrong key reads as the anonymous user: lists come back empty, 200,
    /// and only what needs a login is 401).
    pub login_required: bool,
    /// *Enable REST web service*. Off: every key is ignored and what needs a
    /// login answers 403 instead of 401.
    pub rest_api_enabled: bool,
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
    /// projects, custom field 7 (filterable), Redmine's default settings and
    /// roles (999 hours a day, 0 hours and future dates accepted, people may
    /// not edit their entries, no login required), Development as the
    /// default activity, no rate limit, no answers dropped.
    fn default() -> Self {
        Self {
            company: CompanySpec::default(),
            projects: 36,
            admin_key: "ad00000000000000000000000000000000000001".to_owned(),
            integration_key: "4b00000000000000000000000000000000000002".to_owned(),
            custom_field_id: 7,
            custom_field_filterable: true,
            max_hours_per_day: None,
            accept_zero_hours: true,
            accept_future_dates: true,
            default_activity: Some(9),
            members_edit_own_entries: false,
            login_required: false,
            rest_api_enabled: true,
            rate_limit: RateLimit::OFF,
            drop_after_write_ratio: 0.0,
            drop_after_write_seed: 2026,
        }
    }
}
