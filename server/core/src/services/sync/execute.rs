//! Carrying out one claimed run: its steps in order, batch by batch, each
//! batch ending in a checkpoint (step, batch, counters) written under the
//! lease. A run taken over after a crash resumes from its checkpoint; a
//! batch interrupted half-way is done again, which the ledger makes safe.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use hourbridge_domain::sync::{RunKind, RunTrigger, StepKind};
use hourbridge_domain::ConnectionId;
use hourbridge_rules::{Engine, RuleBook};
use hourbridge_sync::{Backoff, RunCounters, RunStatus, Scope};
use serde::{Deserialize, Serialize};

use super::runs::RunScope;
use super::{compute, pairs, push, reconcile, rollback};
use crate::clock::now_ms;
use crate::db::directory::{self, PersonRecord};
use crate::db::sync_pairs::PairRecord;
use crate::db::sync_runs::{self as table, Progress, RunRecord, StepRecord};
use crate::services::{attendance, calendar, matching, pm_connections, Origin};
use crate::{AppState, CoreError};

/// Counters of one step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub records_in: i64,
    pub records_out: i64,
    pub skipped: i64,
    pub failed: i64,
}

impl Counters {
    fn add(&mut self, other: Counters) {
        self.records_in += other.records_in;
        self.records_out += other.records_out;
        self.skipped += other.skipped;
        self.failed += other.failed;
    }
}

/// Where a run stands, as checkpointed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Steps before this one are done.
    #[serde(default)]
    pub step: usize,
    /// Batches of the current step done.
    #[serde(default)]
    pub batch: usize,
    /// Each step's counters so far, by step code.
    #[serde(default)]
    pub counters: BTreeMap<String, Counters>,
    /// When each step started (unix ms), by step code.
    #[serde(default)]
    pub started: BTreeMap<String, i64>,
}

/// How a run ended, if this instance still owns it.
#[derive(Debug)]
pub enum Ending {
    Finished(RunStatus, Option<String>),
    /// The lease was lost: another instance carries on.
    LeaseLost,
}

