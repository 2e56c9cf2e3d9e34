//! A TAPD open-API simulator: HTTP Basic with company API accounts, the
//! `{status,data,info}` envelope, the company's workspaces and members,
//! tasks, stories and bugs, and timesheets (花费工时) with TAPD's one record
//! per (item, day, owner), over a company built from the DingTalk
//! simulator's people.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use hourbridge_pm_sim::tapd::{TapdConfig, TapdSim};
//! let sim = TapdSim::start(TapdConfig::default()).await?;
//! let base = sim.base_url();          // http://127.0.0.1:PORT
//! let held = sim.timesheets();        // every timesheet, deleted ones too
//! # Ok(()) }
//! ```

mod auth;
pub mod config;
pub mod data;
mod error;
mod gate;
mod input;
mod query;
mod render;
mod routes;
mod seed;
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

pub use config::{ApiAccount, TapdConfig};
pub use data::{Directory, EntityType, Member, WorkItem, Workspace};
pub use store::Timesheet;

/// A running TAPD simulator.
pub struct TapdSim {
    state: Arc<state::TapdState>,
    server: SimServer,
}

impl TapdSim {
    /// Starts on `127.0.0.1` with a free port.
    pub async fn start(config: TapdConfig) -> std::io::Result<TapdSim> {
        TapdSim::start_on(config, SimServer::bind(0).await?).await
    }

    /// Starts on the given listener.
    pub async fn start_on(config: TapdConfig, listener: TcpListener) -> std::io::Result<TapdSim> {
        // Generating a large company takes a moment: keep it off the runtime's threads.
        let state = tokio::task::spawn_blocking(move || state::TapdState::new(config))
            .await
            .map_err(std::io::Error::other)?;
        let state = Arc::new(state);
        let server = SimServer::serve(listener, routes::router(state.clone()), "tapd")?;
        Ok(TapdSim { state, server })
    }

    /// `http://127.0.0.1:PORT` (TAPD's paths are on the root: `/timesheets`).
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    pub fn config(&self) -> &TapdConfig {
        &self.state.config
    }

    /// Members, workspaces, stories, tasks and bugs.
    pub fn directory(&self) -> &Directory {
        &self.state.directory
    }

    /// Every timesheet held, oldest first, deleted ones included
    /// (`is_delete`).
    pub fn timesheets(&self) -> Vec<Timesheet> {
        lock(&self.state.timesheets).all().cloned().collect()
    }

    /// An item's remaining hours (`remain`): its own, or the last
    /// `timeremain` a timesheet write sent.
    pub fn remain_of(&self, item_id: &str) -> Option<String> {
        self.state.remain_of(item_id)
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
mod send_sync {
    #[test]
    fn a_simulator_can_be_shared_across_tasks() {
        fn shareable<T: Send + Sync>() {}
        shareable::<super::TapdSim>();
    }
}
