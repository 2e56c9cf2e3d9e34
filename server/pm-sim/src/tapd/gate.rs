//! TAPD's side of the gate ([`crate::common::gate`]): its 429 is HTTP 429 +
//! `{"status":429,…}` + `Retry-After` (TAPD's limits and throttling answer
//! are unconfirmed); server errors come from Tencent's `stgw` gateway.

use std::sync::Mutex;
use std::time::Duration;

use axum::response::{IntoResponse, Response};

use crate::common::faults::WriteDrops;
use crate::common::gate::{truncated_json, Gated};
use crate::common::limits::{RateLimit, TokenBucket};
use crate::common::stats::Stats;

use super::error::TapdError;
use super::state::TapdState;

impl Gated for TapdState {
    /// Tencent's gateway.
    const PROXY: &'static str = "stgw";

    fn gate_parts(&self) -> (&Mutex<TokenBucket>, &WriteDrops, &Mutex<Stats>) {
        (&self.limiter, &self.write_drops, &self.counters)
    }

    /// Whether a call changes timesheets (what
    /// [`TapdConfig::drop_after_write_ratio`](super::TapdConfig) drops).
    fn is_write(method: &str, template: &str) -> bool {
        method == "POST" && template.starts_with("/timesheets")
    }

    fn too_many(_: RateLimit, retry_after: Duration) -> Response {
        TapdError::too_many(retry_after).into_response()
    }

    fn malformed_json() -> Response {
        truncated_json(
            "application/json; charset=utf-8",
            r#"{"status":1,"data":[{"Timesheet":{"id":"10"#,
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::common::gate::Gated;

    use super::TapdState;

    #[test]
    fn only_timesheet_posts_are_writes() {
        let is_write = TapdState::is_write;
        assert!(is_write("POST", "/timesheets"));
        assert!(is_write("POST", "/timesheets/delete_timesheets"));
        assert!(!is_write("GET", "/timesheets"));
        assert!(!is_write("GET", "/timesheets/count"));
        assert!(!is_write("POST", "/tasks"));
    }
}
