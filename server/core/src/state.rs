//! The state every request handler and server function reaches.

use crate::db::Db;
use crate::password::{HashCost, Hasher};
use crate::secrets::Keyring;
use crate::services::connections::ClientRegistry;
use crate::CoreError;
use hourbridge_domain::login_throttle::ThrottlePolicy;
use std::sync::Arc;

/// Settings the services need (the web crate builds them from its configuration).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub hash_cost: HashCost,
    pub throttle: ThrottlePolicy,
    /// Honour `X-Forwarded-For` from a reverse proxy.
    pub trust_proxy: bool,
    /// Where users (and DingTalk's pushes) reach HourBridge.
    pub public_url: String,
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub hasher: Hasher,
    pub settings: Settings,
    /// Seals and opens secrets stored in the database.
    pub keyring: Keyring,
    /// One DingTalk client per connection, shared by every task.
    pub dingtalk: Arc<ClientRegistry>,
}

impl AppState {
    pub fn new(db: Db, settings: Settings, keyring: Keyring) -> Result<Self, CoreError> {
        let hasher = Hasher::new(settings.hash_cost)?;
        Ok(Self {
            db,
            hasher,
            settings,
            keyring,
            dingtalk: Arc::new(ClientRegistry::default()),
        })
    }
}
