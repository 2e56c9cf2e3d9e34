//! This instance's sync workers and scheduler.
//!
//! Workers claim runs from the database queue under a lease, renew it while
//! they work, and drop a run the moment the lease is lost (another
//! instance took it over after this one stalled). Several instances on one
//! PostgreSQL database share the queue; a run whose instance died is taken
//! over once its lease lapses, and resumes from its checkpoint.
//!
//! The scheduler queues each pair's cron triggers (once across instances:
//! the pair's last scheduled time is advanced with a compare-and-set) and a
//! run for the person-days DingTalk's callbacks asked to read again.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use hourbridge_domain::alert;
use hourbridge_domain::sync::{RunKind, RunTrigger};
use hourbridge_sync::RunStatus;
use tokio::sync::Semaphore;

use super::execute::{Ending, Execution};
use super::pairs;
use super::runs::{self, Request, RunScope};
use crate::clock::{new_id, now_ms};
use crate::db::dingtalk_events;
use crate::db::sync_pairs::{self as pair_table, PairRecord};
use crate::db::sync_runs::{self as table, RunRecord};
use crate::services::{alerts, org_settings};
use crate::{AppState, CoreError};

/// A run claimed this many times without finishing is given up (it keeps
/// killing its workers).
const MAX_CLAIMS: i64 = 50;
/// How often an idle worker looks for runs queued by other instances (a
/// run queued here wakes it at once).
const POLL: Duration = Duration::from_secs(2);
/// How often the scheduler looks at the pairs.
const SCHEDULER_TICK: Duration = Duration::from_secs(15);

/// Starts the workers and the scheduler of this instance (nothing when the
/// settings give it no workers).
pub fn spawn(state: AppState) {
    if state.settings.sync.workers == 0 {
        return;
    }
    // The process id names the instance in logs (and lets tests find it).
    let owner = format!("instance-pid{}-{}", std::process::id(), new_id());
    tracing::info!(%owner, workers = state.settings.sync.workers, "sync workers started");
    tokio::spawn(claim_loop(state.clone(), owner));
    tokio::spawn(scheduler_loop(state));
}

async fn claim_loop(state: AppState, owner: String) {
    let slots = Arc::new(Semaphore::new(state.settings.sync.workers));
    let lease_ms = i64::try_from(state.settings.sync.lease_secs.max(3) * 1000).unwrap_or(30_000);
    loop {
        let Ok(permit) = slots.clone().acquire_owned().await else {
            return;
        };
        let now = now_ms();
        match table::claim(&state.db, &owner, now, now + lease_ms).await {
            Ok(Some(run)) => {
                let state = state.clone();
                let owner = owner.clone();
                tokio::spawn(async move {
                    work(&state, run, &owner).await;
                    drop(permit);
                });
            }
            Ok(None) => {
                drop(permit);
                tokio::select! {
                    _ = state.sync_wake.notified() => {}
                    _ = tokio::time::sleep(POLL) => {}
                }
            }
            Err(e) => {
                drop(permit);
                tracing::warn!(error = %e, "cannot claim sync runs");
                tokio::time::sleep(POLL * 2).await;
            }
        }
    }
}

/// Works on a claimed run while the lease holds.
async fn work(state: &AppState, run: RunRecord, owner: &str) {
    let id = run.id.clone();
    if run.claims > MAX_CLAIMS {
        let reason = format!("given up after {} attempts to run it", run.claims - 1);
        if let Err(e) =
            table::finish(&state.db, &id, owner, "failed", Some(&reason), now_ms()).await
        {
            tracing::warn!(run = %id, error = %e, "cannot give up a sync run");
        }
        return;
    }
    tracing::info!(run = %id, claim = run.claims, "sync run claimed");
    let lease_secs = state.settings.sync.lease_secs.max(3);
    let renew_every = Duration::from_millis(lease_secs * 1000 / 3);
    let lease_ms = i64::try_from(lease_secs * 1000).unwrap_or(30_000);
    let execution = Execution { state, run, owner };
    let lost = async {
        loop {
            tokio::time::sleep(renew_every).await;
            match table::renew(&state.db, &id, owner, now_ms() + lease_ms).await {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => tracing::warn!(run = %id, error = %e, "cannot renew a sync lease"),
            }
        }
    };
    tokio::select! {
        ended = execution.run() => match ended {
            Ok(Ending::Finished(status, _)) => tracing::info!(run = %id, ?status, "sync run ended"),
            Ok(Ending::LeaseLost) => tracing::warn!(run = %id, "sync run taken over by another instance"),
            Err(e) => tracing::error!(run = %id, error = %e, "sync run stopped; it resumes when its lease lapses"),
        },
        () = lost => tracing::warn!(run = %id, "sync lease lost; another instance carries the run on"),
    }
}

