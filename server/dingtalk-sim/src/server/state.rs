//! The simulator's shared state.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

use chrono::Utc;

use crate::company::Company;
use crate::config::SimConfig;
use crate::faults::{lock, Faults};
use crate::limits::{china_month, MonthlyQuota, QpsLimiter};
use crate::robot::Robot;
use crate::stats::Stats;
use crate::tokens::Tokens;

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub calls: BTreeMap<String, u64>,
    pub throttled: u64,
    pub quota_rejected: u64,
    pub faults_served: u64,
}

#[derive(Debug)]
pub(crate) struct AppState {
    pub config: SimConfig,
    pub company: Company,
    pub tokens: Mutex<Tokens>,
    pub limiter: Mutex<QpsLimiter>,
    pub quota: Mutex<MonthlyQuota>,
    pub faults: Faults,
    pub robot: Mutex<Robot>,
    pub counters: Mutex<Counters>,
}

impl AppState {
    pub fn new(mut config: SimConfig) -> AppState {
        let mut company = match config.company_data.take() {
            Some(company) => company,
            None => Company::generate(&config.company, &config.org_name),
        };
        company.set_org_name(&config.org_name);
        AppState {
            tokens: Mutex::new(Tokens::new(config.token_ttl_secs)),
            limiter: Mutex::new(QpsLimiter::new(config.qps_per_api)),
            quota: Mutex::new(MonthlyQuota::new(
                config.monthly_quota,
                china_month(Utc::now()),
            )),
            faults: Faults::default(),
            robot: Mutex::new(Robot::new(config.robot.clone())),
            counters: Mutex::new(Counters::default()),
            company,
            config,
        }
    }

    pub fn count_call(&self, path: &str) {
        *lock(&self.counters)
            .calls
            .entry(path.to_owned())
            .or_insert(0) += 1;
    }

    pub fn count(&self, what: impl FnOnce(&mut Counters)) {
        what(&mut lock(&self.counters));
    }

    pub fn issue_token(&self) -> String {
        lock(&self.tokens).issue(Instant::now())
    }

    pub fn token_valid(&self, token: &str) -> bool {
        lock(&self.tokens).is_valid(token, Instant::now())
    }

    pub fn revoke_tokens(&self) {
        lock(&self.tokens).revoke();
    }

    pub fn stats(&self) -> Stats {
        let (billable_this_month, billable) = lock(&self.quota).counts(china_month(Utc::now()));
        let counters = lock(&self.counters);
        Stats {
            calls: counters.calls.clone(),
            billable,
            billable_this_month,
            throttled: counters.throttled,
            quota_rejected: counters.quota_rejected,
            faults_served: counters.faults_served,
            tokens_issued: lock(&self.tokens).issued(),
            robot_messages: lock(&self.robot).messages().len() as u64,
        }
    }
}
