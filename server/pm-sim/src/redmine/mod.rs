//! A Redmine 5.0 simulator: the REST API's `.json` paths with API-key auth,
//! `X-Redmine-Switch-User`, projects, users, issues, activities and time
//! entries (with the "HourBridge ID" custom field), over a directory built
//! from the DingTalk simulator's company.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use hourbridge_pm_sim::redmine::{RedmineConfig, RedmineSim};
//! let sim = RedmineSim::start(RedmineConfig::default()).await?;
//! let base = sim.base_url();          // http://127.0.0.1:PORT
//! let held = sim.time_entries();      // every time entry, by id
//! # Ok(()) }
//! ```

mod auth;
pub mod config;
pub mod data;
mod error;
mod gate;
pub mod hours;
mod input;
mod paging;
mod render;
mod routes;
mod state;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::common::admin::SimAdmin;
use crate::common::faults::Faults;
use crate::common::lock;
use crate::common::server::SimServer;
use crate::common::stats::Stats;

pub use config::RedmineConfig;
pub use data::{Activity, Directory, Issue, Member, Project, RedmineUser};
pub use store::TimeEntry;

/// A running Redmine simulator.
pub struct RedmineSim {
    state: Arc<state::RedmineState>,
    server: SimServer,
}

impl RedmineSim {
    /// Starts on `127.0.0.1` with a free port.
    pub async fn start(config: RedmineConfig) -> std::io::Result<RedmineSim> {
        RedmineSim::start_on(config, SimServer::bind(0).await?).await
    }

    /// Starts on the given listener.
    pub async fn start_on(
        config: RedmineConfig,
        listener: TcpListener,
    ) -> std::io::Result<RedmineSim> {
        // Generating a large company takes a moment: keep it off the runtime's threads.
        let state = tokio::task::spawn_blocking(move || state::RedmineState::new(config))
            .await
            .map_err(std::io::Error::other)?;
        let state = Arc::new(state);
        let server = SimServer::serve(listener, routes::router(state.clone()), "redmine")?;
        Ok(RedmineSim { state, server })
    }

    /// `http://127.0.0.1:PORT` (append `/projects.json` etc.).
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    pub fn config(&self) -> &RedmineConfig {
        &self.state.config
    }

    /// Users, projects (with memberships) and issues.
    pub fn directory(&self) -> &Directory {
        &self.state.directory
    }

    /// Every time entry held, by id.
    pub fn time_entries(&self) -> Vec<TimeEntry> {
        lock(&self.state.entries).all().cloned().collect()
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
mod tests {
    #[test]
    fn a_simulator_can_be_shared_across_tasks() {
        fn shareable<T: Send + Sync>() {}
        shareable::<super::RedmineSim>();
    }
}
