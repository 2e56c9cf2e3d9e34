//! A Jira simulator: Jira Cloud (REST v3, `/rest/api/3`) and Jira Data
//! Center (REST v2, `/rest/api/2`) on one port, over a directory built from
//! the DingTalk simulator's company.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use hourbridge_pm_sim::jira::{JiraConfig, JiraSim};
//! let sim = JiraSim::start(JiraConfig::default()).await?;
//! let base = sim.base_url();          // http://127.0.0.1:PORT
//! let held = sim.worklogs();          // every worklog, oldest first
//! # Ok(()) }
//! ```

mod auth;
pub mod config;
pub mod data;
mod error;
mod gate;
mod jql;
mod paging;
mod render;
mod routes;
mod state;
pub mod store;
pub mod time;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::common::admin::SimAdmin;
use crate::common::faults::Faults;
use crate::common::lock;
use crate::common::server::SimServer;
use crate::common::stats::Stats;

pub use config::{ApiAccount, JiraConfig};
pub use data::{Directory, Issue, JiraUser, Project};
pub use store::{Comment, Worklog};

/// Which flavour a path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `/rest/api/3`: users by `accountId`, comments as ADF.
    Cloud,
    /// `/rest/api/2`: users by `name`/`key`, comments as plain strings.
    DataCenter,
}

impl Api {
    pub fn prefix(self) -> &'static str {
        match self {
            Api::Cloud => "/rest/api/3",
            Api::DataCenter => "/rest/api/2",
        }
    }

    pub fn of_path(path: &str) -> Api {
        if path.starts_with("/rest/api/2") {
            Api::DataCenter
        } else {
            Api::Cloud
        }
    }
}

/// A running Jira simulator.
pub struct JiraSim {
    state: Arc<state::JiraState>,
    server: SimServer,
}

impl JiraSim {
    /// Starts on `127.0.0.1` with a free port.
    pub async fn start(config: JiraConfig) -> std::io::Result<JiraSim> {
        JiraSim::start_on(config, SimServer::bind(0).await?).await
    }

    /// Starts on the given listener.
    pub async fn start_on(config: JiraConfig, listener: TcpListener) -> std::io::Result<JiraSim> {
        let base_url = format!("http://{}", listener.local_addr()?);
        // Generating a large company takes a moment: keep it off the runtime's threads.
        let state = tokio::task::spawn_blocking(move || state::JiraState::new(config, base_url))
            .await
            .map_err(std::io::Error::other)?;
        let state = Arc::new(state);
        let server = SimServer::serve(listener, routes::router(state.clone()), "jira")?;
        Ok(JiraSim { state, server })
    }

    /// `http://127.0.0.1:PORT` (append `/rest/api/3` or `/rest/api/2`).
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    pub fn config(&self) -> &JiraConfig {
        &self.state.config
    }

    /// Users, projects and issues.
    pub fn directory(&self) -> &Directory {
        &self.state.directory
    }

    /// Every worklog held, oldest first.
    pub fn worklogs(&self) -> Vec<Worklog> {
        lock(&self.state.worklogs).all().cloned().collect()
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
        shareable::<super::JiraSim>();
    }
}
