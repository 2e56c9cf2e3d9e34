//! What a TAPD connection is made of: the company's API account (HTTP
//! Basic) and the company whose projects and members HourBridge sees.

use std::fmt;
use std::time::Duration;

use crate::http::{Pace, RetryPolicy};

/// TAPD answers at most `page × limit` = 20 000 rows for one query
/// (unconfirmed: third-party notes on TAPD's 使用必读); longer lists are
/// split by date.
pub const MAX_ROWS_PER_QUERY: usize = 20_000;

/// HourBridge's default pace for a TAPD connection. TAPD's limits are not
/// published (unconfirmed); 20 calls a second is the simulator's limit.
pub const DEFAULT_CALLS_PER_SECOND: u32 = 20;

#[derive(Clone)]
pub struct TapdConfig {
    /// `https://api.tapd.cn` or a private deployment (no trailing `/`).
    pub base_url: String,
    /// The company API account (公司管理 › 开放集成 › API账号管理).
    pub api_user: String,
    pub api_password: String,
    /// The company whose projects (workspaces) and members HourBridge sees.
    pub company_id: String,
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// Client-side pacing of every call of the connection (`None`: unpaced).
    pub pace: Option<Pace>,
    /// The most rows TAPD lists for one query ([`MAX_ROWS_PER_QUERY`]);
    /// lowered only to test the splitting.
    pub max_rows_per_query: usize,
}

impl fmt::Debug for TapdConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TapdConfig")
            .field("base_url", &self.base_url)
            .field("api_user", &self.api_user)
            .field("api_password", &"[redacted]")
            .field("company_id", &self.company_id)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("pace", &self.pace)
            .field("max_rows_per_query", &self.max_rows_per_query)
            .finish()
    }
}

impl TapdConfig {
    pub fn new(base_url: &str, api_user: &str, api_password: &str, company_id: &str) -> Self {
        TapdConfig {
            base_url: base_url.trim().trim_end_matches('/').to_owned(),
            api_user: api_user.trim().to_owned(),
            api_password: api_password.to_owned(),
            company_id: company_id.trim().to_owned(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            pace: Pace::per_second(DEFAULT_CALLS_PER_SECOND),
            max_rows_per_query: MAX_ROWS_PER_QUERY,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_shows_in_debug_output() {
        let config = TapdConfig::new("https://api.tapd.cn/", "hb_api", "s3cret-pass", "20358620");
        assert_eq!(config.base_url, "https://api.tapd.cn");
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret-pass"), "{shown}");
        assert!(shown.contains("hb_api") && shown.contains("[redacted]"));
    }
}
