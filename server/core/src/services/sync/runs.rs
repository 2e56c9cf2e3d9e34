//! Runs as admins start and watch them: backfills, retries of failed
//! items, rollbacks, cancellation, the list and the detail page.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::sync::{
    FailedItem, LogLine, RunDetail, RunFilter, RunKind, RunPage, RunRow, RunState, RunTrigger,
    StartRun, StepKind, StepRow, MAX_RUN_DAYS, RUNS_PER_PAGE,
};
use hourbridge_domain::{FieldError, Problem};
use serde::{Deserialize, Serialize};

use super::pairs;
use crate::clock::{new_id, now_ms};
use crate::db::sync_pairs::PairRecord;
use crate::db::sync_runs::{self as table, NewRun, RunRecord};
use crate::db::{directory, worklog_ledger};
use crate::services::{audit, Actor, Origin};
use crate::{AppState, CoreError};

/// A run's narrowing within its pair's scope, as stored with the run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunScope {
    #[serde(default)]
    pub departments: BTreeSet<i64>,
    #[serde(default)]
    pub people: BTreeSet<String>,
}

impl RunScope {
    pub fn of(record: &RunRecord) -> RunScope {
        serde_json::from_str(&record.scope).unwrap_or_default()
    }

    pub fn is_whole(&self) -> bool {
        self.departments.is_empty() && self.people.is_empty()
    }
}

fn parse_day(field: &str, raw: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, Problem::Required))
}

/// What a new run covers.
pub struct Request<'a> {
    pub pair: &'a PairRecord,
    pub kind: RunKind,
    pub trigger: RunTrigger,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub scope: RunScope,
    pub target_run: Option<&'a str>,
    pub requested_by: Option<&'a str>,
}

/// Queues a run and wakes the workers.
pub async fn enqueue(state: &AppState, request: Request<'_>) -> Result<RunRecord, CoreError> {
    let id = new_id();
    let scope = serde_json::to_string(&request.scope)
        .map_err(|e| CoreError::internal("encoding a run scope", e))?;
    let first = request.first.to_string();
    let last = request.last.to_string();
    table::enqueue(
        &state.db,
        &NewRun {
            id: &id,
            pair_id: &request.pair.id,
            kind: request.kind.code(),
            trigger: request.trigger.code(),
            first_day: &first,
            last_day: &last,
            scope: &scope,
            target_run_id: request.target_run,
            requested_by: request.requested_by,
            queued_at: now_ms(),
        },
    )
    .await?;
    state.sync_wake.notify_waiters();
    table::get(&state.db, &id).await?.ok_or(CoreError::NotFound)
}

/// A manual run (backfill) over any dates of a pair.
pub async fn start(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    input: &StartRun,
) -> Result<RunRow, CoreError> {
    let mut errors = Vec::new();
    let pair = pairs::get_record(&state.db, &input.pair_id).await;
    if pair.is_err() {
        errors.push(FieldError::new("pair_id", Problem::InvalidChoice));
    }
    let first = parse_day("first", &input.first)
        .map_err(|e| errors.push(e))
        .ok();
    let last = parse_day("last", &input.last)
        .map_err(|e| errors.push(e))
        .ok();
    if let (Some(first), Some(last)) = (first, last) {
        if last < first || (last - first).num_days() >= MAX_RUN_DAYS {
            errors.push(FieldError::new("last", Problem::OutOfRange));
        }
    }
    let people = pairs::resolve_people(state, &input.people).await?;
    if people.is_none() {
        errors.push(FieldError::new("people", Problem::InvalidChoice));
    }
    let known: BTreeSet<i64> = directory::all_departments(&state.db)
        .await?
        .into_iter()
        .map(|d| d.dept_id)
        .collect();
    if input.departments.iter().any(|d| !known.contains(d)) {
        errors.push(FieldError::new("departments", Problem::InvalidChoice));
    }
    let (Ok(pair), Some(first), Some(last), true) = (pair, first, last, errors.is_empty()) else {
        return Err(CoreError::Invalid(errors));
    };
    let record = enqueue(
        state,
        Request {
            pair: &pair,
            kind: RunKind::Sync,
            trigger: RunTrigger::Manual,
            first,
            last,
            scope: RunScope {
                departments: input.departments.iter().copied().collect(),
                people: people.unwrap_or_default(),
            },
            target_run: None,
            requested_by: Some(&actor.username),
        },
    )
    .await?;
    let detail = format!("{}: {first} – {last}", pair.name);
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::SyncRunStarted,
        Some(&record.id),
        Some(&detail),
    )
    .await?;
    row(state, &record).await
}

