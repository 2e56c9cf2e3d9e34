//! The compute step for one batch of people: stored attendance → the saved
//! rules → each person-day's hours (a manual correction wins) → allocation
//! and field mapping → the worklog lines the PM connection should hold.
//!
//! A person-day that cannot give lines (no PM account, nothing to allocate
//! to, a mapping miss) fails with its reason and keeps the lines computed
//! before, so that a missing account never deletes written hours.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use hourbridge_domain::sync::StepKind;
use hourbridge_rules::allocation::Allocator;
use hourbridge_rules::calendar::Calendar;
use hourbridge_rules::{Engine, Hours, Lang, RuleBook, Status};
use hourbridge_sync::{day_lines, DayFacts, DayProblem};

use super::checkpoint::Counters;
use crate::db::directory::{self, PersonRecord};
use crate::db::sync_pairs::PairRecord;
use crate::db::sync_runs::{self as runs_table, FailedRecord};
use crate::db::worklog_ledger::{self as ledger, CorrectionRecord, DayHoursRecord, LineRecord};
use crate::services::preview::{self, status_label, Target};
use crate::services::{calendar, matching, rules};
use crate::{AppState, CoreError};

/// What computing a batch gave.
#[derive(Debug, Default)]
pub struct Computed {
    pub person_days: i64,
    pub lines: i64,
    /// Days without lines (no hours, skipped by the rules).
    pub skipped: i64,
    pub failures: Vec<FailedRecord>,
}

/// What every batch of a run shares.
pub struct Context<'a> {
    pub engine: &'a Engine,
    pub calendar: &'a Calendar,
    pub departments: &'a HashMap<i64, String>,
    pub pm_connection_id: &'a str,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Every matched person's PM account, by userid.
    pub accounts: &'a HashMap<String, String>,
}

fn failure(userid: &str, date: NaiveDate, reason: &str, message: String) -> FailedRecord {
    FailedRecord {
        item_key: format!("{userid}:{date}"),
        userid: userid.to_owned(),
        work_date: date.to_string(),
        step: StepKind::Compute.code().to_owned(),
        reason: reason.to_owned(),
        message,
        attempts: 1,
        retried_by: None,
    }
}

