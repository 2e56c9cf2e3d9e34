//! Counts calls per API: billable successes (what DingTalk charges against
//! the monthly quota), throttle answers and other failures. The sync job
//! takes the counts after each run and adds them to the stored monthly
//! counter.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// The counts for one API path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApiCount {
    /// Successful calls.
    pub ok: u64,
    /// Successful calls that count against the monthly quota.
    pub billable: u64,
    /// Throttle answers (90018, 90002, -1, 403 *Limit*, 429, address ban).
    pub throttled: u64,
    /// Other failures (rejected, malformed, unreachable, timeouts).
    pub failed: u64,
}

#[derive(Debug, Default)]
pub struct CallMeter {
    counts: Mutex<BTreeMap<&'static str, ApiCount>>,
}

pub(crate) enum Outcome {
    Ok { billable: bool },
    Throttled,
    Failed,
}

impl Outcome {
    /// How a failed call counts: throttle answers and address bans apart
    /// from every other failure.
    pub(crate) fn of(error: &crate::wire::UpstreamError) -> Self {
        use crate::wire::UpstreamError::{AddressBanned, Throttled};
        match error {
            Throttled { .. } | AddressBanned { .. } => Outcome::Throttled,
            _ => Outcome::Failed,
        }
    }
}

impl CallMeter {
    pub(crate) fn record(&self, api: &'static str, outcome: Outcome) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let entry = counts.entry(api).or_default();
        match outcome {
            Outcome::Ok { billable } => {
                entry.ok += 1;
                entry.billable += u64::from(billable);
            }
            Outcome::Throttled => entry.throttled += 1,
            Outcome::Failed => entry.failed += 1,
        }
    }

    /// The counts so far.
    pub fn snapshot(&self) -> BTreeMap<&'static str, ApiCount> {
        self.counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The counts so far, resetting them to zero.
    pub fn take(&self) -> BTreeMap<&'static str, ApiCount> {
        std::mem::take(&mut *self.counts.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Billable calls across all APIs.
    pub fn billable(&self) -> u64 {
        self.snapshot().values().map(|c| c.billable).sum()
    }

    /// Throttle answers across all APIs.
    pub fn throttled(&self) -> u64 {
        self.snapshot().values().map(|c| c.throttled).sum()
    }
}
