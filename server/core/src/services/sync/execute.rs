//! Carrying out one claimed run: its steps in order, batch by batch, each
//! batch ending in a checkpoint (step, batch, counters) written under the
//! lease. A run taken over after a crash resumes from its checkpoint; a
//! batch interrupted half-way is done again, which the ledger makes safe.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use hourbridge_domain::sync::{RunKind, RunTrigger, StepKind};
use hourbridge_domain::ConnectionId;
use hourbridge_sync::{Backoff, RunStatus};

use super::checkpoint::{Checkpoint, Counters};
use super::compute::RunInputs;
use super::runs::RunScope;
use super::scope::people_in_scope;
use super::{pairs, push, reconcile, rollback};
use crate::clock::now_ms;
use crate::db::directory::PersonRecord;
use crate::db::sync_pairs::PairRecord;
use crate::db::sync_runs::{self as table, Progress, RunRecord, StepRecord};
use crate::services::{attendance, directory, pm_connections, Origin};
use crate::{AppState, CoreError};

/// How a run ended, if this instance still owns it.
#[derive(Debug)]
pub enum Ending {
    Finished(RunStatus, Option<String>),
    /// The lease was lost: another instance carries on.
    LeaseLost,
}

/// The steps of a run, in order.
pub fn steps_for(run: &RunRecord, first: NaiveDate, last: NaiveDate) -> Vec<StepKind> {
    let trigger = RunTrigger::parse(&run.run_trigger);
    match RunKind::parse(&run.kind) {
        Some(RunKind::Rollback) => vec![StepKind::Rollback],
        Some(RunKind::RetryFailed) => vec![StepKind::Compute, StepKind::Push],
        _ if trigger == Some(RunTrigger::Fix) => vec![StepKind::Reconcile, StepKind::Push],
        _ => {
            let mut steps = Vec::new();
            // The nightly pass (a scheduled week) refreshes the directory.
            if trigger == Some(RunTrigger::Schedule) && (last - first).num_days() >= 6 {
                steps.push(StepKind::Directory);
            }
            // A rule change or a correction recomputes what is stored.
            if !matches!(
                trigger,
                Some(RunTrigger::RulesChanged | RunTrigger::Correction)
            ) {
                steps.push(StepKind::Pull);
            }
            steps.extend([StepKind::Compute, StepKind::Push]);
            steps
        }
    }
}

/// How a step went.
enum Flow {
    /// Done, with counters to add (batch steps add theirs batch by batch).
    Done(Counters),
    /// The run stops here: cancelled (`Some`), or the lease was lost.
    Stop(Option<Ending>),
}

/// What every step of a run works on.
struct Plan<'p> {
    pair: PairRecord,
    first: NaiveDate,
    last: NaiveDate,
    people: &'p [PersonRecord],
    batches: Vec<&'p [PersonRecord]>,
}

/// Units of progress done and planned.
struct Tally {
    done: i64,
    total: i64,
}

/// One run being carried out by this instance.
pub struct Execution<'a> {
    pub state: &'a AppState,
    pub run: RunRecord,
    pub owner: &'a str,
}

fn day(raw: &str) -> Result<NaiveDate, CoreError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|e| CoreError::internal("stored run date", e))
}

