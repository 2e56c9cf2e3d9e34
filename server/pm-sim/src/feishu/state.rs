//! The Feishu Project simulator's shared state.

use std::sync::Mutex;
use std::time::Instant;

use crate::common::admin::SimAdmin;
use crate::common::faults::{Faults, WriteDrops};
use crate::common::limits::TokenBucket;
use crate::common::lock;
use crate::common::stats::Stats;

use super::config::FeishuConfig;
use super::data::Directory;
use super::store::Store;
use super::tokens::Tokens;

#[derive(Debug)]
pub struct FeishuState {
    pub config: FeishuConfig,
    pub directory: Directory,
    pub store: Mutex<Store>,
    pub tokens: Mutex<Tokens>,
    /// The plugin's bucket (the simulator has one plugin).
    pub limiter: Mutex<TokenBucket>,
    pub faults: Faults,
    pub write_drops: WriteDrops,
    pub counters: Mutex<Stats>,
}

impl FeishuState {
    pub fn new(config: FeishuConfig) -> FeishuState {
        FeishuState {
            directory: Directory::generate(&config),
            store: Mutex::new(Store::default()),
            tokens: Mutex::new(Tokens::default()),
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
}

impl SimAdmin for FeishuState {
    fn faults(&self) -> &Faults {
        &self.faults
    }

    fn stats(&self) -> Stats {
        lock(&self.counters).clone()
    }
}