/// Computes and stores the lines of `people` over the context's dates.
pub async fn batch(
    state: &AppState,
    context: &Context<'_>,
    people: &[PersonRecord],
) -> Result<Computed, CoreError> {
    let Context {
        engine,
        calendar,
        departments,
        pm_connection_id,
        first,
        last,
        accounts,
    } = *context;
    let userids: Vec<String> = people.iter().map(|p| p.userid.clone()).collect();
    let first_text = first.to_string();
    let last_text = last.to_string();
    let accounts = userids
        .iter()
        .filter_map(|u| Some((u.clone(), accounts.get(u)?.clone())))
        .collect();
    let target: Target = preview::target(state, pm_connection_id, accounts, first, last).await?;
    let corrections: HashMap<(String, String), CorrectionRecord> =
        ledger::corrections_for(&state.db, &userids, &first_text, &last_text)
            .await?
            .into_iter()
            .map(|c| ((c.userid.clone(), c.work_date.clone()), c))
            .collect();
    let before = ledger::lines_for(
        &state.db,
        pm_connection_id,
        &userids,
        &first_text,
        &last_text,
    )
    .await?;

    let mut out = Computed::default();
    let mut lines: Vec<LineRecord> = Vec::new();
    let mut days: Vec<DayHoursRecord> = Vec::new();
    let mut kept: HashSet<(String, String)> = HashSet::new();
    let mut allocator = Allocator::new();
    for record in people {
        let person = preview::person_of(record);
        let department = person
            .departments
            .iter()
            .filter_map(|d| departments.get(d).map(String::as_str))
            .collect::<Vec<_>>()
            .join(", ");
        let stored = preview::attendance_of(state, calendar, &person, first, last).await?;
        let pm_user = target
            .accounts
            .get(&person.userid)
            .map_or("", String::as_str);
        let mut date = first;
        while date <= last {
            out.person_days += 1;
            let day = stored.batch.attendance(calendar, &person.userid, date);
            let trace = engine.explain(&person, &day);
            let date_text = date.to_string();
            let correction = corrections.get(&(person.userid.clone(), date_text.clone()));
            let (hours, status) = match correction {
                Some(c) => (Hours::from_seconds(c.seconds), Status::Worked),
                None => (trace.hours, trace.status),
            };
            days.push(DayHoursRecord {
                userid: person.userid.clone(),
                work_date: date_text.clone(),
                seconds: hours.seconds(),
                status: status.code().to_owned(),
                rule: trace.rule.as_ref().map(|r| r.name.clone()),
                corrected: correction.is_some(),
            });
            let explanation = match correction {
                Some(c) => format!("手工补录 / corrected by {}: {}", c.made_by, c.reason),
                None => trace.render(Lang::Zh),
            };
            if status == Status::Skipped || hours <= Hours::ZERO {
                out.skipped += 1;
            } else if pm_user.is_empty() {
                kept.insert((person.userid.clone(), date_text));
                out.failures.push(failure(
                    &person.userid,
                    date,
                    "unmatched_person",
                    format!(
                        "{} ({}) has no account in the PM system: decide it on the matching page",
                        record.name, person.userid
                    ),
                ));
            } else {
                let facts = DayFacts {
                    person: &person,
                    person_name: &record.name,
                    pm_user,
                    job_title: record.title.as_deref().unwrap_or(""),
                    department: &department,
                    date,
                    hours,
                    status: status_label(status, Lang::Zh),
                    explanation: &explanation,
                    approval_ids: stored.form_ids.get(&date).map_or("", String::as_str),
                };
                let computed = target.mapping_on(date).map_err(|m| ("missing_mapping", m));
                let computed = computed.and_then(|mapping| {
                    day_lines(
                        &mut allocator,
                        &target.plan,
                        target.inputs_on(date),
                        mapping,
                        &facts,
                    )
                    .map_err(|e| match e {
                        DayProblem::NothingToAllocate(m) => ("missing_allocation", m),
                        DayProblem::Mapping(m) => ("missing_mapping", m.to_string()),
                    })
                });
                match computed {
                    Ok(day_lines) => {
                        for line in day_lines {
                            let d = line.desired(&person.userid);
                            out.lines += 1;
                            lines.push(LineRecord {
                                external_id: d.external_id.as_str().to_owned(),
                                userid: person.userid.clone(),
                                work_date: date_text.clone(),
                                pm_user: d.person,
                                project: d.item.project,
                                task: d.item.task,
                                minutes: i64::from(d.minutes),
                                comment: d.comment,
                            });
                        }
                    }
                    Err((reason, message)) => {
                        kept.insert((person.userid.clone(), date_text));
                        out.failures
                            .push(failure(&person.userid, date, reason, message));
                    }
                }
            }
            date = date + Days::new(1);
        }
    }
    // A failed day keeps what it had.
    lines.extend(
        before
            .into_iter()
            .filter(|l| kept.contains(&(l.userid.clone(), l.work_date.clone()))),
    );
    let now = crate::clock::now_ms();
    ledger::put_day_hours(&state.db, &days, now).await?;
    ledger::replace_lines(
        &state.db,
        pm_connection_id,
        &userids,
        &first_text,
        &last_text,
        &lines,
        now,
    )
    .await?;
    Ok(out)
}

/// What every compute batch of a run reads once: the saved rules, the
/// calendar, department names and who is whom in the PM system.
pub struct RunInputs {
    engine: Engine,
    calendar: Calendar,
    departments: HashMap<i64, String>,
    accounts: HashMap<String, String>,
}

impl RunInputs {
    pub async fn load(state: &AppState, pair: &PairRecord) -> Result<RunInputs, CoreError> {
        let book: RuleBook = rules::rule_book(&state.db)
            .await?
            .map(|s| s.doc)
            .ok_or_else(|| {
                CoreError::Upstream(
                    "no rule book is saved yet: open the rules page and save one".to_owned(),
                )
            })?;
        Ok(RunInputs {
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

    /// Computes one batch of people and records the days that failed.
    pub async fn batch(
        &self,
        state: &AppState,
        pair: &PairRecord,
        people: &[PersonRecord],
        (first, last): (NaiveDate, NaiveDate),
        run_id: &str,
    ) -> Result<Counters, CoreError> {
        let context = Context {
            engine: &self.engine,
            calendar: &self.calendar,
            departments: &self.departments,
            pm_connection_id: &pair.pm_connection_id,
            first,
            last,
            accounts: &self.accounts,
        };
        let computed = batch(state, &context, people).await?;
        for f in &computed.failures {
            runs_table::add_failed(&state.db, run_id, f).await?;
        }
        Ok(Counters {
            records_in: computed.person_days,
            records_out: computed.lines,
            skipped: computed.skipped,
            failed: computed.failures.len() as i64,
        })
    }
}
