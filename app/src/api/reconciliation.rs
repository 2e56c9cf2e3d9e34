//! Reconciliation and manual corrections (administrators and HR): what the
//! query form offers, the comparison of a pair's project system with what
//! HourBridge computed, the "fix" of selected person-days, and corrections
//! (手工补录) of a person-day's hours. The report as CSV is an axum route,
//! `GET /api/sync/reconciliation.csv`, with the same filters.

use super::AppError;
use hourbridge_domain::sync::{
    CorrectionInput, CorrectionRow, CorrectionSaved, FixRows, ReconQuery, ReconReport, RunRow,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// What the query and correction forms offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconOptions {
    /// The organisation's local date today (`YYYY-MM-DD`).
    pub today: String,
    /// Connection pairs, `(id, name)`.
    pub pairs: Vec<(String, String)>,
    /// DingTalk departments, `(id, name)`.
    pub departments: Vec<(i64, String)>,
    /// Active DingTalk people, `(userid, name)`.
    pub people: Vec<(String, String)>,
}

/// How many corrections the page lists.
pub const RECENT_CORRECTIONS: i64 = 50;

#[server(endpoint = "sync/reconciliation/options")]
pub async fn reconciliation_options() -> Result<ReconOptions, AppError> {
    use super::guard;
    use hourbridge_core::db::directory;
    use hourbridge_core::services::{org_settings, sync::pairs};
    use hourbridge_core::CoreError;
    guard::respond(async {
        let auth = guard::require_reconciliation().await?;
        let state = &auth.call.state;
        let tz = org_settings::time_zone(&state.db).await?;
        let today = chrono::Utc::now().with_timezone(&tz.tz()).date_naive();
        let pairs = pairs::list(state)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
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
        Ok(ReconOptions {
            today: today.to_string(),
            pairs,
            departments,
            people,
        })
    })
    .await
}

/// Compares a pair's project system with HourBridge over the query's dates.
#[server(endpoint = "sync/reconciliation/report", input = Json)]
pub async fn reconcile(query: ReconQuery) -> Result<ReconReport, AppError> {
    use super::guard;
    guard::respond(async move {
        let auth = guard::require_reconciliation().await?;
        Ok(hourbridge_core::services::sync::reconcile::report(&auth.call.state, &query).await?)
    })
    .await
}

/// Queues a run that reads the selected person-days back from the project
/// system and writes them again.
#[server(endpoint = "sync/reconciliation/fix", input = Json)]
pub async fn fix_reconciliation(input: FixRows) -> Result<RunRow, AppError> {
    use super::guard;
    guard::respond(async move {
        let auth = guard::require_reconciliation().await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::sync::reconcile::fix(
            &call.state,
            &auth.actor,
            &call.origin,
            &input,
        )
        .await?)
    })
    .await
}

/// Sets a person-day's hours by hand; runs are queued to write them.
#[server(endpoint = "sync/corrections/add", input = Json)]
pub async fn add_correction(input: CorrectionInput) -> Result<CorrectionSaved, AppError> {
    use super::guard;
    guard::respond(async move {
        let auth = guard::require_reconciliation().await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::sync::corrections::add(
            &call.state,
            &auth.actor,
            &call.origin,
            &input,
        )
        .await?)
    })
    .await
}

/// The corrections in force, newest first.
#[server(endpoint = "sync/corrections/recent")]
pub async fn recent_corrections() -> Result<Vec<CorrectionRow>, AppError> {
    use super::guard;
    guard::respond(async {
        let auth = guard::require_reconciliation().await?;
        Ok(hourbridge_core::services::sync::corrections::recent(
            &auth.call.state,
            RECENT_CORRECTIONS,
        )
        .await?)
    })
    .await
}
