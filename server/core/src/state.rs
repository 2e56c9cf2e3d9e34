//! The state every request handler and server function reaches.

use crate::db::Db;
use crate::password::{HashCost, Hasher};
use crate::CoreError;
use hourbridge_domain::login_throttle::ThrottlePolicy;

/// Settings the services need (the web crate builds them from its configuration).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub hash_cost: HashCost,
    pub throttle: ThrottlePolicy,
    /// Honour `X-Forwarded-For` from a reverse proxy.
    pub trust_proxy: bool,
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub hasher: Hasher,
    pub settings: Settings,
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> Result<Self, CoreError> {
        let hasher = Hasher::new(settings.hash_cost)?;
        Ok(Self {
            db,
            hasher,
            settings,
        })
    }
}
