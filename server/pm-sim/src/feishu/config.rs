//! What a Feishu Project simulator is started with: the company, the
//! plugin's credentials, token life, the idempotency window, the rate limit.

use std::time::Duration;

use hourbridge_dingtalk_sim::CompanySpec;

use crate::common::limits::RateLimit;

/// Everything a [`FeishuSim`](super::FeishuSim) is started with.
#[derive(Debug, Clone)]
pub struct FeishuConfig {
    /// The DingTalk company whose people become Feishu Project users (same
    /// e-mails, names and mobiles); its seed also drives spaces and work items.
    pub company: CompanySpec,
    /// Spaces (projects) to generate.
    pub projects: usize,
    /// The one plugin that may fetch tokens.
    pub plugin_id: String,
    pub plugin_secret: String,
    /// The integration user (`X-USER-KEY` for reads): an administrator of
    /// every space.
    pub operator_user_key: String,
    /// How long a plugin token lives (Feishu: 7200 s).
    pub token_ttl: Duration,
    /// How long an `X-IDEM-UUID` answers its first result again
    /// (unconfirmed; 24 h).
    pub idempotency_window: Duration,
    /// Calls per second for the plugin (unconfirmed numbers: 15/s, bursts of 30).
    pub rate_limit: RateLimit,
    /// Make the space-member API refuse the plugin token (as third-party notes
    /// say it wants a user token), so that clients fall back to the teams.
    pub members_need_user_token: bool,
    /// Share of successful man-hour writes (create, update, delete) whose
    /// answer is dropped after the write: committed, then the connection is
    /// cut. 0 = none (the default); see
    /// [`WriteDrops`](crate::common::faults::WriteDrops).
    pub drop_after_write_ratio: f64,
    /// Seeds the choice of which writes are dropped.
    pub drop_after_write_seed: u64,
}

impl Default for FeishuConfig {
    /// 300 people (seed 2026, as the DingTalk simulator's default), 36
    /// spaces, tokens for 2 h, idempotency for 24 h, 15 calls/s (bursts of
    /// 30), no answers dropped.
    fn default() -> Self {
        Self {
            company: CompanySpec::default(),
            projects: 36,
            plugin_id: "MII_5153494D00000001".to_owned(),
            plugin_secret: "5153494d2d736563726574000000000001".to_owned(),
            operator_user_key: "7000000000000000001".to_owned(),
            token_ttl: Duration::from_secs(7200),
            idempotency_window: Duration::from_secs(24 * 3600),
            rate_limit: RateLimit {
                per_second: 15,
                burst: 30,
            },
            members_need_user_token: false,
            drop_after_write_ratio: 0.0,
            drop_after_write_seed: 2026,
        }
    }
}