/// Queues a run that pushes again what `id` failed.
pub async fn retry_failed(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &str,
) -> Result<RunRow, CoreError> {
    let run = table::get(&state.db, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let failed = table::failed_items(&state.db, id, i64::MAX).await?;
    let open: Vec<_> = failed.iter().filter(|f| f.retried_by.is_none()).collect();
    if open.is_empty() || !state_of(&run).is_finished() {
        return Err(CoreError::Invalid(vec![FieldError::new(
            "run",
            Problem::InvalidChoice,
        )]));
    }
    let dates: Vec<NaiveDate> = open
        .iter()
        .filter_map(|f| NaiveDate::parse_from_str(&f.work_date, "%Y-%m-%d").ok())
        .collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return Err(CoreError::internal("retry", "failed items without dates"));
    };
    let pair = pairs::get_record(&state.db, &run.pair_id).await?;
    let record = enqueue(
        state,
        Request {
            pair: &pair,
            kind: RunKind::RetryFailed,
            trigger: RunTrigger::Manual,
            first: *first,
            last: *last,
            scope: RunScope {
                departments: BTreeSet::new(),
                people: open.iter().map(|f| f.userid.clone()).collect(),
            },
            target_run: Some(id),
            requested_by: Some(&actor.username),
        },
    )
    .await?;
    table::mark_retried(&state.db, id, &record.id).await?;
    let detail = format!("retry of {} failed item(s) of run {id}", open.len());
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::SyncRunStarted,
        Some(&record.id),
        Some(&detail),
    )
    .await?;
    row(state, &record).await
}

/// Queues the rollback of `id`: what it created is deleted, what it
/// changed or deleted is restored.
pub async fn roll_back(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &str,
) -> Result<RunRow, CoreError> {
    let run = table::get(&state.db, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let changes = worklog_ledger::count_changes(&state.db, id).await?;
    if !can_roll_back(&run, changes) {
        return Err(CoreError::Invalid(vec![FieldError::new(
            "run",
            Problem::InvalidChoice,
        )]));
    }
    let pair = pairs::get_record(&state.db, &run.pair_id).await?;
    let first = NaiveDate::parse_from_str(&run.first_day, "%Y-%m-%d")
        .map_err(|e| CoreError::internal("stored run date", e))?;
    let last = NaiveDate::parse_from_str(&run.last_day, "%Y-%m-%d")
        .map_err(|e| CoreError::internal("stored run date", e))?;
    let record = enqueue(
        state,
        Request {
            pair: &pair,
            kind: RunKind::Rollback,
            trigger: RunTrigger::Manual,
            first,
            last,
            scope: RunScope::default(),
            target_run: Some(id),
            requested_by: Some(&actor.username),
        },
    )
    .await?;
    let detail = format!("rollback of run {id} ({changes} worklog change(s))");
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::SyncRunStarted,
        Some(&record.id),
        Some(&detail),
    )
    .await?;
    row(state, &record).await
}

fn can_roll_back(run: &RunRecord, changes: i64) -> bool {
    changes > 0 && state_of(run).is_finished() && run.kind != RunKind::Rollback.code()
}

