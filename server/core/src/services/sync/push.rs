//! The push step: makes the target hold exactly the computed lines of a
//! batch of people, each write recorded in the ledger before (pending) and
//! after (written), each change kept for rollback, transient failures
//! retried with back-off and jitter, permanent ones failing only their
//! item.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::NaiveDate;
use futures::stream::{self, StreamExt};
use hourbridge_domain::sync::StepKind;
use hourbridge_pm::{Capabilities, ExternalId, ItemRef, NewWorklog, PmError, Target, WorklogRef};
use hourbridge_sync::push_plan::Refusal;
use hourbridge_sync::{plan, Action, Backoff, Desired, Failure, LedgerEntry, LedgerState};

use crate::clock::now_ms;
use crate::db::sync_runs::FailedRecord;
use crate::db::worklog_ledger::{self as ledger, ChangeRecord, LedgerRecord, LineRecord};
use crate::{AppState, CoreError};

/// What pushing a batch did.
#[derive(Debug, Default)]
pub struct Pushed {
    /// Lines computed for the batch.
    pub lines: i64,
    /// Worklogs created, updated or deleted.
    pub written: i64,
    /// Lines already in place.
    pub in_place: i64,
    pub failures: Vec<FailedRecord>,
    /// Items that succeeded (a failure recorded earlier in this run is
    /// forgotten).
    pub succeeded: Vec<String>,
}

/// Why an item failed.
#[derive(Debug)]
pub struct ItemFailure {
    pub error: PmError,
    pub attempts: u32,
}

type Step<T> = Result<T, ItemFailure>;

/// Pushes for one run on one PM connection.
pub struct Pusher<'a> {
    pub state: &'a AppState,
    pub target: Arc<dyn Target>,
    pub pm: &'a str,
    pub run_id: &'a str,
    pub backoff: Backoff,
    pub capabilities: Capabilities,
    pub in_flight: usize,
}

/// A stored ledger entry as the planner reads it.
pub fn entry_of(r: &LedgerRecord) -> Option<LedgerEntry> {
    let state = match (r.state.as_str(), &r.worklog_id) {
        ("pending", _) => LedgerState::Pending,
        ("written", Some(id)) => LedgerState::Written {
            worklog_id: id.clone(),
        },
        _ => LedgerState::Deleted,
    };
    Some(LedgerEntry {
        external_id: ExternalId::parse(&r.external_id)?,
        item: ItemRef {
            project: r.project.clone(),
            task: r.task.clone(),
        },
        date: NaiveDate::parse_from_str(&r.work_date, "%Y-%m-%d").ok()?,
        minutes: u32::try_from(r.minutes).ok()?,
        comment: r.comment.clone(),
        state,
    })
}

/// A stored computed line as the planner reads it.
pub fn desired_of(l: &LineRecord) -> Option<Desired> {
    Some(Desired {
        external_id: ExternalId::parse(&l.external_id)?,
        person: l.pm_user.clone(),
        item: ItemRef {
            project: l.project.clone(),
            task: l.task.clone(),
        },
        date: NaiveDate::parse_from_str(&l.work_date, "%Y-%m-%d").ok()?,
        minutes: u32::try_from(l.minutes).ok()?,
        comment: l.comment.clone(),
    })
}

/// Who a ledger entry belongs to (userid and PM user), kept by external id.
#[derive(Debug, Clone)]
pub struct Owner {
    pub userid: String,
    pub pm_user: String,
}

