//! The HTTP side: one port serving both API families and the `_sim` routes.

mod admin;
mod attendance;
mod contacts;
mod dispatch;
mod envelope;
mod faulty;
mod holidays;
mod leave;
mod params;
mod robot_api;
mod state;
mod token_api;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use attendance::{MAX_CHECK_DATE_GAP_DAYS, MAX_LIMIT, MAX_USERS, MAX_WORK_DATE_GAP_DAYS};
pub use contacts::USER_PAGE_MAX;
pub use dispatch::NEW_TOKEN_HEADER;
pub use holidays::{MAX_HOLIDAY_USERS, MAX_HOLIDAY_WINDOW_DAYS};
pub use leave::{MAX_LEAVE_PAGE, MAX_LEAVE_USERS, MAX_LEAVE_WINDOW_MS};

use crate::company::Company;
use crate::config::SimConfig;
use crate::faults::{lock, Faults};
use crate::push::{PushError, PushOutcome, PushSettings};
use crate::stats::Stats;
use state::AppState;

/// A running simulator.
pub struct Simulator {
    state: Arc<AppState>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

/// The router over a state (both families, `_sim` routes).
fn router(state: Arc<AppState>) -> Router {
    admin::router()
        .fallback(dispatch::dispatch)
        .with_state(state)
}

impl Simulator {
    /// Starts on `127.0.0.1` with a free port.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        Simulator::start_on(config, listener).await
    }

    /// Starts on the given listener.
    pub async fn start_on(config: SimConfig, listener: TcpListener) -> std::io::Result<Simulator> {
        let addr = listener.local_addr()?;
        // Generating a large company takes a moment: keep it off the runtime's threads.
        let state = tokio::task::spawn_blocking(move || AppState::new(config))
            .await
            .map_err(std::io::Error::other)?;
        let state = Arc::new(state);
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "the DingTalk simulator stopped");
            }
        });
        Ok(Simulator {
            state,
            addr,
            stop: Some(stop),
            task,
        })
    }

    /// `http://127.0.0.1:PORT`: both the old paths and `/v1.0/...`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn config(&self) -> &SimConfig {
        &self.state.config
    }

    pub fn company(&self) -> &Company {
        &self.state.company
    }

    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    pub fn stats(&self) -> Stats {
        self.state.stats()
    }

    /// Every issued token becomes invalid.
    pub fn revoke_tokens(&self) {
        self.state.revoke_tokens();
    }

    /// Bodies accepted on `/robot/send`, oldest first.
    pub fn robot_messages(&self) -> Vec<Value> {
        lock(&self.state.robot).messages()
    }

    /// Pushes an event to an HTTP callback URL as DingTalk does.
    pub async fn push_event(
        &self,
        url: &str,
        settings: &PushSettings,
        event: Value,
    ) -> Result<PushOutcome, PushError> {
        crate::push::push_event(url, settings, event).await
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let graceful = tokio::time::timeout(std::time::Duration::from_secs(5), &mut self.task);
        if graceful.await.is_err() {
            self.task.abort();
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_simulator_can_be_shared_across_tasks() {
        fn shareable<T: Send + Sync>() {}
        shareable::<super::Simulator>();
        shareable::<crate::Company>();
    }
}
