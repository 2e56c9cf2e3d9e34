//! Where a run stands: its step, the batches of that step done, and each
//! step's counters — written as one JSON value with every batch, so that a
//! run resumed after a crash goes on from there and counts nothing twice.

use std::collections::BTreeMap;

use hourbridge_domain::sync::StepKind;
use hourbridge_sync::RunCounters;
use serde::{Deserialize, Serialize};

/// Counters of one step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub records_in: i64,
    pub records_out: i64,
    pub skipped: i64,
    pub failed: i64,
}

impl Counters {
    pub fn add(&mut self, other: Counters) {
        self.records_in += other.records_in;
        self.records_out += other.records_out;
        self.skipped += other.skipped;
        self.failed += other.failed;
    }
}

/// Where a run stands, as checkpointed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Steps before this one are done.
    #[serde(default)]
    pub step: usize,
    /// Batches of the current step done.
    #[serde(default)]
    pub batch: usize,
    /// Each step's counters so far, by step code.
    #[serde(default)]
    pub counters: BTreeMap<String, Counters>,
    /// When each step started (unix ms), by step code.
    #[serde(default)]
    pub started: BTreeMap<String, i64>,
}

impl Checkpoint {
    /// The counters of `step` so far.
    pub fn of(&self, step: StepKind) -> Counters {
        self.counters.get(step.code()).copied().unwrap_or_default()
    }

    /// Adds to the counters of `step`.
    pub fn count(&mut self, step: StepKind, counters: Counters) {
        self.counters
            .entry(step.code().to_owned())
            .or_default()
            .add(counters);
    }

    /// The run's counters: person-days (or changes to undo) in, worklogs
    /// written out, lines in place and days without hours skipped, items
    /// failed.
    pub fn totals(&self) -> RunCounters {
        let compute = self.of(StepKind::Compute);
        let push = self.of(StepKind::Push);
        let rollback = self.of(StepKind::Rollback);
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        RunCounters {
            records_in: n(compute.records_in + rollback.records_in),
            records_out: n(push.records_out + rollback.records_out),
            skipped: n(compute.skipped + push.skipped + rollback.skipped),
            failed: n(compute.failed + push.failed + rollback.failed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_round_trips_and_totals_its_steps() {
        let mut cp = Checkpoint {
            step: 2,
            batch: 3,
            ..Checkpoint::default()
        };
        let c = |i, o, s, f| Counters {
            records_in: i,
            records_out: o,
            skipped: s,
            failed: f,
        };
        cp.count(StepKind::Pull, c(900, 900, 0, 0));
        cp.count(StepKind::Compute, c(70, 50, 20, 1));
        cp.count(StepKind::Compute, c(70, 48, 20, 2));
        cp.count(StepKind::Push, c(98, 90, 8, 0));
        let text = serde_json::to_string(&cp).unwrap();
        let back: Checkpoint = serde_json::from_str(&text).unwrap();
        assert_eq!((back.step, back.batch), (2, 3));
        let t = back.totals();
        // The pull's records are not the run's: person-days are.
        assert_eq!(
            (t.records_in, t.records_out, t.skipped, t.failed),
            (140, 90, 48, 3)
        );
        // An old or empty checkpoint starts from the beginning.
        let empty: Checkpoint = serde_json::from_str("{}").unwrap();
        assert_eq!((empty.step, empty.batch), (0, 0));
    }
}
