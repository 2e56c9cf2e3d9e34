//! The writes a push is made of — create, update, delete — each with its
//! ledger records, and the retry loop they share.

use std::future::Future;

use hourbridge_pm::{ExternalId, ItemRef, NewWorklog, PmError, WorklogRef};
use hourbridge_sync::{Desired, Failure, LedgerEntry, LedgerState};

use super::records::{database, pending, written_entry};
use super::{ItemFailure, Owner, Pusher, Step};
use crate::clock::now_ms;
use crate::db::worklog_ledger::{self as ledger, ChangeRecord, LedgerRecord};

impl Pusher<'_> {
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