impl Pusher<'_> {
    /// Pushes the lines of `people` over `first..=last`.
    pub async fn batch(
        &self,
        people: &[String],
        first: &str,
        last: &str,
    ) -> Result<Pushed, CoreError> {
        let lines = ledger::lines_for(&self.state.db, self.pm, people, first, last).await?;
        let records = ledger::ledger_for(&self.state.db, self.pm, people, first, last).await?;
        let mut owners: HashMap<ExternalId, Owner> = HashMap::new();
        let mut entries: HashMap<ExternalId, LedgerEntry> = HashMap::new();
        for r in &records {
            if let Some(e) = entry_of(r) {
                owners.insert(
                    e.external_id.clone(),
                    Owner {
                        userid: r.userid.clone(),
                        pm_user: r.pm_user.clone(),
                    },
                );
                entries.insert(e.external_id.clone(), e);
            }
        }
        let mut desired = Vec::with_capacity(lines.len());
        for l in &lines {
            if let Some(d) = desired_of(l) {
                owners.insert(
                    d.external_id.clone(),
                    Owner {
                        userid: l.userid.clone(),
                        pm_user: l.pm_user.clone(),
                    },
                );
                desired.push(d);
            }
        }
        let ledger_now: Vec<LedgerEntry> = entries.values().cloned().collect();
        let actions = plan(&desired, &ledger_now, self.capabilities);
        let mut pushed = Pushed {
            lines: desired.len() as i64,
            ..Pushed::default()
        };
        let acting = actions.len() as i64;
        let results: Vec<(Action, Result<(), ItemFailure>)> = stream::iter(actions)
            .map(|action| {
                let owners = &owners;
                let entries = &entries;
                async move {
                    let result = self.apply(&action, owners, entries).await;
                    (action, result)
                }
            })
            .buffer_unordered(self.in_flight.max(1))
            .collect()
            .await;
        pushed.in_place = (desired.len() as i64 - acting).max(0);
        for (action, result) in results {
            let key = key_of(&action);
            match result {
                Ok(()) => {
                    pushed.written += 1;
                    pushed.succeeded.push(key.as_str().to_owned());
                }
                Err(failure) => {
                    if matches!(failure.error, PmError::Auth { .. }) {
                        // The credentials were refused: the step fails as a
                        // whole (every other item would too).
                        return Err(CoreError::Upstream(failure.error.to_string()));
                    }
                    let owner = owners.get(&key);
                    pushed.failures.push(FailedRecord {
                        item_key: key.as_str().to_owned(),
                        userid: owner.map(|o| o.userid.clone()).unwrap_or_default(),
                        work_date: date_of(&action).map(|d| d.to_string()).unwrap_or_default(),
                        step: StepKind::Push.code().to_owned(),
                        reason: reason_of(&failure.error).to_owned(),
                        message: failure.error.to_string(),
                        attempts: i64::from(failure.attempts),
                        retried_by: None,
                    });
                }
            }
        }
        Ok(pushed)
    }

    /// Carries out one action (boxed: a resolved write may lead to another).
    fn apply<'s>(
        &'s self,
        action: &'s Action,
        owners: &'s HashMap<ExternalId, Owner>,
        entries: &'s HashMap<ExternalId, LedgerEntry>,
    ) -> Pin<Box<dyn Future<Output = Result<(), ItemFailure>> + Send + 's>> {
        Box::pin(async move {
            let owner = owners.get(&key_of(action)).cloned().unwrap_or(Owner {
                userid: String::new(),
                pm_user: String::new(),
            });
            match action {
                Action::Create(d) => {
                    let before = entries.get(&d.external_id);
                    self.change(&d.external_id, "created", before).await?;
                    self.create(&owner, d).await
                }
                Action::Resolve { entry, then } => {
                    let found = self
                        .retrying(|_| {
                            self.target
                                .find_worklog(&entry.item, entry.date, &entry.external_id)
                        })
                        .await?;
                    let resolved = match found {
                        Some(w) => LedgerEntry {
                            minutes: w.minutes,
                            state: LedgerState::Written { worklog_id: w.id },
                            ..entry.clone()
                        },
                        None => LedgerEntry {
                            state: LedgerState::Deleted,
                            ..entry.clone()
                        },
                    };
                    self.record(&owner, &resolved).await?;
                    let wanted: Vec<Desired> = then.iter().cloned().collect();
                    let next = plan(&wanted, std::slice::from_ref(&resolved), self.capabilities);
                    let mut now = HashMap::new();
                    now.insert(resolved.external_id.clone(), resolved);
                    for action in &next {
                        self.apply(action, owners, &now).await?;
                    }
                    Ok(())
                }
                Action::Update {
                    worklog_id,
                    desired,
                } => {
                    self.change(
                        &desired.external_id,
                        "updated",
                        entries.get(&desired.external_id),
                    )
                    .await?;
                    self.update(&owner, worklog_id, desired).await
                }
                Action::Replace {
                    worklog_id,
                    desired,
                } => {
                    self.change(
                        &desired.external_id,
                        "updated",
                        entries.get(&desired.external_id),
                    )
                    .await?;
                    self.record(&owner, &pending(desired)).await?;
                    self.delete(&desired.item, worklog_id).await?;
                    self.create(&owner, desired).await
                }
                Action::Delete { entry, worklog_id } => {
                    self.change(&entry.external_id, "deleted", Some(entry))
                        .await?;
                    self.delete(&entry.item, worklog_id).await?;
                    let gone = LedgerEntry {
                        state: LedgerState::Deleted,
                        ..entry.clone()
                    };
                    self.record(&owner, &gone).await
                }
                Action::Refuse { reason, .. } => Err(ItemFailure {
                    error: PmError::Unsupported {
                        system: self.target.kind().label(),
                        what: match reason {
                            Refusal::CannotChange => {
                                "change a written worklog (edit it by hand)".to_owned()
                            }
                            Refusal::CannotDelete => {
                                "delete a written worklog (delete it by hand)".to_owned()
                            }
                        },
                    },
                    attempts: 1,
                }),
            }
        })
    }

    /// Creates the line: pending first, then the write (a retry looks for
    /// the external id before writing again), then written.
    pub async fn create(&self, owner: &Owner, d: &Desired) -> Step<()> {
        self.record(owner, &pending(d)).await?;
        let worklog = NewWorklog {
            person: d.person.clone(),
            item: d.item.clone(),
            date: d.date,
            minutes: d.minutes,
            comment: d.comment.clone(),
            external_id: d.external_id.clone(),
        };
        let written = self
            .retrying(|attempt| {
                let worklog = &worklog;
                async move {
                    if attempt > 1 {
                        let found = self
                            .target
                            .find_worklog(&worklog.item, worklog.date, &worklog.external_id)
                            .await?;
                        if let Some(found) = found {
                            return Ok(found);
                        }
                    }
                    self.target.create_worklog(worklog).await
                }
            })
            .await;
        match written {
            Ok(w) => self.record(owner, &written_entry(d, w.id)).await,
            Err(failure) => {
                if Failure::of(&failure.error) == Failure::Permanent {
                    // Refused: nothing was written.
                    let nothing = LedgerEntry {
                        state: LedgerState::Deleted,
                        ..pending(d)
                    };
                    self.record(owner, &nothing).await?;
                }
                // A transient failure leaves the entry pending: the next
                // run reads back before writing.
                Err(failure)
            }
        }
    }

    /// Changes a written worklog; one deleted by hand meanwhile is created
    /// again.
    pub async fn update(&self, owner: &Owner, worklog_id: &str, d: &Desired) -> Step<()> {
        let existing = WorklogRef {
            id: worklog_id.to_owned(),
            item: d.item.clone(),
        };
        let worklog = NewWorklog {
            person: d.person.clone(),
            item: d.item.clone(),
            date: d.date,
            minutes: d.minutes,
            comment: d.comment.clone(),
            external_id: d.external_id.clone(),
        };
        let updated = self
            .retrying(|_| self.target.update_worklog(&existing, &worklog))
            .await;
        match updated {
            Ok(w) => self.record(owner, &written_entry(d, w.id)).await,
            Err(ItemFailure {
                error: PmError::NotFound { .. },
                ..
            }) => self.create(owner, d).await,
            Err(failure) => Err(failure),
        }
    }

    /// Deletes a worklog; one already gone counts as deleted.
    pub async fn delete(&self, item: &ItemRef, worklog_id: &str) -> Step<()> {
        let existing = WorklogRef {
            id: worklog_id.to_owned(),
            item: item.clone(),
        };
        match self
            .retrying(|_| self.target.delete_worklog(&existing))
            .await
        {
            Ok(())
            | Err(ItemFailure {
                error: PmError::NotFound { .. },
                ..
            }) => Ok(()),
            Err(failure) => Err(failure),
        }
    }

    /// Calls `call` until it succeeds, fails for good, or the tries are
    /// used up (transient failures wait as [`Backoff`] says).
    pub async fn retrying<T, F, Fut>(&self, mut call: F) -> Step<T>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, PmError>>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match call(attempt).await {
                Ok(value) => return Ok(value),
                Err(error) => {
                    let delay = match (&error, Failure::of(&error)) {
                        (PmError::Throttled { retry_after, .. }, Failure::Transient) => self
                            .backoff
                            .delay(attempt, rand::random::<f64>(), *retry_after),
                        (_, Failure::Transient) => {
                            self.backoff.delay(attempt, rand::random::<f64>(), None)
                        }
                        (_, Failure::Permanent) => None,
                    };
                    match delay {
                        Some(delay) => tokio::time::sleep(delay).await,
                        None => {
                            return Err(ItemFailure {
                                error,
                                attempts: attempt,
                            })
                        }
                    }
                }
            }
        }
    }

    /// Writes a ledger entry. A database failure fails the item (the run
    /// stops at its next checkpoint write if the database is gone).
    pub async fn record(&self, owner: &Owner, e: &LedgerEntry) -> Step<()> {
        let (state, worklog_id) = match &e.state {
            LedgerState::Pending => ("pending", None),
            LedgerState::Written { worklog_id } => ("written", Some(worklog_id.clone())),
            LedgerState::Deleted => ("deleted", None),
        };
        let record = LedgerRecord {
            external_id: e.external_id.as_str().to_owned(),
            userid: owner.userid.clone(),
            work_date: e.date.to_string(),
            pm_user: owner.pm_user.clone(),
            project: e.item.project.clone(),
            task: e.item.task.clone(),
            minutes: i64::from(e.minutes),
            comment: e.comment.clone(),
            state: state.to_owned(),
            worklog_id,
            run_id: self.run_id.to_owned(),
        };
        ledger::put_ledger(&self.state.db, self.pm, &record, now_ms())
            .await
            .map_err(database)
    }

    /// Keeps what stood before this run's first change of the worklog.
    pub async fn change(
        &self,
        external_id: &ExternalId,
        change: &str,
        before: Option<&LedgerEntry>,
    ) -> Step<()> {
        let before = match before {
            Some(b) => Some(serde_json::to_string(b).map_err(|e| database(e.to_string()))?),
            None => None,
        };
        ledger::record_change(
            &self.state.db,
            self.run_id,
            &ChangeRecord {
                external_id: external_id.as_str().to_owned(),
                pm_connection_id: self.pm.to_owned(),
                change: change.to_owned(),
                before,
            },
        )
        .await
        .map_err(database)
    }
}