/// The steps of a run, in order.
pub fn steps_for(run: &RunRecord, first: NaiveDate, last: NaiveDate) -> Vec<StepKind> {
    match RunKind::parse(&run.kind) {
        Some(RunKind::Rollback) => vec![StepKind::Rollback],
        Some(RunKind::RetryFailed) => vec![StepKind::Compute, StepKind::Push],
        _ if run.run_trigger == RunTrigger::Fix.code() => vec![StepKind::Reconcile, StepKind::Push],
        _ => {
            let nightly =
                run.run_trigger == RunTrigger::Schedule.code() && (last - first).num_days() >= 6;
            let mut steps = Vec::new();
            if nightly {
                steps.push(StepKind::Directory);
            }
            if run.run_trigger != RunTrigger::RulesChanged.code()
                && run.run_trigger != RunTrigger::Correction.code()
            {
                steps.push(StepKind::Pull);
            }
            steps.extend([StepKind::Compute, StepKind::Push]);
            steps
        }
    }
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

impl Execution<'_> {
    /// Runs the remaining steps; the run's row is finished here.
    pub async fn run(self) -> Result<Ending, CoreError> {
        let outcome = self.steps().await;
        let (status, error) = match outcome {
            Ok(Some(ending)) => return self.finish(ending).await,
            Ok(None) => return Ok(Ending::LeaseLost),
            Err(e) => {
                let message = match &e {
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
                    other => {
                        tracing::error!(run = %self.run.id, error = %other, "sync run failed");
                        other.to_string()
                    }
                };
                (RunStatus::Failed, Some(message))
            }
        };
        self.finish(Ending::Finished(status, error)).await
    }

    async fn finish(&self, ending: Ending) -> Result<Ending, CoreError> {
        let Ending::Finished(status, error) = &ending else {
            return Ok(ending);
        };
        let state_code = match status {
            RunStatus::Succeeded => "succeeded",
            RunStatus::PartiallySucceeded => "partially_succeeded",
            RunStatus::Failed => "failed",
            RunStatus::Cancelled => "cancelled",
        };
        if let Some(e) = error {
            table::log(&self.state.db, &self.run.id, "error", e).await?;
        }
        let finished = table::finish(
            &self.state.db,
            &self.run.id,
            self.owner,
            state_code,
            error.as_deref(),
            now_ms(),
        )
        .await?;
        if !finished {
            return Ok(Ending::LeaseLost);
        }
        table::log(
            &self.state.db,
            &self.run.id,
            "info",
            &format!("run ended: {state_code}"),
        )
        .await?;
        super::worker::after_run(self.state, &self.run, *status, error.as_deref()).await?;
        Ok(ending)
    }

    /// `Some(ending)` when the run ended here, `None` when the lease was lost.
    async fn steps(&self) -> Result<Option<Ending>, CoreError> {
        let db = &self.state.db;
        let run = &self.run;
        let first = day(&run.first_day)?;
        let last = day(&run.last_day)?;
        let pair = pairs::get_record(db, &run.pair_id).await?;
        let steps = steps_for(run, first, last);
        let mut cp: Checkpoint = serde_json::from_str(&run.checkpoint).unwrap_or_default();
        if run.claims > 1 {
            table::log(
                db,
                &run.id,
                "warn",
                &format!(
                    "resumed by another worker (claim {}) at step {} batch {}",
                    run.claims, cp.step, cp.batch
                ),
            )
            .await?;
        }
        let people = if steps == [StepKind::Rollback] {
            Vec::new()
        } else {
            people_in_scope(self.state, &pair, &RunScope::of(run), first).await?
        };
        let batch_size = self.state.settings.sync.batch_people.max(1);
        let batches: Vec<&[PersonRecord]> = people.chunks(batch_size).collect();
        let units = |step: StepKind| -> i64 {
            match step {
                StepKind::Compute | StepKind::Push => batches.len() as i64,
                _ => 1,
            }
        };
        let total: i64 = steps.iter().map(|s| units(*s)).sum();
        let done_before: i64 = steps.iter().take(cp.step).map(|s| units(*s)).sum();
        if cp.step == 0 && cp.batch == 0 {
            table::log(
                db,
                &run.id,
                "info",
                &format!(
                    "{} – {}: {} people in {} batch(es); steps: {}",
                    run.first_day,
                    run.last_day,
                    people.len(),
                    batches.len(),
                    steps
                        .iter()
                        .map(|s| s.code())
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
            )
            .await?;
        }
        let mut done = done_before + cp.batch as i64;
        if !self.save(&cp, done, total).await? {
            return Ok(None);
        }
        let mut step_failed = None;
        for (index, step) in steps.iter().copied().enumerate().skip(cp.step) {
            let code = step.code();
            let started = *cp.started.entry(code.to_owned()).or_insert_with(now_ms);
            self.put_step(step, index, "running", started, None, &cp)
                .await?;
            let result = match step {
                StepKind::Directory => self.directory(&pair).await,
                StepKind::Pull => self.pull(&pair, &people, first, last).await,
                StepKind::Compute => {
                    let context = ComputeInputs::load(self.state, &pair).await?;
                    let mut outcome = Ok(Counters::default());
                    for (k, batch) in batches.iter().enumerate().skip(cp.batch) {
                        if self.cancelled().await? {
                            return Ok(Some(self.cancelled_ending(&cp)));
                        }
                        let c = context
                            .batch(self.state, &pair, batch, first, last, &run.id)
                            .await;
                        match c {
                            Ok(counters) => {
                                cp.counters
                                    .entry(code.to_owned())
                                    .or_default()
                                    .add(counters);
                                cp.batch = k + 1;
                                done += 1;
                                if !self.save(&cp, done, total).await? {
                                    return Ok(None);
                                }
                            }
                            Err(e) => {
                                outcome = Err(e);
                                break;
                            }
                        }
                    }
                    outcome
                }
                StepKind::Push => {
                    let target = pm_connections::target(self.state, &pair.pm_connection_id).await?;
                    let pusher = push::Pusher {
                        state: self.state,
                        capabilities: target.capabilities(),
                        target,
                        pm: &pair.pm_connection_id,
                        run_id: &run.id,
                        backoff: Backoff::default(),
                        in_flight: self.state.settings.sync.writes_in_flight,
                    };
                    let mut outcome = Ok(Counters::default());
                    for (k, batch) in batches.iter().enumerate().skip(cp.batch) {
                        if self.cancelled().await? {
                            return Ok(Some(self.cancelled_ending(&cp)));
                        }
                        let userids: Vec<String> = batch.iter().map(|p| p.userid.clone()).collect();
                        match pusher.batch(&userids, &run.first_day, &run.last_day).await {
                            Ok(pushed) => {
                                for key in &pushed.succeeded {
                                    table::clear_failed(db, &run.id, key).await?;
                                }
                                for f in &pushed.failures {
                                    table::add_failed(db, &run.id, f).await?;
                                }
                                let counters = Counters {
                                    records_in: pushed.lines,
                                    records_out: pushed.written,
                                    skipped: pushed.in_place,
                                    failed: pushed.failures.len() as i64,
                                };
                                cp.counters
                                    .entry(code.to_owned())
                                    .or_default()
                                    .add(counters);
                                cp.batch = k + 1;
                                done += 1;
                                if !self.save(&cp, done, total).await? {
                                    return Ok(None);
                                }
                            }
                            Err(e) => {
                                outcome = Err(e);
                                break;
                            }
                        }
                    }
                    outcome
                }
                StepKind::Rollback => {
                    let target_run = run.target_run_id.clone().unwrap_or_default();
                    rollback::run(self.state, &pair, &run.id, &target_run).await
                }
                StepKind::Reconcile => {
                    let target = pm_connections::target(self.state, &pair.pm_connection_id).await?;
                    let pusher = push::Pusher {
                        state: self.state,
                        capabilities: target.capabilities(),
                        target,
                        pm: &pair.pm_connection_id,
                        run_id: &run.id,
                        backoff: Backoff::default(),
                        in_flight: self.state.settings.sync.writes_in_flight,
                    };
                    let userids: Vec<String> = people.iter().map(|p| p.userid.clone()).collect();
                    let counters = reconcile::repair_ledger(&pusher, &userids, first, last).await?;
                    table::log(
                        db,
                        &run.id,
                        "info",
                        &format!(
                            "reconcile: {} worklog(s) read back, {} ledger repair(s), {} failed",
                            counters.records_in, counters.records_out, counters.failed
                        ),
                    )
                    .await?;
                    Ok(counters)
                }
            };
            match result {
                Ok(counters) => {
                    if !matches!(step, StepKind::Compute | StepKind::Push) {
                        cp.counters
                            .entry(code.to_owned())
                            .or_default()
                            .add(counters);
                        done += 1;
                    }
                    self.put_step(step, index, "done", started, Some(now_ms()), &cp)
                        .await?;
                    cp.step = index + 1;
                    cp.batch = 0;
                    if !self.save(&cp, done, total).await? {
                        return Ok(None);
                    }
                }
                Err(e) => {
                    let message = match &e {
                        CoreError::Upstream(m) => m.clone(),
                        other => other.to_string(),
                    };
                    let mut failed_cp = cp.clone();
                    failed_cp.counters.entry(code.to_owned()).or_default();
                    self.put_step_detail(step, index, started, &failed_cp, &message)
                        .await?;
                    step_failed = Some(format!("{code}: {message}"));
                    break;
                }
            }
        }
        let run_counters = totals(&cp);
        let status = RunStatus::of(run_counters, step_failed.is_some(), false);
        Ok(Some(Ending::Finished(status, step_failed)))
    }

    fn cancelled_ending(&self, _cp: &Checkpoint) -> Ending {
        Ending::Finished(RunStatus::Cancelled, None)
    }

    async fn cancelled(&self) -> Result<bool, CoreError> {
        Ok(table::cancel_requested(&self.state.db, &self.run.id).await?)
    }

    /// Writes the checkpoint with the run's counters; false when the lease
    /// was lost.
    async fn save(&self, cp: &Checkpoint, done: i64, total: i64) -> Result<bool, CoreError> {
        let t = totals(cp);
        let text = serde_json::to_string(cp).map_err(|e| CoreError::internal("checkpoint", e))?;
        Ok(table::checkpoint(
            &self.state.db,
            &self.run.id,
            self.owner,
            &text,
            &Progress {
                done,
                total,
                records_in: t.records_in as i64,
                records_out: t.records_out as i64,
                skipped: t.skipped as i64,
                failed: t.failed as i64,
            },
        )
        .await?)
    }

    async fn put_step(
        &self,
        step: StepKind,
        index: usize,
        status: &str,
        started: i64,
        finished: Option<i64>,
        cp: &Checkpoint,
    ) -> Result<(), CoreError> {
        let c = cp.counters.get(step.code()).copied().unwrap_or_default();
        table::put_step(
            &self.state.db,
            &self.run.id,
            &StepRecord {
                step: step.code().to_owned(),
                position: index as i64,
                status: status.to_owned(),
                started_at: Some(started),
                finished_at: finished,
                records_in: c.records_in,
                records_out: c.records_out,
                skipped: c.skipped,
                failed: c.failed,
                detail: None,
            },
        )
        .await?;
        Ok(())
    }

    async fn put_step_detail(
        &self,
        step: StepKind,
        index: usize,
        started: i64,
        cp: &Checkpoint,
        detail: &str,
    ) -> Result<(), CoreError> {
        let c = cp.counters.get(step.code()).copied().unwrap_or_default();
        table::put_step(
            &self.state.db,
            &self.run.id,
            &StepRecord {
                step: step.code().to_owned(),
                position: index as i64,
                status: "failed".to_owned(),
                started_at: Some(started),
                finished_at: Some(now_ms()),
                records_in: c.records_in,
                records_out: c.records_out,
                skipped: c.skipped,
                failed: c.failed,
                detail: Some(detail.to_owned()),
            },
        )
        .await?;
        Ok(())
    }

    async fn directory(&self, pair: &PairRecord) -> Result<Counters, CoreError> {
        let (departments, people) = super::super::directory::sync(
            self.state,
            None,
            &Origin::default(),
            &ConnectionId::new(pair.dingtalk_connection_id.clone()),
        )
        .await?;
        table::log(
            &self.state.db,
            &self.run.id,
            "info",
            &format!("directory: {departments} departments, {people} people"),
        )
        .await?;
        Ok(Counters {
            records_in: people as i64,
            ..Counters::default()
        })
    }

    async fn pull(
        &self,
        pair: &PairRecord,
        people: &[PersonRecord],
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Counters, CoreError> {
        let only: BTreeSet<String> = people.iter().map(|p| p.userid.clone()).collect();
        let report = attendance::pull_people(
            self.state,
            &pair.dingtalk_connection_id,
            first,
            last,
            Some(&only),
        )
        .await?;
        table::log(
            &self.state.db,
            &self.run.id,
            "info",
            &format!(
                "pull: {} punch results, {} leave entries, {} approval forms; {} billable DingTalk call(s)",
                report.results,
                report.leave_entries,
                report.forms,
                report.billable()
            ),
        )
        .await?;
        Ok(Counters {
            records_in: report.stored() as i64,
            records_out: report.stored() as i64,
            ..Counters::default()
        })
    }
}

/// The run's counters: person-days and lines in, worklogs written out,
/// lines in place and days without hours skipped, items failed.
fn totals(cp: &Checkpoint) -> RunCounters {
    let get = |s: StepKind| cp.counters.get(s.code()).copied().unwrap_or_default();
    let compute = get(StepKind::Compute);
    let push = get(StepKind::Push);
    let rollback = get(StepKind::Rollback);
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    RunCounters {
        records_in: n(compute.records_in + rollback.records_in),
        records_out: n(push.records_out + rollback.records_out),
        skipped: n(compute.skipped + push.skipped + rollback.skipped),
        failed: n(compute.failed + push.failed + rollback.failed),
    }
}

/// What every compute batch of a run reads once.
struct ComputeInputs {
    engine: Engine,
    calendar: hourbridge_rules::calendar::Calendar,
    departments: HashMap<i64, String>,
    accounts: HashMap<String, String>,
}

impl ComputeInputs {
    async fn load(state: &AppState, pair: &PairRecord) -> Result<ComputeInputs, CoreError> {
        let book: RuleBook = super::super::rules::rule_book(&state.db)
            .await?
            .map(|s| s.doc)
            .ok_or_else(|| {
                CoreError::Upstream(
                    "no rule book is saved yet: open the rules page and save one".to_owned(),
                )
            })?;
        Ok(ComputeInputs {
            engine: Engine::new(&book)?,
            calendar: calendar::calendar(state).await?,
            departments: directory::all_departments(&state.db)
                .await?
                .into_iter()
                .map(|d| (d.dept_id, d.name))
                .collect(),
            accounts: matching::matched_accounts(state, &pair.pm_connection_id).await?,
        })
    }

    async fn batch(
        &self,
        state: &AppState,
        pair: &PairRecord,
        people: &[PersonRecord],
        first: NaiveDate,
        last: NaiveDate,
        run_id: &str,
    ) -> Result<Counters, CoreError> {
        let context = compute::Context {
            engine: &self.engine,
            calendar: &self.calendar,
            departments: &self.departments,
            pm_connection_id: &pair.pm_connection_id,
            first,
            last,
            accounts: &self.accounts,
        };
        let computed = compute::batch(state, &context, people).await?;
        for f in &computed.failures {
            table::add_failed(&state.db, run_id, f).await?;
        }
        Ok(Counters {
            records_in: computed.person_days,
            records_out: computed.lines,
            skipped: computed.skipped,
            failed: computed.failures.len() as i64,
        })
    }
}

/// The people a run covers: the pair's DingTalk directory (active, or left
/// during the run's dates), within the pair's scope and the run's
/// narrowing (departments include their sub-departments).
pub async fn people_in_scope(
    state: &AppState,
    pair: &PairRecord,
    narrowing: &RunScope,
    first: NaiveDate,
) -> Result<Vec<PersonRecord>, CoreError> {
    let since = hourbridge_dingtalk::model::day_start_ms(first);
    let everyone = directory::people_since(&state.db, &pair.dingtalk_connection_id, since).await?;
    let parents: HashMap<i64, Option<i64>> = directory::all_departments(&state.db)
        .await?
        .into_iter()
        .map(|d| (d.dept_id, d.parent_id))
        .collect();
    let pair_scope = pairs::scope_of(pair);
    let run_scope = Scope {
        departments: narrowing.departments.clone(),
        people: narrowing.people.clone(),
    };
    Ok(everyone
        .into_iter()
        .filter(|p| {
            let departments = with_ancestors(&p.dept_ids, &parents);
            pair_scope.includes(&p.userid, &departments)
                && run_scope.includes(&p.userid, &departments)
        })
        .collect())
}

pub(super) fn with_ancestors(dept_ids: &str, parents: &HashMap<i64, Option<i64>>) -> Vec<i64> {
    let mut out = Vec::new();
    for id in dept_ids
        .split(',')
        .filter_map(|d| d.trim().parse::<i64>().ok())
    {
        let mut next = Some(id);
        // A directory loop cannot make this spin: at most one pass per department.
        for _ in 0..=parents.len() {
            let Some(d) = next else { break };
            if !out.contains(&d) {
                out.push(d);
            }
            next = parents.get(&d).copied().flatten();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_bring_their_ancestors() {
        let parents: HashMap<i64, Option<i64>> =
            [(1, None), (10, Some(1)), (100, Some(10)), (7, Some(7))]
                .into_iter()
                .collect();
        assert_eq!(with_ancestors("100", &parents), vec![100, 10, 1]);
        assert_eq!(with_ancestors("100,10", &parents), vec![100, 10, 1]);
        // A loop in the directory ends.
        assert_eq!(with_ancestors("7", &parents), vec![7]);
        assert_eq!(with_ancestors("", &parents), Vec::<i64>::new());
    }
}
