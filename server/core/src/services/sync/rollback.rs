//! Rolling a run back: every worklog it created is deleted, every worklog
//! it changed gets its earlier hours and text back, every worklog it
//! deleted is written again — each write recorded like a push, so a
//! rollback is itself resumable and observable. The pair is paused
//! afterwards, so that its schedule does not push the same lines again
//! before the admin has fixed what made them wrong.

use hourbridge_domain::sync::StepKind;
use hourbridge_pm::ExternalId;
use hourbridge_sync::{Backoff, Desired, LedgerEntry, LedgerState};

use super::checkpoint::Counters;
use super::push::{entry_of, reason_of, ItemFailure, Owner, Pusher};
use crate::clock::now_ms;
use crate::db::sync_pairs::{self as pair_table, PairRecord};
use crate::db::sync_runs::{self as table, FailedRecord};
use crate::db::worklog_ledger::{self as ledger, ChangeRecord, LedgerRecord};
use crate::services::pm_connections;
use crate::{AppState, CoreError};

/// Undoes the changes `target_run` made; `run_id` is the rollback run.
pub async fn run(
    state: &AppState,
    pair: &PairRecord,
    run_id: &str,
    target_run: &str,
) -> Result<Counters, CoreError> {
    let changes = ledger::changes_of(&state.db, target_run).await?;
    let target = pm_connections::target(state, &pair.pm_connection_id).await?;
    let pusher = Pusher {
        state,
        capabilities: target.capabilities(),
        target,
        pm: &pair.pm_connection_id,
        run_id,
        backoff: Backoff::default(),
        in_flight: 1,
    };
    let mut counters = Counters {
        records_in: changes.len() as i64,
        ..Counters::default()
    };
    for change in &changes {
        let current =
            ledger::ledger_entry(&state.db, &change.pm_connection_id, &change.external_id).await?;
        match undo(&pusher, change, current.as_ref()).await {
            Ok(true) => counters.records_out += 1,
            Ok(false) => counters.skipped += 1,
            Err(failure) => {
                counters.failed += 1;
                let current = current.as_ref();
                table::add_failed(
                    &state.db,
                    run_id,
                    &FailedRecord {
                        item_key: change.external_id.clone(),
                        userid: current.map(|c| c.userid.clone()).unwrap_or_default(),
                        work_date: current.map(|c| c.work_date.clone()).unwrap_or_default(),
                        step: StepKind::Rollback.code().to_owned(),
                        reason: reason_of(&failure.error).to_owned(),
                        message: failure.error.to_string(),
                        attempts: i64::from(failure.attempts),
                        retried_by: None,
                    },
                )
                .await?;
            }
        }
    }
    let reason = format!("rolled back run {target_run}: resume when the cause is fixed");
    pair_table::set_paused(&state.db, &pair.id, Some(&reason), now_ms()).await?;
    table::log(
        &state.db,
        run_id,
        "info",
        &format!(
            "rollback of {target_run}: {} reverted, {} already as before, {} failed; pair paused",
            counters.records_out, counters.skipped, counters.failed
        ),
    )
    .await?;
    Ok(counters)
}

/// Undoes one change; `Ok(false)` when there was nothing left to undo.
async fn undo(
    pusher: &Pusher<'_>,
    change: &ChangeRecord,
    current: Option<&LedgerRecord>,
) -> Result<bool, ItemFailure> {
    let Some(record) = current else {
        return Ok(false);
    };
    let Some(now) = entry_of(record) else {
        return Ok(false);
    };
    let owner = Owner {
        userid: record.userid.clone(),
        pm_user: record.pm_user.clone(),
    };
    let before: Option<LedgerEntry> = change
        .before
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok());
    // A write left pending is looked up first.
    let now = match now.state {
        LedgerState::Pending => {
            let found = pusher
                .retrying(|_| {
                    pusher
                        .target
                        .find_worklog(&now.item, now.date, &now.external_id)
                })
                .await?;
            let resolved = LedgerEntry {
                state: match found {
                    Some(w) => LedgerState::Written { worklog_id: w.id },
                    None => LedgerState::Deleted,
                },
                ..now
            };
            pusher.record(&owner, &resolved).await?;
            resolved
        }
        _ => now,
    };
    let wanted = before
        .filter(|b| !matches!(b.state, LedgerState::Deleted) || change.change == "deleted")
        .map(|b| desired(&b, &owner));
    match (change.change.as_str(), &now.state, wanted) {
        // Created by the run: delete it.
        ("created", LedgerState::Written { worklog_id }, _) => {
            pusher
                .change(&now.external_id, "deleted", Some(&now))
                .await?;
            pusher.delete(&now.item, worklog_id).await?;
            let gone = LedgerEntry {
                state: LedgerState::Deleted,
                ..now.clone()
            };
            pusher.record(&owner, &gone).await?;
            Ok(true)
        }
        // Changed by the run: the earlier hours and text back.
        ("updated", LedgerState::Written { worklog_id }, Some(before)) => {
            if same(&now, &before) {
                return Ok(false);
            }
            pusher
                .change(&now.external_id, "updated", Some(&now))
                .await?;
            if pusher.capabilities.update && now.item == before.item {
                pusher.update(&owner, worklog_id, &before).await?;
            } else {
                pusher.delete(&now.item, worklog_id).await?;
                pusher.create(&owner, &before).await?;
            }
            Ok(true)
        }
        // Deleted by the run (or a change whose worklog is gone): write it again.
        ("deleted" | "updated", LedgerState::Deleted, Some(before)) => {
            pusher.change(&now.external_id, "created", None).await?;
            pusher.create(&owner, &before).await?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

fn same(now: &LedgerEntry, before: &Desired) -> bool {
    now.minutes == before.minutes && now.comment == before.comment && now.item == before.item
}

fn desired(entry: &LedgerEntry, owner: &Owner) -> Desired {
    Desired {
        external_id: ExternalId::clone(&entry.external_id),
        person: owner.pm_user.clone(),
        item: entry.item.clone(),
        date: entry.date,
        minutes: entry.minutes,
        comment: entry.comment.clone(),
    }
}