/// A step's failure as the run page shows it.
fn reason(e: &CoreError) -> String {
    match e {
        CoreError::Upstream(m) => m.clone(),
        CoreError::Invalid(fields) => format!(
            "invalid settings: {}",
            fields
                .iter()
                .map(|f| f.field.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        CoreError::DocumentInvalid(_) => "the saved rules cannot be used".to_owned(),
        other => other.to_string(),
    }
}

impl Execution<'_> {
    /// Runs the remaining steps; the run's row is finished here.
    pub async fn run(self) -> Result<Ending, CoreError> {
        let ending = match self.steps().await {
            Ok(Some(ending)) => ending,
            Ok(None) => return Ok(Ending::LeaseLost),
            Err(e) => {
                tracing::error!(run = %self.run.id, error = %e, "sync run failed");
                Ending::Finished(RunStatus::Failed, Some(reason(&e)))
            }
        };
        self.finish(ending).await
    }

    async fn finish(&self, ending: Ending) -> Result<Ending, CoreError> {
        let Ending::Finished(status, error) = &ending else {
            return Ok(ending);
        };
        let code = match status {
            RunStatus::Succeeded => "succeeded",
            RunStatus::PartiallySucceeded => "partially_succeeded",
            RunStatus::Failed => "failed",
            RunStatus::Cancelled => "cancelled",
        };
        let db = &self.state.db;
        if let Some(e) = error {
            table::log(db, &self.run.id, "error", e).await?;
        }
        if !table::finish(
            db,
            &self.run.id,
            self.owner,
            code,
            error.as_deref(),
            now_ms(),
        )
        .await?
        {
            return Ok(Ending::LeaseLost);
        }
        table::log(db, &self.run.id, "info", &format!("run ended: {code}")).await?;
        super::worker::after_run(self.state, &self.run, *status, error.as_deref()).await?;
        Ok(ending)
    }

    /// `Some(ending)` when the run ended here, `None` when the lease was lost.
    async fn steps(&self) -> Result<Option<Ending>, CoreError> {
        let run = &self.run;
        let (first, last) = (day(&run.first_day)?, day(&run.last_day)?);
        let pair = pairs::get_record(&self.state.db, &run.pair_id).await?;
        let steps = steps_for(run, first, last);
        let mut cp: Checkpoint = serde_json::from_str(&run.checkpoint).unwrap_or_default();
        if run.claims > 1 {
            let note = format!(
                "resumed by another worker (claim {}) at step {} batch {}",
                run.claims, cp.step, cp.batch
            );
            self.log("warn", &note).await?;
        }
        let people = if steps == [StepKind::Rollback] {
            Vec::new()
        } else {
            people_in_scope(self.state, &pair, &RunScope::of(run), first).await?
        };
        let batch_size = self.state.settings.sync.batch_people.max(1);
        let plan = Plan {
            batches: people.chunks(batch_size).collect(),
            people: &people,
            pair,
            first,
            last,
        };
        let units = |step: &StepKind| match step {
            StepKind::Compute | StepKind::Push => plan.batches.len() as i64,
            _ => 1,
        };
        let mut tally = Tally {
            done: steps.iter().take(cp.step).map(units).sum::<i64>() + cp.batch as i64,
            total: steps.iter().map(units).sum(),
        };
        if cp.step == 0 && cp.batch == 0 {
            let codes: Vec<&str> = steps.iter().map(|s| s.code()).collect();
            let note = format!(
                "{} – {}: {} people in {} batch(es); steps: {}",
                run.first_day,
                run.last_day,
                plan.people.len(),
                plan.batches.len(),
                codes.join(" → ")
            );
            self.log("info", &note).await?;
        }
        if !self.save(&cp, &tally).await? {
            return Ok(None);
        }
        for (index, step) in steps.iter().copied().enumerate().skip(cp.step) {
            let started = *cp
                .started
                .entry(step.code().to_owned())
                .or_insert_with(now_ms);
            self.put_step(step, index, "running", started, &cp, None)
                .await?;
            match self.step(step, &plan, &mut cp, &mut tally).await {
                Ok(Flow::Done(counters)) => {
                    if units(&step) == 1 {
                        cp.count(step, counters);
                        tally.done += 1;
                    }
                    cp.step = index + 1;
                    cp.batch = 0;
                    self.put_step(step, index, "done", started, &cp, None)
                        .await?;
                    if !self.save(&cp, &tally).await? {
                        return Ok(None);
                    }
                }
                Ok(Flow::Stop(ending)) => return Ok(ending),
                Err(e) => {
                    let message = reason(&e);
                    self.put_step(step, index, "failed", started, &cp, Some(&message))
                        .await?;
                    let error = format!("{}: {message}", step.code());
                    return Ok(Some(Ending::Finished(RunStatus::Failed, Some(error))));
                }
            }
        }
        let status = RunStatus::of(cp.totals(), false, false);
        Ok(Some(Ending::Finished(status, None)))
    }

    async fn step(
        &self,
        step: StepKind,
        plan: &Plan<'_>,
        cp: &mut Checkpoint,
        tally: &mut Tally,
    ) -> Result<Flow, CoreError> {
        let pair = &plan.pair;
        match step {
            StepKind::Directory => self.directory(pair).await.map(Flow::Done),
            StepKind::Pull => self.pull(plan).await.map(Flow::Done),
            StepKind::Compute => {
                let inputs = RunInputs::load(self.state, pair).await?;
                for (k, batch) in plan.batches.iter().enumerate().skip(cp.batch) {
                    if let Some(stop) = self.interrupted().await? {
                        return Ok(stop);
                    }
                    let counters = inputs
                        .batch(
                            self.state,
                            pair,
                            batch,
                            (plan.first, plan.last),
                            &self.run.id,
                        )
                        .await?;
                    if !self.batch_done(step, k, counters, cp, tally).await? {
                        return Ok(Flow::Stop(None));
                    }
                }
                Ok(Flow::Done(Counters::default()))
            }
            StepKind::Push => {
                let pusher = self.pusher(pair).await?;
                for (k, batch) in plan.batches.iter().enumerate().skip(cp.batch) {
                    if let Some(stop) = self.interrupted().await? {
                        return Ok(stop);
                    }
                    let counters = self.push_batch(&pusher, batch).await?;
                    if !self.batch_done(step, k, counters, cp, tally).await? {
                        return Ok(Flow::Stop(None));
                    }
                }
                Ok(Flow::Done(Counters::default()))
            }
            StepKind::Reconcile => {
                let pusher = self.pusher(pair).await?;
                let userids: Vec<String> = plan.people.iter().map(|p| p.userid.clone()).collect();
                let counters =
                    reconcile::repair_ledger(&pusher, &userids, plan.first, plan.last).await?;
                let note = format!(
                    "reconcile: {} worklog(s) read back, {} ledger repair(s), {} failed",
                    counters.records_in, counters.records_out, counters.failed
                );
                self.log("info", &note).await?;
                Ok(Flow::Done(counters))
            }
            StepKind::Rollback => {
                let target_run = self.run.target_run_id.clone().unwrap_or_default();
                rollback::run(self.state, pair, &self.run.id, &target_run)
                    .await
                    .map(Flow::Done)
            }
        }
    }

    /// Pushes one batch and records its failed items.
    async fn push_batch(
        &self,
        pusher: &push::Pusher<'_>,
        batch: &[PersonRecord],
    ) -> Result<Counters, CoreError> {
        let db = &self.state.db;
        let userids: Vec<String> = batch.iter().map(|p| p.userid.clone()).collect();
        let pushed = pusher
            .batch(&userids, &self.run.first_day, &self.run.last_day)
            .await?;
        for key in &pushed.succeeded {
            table::clear_failed(db, &self.run.id, key).await?;
        }
        for f in &pushed.failures {
            table::add_failed(db, &self.run.id, f).await?;
        }
        Ok(Counters {
            records_in: pushed.lines,
            records_out: pushed.written,
            skipped: pushed.in_place,
            failed: pushed.failures.len() as i64,
        })
    }

    /// Counts a finished batch and checkpoints; false when the lease was lost.
    async fn batch_done(
        &self,
        step: StepKind,
        index: usize,
        counters: Counters,
        cp: &mut Checkpoint,
        tally: &mut Tally,
    ) -> Result<bool, CoreError> {
        cp.count(step, counters);
        cp.batch = index + 1;
        tally.done += 1;
        self.save(cp, tally).await
    }

    /// The PM connection's writer for this run.
    async fn pusher<'s>(&'s self, pair: &'s PairRecord) -> Result<push::Pusher<'s>, CoreError> {
        let target = pm_connections::target(self.state, &pair.pm_connection_id).await?;
        Ok(push::Pusher {
            state: self.state,
            capabilities: target.capabilities(),
            target,
            pm: &pair.pm_connection_id,
            run_id: &self.run.id,
            backoff: Backoff::default(),
            in_flight: self.state.settings.sync.writes_in_flight,
        })
    }

    /// A cancel request stops the run between batches.
    async fn interrupted(&self) -> Result<Option<Flow>, CoreError> {
        let cancelled = table::cancel_requested(&self.state.db, &self.run.id).await?;
        Ok(cancelled.then_some(Flow::Stop(Some(Ending::Finished(
            RunStatus::Cancelled,
            None,
        )))))
    }

    async fn log(&self, level: &str, message: &str) -> Result<(), CoreError> {
        Ok(table::log(&self.state.db, &self.run.id, level, message).await?)
    }

    /// Writes the checkpoint with the run's counters; false when the lease
    /// was lost.
    async fn save(&self, cp: &Checkpoint, tally: &Tally) -> Result<bool, CoreError> {
        let t = cp.totals();
        let text = serde_json::to_string(cp).map_err(|e| CoreError::internal("checkpoint", e))?;
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let progress = Progress {
            done: tally.done,
            total: tally.total,
            records_in: n(t.records_in),
            records_out: n(t.records_out),
            skipped: n(t.skipped),
            failed: n(t.failed),
        };
        Ok(table::checkpoint(&self.state.db, &self.run.id, self.owner, &text, &progress).await?)
    }

    async fn put_step(
        &self,
        step: StepKind,
        index: usize,
        status: &str,
        started: i64,
        cp: &Checkpoint,
        detail: Option<&str>,
    ) -> Result<(), CoreError> {
        let c = cp.of(step);
        let record = StepRecord {
            step: step.code().to_owned(),
            position: index as i64,
            status: status.to_owned(),
            started_at: Some(started),
            finished_at: (status != "running").then(now_ms),
            records_in: c.records_in,
            records_out: c.records_out,
            skipped: c.skipped,
            failed: c.failed,
            detail: detail.map(str::to_owned),
        };
        Ok(table::put_step(&self.state.db, &self.run.id, &record).await?)
    }

    async fn directory(&self, pair: &PairRecord) -> Result<Counters, CoreError> {
        let id = ConnectionId::new(pair.dingtalk_connection_id.clone());
        let (departments, people) =
            directory::sync(self.state, None, &Origin::default(), &id).await?;
        let note = format!("directory: {departments} departments, {people} people");
        self.log("info", &note).await?;
        Ok(Counters {
            records_in: i64::try_from(people).unwrap_or(i64::MAX),
            ..Counters::default()
        })
    }

    async fn pull(&self, plan: &Plan<'_>) -> Result<Counters, CoreError> {
        let only: BTreeSet<String> = plan.people.iter().map(|p| p.userid.clone()).collect();
        let report = attendance::pull_people(
            self.state,
            &plan.pair.dingtalk_connection_id,
            plan.first,
            plan.last,
            Some(&only),
        )
        .await?;
        let note = format!(
            "pull: {} punch results, {} leave entries, {} approval forms; {} billable DingTalk call(s)",
            report.results,
            report.leave_entries,
            report.forms,
            report.billable()
        );
        self.log("info", &note).await?;
        let stored = report.stored() as i64;
        Ok(Counters {
            records_in: stored,
            records_out: stored,
            ..Counters::default()
        })
    }
}
