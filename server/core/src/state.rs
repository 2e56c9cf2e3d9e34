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
    pub sync: SyncSettings,
}

/// How this instance works on sync runs.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// Runs worked on at once (0: this instance only serves pages).
    pub workers: usize,
    /// People per batch: the unit of checkpoints and progress.
    pub batch_people: usize,
    /// How long a claimed run stays this instance's without a renewal.
    pub lease_secs: u64,
    /// Worklog writes in flight at once per run (the connector paces them).
    pub writes_in_flight: usize,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            workers: 2,
            batch_people: 50,
            lease_secs: 30,
            writes_in_flight: 8,
        }
    }
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
    /// Wakes this instance's sync workers when a run is queued.
    pub sync_wake: Arc<tokio::sync::Notify>,
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
            sync_wake: Arc::new(tokio::sync::Notify::new()),
        })
    }
}
