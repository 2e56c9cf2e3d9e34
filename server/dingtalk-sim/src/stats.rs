//! Counters of what the simulator answered.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A snapshot of the counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Calls answered, per path (every answer, errors included; `_sim` routes excluded).
    pub calls: BTreeMap<String, u64>,
    /// Billable calls counted since start (successful, non-exempt).
    pub billable: u64,
    /// Billable calls counted in the current natural month (the quota's counter).
    pub billable_this_month: u64,
    /// Answers refused by the QPS limiter (`90018` / HTTP 403 QpsLimit…).
    pub throttled: u64,
    /// Answers refused because the monthly quota was used up.
    pub quota_rejected: u64,
    /// Answers shaped by an injected fault.
    pub faults_served: u64,
    /// Access tokens issued (a reused token is not counted again).
    pub tokens_issued: u64,
    /// Robot messages accepted.
    pub robot_messages: u64,
}

impl Stats {
    /// Calls answered on one path.
    pub fn calls_to(&self, path: &str) -> u64 {
        self.calls.get(path).copied().unwrap_or(0)
    }

    /// Calls answered on all paths.
    pub fn total_calls(&self) -> u64 {
        self.calls.values().sum()
    }
}
