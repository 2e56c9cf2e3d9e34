//! Reconciliation: per person and day, DingTalk's hours against what the
//! target holds (HourBridge's worklogs and those logged by hand), with CSV
//! export and a "fix" that reads the target back into the ledger and pushes
//! the selected person-days again. The comparisons are pure
//! (`hourbridge_sync::reconcile`); this module reads and writes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::sync::{
    FixRows, ReconQuery, ReconReport, ReconRow, RunKind, RunRow, RunTrigger, MAX_RECON_DAYS,
};
use hourbridge_domain::{FieldError, Problem};
use hourbridge_pm::{ExternalId, Worklog, WorklogQuery};
use hourbridge_rules::Hours;
use hourbridge_sync::reconcile::{self, Repair};
use hourbridge_sync::Desired;

use super::checkpoint::Counters;
use super::pairs;
use super::push::{desired_of, entry_of, Owner, Pusher};
use super::runs::{self, Request, RunScope};
use super::scope::people_in_scope;
use crate::db::worklog_ledger as ledger;
use crate::services::{audit, matching, pm_connections, Actor, Origin};
use crate::{AppState, CoreError};

fn parse_day(field: &str, raw: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, Problem::Required))
}

/// The DingTalk userid an external id names.
fn userid_of(id: &ExternalId) -> Option<&str> {
    id.as_str().split(':').nth(1)
}

fn hours(minutes: u32) -> String {
    Hours::from_minutes(i64::from(minutes)).to_string()
}

/// Compares a pair's target with HourBridge over the query's dates.
pub async fn report(state: &AppState, query: &ReconQuery) -> Result<ReconReport, CoreError> {
    let mut errors = Vec::new();
    let pair = pairs::get_record(&state.db, &query.pair_id).await;
    if pair.is_err() {
        errors.push(FieldError::new("pair_id", Problem::InvalidChoice));
    }
    let first = parse_day("first", &query.first)
        .map_err(|e| errors.push(e))
        .ok();
    let last = parse_day("last", &query.last)
        .map_err(|e| errors.push(e))
        .ok();
    if let (Some(f), Some(l)) = (first, last) {
        if l < f || (l - f).num_days() >= MAX_RECON_DAYS {
            errors.push(FieldError::new("last", Problem::OutOfRange));
        }
    }
    let people = pairs::resolve_people(state, &query.people).await?;
    if people.is_none() {
        errors.push(FieldError::new("people", Problem::InvalidChoice));
    }
    let finding = query.finding.as_deref().filter(|f| !f.is_empty());
    const CODES: [&str; 5] = ["missing", "duplicated", "different", "extra", "over_logged"];
    if finding.is_some_and(|f| !CODES.contains(&f)) {
        errors.push(FieldError::new("finding", Problem::InvalidChoice));
    }
    let (Ok(pair), Some(first), Some(last), true) = (pair, first, last, errors.is_empty()) else {
        return Err(CoreError::Invalid(errors));
    };
    let narrowing = RunScope {
        departments: query.department.into_iter().collect(),
        people: people.unwrap_or_default(),
    };
    let people = people_in_scope(state, &pair, &narrowing, first).await?;
    let userids: Vec<String> = people.iter().map(|p| p.userid.clone()).collect();
    let (first_text, last_text) = (first.to_string(), last.to_string());

    let held = held_by_day(state, &pair.pm_connection_id, &userids, first, last).await?;
    let mut lines: BTreeMap<(String, String), Vec<Desired>> = BTreeMap::new();
    for l in ledger::lines_for(
        &state.db,
        &pair.pm_connection_id,
        &userids,
        &first_text,
        &last_text,
    )
    .await?
    {
        if let Some(d) = desired_of(&l) {
            lines.entry((l.userid, l.work_date)).or_default().push(d);
        }
    }
    let attended: HashMap<(String, String), i64> =
        ledger::day_hours_for(&state.db, &userids, &first_text, &last_text)
            .await?
            .into_iter()
            .map(|d| ((d.userid, d.work_date), d.seconds))
            .collect();

    let mut out = ReconReport::default();
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for person in &people {
        for date in first.iter_days().take_while(|d| *d <= last) {
            let key = (person.userid.clone(), date.to_string());
            let day_lines = lines.get(&key).map_or(&[][..], Vec::as_slice);
            let day_held = held.get(&key).map_or(&[][..], Vec::as_slice);
            let seconds = attended.get(&key).copied();
            let minutes = seconds.map(|s| u32::try_from(s.max(0) / 60).unwrap_or(u32::MAX));
            if day_lines.is_empty() && day_held.is_empty() && seconds.is_none() {
                continue;
            }
            out.compared += 1;
            let compared = reconcile::day(day_lines, day_held, minutes);
            let codes: Vec<String> = compared
                .findings
                .iter()
                .map(|f| f.code().to_owned())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            for code in &codes {
                *counts.entry(code.clone()).or_default() += 1;
            }
            let shown = match finding {
                Some(f) => codes.iter().any(|c| c == f),
                None => query.all || !codes.is_empty(),
            };
            if shown {
                out.rows.push(ReconRow {
                    userid: person.userid.clone(),
                    person_name: person.name.clone(),
                    date: key.1.clone(),
                    attended: seconds.map(|s| Hours::from_seconds(s).to_string()),
                    computed: hours(compared.computed),
                    by_hourbridge: hours(compared.by_hourbridge),
                    by_hand: hours(compared.by_hand),
                    findings: codes,
                });
            }
        }
    }
    out.counts = counts.into_iter().collect();
    Ok(out)
}