/// After a run: the pair's last success, and for scheduled runs the
/// failure streak (pausing the pair and alerting the group robot when it
/// reaches the pair's limit).
pub async fn after_run(
    state: &AppState,
    run: &RunRecord,
    status: RunStatus,
    error: Option<&str>,
) -> Result<(), CoreError> {
    let now = now_ms();
    let ok = matches!(status, RunStatus::Succeeded | RunStatus::PartiallySucceeded);
    if run.kind == RunKind::Rollback.code() {
        return Ok(());
    }
    if run.run_trigger != RunTrigger::Schedule.code() {
        if ok {
            pair_table::record_success(&state.db, &run.pair_id, now).await?;
        }
        return Ok(());
    }
    if status == RunStatus::Cancelled {
        return Ok(());
    }
    let streak = pair_table::record_scheduled_outcome(&state.db, &run.pair_id, ok, now).await?;
    let Some(pair) = pair_table::get(&state.db, &run.pair_id).await? else {
        return Ok(());
    };
    if !ok && streak >= pair.pause_after_failures && pair.paused_reason.is_none() {
        let reason = error.unwrap_or("the run failed");
        let paused = format!("paused after {streak} failed scheduled runs in a row: {reason}");
        pair_table::set_paused(&state.db, &pair.id, Some(&paused), now).await?;
        table::log(&state.db, &run.id, "error", &paused).await?;
        let message = alert::sync_paused(&pair.name, streak, reason);
        alerts::send(state, &pair.dingtalk_connection_id, &message).await;
    }
    Ok(())
}

async fn scheduler_loop(state: AppState) {
    let mut every = tokio::time::interval(SCHEDULER_TICK);
    loop {
        every.tick().await;
        if let Err(e) = schedule_due(&state, Utc::now()).await {
            tracing::warn!(error = %e, "sync scheduler");
        }
    }
}

/// Queues what is due at `now`: each pair's triggers since it was last
/// scheduled (several due at once become one run over their union), and
/// the person-days DingTalk's callbacks asked for.
pub async fn schedule_due(state: &AppState, now: DateTime<Utc>) -> Result<usize, CoreError> {
    let tz = org_settings::time_zone(&state.db).await?.tz();
    let mut queued = 0;
    for pair in pair_table::all(&state.db).await? {
        if !pair.enabled || pair.paused_reason.is_some() {
            continue;
        }
        let schedule = pairs::schedule_of(&pair);
        let since = pair.last_scheduled_at.unwrap_or(pair.created_at);
        let Some(mut at) = DateTime::<Utc>::from_timestamp_millis(since) else {
            continue;
        };
        let mut range: Option<(NaiveDate, NaiveDate)> = None;
        // At most a day of hourly triggers is looked at: a long outage
        // catches up with one run, not hundreds.
        for _ in 0..48 {
            let Some((next, first, last)) = schedule.next_after(at, tz) else {
                break;
            };
            if next > now {
                break;
            }
            range = Some(match range {
                Some((f, l)) => (f.min(first), l.max(last)),
                None => (first, last),
            });
            at = next;
        }
        if let Some((first, last)) = range {
            let claimed = pair_table::mark_scheduled(
                &state.db,
                &pair.id,
                pair.last_scheduled_at,
                now.timestamp_millis(),
            )
            .await?;
            if claimed && !table::scheduled_waiting(&state.db, &pair.id).await? {
                enqueue(
                    state,
                    &pair,
                    RunTrigger::Schedule,
                    first,
                    last,
                    RunScope::default(),
                )
                .await?;
                queued += 1;
            }
        }
        queued += callbacks_due(state, &pair).await?;
    }
    Ok(queued)
}

/// A run for the person-days DingTalk's events asked to read again, when
/// the pair is idle.
async fn callbacks_due(state: &AppState, pair: &PairRecord) -> Result<usize, CoreError> {
    let requests = dingtalk_events::pending_pulls(&state.db, &pair.dingtalk_connection_id).await?;
    if requests.is_empty() || table::active_for_pair(&state.db, &pair.id).await?.is_some() {
        return Ok(0);
    }
    let dates: Vec<NaiveDate> = requests
        .iter()
        .filter_map(|r| NaiveDate::parse_from_str(&r.work_date, "%Y-%m-%d").ok())
        .collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return Ok(0);
    };
    let scope = RunScope {
        departments: Default::default(),
        people: requests.iter().map(|r| r.userid.clone()).collect(),
    };
    enqueue(state, pair, RunTrigger::Callback, *first, *last, scope).await?;
    Ok(1)
}

async fn enqueue(
    state: &AppState,
    pair: &PairRecord,
    trigger: RunTrigger,
    first: NaiveDate,
    last: NaiveDate,
    scope: RunScope,
) -> Result<(), CoreError> {
    runs::enqueue(
        state,
        Request {
            pair,
            kind: RunKind::Sync,
            trigger,
            first,
            last,
            scope,
            target_run: None,
            requested_by: None,
        },
    )
    .await?;
    Ok(())
}
