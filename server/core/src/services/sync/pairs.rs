//! Connection pairs: a DingTalk source synced into a PM target, with a
//! pilot scope (灰度) and a schedule.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::sync::{PairInput, PairSummary, TriggerView};
use hourbridge_domain::{FieldError, Problem};
use hourbridge_sync::{Schedule, Scope, Trigger};

use crate::clock::{new_id, now_ms};
use crate::db::sync_pairs::{self as table, PairRecord};
use crate::db::{connections as dingtalk_table, dingtalk_calls, directory, pm_connections};
use crate::db::{sync_runs, Db};
use crate::services::{audit, connections, org_settings, Actor, Origin};
use crate::{AppState, CoreError};

/// The pair's scope, as stored.
pub fn scope_of(record: &PairRecord) -> Scope {
    serde_json::from_str(&record.scope).unwrap_or_default()
}

/// The pair's schedule, as stored (the default when none was saved).
pub fn schedule_of(record: &PairRecord) -> Schedule {
    serde_json::from_str(&record.schedule).unwrap_or_default()
}

pub async fn get_record(db: &Db, id: &str) -> Result<PairRecord, CoreError> {
    table::get(db, id).await?.ok_or(CoreError::NotFound)
}

pub async fn list(state: &AppState) -> Result<Vec<PairSummary>, CoreError> {
    let records = table::all(&state.db).await?;
    let mut out = Vec::with_capacity(records.len());
    for record in &records {
        out.push(summary(state, record).await?);
    }
    Ok(out)
}

pub async fn get(state: &AppState, id: &str) -> Result<PairSummary, CoreError> {
    let record = get_record(&state.db, id).await?;
    summary(state, &record).await
}

async fn summary(state: &AppState, record: &PairRecord) -> Result<PairSummary, CoreError> {
    let db = &state.db;
    let dingtalk = dingtalk_table::get(db, &record.dingtalk_connection_id).await?;
    let pm = pm_connections::get(db, &record.pm_connection_id).await?;
    let scope = scope_of(record);
    let schedule = schedule_of(record);
    let names: HashMap<i64, String> = directory::all_departments(db)
        .await?
        .into_iter()
        .map(|d| (d.dept_id, d.name))
        .collect();
    let departments: Vec<i64> = scope.departments.iter().copied().collect();
    let active = sync_runs::active_for_pair(db, &record.id).await?;
    let calls = dingtalk_calls::billable_in_month(
        db,
        &record.dingtalk_connection_id,
        &connections::quota_month(),
    )
    .await?;
    let tz = org_settings::time_zone(db).await?.tz();
    let runs_by_itself = record.enabled && record.paused_reason.is_none();
    let next_run_at = runs_by_itself
        .then(|| schedule.next_after(Utc::now(), tz))
        .flatten()
        .map(|(at, _, _)| at.timestamp_millis());
    Ok(PairSummary {
        id: record.id.clone(),
        name: record.name.clone(),
        dingtalk_connection_id: record.dingtalk_connection_id.clone(),
        dingtalk_name: dingtalk
            .as_ref()
            .map_or_else(String::new, |d| d.name.clone()),
        pm_connection_id: record.pm_connection_id.clone(),
        pm_name: pm.as_ref().map_or_else(String::new, |p| p.name.clone()),
        department_names: departments
            .iter()
            .map(|d| names.get(d).cloned().unwrap_or_else(|| d.to_string()))
            .collect(),
        departments,
        people: scope.people.iter().cloned().collect(),
        triggers: schedule
            .triggers
            .iter()
            .map(|t| TriggerView {
                cron: t.cron.clone(),
                days_back: t.days,
            })
            .collect(),
        enabled: record.enabled,
        paused_reason: record.paused_reason.clone(),
        failure_streak: record.failure_streak,
        pause_after_failures: record.pause_after_failures,
        last_success_at: record.last_success_at,
        next_run_at,
        active_run: active.map(|r| r.id),
        dingtalk_calls_month: calls,
        dingtalk_quota: dingtalk.map_or(0, |d| d.monthly_quota),
    })
}

/// The input, checked: every problem at its field.
struct Checked {
    name: String,
    scope: Scope,
    schedule: Schedule,
    pause_after_failures: i64,
}