pub async fn cancel(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &str,
) -> Result<RunRow, CoreError> {
    let run = table::get(&state.db, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    if state_of(&run).is_finished() {
        return Err(CoreError::Invalid(vec![FieldError::new(
            "run",
            Problem::InvalidChoice,
        )]));
    }
    table::request_cancel(&state.db, id, now_ms()).await?;
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::SyncRunCancelled,
        Some(id),
        None,
    )
    .await?;
    let run = table::get(&state.db, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    row(state, &run).await
}

pub async fn page(state: &AppState, filter: &RunFilter) -> Result<RunPage, CoreError> {
    let page = filter.page.max(0);
    let (records, total) = table::page(
        &state.db,
        filter.pair_id.as_deref().filter(|p| !p.is_empty()),
        filter.state.map(RunState::code),
        filter.trigger.map(RunTrigger::code),
        RUNS_PER_PAGE,
        page * RUNS_PER_PAGE,
    )
    .await?;
    let names = pair_names(state).await?;
    Ok(RunPage {
        runs: records.iter().map(|r| row_named(r, &names)).collect(),
        total,
    })
}

/// Queued and running runs, and those finished since `since` (unix ms):
/// what the live progress stream watches.
pub async fn recent(state: &AppState, since: i64) -> Result<Vec<RunRow>, CoreError> {
    let records = table::active_or_finished_since(&state.db, since).await?;
    let names = pair_names(state).await?;
    Ok(records.iter().map(|r| row_named(r, &names)).collect())
}

/// The longest failed-item list and log shown on the run page.
const DETAIL_ITEMS: i64 = 500;

pub async fn detail(state: &AppState, id: &str) -> Result<RunDetail, CoreError> {
    let run = table::get(&state.db, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let steps = table::steps(&state.db, id).await?;
    let failed = table::failed_items(&state.db, id, DETAIL_ITEMS).await?;
    let log = table::log_lines(&state.db, id, DETAIL_ITEMS).await?;
    let changes = worklog_ledger::count_changes(&state.db, id).await?;
    let names: HashMap<String, String> = directory::all_active(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.userid, p.name))
        .collect();
    let finished = state_of(&run).is_finished();
    let can_retry_failed = finished && failed.iter().any(|f| f.retried_by.is_none());
    Ok(RunDetail {
        can_cancel: !finished,
        can_retry_failed,
        can_roll_back: can_roll_back(&run, changes),
        steps: steps
            .into_iter()
            .filter_map(|s| {
                Some(StepRow {
                    step: StepKind::parse(&s.step)?,
                    status: s.status,
                    started_at: s.started_at,
                    finished_at: s.finished_at,
                    records_in: s.records_in,
                    records_out: s.records_out,
                    skipped: s.skipped,
                    failed: s.failed,
                    detail: s.detail,
                })
            })
            .collect(),
        failed_items: failed
            .into_iter()
            .map(|f| FailedItem {
                person_name: names.get(&f.userid).cloned().unwrap_or_default(),
                key: f.item_key,
                userid: f.userid,
                work_date: f.work_date,
                step: StepKind::parse(&f.step).unwrap_or(StepKind::Push),
                reason: f.reason,
                message: f.message,
                attempts: f.attempts,
                retried_by: f.retried_by,
            })
            .collect(),
        log: log
            .into_iter()
            .map(|l| LogLine {
                at: l.at,
                level: l.level,
                message: l.message,
            })
            .collect(),
        run: row(state, &run).await?,
    })
}

async fn pair_names(state: &AppState) -> Result<HashMap<String, String>, CoreError> {
    Ok(crate::db::sync_pairs::all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

pub async fn row(state: &AppState, record: &RunRecord) -> Result<RunRow, CoreError> {
    Ok(row_named(record, &pair_names(state).await?))
}

pub fn state_of(record: &RunRecord) -> RunState {
    RunState::parse(&record.state).unwrap_or(RunState::Failed)
}

fn row_named(record: &RunRecord, names: &HashMap<String, String>) -> RunRow {
    let scope = RunScope::of(record);
    let scope_text = if scope.is_whole() {
        String::new()
    } else {
        let mut parts: Vec<String> = scope
            .departments
            .iter()
            .map(|d| format!("dept {d}"))
            .collect();
        parts.extend(scope.people.iter().take(10).cloned());
        if scope.people.len() > 10 {
            parts.push(format!("+{}", scope.people.len() - 10));
        }
        parts.join(", ")
    };
    RunRow {
        id: record.id.clone(),
        pair_id: record.pair_id.clone(),
        pair_name: names.get(&record.pair_id).cloned().unwrap_or_default(),
        kind: RunKind::parse(&record.kind).unwrap_or(RunKind::Sync),
        trigger: RunTrigger::parse(&record.run_trigger).unwrap_or(RunTrigger::Manual),
        state: state_of(record),
        first_day: record.first_day.clone(),
        last_day: record.last_day.clone(),
        scope: scope_text,
        target_run: record.target_run_id.clone(),
        requested_by: record.requested_by.clone(),
        queued_at: record.queued_at,
        started_at: record.started_at,
        finished_at: record.finished_at,
        progress_done: record.progress_done,
        progress_total: record.progress_total,
        records_in: record.records_in,
        records_out: record.records_out,
        skipped: record.skipped,
        failed: record.failed,
        error: record.error.clone(),
        cancel_requested: record.cancel_requested,
    }
}
