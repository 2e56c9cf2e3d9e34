//! The Jira simulator's shared state.

use std::sync::Mutex;
use std::time::Instant;

use crate::common::admin::SimAdmin;
use crate::common::faults::{Faults, WriteDrops};
use crate::common::limits::TokenBucket;
use crate::common::lock;
use crate::common::stats::Stats;

use super::config::JiraConfig;
use super::data::Directory;
use super::store::WorklogStore;
use super::Api;

#[derive(Debug)]
pub struct JiraState {
    pub config: JiraConfig,
    pub directory: Directory,
    pub base_url: String,
    pub worklogs: Mutex<WorklogStore>,
    pub limiter: Mutex<TokenBucket>,
    pub faults: Faults,
    pub write_drops: WriteDrops,
    pub counters: Mutex<Stats>,
}

impl JiraState {
    pub fn new(config: JiraConfig, base_url: String) -> JiraState {
        JiraState {
            directory: Directory::generate(&config),
            limiter: Mutex::new(TokenBucket::new(config.rate_limit, Instant::now())),
            worklogs: Mutex::new(WorklogStore::default()),
            faults: Faults::default(),
            write_drops: WriteDrops::new(
                config.drop_after_write_ratio,
                config.drop_after_write_seed,
            ),
            counters: Mutex::new(Stats::default()),
            base_url,
            config,
        }
    }

    /// `http://127.0.0.1:PORT/rest/api/3` or `/rest/api/2`.
    pub fn api_base(&self, api: Api) -> String {
        format!("{}{}", self.base_url, api.prefix())
    }

    pub fn count(&self, what: impl FnOnce(&mut Stats)) {
        what(&mut lock(&self.counters));
    }

    pub fn count_write(&self) {
        self.count(|s| s.writes += 1);
    }
}

impl SimAdmin for JiraState {
    fn faults(&self) -> &Faults {
        &self.faults
    }

    fn stats(&self) -> Stats {
        lock(&self.counters).clone()
    }
}
