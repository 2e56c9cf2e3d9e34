//! Demo mode (`--demo`): a built-in DingTalk simulator with a generated
//! company, and a connection to it, so a newcomer sees real-looking data at
//! once. Nothing here runs unless asked for.

use hourbridge_core::services::{attendance, connections, directory, Actor, Origin};
use hourbridge_core::{AppState, CoreError};
use hourbridge_dingtalk_sim::{SimConfig, Simulator};
use hourbridge_domain::connection::ConnectionForm;
use hourbridge_domain::{ConnectionId, Role, UserId};

pub const DEMO_CONNECTION_NAME: &str = "演示公司（钉钉模拟器）";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot start the DingTalk simulator: {0}")]
    Simulator(std::io::Error),
    #[error("{0}")]
    Service(#[from] CoreError),
}

/// Starts the simulator on a free local port and points the demo
/// connection at it (created on the first run, updated on later ones), then
/// pulls the directory in the background.
pub async fn start(state: &AppState) -> Result<Simulator, DemoError> {
    let config = SimConfig::default();
    let (app_key, app_secret, corp_id) = (
        config.app_key.clone(),
        config.app_secret.clone(),
        config.corp_id.clone(),
    );
    let sim = Simulator::start(config)
        .await
        .map_err(DemoError::Simulator)?;
    let actor = Actor {
        id: UserId::new("system"),
        username: "demo".into(),
        role: Role::Admin,
    };
    let origin = Origin::default();
    let form = ConnectionForm {
        name: DEMO_CONNECTION_NAME.into(),
        corp_id,
        app_key: app_key.clone(),
        app_secret,
        agent_id: "1000001".into(),
        oapi_base: sim.base_url(),
        api_base: sim.base_url(),
        qps: String::new(),
        monthly_quota: String::new(),
        robot_webhook: String::new(),
        robot_secret: String::new(),
    };
    let existing = connections::list(state)
        .await?
        .into_iter()
        .find(|c| c.app_key == app_key);
    let id = match existing {
        Some(c) => {
            connections::update(state, &actor, &origin, &c.id, &form).await?;
            c.id
        }
        None => {
            connections::create(state, &actor, &origin, &form)
                .await?
                .summary
                .id
        }
    };
    tracing::info!(simulator = %sim.base_url(), "demo mode: DingTalk simulator started");
    tokio::spawn(pull_directory(state.clone(), id));
    Ok(sim)
}

/// The directory, then the last four weeks of attendance, so that the rules
/// page's preview has days to show.
async fn pull_directory(state: AppState, id: ConnectionId) {
    match directory::sync(&state, None, &Origin::default(), &id).await {
        Ok((departments, people)) => {
            tracing::info!(departments, people, "demo mode: directory pulled")
        }
        Err(e) => {
            tracing::warn!(error = %e, "demo mode: directory pull failed");
            return;
        }
    }
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let (Some(first), Some(last)) = (
        today.checked_sub_days(chrono::Days::new(28)),
        today.checked_sub_days(chrono::Days::new(1)),
    ) else {
        return;
    };
    match attendance::pull(&state, id.as_str(), first, last).await {
        Ok(report) => tracing::info!(
            results = report.results,
            forms = report.forms,
            "demo mode: attendance of the last four weeks pulled"
        ),
        Err(e) => tracing::warn!(error = %e, "demo mode: attendance pull failed"),
    }
}
