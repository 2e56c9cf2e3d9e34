//! The push step: makes the target hold exactly the computed lines of a
//! batch of people, each write recorded in the ledger before (pending) and
//! after (written), each change kept for rollback, transient failures
//! retried with back-off and jitter, permanent ones failing only their
//! item.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use futures::stream::{self, StreamExt};
use hourbridge_domain::sync::StepKind;
use hourbridge_pm::{Capabilities, ExternalId, PmError, Target};
use hourbridge_sync::push_plan::Refusal;
use hourbridge_sync::{plan, Action, Backoff, Desired, LedgerEntry, LedgerState};

use crate::db::sync_runs::FailedRecord;
use crate::db::worklog_ledger as ledger;
use crate::{AppState, CoreError};

mod records;
mod writes;

use records::{date_of, key_of, pending};
pub use records::{desired_of, entry_of, reason_of};

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
}
