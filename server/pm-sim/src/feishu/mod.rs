//! A Feishu Project (飞书项目 / Meego) simulator: the open API's paths under
//! `/open_api` with plugin tokens (`X-PLUGIN-TOKEN`, expiring), acting users
//! (`X-USER-KEY`), idempotent writes (`X-IDEM-UUID`), a per-plugin rate
//! limit, spaces with members and teams, work items of three types, and
//! man-hour records, over a directory built from the DingTalk simulator's
//! company.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use hourbridge_pm_sim::feishu::{FeishuConfig, FeishuSim};
//! let sim = FeishuSim::start(FeishuConfig::default()).await?;
//! let base = sim.base_url();          // http://127.0.0.1:PORT
//! let held = sim.records();           // every man-hour record, by id
//! sim.expire_tokens();                // every token issued so far expires
//! # Ok(()) }
//! ```

mod auth;
pub mod config;
pub mod data;
pub mod error;
mod gate;
mod input;
mod render;
mod routes;
mod seed;
mod state;
pub mod store;
mod tokens;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use tokio::net::TcpListener;

use crate::common::admin::SimAdmin;
use crate::common::faults::Faults;
use crate::common::lock;
use crate::common::server::SimServer;
use crate::common::stats::Stats;

pub use config::FeishuConfig;
pub use data::{person_user_key, Directory, FeishuUser, Space, Team, WorkItem};
pub use store::ManHourRecord;

/// A running Feishu Project simulator.
pub struct FeishuSim {
    state: Arc<state::FeishuState>,
    server: SimServer,
}

impl FeishuSim {
    /// Starts on `127.0.0.1` with a free port.
    pub async fn start(config: FeishuConfig) -> std::io::Result<FeishuSim> {
        FeishuSim::start_on(config, SimServer::bind(0).await?).await
    }

    /// Starts on the given listener.
    pub async fn start_on(
        config: FeishuConfig,
        listener: TcpListener,
    ) -> std::io::Result<FeishuSim> {
        // Generating a large company takes a moment: keep it off the runtime's threads.
        let state = tokio::task::spawn_blocking(move || state::FeishuState::new(config))
            .await
            .map_err(std::io::Error::other)?;
        let state = Arc::new(state);
        let server = SimServer::serve(listener, routes::router(state.clone()), "feishu")?;
        Ok(FeishuSim { state, server })
    }

    /// `http://127.0.0.1:PORT` (append `/open_api/...`).
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    pub fn config(&self) -> &FeishuConfig {
        &self.state.config
    }

    /// Users, spaces (with members and teams) and work items.
    pub fn directory(&self) -> &Directory {
        &self.state.directory
    }

    /// Every man-hour record held, by id.
    pub fn records(&self) -> Vec<ManHourRecord> {
        lock(&self.state.store).all().cloned().collect()
    }

    /// Every plugin token issued so far expires now (as `POST /_sim/tokens/expire`).
    pub fn expire_tokens(&self) {
        lock(&self.state.tokens).expire_all(Instant::now());
    }

    /// Plugin tokens issued so far.
    pub fn tokens_issued(&self) -> u64 {
        lock(&self.state.tokens).issued()
    }

    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    pub fn stats(&self) -> Stats {
        self.state.stats()
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod shared {
    #[test]
    fn a_simulator_can_be_shared_across_tasks() {
        fn shareable<T: Send + Sync>() {}
        shareable::<super::FeishuSim>();
    }
}
