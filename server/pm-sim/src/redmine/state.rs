//! The Redmine simulator's shared state.

use std::sync::Mutex;
use std::time::Instant;

use crate::common::admin::SimAdmin;
use crate::common::faults::{Faults, WriteDrops};
use crate::common::limits::TokenBucket;
use crate::common::lock;
use crate::common::stats::Stats;

use super::config::RedmineConfig;
use super::data::Directory;
use super::store::TimeEntryStore;

#[derive(Debug)]
pub struct RedmineState {
    pub config: RedmineConfig,
    pub directory: Directory,
    pub entries: Mutex<TimeEntryStore>,
    pub limiter: Mutex<TokenBucket>,
    pub faults: Faults,
    pub write_drops: WriteDrops,
    pub counters: Mutex<Stats>,
}

impl RedmineState {
    pub fn new(config: RedmineConfig) -> RedmineState {
        RedmineState {
            directory: Directory::generate(&config),
            limiter: Mutex::new(TokenBucket::new(config.rate_limit, Instant::now())),
            entries: Mutex::new(TimeEntryStore::default()),
            faults: Faults::default(),
            write_drops: WriteDrops::new(
                config.drop_after_write_ratio,
                config.drop_after_write_seed,
            ),
            counters: Mutex::new(Stats::default()),
            config,
        }
    }

    pub fn count(&self, what: impl FnOnce(&mut Stats)) {
        what(&mut lock(&self.counters));
    }

    pub fn count_write(&self) {
        self.count(|s| s.writes += 1);
    }
}

impl SimAdmin for RedmineState {
    fn faults(&self) -> &Faults {
        &self.faults
    }

    fn stats(&self) -> Stats {
        lock(&self.counters).clone()
    }
}
