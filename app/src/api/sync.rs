//! Sync jobs (admins only): connection pairs, manual runs (backfills), the
//! runs list and one run's detail, and the actions on a run (cancel, retry
//! the failed items, roll back). Live progress comes from the server-sent
//! events at `/api/sync/events`, not from these functions.

use super::AppError;
use hourbridge_domain::sync::{PairInput, PairSummary, RunDetail, RunFilter, RunPage, RunRow};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// What the pair and backfill forms offer besides the connections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeOptions {
    /// The organisation's local date today (`YYYY-MM-DD`).
    pub today: String,
    /// DingTalk departments, `(id, name)`.
    pub departments: Vec<(i64, String)>,
    /// Active DingTalk people, `(userid, name)`.
    pub people: Vec<(String, String)>,
}

#[server(endpoint = "sync/scope-options")]
pub async fn scope_choices() -> Result<ScopeOptions, AppError> {
    use super::guard;
    use hourbridge_core::db::directory;
    use hourbridge_core::services::org_settings;
    use hourbridge_core::CoreError;
    use hourbridge_domain::role::Area;
    guard::respond(async {
        let auth = guard::require(Area::SyncJobs).await?;
        let state = &auth.call.state;
        let tz = org_settings::time_zone(&state.db).await?;
        let today = chrono::Utc::now().with_timezone(&tz.tz()).date_naive();
        let departments = directory::all_departments(&state.db)
            .await
            .map_err(CoreError::from)?
            .into_iter()
            .map(|d| (d.dept_id, d.name))
            .collect();
        let people = directory::all_active(&state.db)
            .await
            .map_err(CoreError::from)?
            .into_iter()
            .map(|p| (p.userid, p.name))
            .collect();
        Ok(ScopeOptions {
            today: today.to_string(),
            departments,
            people,
        })
    })
    .await
}

#[server(endpoint = "sync/pairs")]
pub async fn list_pairs() -> Result<Vec<PairSummary>, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async {
        let auth = guard::require(Area::SyncJobs).await?;
        Ok(hourbridge_core::services::sync::pairs::list(&auth.call.state).await?)
    })
    .await
}

/// Adds a pair (`id` empty) or changes one.
#[server(endpoint = "sync/pairs/save", input = Json)]
pub async fn save_pair(id: String, input: PairInput) -> Result<PairSummary, AppError> {
    use super::guard;
    use hourbridge_core::services::sync::pairs;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::SyncJobs).await?;
        let call = &auth.call;
        Ok(if id.is_empty() {
            pairs::create(&call.state, &auth.actor, &call.origin, &input).await?
        } else {
            pairs::update(&call.state, &auth.actor, &call.origin, &id, &input).await?
        })
    })
    .await
}

/// Pauses a pair's schedule (`paused`), or resumes it.
#[server(endpoint = "sync/pairs/paused")]
pub async fn set_pair_paused(id: String, paused: bool) -> Result<PairSummary, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::SyncJobs).await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::sync::pairs::set_paused(
            &call.state,
            &auth.actor,
            &call.origin,
            &id,
            paused,
        )
        .await?)
    })
    .await
}

/// Queues a manual run (a backfill) over any dates.
#[server(endpoint = "sync/runs/start", input = Json)]
pub async fn start_sync_run(input: hourbridge_domain::sync::StartRun) -> Result<RunRow, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::SyncJobs).await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::sync::runs::start(
            &call.state,
            &auth.actor,
            &call.origin,
            &input,
        )
        .await?)
    })
    .await
}

/// One page of runs, newest first.
#[server(endpoint = "sync/runs", input = Json)]
pub async fn list_runs(filter: RunFilter) -> Result<RunPage, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::SyncJobs).await?;
        Ok(hourbridge_core::services::sync::runs::page(&auth.call.state, &filter).await?)
    })
    .await
}

#[server(endpoint = "sync/runs/detail")]
pub async fn get_run(id: String) -> Result<RunDetail, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::SyncJobs).await?;
        Ok(hourbridge_core::services::sync::runs::detail(&auth.call.state, &id).await?)
    })
    .await
}

/// Asks a queued or running run to stop.
#[server(endpoint = "sync/runs/cancel")]
pub async fn cancel_run(id: String) -> Result<RunRow, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::SyncJobs).await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::sync::runs::cancel(
            &call.state,
            &auth.actor,
            &call.origin,
            &id,
        )
        .await?)
    })
    .await
}

/// Queues a run that pushes again only the items this run failed.
#[server(endpoint = "sync/runs/retry-failed")]
pub async fn retry_failed_run(id: String) -> Result<RunRow, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::SyncJobs).await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::sync::runs::retry_failed(
            &call.state,
            &auth.actor,
            &call.origin,
            &id,
        )
        .await?)
    })
    .await
}

/// Queues a run that removes what this run wrote.
#[server(endpoint = "sync/runs/roll-back")]
pub async fn roll_back_run(id: String) -> Result<RunRow, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::SyncJobs).await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::sync::runs::roll_back(
            &call.state,
            &auth.actor,
            &call.origin,
            &id,
        )
        .await?)
    })
    .await
}