async fn check(state: &AppState, input: &PairInput) -> Result<Checked, CoreError> {
    let mut errors = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", Problem::Required));
    } else if name.chars().count() > 100 {
        errors.push(FieldError::new("name", Problem::TooLong));
    }
    if dingtalk_table::get(&state.db, &input.dingtalk_connection_id)
        .await?
        .is_none()
    {
        errors.push(FieldError::new(
            "dingtalk_connection_id",
            Problem::InvalidChoice,
        ));
    }
    if pm_connections::get(&state.db, &input.pm_connection_id)
        .await?
        .is_none()
    {
        errors.push(FieldError::new("pm_connection_id", Problem::InvalidChoice));
    }
    let known: BTreeSet<i64> = directory::all_departments(&state.db)
        .await?
        .into_iter()
        .map(|d| d.dept_id)
        .collect();
    if input.departments.iter().any(|d| !known.contains(d)) {
        errors.push(FieldError::new("departments", Problem::InvalidChoice));
    }
    let people = resolve_people(state, &input.people).await?;
    if people.is_none() {
        errors.push(FieldError::new("people", Problem::InvalidChoice));
    }
    let schedule = if input.triggers.is_empty() {
        Schedule::default()
    } else {
        Schedule {
            triggers: input
                .triggers
                .iter()
                .map(|t| Trigger {
                    cron: t.cron.trim().to_owned(),
                    days: t.days_back,
                })
                .collect(),
        }
    };
    for problem in schedule.validate() {
        errors.push(match problem {
            hourbridge_sync::schedule::ScheduleError::Cron { index, .. } => {
                FieldError::new(&format!("triggers.{index}.cron"), Problem::InvalidChoice)
            }
            hourbridge_sync::schedule::ScheduleError::Days { index } => {
                FieldError::new(&format!("triggers.{index}.days_back"), Problem::OutOfRange)
            }
        });
    }
    if !(1..=100).contains(&input.pause_after_failures) {
        errors.push(FieldError::new("pause_after_failures", Problem::OutOfRange));
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    Ok(Checked {
        name: name.to_owned(),
        scope: Scope {
            departments: input.departments.iter().copied().collect(),
            people: people.unwrap_or_default(),
        },
        schedule,
        pause_after_failures: input.pause_after_failures,
    })
}

/// The userids of `people` (each a userid or an exact name of an active
/// person); `None` when one is unknown or a name is ambiguous.
pub async fn resolve_people(
    state: &AppState,
    people: &[String],
) -> Result<Option<BTreeSet<String>>, CoreError> {
    let wanted: Vec<&str> = people
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    if wanted.is_empty() {
        return Ok(Some(BTreeSet::new()));
    }
    let everyone = directory::all_active(&state.db).await?;
    let mut out = BTreeSet::new();
    for want in wanted {
        let by_id = everyone.iter().find(|p| p.userid == want);
        let by_name: Vec<_> = everyone.iter().filter(|p| p.name == want).collect();
        match (by_id, by_name.as_slice()) {
            (Some(p), _) => {
                out.insert(p.userid.clone());
            }
            (None, [p]) => {
                out.insert(p.userid.clone());
            }
            _ => return Ok(None),
        }
    }
    Ok(Some(out))
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, CoreError> {
    serde_json::to_string(value).map_err(|e| CoreError::internal("encoding a sync pair", e))
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    input: &PairInput,
) -> Result<PairSummary, CoreError> {
    let checked = check(state, input).await?;
    let now = now_ms();
    let record = PairRecord {
        id: new_id(),
        name: checked.name,
        dingtalk_connection_id: input.dingtalk_connection_id.clone(),
        pm_connection_id: input.pm_connection_id.clone(),
        scope: json(&checked.scope)?,
        schedule: json(&checked.schedule)?,
        enabled: true,
        paused_reason: None,
        failure_streak: 0,
        pause_after_failures: checked.pause_after_failures,
        last_success_at: None,
        // Scheduling starts from now: no catch-up of earlier triggers.
        last_scheduled_at: Some(now),
        created_at: now,
        updated_at: now,
    };
    if let Err(e) = table::insert(&state.db, &record).await {
        if crate::db::is_unique_violation(&e) {
            return Err(FieldError::new("pm_connection_id", Problem::Taken).into());
        }
        return Err(e.into());
    }
    audit_saved(state, actor, origin, &record).await?;
    summary(state, &record).await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &str,
    input: &PairInput,
) -> Result<PairSummary, CoreError> {
    let mut record = get_record(&state.db, id).await?;
    let checked = check(state, input).await?;
    record.name = checked.name;
    record.dingtalk_connection_id = input.dingtalk_connection_id.clone();
    record.pm_connection_id = input.pm_connection_id.clone();
    record.scope = json(&checked.scope)?;
    record.schedule = json(&checked.schedule)?;
    record.pause_after_failures = checked.pause_after_failures;
    record.updated_at = now_ms();
    match table::update(&state.db, &record).await {
        Ok(true) => {}
        Ok(false) => return Err(CoreError::NotFound),
        Err(e) if crate::db::is_unique_violation(&e) => {
            return Err(FieldError::new("pm_connection_id", Problem::Taken).into())
        }
        Err(e) => return Err(e.into()),
    }
    audit_saved(state, actor, origin, &record).await?;
    summary(state, &record).await
}

async fn audit_saved(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    record: &PairRecord,
) -> Result<(), CoreError> {
    let scope = scope_of(record);
    let detail = if scope.is_everyone() {
        "scope: everyone".to_owned()
    } else {
        format!(
            "scope: {} department(s), {} person(s)",
            scope.departments.len(),
            scope.people.len()
        )
    };
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::SyncPairSaved,
        Some(&record.name),
        Some(&detail),
    )
    .await
}

pub async fn set_paused(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &str,
    paused: bool,
) -> Result<PairSummary, CoreError> {
    let record = get_record(&state.db, id).await?;
    let reason = paused.then(|| format!("paused by {}", actor.username));
    table::set_paused(&state.db, id, reason.as_deref(), now_ms()).await?;
    let action = if paused {
        AuditAction::SyncPairPaused
    } else {
        AuditAction::SyncPairResumed
    };
    audit::record(
        &state.db,
        Some(actor),
        origin,
        action,
        Some(&record.name),
        None,
    )
    .await?;
    get(state, id).await
}