/// The target's worklogs of `people` over the dates, by (userid, date):
/// HourBridge's by the userid in their external id, the others by the
/// person's matched PM account.
async fn held_by_day(
    state: &AppState,
    pm_id: &str,
    people: &[String],
    first: NaiveDate,
    last: NaiveDate,
) -> Result<BTreeMap<(String, String), Vec<Worklog>>, CoreError> {
    let target = pm_connections::target(state, pm_id).await?;
    let worklogs = target
        .worklogs(&WorklogQuery {
            first,
            last,
            people: Vec::new(),
            items: Vec::new(),
        })
        .await
        .map_err(|e| CoreError::Upstream(e.to_string()))?;
    let wanted: BTreeSet<&str> = people.iter().map(String::as_str).collect();
    let by_account: HashMap<String, String> = matching::matched_accounts(state, pm_id)
        .await?
        .into_iter()
        .filter(|(userid, _)| wanted.contains(userid.as_str()))
        .map(|(userid, account)| (account, userid))
        .collect();
    let mut out: BTreeMap<(String, String), Vec<Worklog>> = BTreeMap::new();
    for w in worklogs {
        let userid = match &w.external_id {
            Some(id) => userid_of(id).map(str::to_owned),
            None => w.person.as_ref().and_then(|p| by_account.get(p)).cloned(),
        };
        if let Some(userid) = userid.filter(|u| wanted.contains(u.as_str())) {
            out.entry((userid, w.date.to_string())).or_default().push(w);
        }
    }
    Ok(out)
}

/// The report as CSV (UTF-8 with a byte-order mark, so that Excel reads
/// the Chinese names).
pub fn csv(report: &ReconReport) -> Result<Vec<u8>, CoreError> {
    let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let fail = |e: csv::Error| CoreError::internal("writing CSV", e);
    out.write_record([
        "userid",
        "name",
        "date",
        "attended_hours",
        "computed_hours",
        "hourbridge_hours",
        "by_hand_hours",
        "findings",
    ])
    .map_err(fail)?;
    for r in &report.rows {
        out.write_record([
            r.userid.as_str(),
            r.person_name.as_str(),
            r.date.as_str(),
            r.attended.as_deref().unwrap_or(""),
            r.computed.as_str(),
            r.by_hourbridge.as_str(),
            r.by_hand.as_str(),
            &r.findings.join(" "),
        ])
        .map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| CoreError::internal("writing CSV", e.error()))
}

/// Queues a run that reads the selected person-days back from the target
/// and pushes them again.
pub async fn fix(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    input: &FixRows,
) -> Result<RunRow, CoreError> {
    let pair = pairs::get_record(&state.db, &input.pair_id)
        .await
        .map_err(|_| FieldError::new("pair_id", Problem::InvalidChoice))?;
    let dates: Vec<NaiveDate> = input
        .rows
        .iter()
        .filter_map(|(_, d)| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return Err(FieldError::new("rows", Problem::Required).into());
    };
    if dates.len() != input.rows.len() || (*last - *first).num_days() >= MAX_RECON_DAYS {
        return Err(FieldError::new("rows", Problem::OutOfRange).into());
    }
    let people: BTreeSet<String> = input.rows.iter().map(|(u, _)| u.clone()).collect();
    let record = runs::enqueue(
        state,
        Request {
            pair: &pair,
            kind: RunKind::Sync,
            trigger: RunTrigger::Fix,
            first: *first,
            last: *last,
            scope: RunScope {
                departments: BTreeSet::new(),
                people,
            },
            target_run: None,
            requested_by: Some(&actor.username),
        },
    )
    .await?;
    let detail = format!(
        "fix of {} reconciliation row(s), {first} – {last}",
        input.rows.len()
    );
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::SyncRunStarted,
        Some(&record.id),
        Some(&detail),
    )
    .await?;
    runs::row(state, &record).await
}

/// The reconcile step: reads the target back for `people` over the dates
/// and corrects the ledger to what it holds (deleting duplicates), so that
/// the push that follows restores what was changed or removed by hand.
pub async fn repair_ledger(
    pusher: &Pusher<'_>,
    people: &[String],
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Counters, CoreError> {
    let state = pusher.state;
    let held: Vec<Worklog> = held_by_day(state, pusher.pm, people, first, last)
        .await?
        .into_values()
        .flatten()
        .filter(|w| w.external_id.is_some())
        .collect();
    let records = ledger::ledger_for(
        &state.db,
        pusher.pm,
        people,
        &first.to_string(),
        &last.to_string(),
    )
    .await?;
    let owners: HashMap<String, Owner> = records
        .iter()
        .map(|r| {
            (
                r.external_id.clone(),
                Owner {
                    userid: r.userid.clone(),
                    pm_user: r.pm_user.clone(),
                },
            )
        })
        .collect();
    let entries: Vec<_> = records.iter().filter_map(entry_of).collect();
    let fixes = reconcile::repairs(&entries, &held);
    let mut counters = Counters {
        records_in: held.len() as i64,
        ..Counters::default()
    };
    for fix in fixes {
        let result = match &fix {
            Repair::Gone(e) | Repair::Changed(e) | Repair::Found(e) => {
                let owner = owners
                    .get(e.external_id.as_str())
                    .cloned()
                    .unwrap_or(Owner {
                        userid: userid_of(&e.external_id).unwrap_or_default().to_owned(),
                        pm_user: String::new(),
                    });
                pusher.record(&owner, e).await
            }
            Repair::Duplicates { delete, .. } => {
                let mut result = Ok(());
                for w in delete {
                    result = result.and(pusher.delete(&w.item, &w.id).await);
                }
                result
            }
        };
        match result {
            Ok(()) => counters.records_out += 1,
            Err(failure) => {
                counters.failed += 1;
                tracing::warn!(error = %failure.error, "reconcile: a repair failed");
            }
        }
    }
    Ok(counters)
}
