//! Manual corrections (手工补录): HR or an admin sets a person-day's hours
//! by hand, with a mandatory reason. The correction wins over the rules on
//! every later computation, is audited, and is pushed at once: a run is
//! queued for that person-day on every connection pair that covers them.

use std::collections::HashMap;

use chrono::NaiveDate;
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::sync::{
    CorrectionInput, CorrectionRow, CorrectionSaved, RunKind, RunTrigger, MAX_REASON_CHARS,
};
use hourbridge_domain::{FieldError, Problem};
use hourbridge_rules::Hours;

use super::pairs;
use super::runs::{self, Request, RunScope};
use super::scope::with_ancestors;
use crate::clock::{new_id, now_ms};
use crate::db::worklog_ledger::{self as ledger, CorrectionRecord};
use crate::db::{directory, sync_pairs};
use crate::services::{audit, Actor, Origin};
use crate::{AppState, CoreError};

/// The most hours one day may be corrected to.
const MAX_HOURS: i64 = 24;

pub async fn add(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    input: &CorrectionInput,
) -> Result<CorrectionSaved, CoreError> {
    let mut errors = Vec::new();
    let person = match pairs::resolve_people(state, std::slice::from_ref(&input.person)).await? {
        Some(found) if found.len() == 1 => found.into_iter().next(),
        _ => None,
    };
    if person.is_none() {
        let problem = if input.person.trim().is_empty() {
            Problem::Required
        } else {
            Problem::InvalidChoice
        };
        errors.push(FieldError::new("person", problem));
    }
    let date = NaiveDate::parse_from_str(input.date.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        errors.push(FieldError::new("date", Problem::Required));
    }
    let hours = Hours::parse_decimal(input.hours.trim());
    match hours {
        None => errors.push(FieldError::new("hours", Problem::Required)),
        Some(h) if h.is_negative() || h.seconds() > MAX_HOURS * 3600 => {
            errors.push(FieldError::new("hours", Problem::OutOfRange));
        }
        Some(_) => {}
    }
    let reason = input.reason.trim();
    if reason.is_empty() {
        errors.push(FieldError::new("reason", Problem::Required));
    } else if reason.chars().count() > MAX_REASON_CHARS {
        errors.push(FieldError::new("reason", Problem::TooLong));
    }
    let (Some(userid), Some(date), Some(hours), true) = (person, date, hours, errors.is_empty())
    else {
        return Err(CoreError::Invalid(errors));
    };
    let record = CorrectionRecord {
        id: new_id(),
        userid: userid.clone(),
        work_date: date.to_string(),
        seconds: hours.seconds(),
        reason: reason.to_owned(),
        made_by: actor.username.clone(),
        made_at: now_ms(),
    };
    ledger::add_correction(&state.db, &record).await?;
    let detail = format!("{userid} {date}: {hours} h — {reason}");
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::HoursCorrected,
        Some(&userid),
        Some(&detail),
    )
    .await?;
    let runs = push_correction(state, actor, &userid, date).await?;
    let names = names(state).await?;
    Ok(CorrectionSaved {
        correction: row(&record, &names),
        runs,
    })
}

/// Queues a correction run on every pair whose scope covers the person.
async fn push_correction(
    state: &AppState,
    actor: &Actor,
    userid: &str,
    date: NaiveDate,
) -> Result<Vec<String>, CoreError> {
    let parents = super::scope::parents(state).await?;
    let mut queued = Vec::new();
    for pair in sync_pairs::all(&state.db).await? {
        if !pair.enabled {
            continue;
        }
        let people = directory::people_since(&state.db, &pair.dingtalk_connection_id, 0).await?;
        let Some(person) = people.iter().find(|p| p.userid == userid) else {
            continue;
        };
        if !pairs::scope_of(&pair).includes(userid, &with_ancestors(&person.dept_ids, &parents)) {
            continue;
        }
        let run = runs::enqueue(
            state,
            Request {
                pair: &pair,
                kind: RunKind::Sync,
                trigger: RunTrigger::Correction,
                first: date,
                last: date,
                scope: RunScope {
                    departments: Default::default(),
                    people: [userid.to_owned()].into_iter().collect(),
                },
                target_run: None,
                requested_by: Some(&actor.username),
            },
        )
        .await?;
        queued.push(run.id);
    }
    Ok(queued)
}

/// The corrections in force, newest first.
pub async fn recent(state: &AppState, limit: i64) -> Result<Vec<CorrectionRow>, CoreError> {
    let records = ledger::recent_corrections(&state.db, limit).await?;
    let names = names(state).await?;
    Ok(records.iter().map(|r| row(r, &names)).collect())
}

async fn names(state: &AppState) -> Result<HashMap<String, String>, CoreError> {
    Ok(directory::all_active(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.userid, p.name))
        .collect())
}

fn row(r: &CorrectionRecord, names: &HashMap<String, String>) -> CorrectionRow {
    CorrectionRow {
        id: r.id.clone(),
        person_name: names.get(&r.userid).cloned().unwrap_or_default(),
        userid: r.userid.clone(),
        date: r.work_date.clone(),
        hours: Hours::from_seconds(r.seconds).to_string(),
        reason: r.reason.clone(),
        made_by: r.made_by.clone(),
        made_at: r.made_at,
    }
}
