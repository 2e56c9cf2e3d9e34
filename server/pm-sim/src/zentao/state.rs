//! The ZenTao simulator's shared state.

use std::sync::Mutex;
use std::time::Instant;

use chrono::{FixedOffset, NaiveDate, Offset, Utc};

use crate::common::admin::SimAdmin;
use crate::common::faults::{Faults, WriteDrops};
use crate::common::limits::TokenBucket;
use crate::common::lock;
use crate::common::stats::Stats;

use super::config::ZentaoConfig;
use super::data::Directory;
use super::sessions::Sessions;
use super::store::Store;

#[derive(Debug)]
pub struct ZentaoState {
    pub config: ZentaoConfig,
    pub directory: Directory,
    pub store: Mutex<Store>,
    pub sessions: Mutex<Sessions>,
    pub limiter: Mutex<TokenBucket>,
    pub faults: Faults,
    pub write_drops: WriteDrops,
    pub counters: Mutex<Stats>,
}

impl ZentaoState {
    pub fn new(config: ZentaoConfig) -> ZentaoState {
        let directory = Directory::generate(&config);
        ZentaoState {
            store: Mutex::new(Store::new(&directory.tasks)),
            sessions: Mutex::new(Sessions::new(
                config.session_idle,
                config.lock_after,
                config.lock_minutes,
            )),
            limiter: Mutex::new(TokenBucket::new(config.rate_limit, Instant::now())),
            faults: Faults::default(),
            write_drops: WriteDrops::new(
                config.drop_after_write_ratio,
                config.drop_after_write_seed,
            ),
            counters: Mutex::new(Stats::default()),
            directory,
            config,
        }
    }

    pub fn count(&self, what: impl FnOnce(&mut Stats)) {
        what(&mut lock(&self.counters));
    }

    /// The day no effort may be later than: the configured one, else today
    /// in China (UTC+8).
    pub fn today(&self) -> NaiveDate {
        self.config.today.unwrap_or_else(|| {
            let china = FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix());
            Utc::now().with_timezone(&china).date_naive()
        })
    }
}

impl SimAdmin for ZentaoState {
    fn faults(&self) -> &Faults {
        &self.faults
    }

    fn stats(&self) -> Stats {
        lock(&self.counters).clone()
    }
}