fn database(e: impl std::fmt::Display) -> ItemFailure {
    ItemFailure {
        error: PmError::Unreachable {
            system: "HourBridge database",
            detail: e.to_string(),
        },
        attempts: 1,
    }
}

fn pending(d: &Desired) -> LedgerEntry {
    LedgerEntry {
        external_id: d.external_id.clone(),
        item: d.item.clone(),
        date: d.date,
        minutes: d.minutes,
        comment: d.comment.clone(),
        state: LedgerState::Pending,
    }
}

fn written_entry(d: &Desired, worklog_id: String) -> LedgerEntry {
    LedgerEntry {
        state: LedgerState::Written { worklog_id },
        ..pending(d)
    }
}

fn key_of(action: &Action) -> ExternalId {
    match action {
        Action::Create(d)
        | Action::Update { desired: d, .. }
        | Action::Replace { desired: d, .. } => d.external_id.clone(),
        Action::Resolve { entry, .. } | Action::Delete { entry, .. } => entry.external_id.clone(),
        Action::Refuse { external_id, .. } => external_id.clone(),
    }
}

fn date_of(action: &Action) -> Option<NaiveDate> {
    match action {
        Action::Create(d)
        | Action::Update { desired: d, .. }
        | Action::Replace { desired: d, .. } => Some(d.date),
        Action::Resolve { entry, .. } | Action::Delete { entry, .. } => Some(entry.date),
        Action::Refuse { external_id, .. } => external_id
            .as_str()
            .split(':')
            .nth(2)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
    }
}

/// The stored reason code of a failed write.
pub fn reason_of(error: &PmError) -> &'static str {
    match error {
        PmError::Unsupported { .. } => "target_cannot_change",
        PmError::Rejected { status, .. } if *status >= 500 => "server_error",
        other => other.reason(),
    }
}
