//! The TAPD simulator's shared state.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, Offset, Utc};

use crate::common::admin::SimAdmin;
use crate::common::faults::{Faults, WriteDrops};
use crate::common::limits::TokenBucket;
use crate::common::lock;
use crate::common::stats::Stats;

use super::config::TapdConfig;
use super::data::Directory;
use super::store::TimesheetStore;

#[derive(Debug)]
pub struct TapdState {
    pub config: TapdConfig,
    pub directory: Directory,
    pub timesheets: Mutex<TimesheetStore>,
    /// Item id → remaining hours a timesheet write set (`timeremain`).
    pub remain: Mutex<HashMap<String, String>>,
    pub limiter: Mutex<TokenBucket>,
    pub faults: Faults,
    pub write_drops: WriteDrops,
    pub counters: Mutex<Stats>,
}

impl TapdState {
    pub fn new(config: TapdConfig) -> TapdState {
        TapdState {
            directory: Directory::generate(&config),
            timesheets: Mutex::new(TimesheetStore::default()),
            remain: Mutex::new(HashMap::new()),
            limiter: Mutex::new(TokenBucket::new(config.rate_limit, Instant::now())),
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

    /// An item's remaining hours: the last `timeremain` written, else its own.
    pub fn remain_of(&self, item_id: &str) -> Option<String> {
        if let Some(r) = lock(&self.remain).get(item_id) {
            return Some(r.clone());
        }
        self.directory.item(item_id).map(|i| i.remain.clone())
    }
}

/// Now where the company is (UTC+8), as TAPD writes `created`.
pub fn now() -> NaiveDateTime {
    let china = FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix());
    Utc::now().with_timezone(&china).naive_local()
}

pub fn today() -> NaiveDate {
    now().date()
}

impl SimAdmin for TapdState {
    fn faults(&self) -> &Faults {
        &self.faults
    }

    fn stats(&self) -> Stats {
        lock(&self.counters).clone()
    }
}
