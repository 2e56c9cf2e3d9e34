//! A ZenTao (禅道) simulator: the RESTful API v1 under
//! `/zentao/api.php/v1` with `POST /tokens` sessions that expire when idle,
//! login lock-out, users (needing *company-browse*), projects, executions,
//! tasks (some multi-person) and efforts (工时) recorded per task in the
//! request shapes of ZenTao 18 or 20, over a directory built from the
//! DingTalk simulator's company.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use hourbridge_pm_sim::zentao::{ZentaoConfig, ZentaoSim};
//! let sim = ZentaoSim::start(ZentaoConfig::default()).await?;
//! let base = sim.base_url();          // http://127.0.0.1:PORT/zentao
//! let held = sim.efforts();           // every effort, by id
//! sim.expire_tokens();                // every session ends now
//! # Ok(()) }
//! ```

mod auth;
pub mod config;
pub mod data;
mod error;
mod gate;
mod input;
mod names;
mod paging;
mod render;
mod routes;
mod sessions;
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

pub use config::{person_password, ZentaoConfig, ZentaoVersion};
pub use data::{Directory, Execution, Project, Task, ZentaoUser};
pub use routes::API_PREFIX;
pub use store::Effort;

/// A running ZenTao simulator.
pub struct ZentaoSim {
    state: Arc<state::ZentaoState>,
    server: SimServer,
}

impl ZentaoSim {
    /// Starts on `127.0.0.1` with a free port.
    pub async fn start(config: ZentaoConfig) -> std::io::Result<ZentaoSim> {
        ZentaoSim::start_on(config, SimServer::bind(0).await?).await
    }

    /// Starts on the given listener.
    pub async fn start_on(
        config: ZentaoConfig,
        listener: TcpListener,
    ) -> std::io::Result<ZentaoSim> {
        // Generating a large company takes a moment: keep it off the runtime's threads.
        let state = tokio::task::spawn_blocking(move || state::ZentaoState::new(config))
            .await
            .map_err(std::io::Error::other)?;
        let state = Arc::new(state);
        let server = SimServer::serve(listener, routes::router(state.clone()), "zentao")?;
        Ok(ZentaoSim { state, server })
    }

    /// `http://127.0.0.1:PORT/zentao`: what an admin types (the API is at
    /// `…/api.php/v1`).
    pub fn base_url(&self) -> String {
        format!("{}/zentao", self.server.base_url())
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    pub fn config(&self) -> &ZentaoConfig {
        &self.state.config
    }

    /// Users, projects, executions and the tasks as seeded.
    pub fn directory(&self) -> &Directory {
        &self.state.directory
    }

    /// Every effort held (deleted ones too, flagged), by id.
    pub fn efforts(&self) -> Vec<Effort> {
        lock(&self.state.store).efforts().cloned().collect()
    }

    /// A task as it is now (consumed and remaining hours, status).
    pub fn task(&self, id: u64) -> Option<Task> {
        lock(&self.state.store).task(id).cloned()
    }

    /// Ends every session now, as the idle timeout would: the next call
    /// with an old token gets 401. Answers how many there were.
    pub fn expire_tokens(&self) -> usize {
        lock(&self.state.sessions).expire_all()
    }

    /// Successful logins of an account so far.
    pub fn logins(&self, account: &str) -> u64 {
        lock(&self.state.sessions).logins(account)
    }

    /// Failed logins of an account since its last success or lock.
    pub fn failed_logins(&self, account: &str) -> u32 {
        lock(&self.state.sessions).failures(account)
    }

    /// Soft-deletes an effort, as the web page does.
    pub fn delete_effort(&self, id: u64) -> bool {
        lock(&self.state.store).delete(id)
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
        shareable::<super::ZentaoSim>();
    }
}
