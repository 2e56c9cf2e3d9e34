//! Counters of what a simulator answered.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A snapshot of the counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Calls answered, per `METHOD /route/{template}` (every answer, errors
    /// included; `/_sim` routes and unknown paths excluded).
    pub calls: BTreeMap<String, u64>,
    /// 429 answers (the token bucket's and injected ones).
    pub rate_limited: u64,
    /// Answers shaped by an injected fault.
    pub faults_served: u64,
    /// Writes carried out (worklogs and their properties created, updated or deleted).
    pub writes: u64,
    /// Calls carried out whose connection was then cut without an answer.
    pub dropped_after_write: u64,
    /// 401 answers.
    pub unauthorized: u64,
}

impl Stats {
    /// Calls answered on one `METHOD /route/{template}`.
    pub fn calls_to(&self, key: &str) -> u64 {
        self.calls.get(key).copied().unwrap_or(0)
    }

    /// Calls answered on all routes.
    pub fn total_calls(&self) -> u64 {
        self.calls.values().sum()
    }
}
