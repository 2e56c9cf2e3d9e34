//! A run's status from its counters: Succeeded, Partially succeeded (some
//! items failed, listed with their reasons), Failed (a step failed as a
//! whole, or every item failed), or Cancelled.

use serde::{Deserialize, Serialize};

/// What a run counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCounters {
    /// Records read (person-days, or worklog lines to push).
    pub records_in: u64,
    /// Worklogs created, updated or deleted.
    pub records_out: u64,
    /// Lines already in place, or days skipped by the rules.
    pub skipped: u64,
    /// Items that failed for good.
    pub failed: u64,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Succeeded,
    PartiallySucceeded,
    Failed,
    Cancelled,
}

impl RunStatus {
    /// The status of a finished run: `step_failed` when a step failed as a
    /// whole (credentials refused, the source unreachable after retries).
    pub fn of(counters: RunCounters, step_failed: bool, cancelled: bool) -> RunStatus {
        if cancelled {
            RunStatus::Cancelled
        } else if step_failed {
            RunStatus::Failed
        } else if counters.failed == 0 {
            RunStatus::Succeeded
        } else if counters.records_out + counters.skipped == 0 {
            RunStatus::Failed
        } else {
            RunStatus::PartiallySucceeded
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counters(out: u64, skipped: u64, failed: u64) -> RunCounters {
        RunCounters {
            records_in: out + skipped + failed,
            records_out: out,
            skipped,
            failed,
        }
    }

    #[test]
    fn statuses() {
        assert_eq!(
            RunStatus::of(counters(10, 2, 0), false, false),
            RunStatus::Succeeded
        );
        assert_eq!(
            RunStatus::of(counters(0, 0, 0), false, false),
            RunStatus::Succeeded
        );
        assert_eq!(
            RunStatus::of(counters(10, 0, 1), false, false),
            RunStatus::PartiallySucceeded
        );
        assert_eq!(
            RunStatus::of(counters(0, 0, 3), false, false),
            RunStatus::Failed
        );
        assert_eq!(
            RunStatus::of(counters(10, 0, 0), true, false),
            RunStatus::Failed
        );
        assert_eq!(
            RunStatus::of(counters(10, 0, 1), true, true),
            RunStatus::Cancelled
        );
    }
}
