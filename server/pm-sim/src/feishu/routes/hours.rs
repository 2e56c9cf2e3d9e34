//! Man-hour records on a work item:
//! `POST|PUT|DELETE /open_api/{project_key}/work_item/{type}/{id}/work_hour_record`.
//!
//! * Create: `work_begin_date`..`work_end_date` (ms; one record per day and
//!   per entry of `working_hour_records`; weekends skipped unless
//!   `include_holidays`, unconfirmed), `work_time` as text, > 0 and at most
//!   24 hours a day per person; the person (`X-USER-KEY`) must be a member.
//!   Answers the created records.
//! * Update: `working_hour_records: [{id, work_time, work_description}]`.
//! * Delete: `working_hour_record_ids: [...]`; an unknown id is refused
//!   with "record not found" and nothing is deleted.
//!
//! Updates and deletes are allowed to the record's person and to the
//! space's administrators. `X-IDEM-UUID`: the same key with the same request
//! within the window answers the first answer again without writing; with
//! another request it is refused (both unconfirmed).

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Datelike, FixedOffset, NaiveDate, TimeZone, Weekday};
use serde_json::{json, Map, Value};

use crate::common::lock;
use crate::feishu::auth;
use crate::feishu::data::{FeishuUser, Space, WorkItem};
use crate::feishu::error::{
    ok, FeishuError, FeishuResult, IDEMPOTENCY_CONFLICT, NOT_A_MEMBER, PERMISSION_DENIED,
    PROJECT_NOT_FOUND, RECORD_NOT_FOUND, WORK_ITEM_NOT_FOUND,
};
use crate::feishu::gate::Wrote;
use crate::feishu::input::{int, ints, object, text};
use crate::feishu::render;
use crate::feishu::state::FeishuState;
use crate::feishu::store::{china_day, ManHourRecord, Replay, Store};

/// Hours one person may have on one day.
const MAX_HOURS_PER_DAY: f64 = 24.0;
/// Longest description (unconfirmed).
const MAX_DESCRIPTION_CHARS: usize = 1000;
/// Longest range of days one create may cover (unconfirmed).
const MAX_DAYS: i64 = 31;
/// Millisecond timestamps from 2000 to 2100: anything else is not one.
const PLAUSIBLE_MS: std::ops::Range<i64> = 946_684_800_000..4_102_444_800_000;

type Target = (String, String, String);

/// The work item the path names, and the caller.
fn target<'a>(
    state: &'a FeishuState,
    headers: &HeaderMap,
    (project_key, kind, id): &Target,
) -> FeishuResult<(&'a FeishuUser, &'a Space, &'a WorkItem)> {
    let user = auth::user(state, headers)?;
    // Whether the person may write is the handler's question (a member for
    // a create, the record's person or an administrator for a change).
    let space = state.directory.space(project_key).ok_or_else(|| {
        FeishuError::new(
            PROJECT_NOT_FOUND,
            format!("project not exist: {project_key}"),
        )
    })?;
    let item = id
        .parse::<i64>()
        .ok()
        .and_then(|id| state.directory.work_item(id))
        .filter(|w| w.project_key == space.project_key && w.type_key == kind)
        .ok_or_else(|| {
            FeishuError::new(
                WORK_ITEM_NOT_FOUND,
                format!("work item not found: {kind} {id}"),
            )
        })?;
    Ok((user, space, item))
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn china_midnight_ms(day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    FixedOffset::east_opt(8 * 3600)
        .and_then(|zone| zone.from_local_datetime(&midnight).single())
        .map_or(0, |t| t.timestamp_millis())
}

/// `work_time` as hours: text, a number > 0 and ≤ 24.
fn hours(entry: &Map<String, Value>) -> FeishuResult<Option<f64>> {
    let Some(raw) = text(entry, "work_time")? else {
        return Ok(None);
    };
    match raw.trim().parse::<f64>() {
        Ok(h) if h.is_finite() && h > 0.0 && h <= MAX_HOURS_PER_DAY => {
            Ok(Some((h * 100.0).round() / 100.0))
        }
        _ => Err(FeishuError::invalid(format!(
            "work_time must be greater than 0 and at most 24 hours, not {raw:?}"
        ))),
    }
}

fn description(entry: &Map<String, Value>) -> FeishuResult<Option<String>> {
    let Some(text) = text(entry, "work_description")? else {
        return Ok(None);
    };
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(FeishuError::invalid(format!(
            "work_description must be at most {MAX_DESCRIPTION_CHARS} characters"
        )));
    }
    Ok(Some(text.to_owned()))
}

/// The entries of a list of objects.
fn entries(body: &Map<String, Value>, name: &str) -> FeishuResult<Vec<Map<String, Value>>> {
    let list = match body.get(name) {
        Some(Value::Array(list)) if !list.is_empty() => list,
        _ => {
            return Err(FeishuError::invalid(format!(
                "{name} must be a non-empty list"
            )))
        }
    };
    list.iter()
        .map(|v| match v {
            Value::Object(m) => Ok(m.clone()),
            _ => Err(FeishuError::invalid(format!("{name} must hold objects"))),
        })
        .collect()
}

fn check_total(
    store: &Store,
    user: &str,
    day: NaiveDate,
    except: Option<i64>,
    adding: f64,
) -> FeishuResult<()> {
    let total = store.hours_on(user, day, except) + adding;
    if total > MAX_HOURS_PER_DAY + 1e-9 {
        return Err(FeishuError::invalid(format!(
            "the work time of {day} would be {total:.2} hours, more than 24"
        )));
    }
    Ok(())
}

/// Runs `write` unless the idempotency key answers for it; keeps its answer.
fn once(
    state: &FeishuState,
    headers: &HeaderMap,
    fingerprint: String,
    write: impl FnOnce(&mut Store) -> FeishuResult<Value>,
) -> FeishuResult<Response> {
    let key = auth::idem_key(headers);
    let window = state.config.idempotency_window;
    let now = Instant::now();
    let mut store = lock(&state.store);
    if let Some(key) = &key {
        match store.replay(key, &fingerprint, window, now) {
            Replay::Same(answer) => return Ok(Json(answer).into_response()),
            Replay::Conflict => {
                return Err(FeishuError::new(
                    IDEMPOTENCY_CONFLICT,
                    "X-IDEM-UUID was already used for another request",
                ))
            }
            Replay::New => {}
        }
    }
    let answer = write(&mut store)?;
    if let Some(key) = &key {
        store.keep(key, &fingerprint, answer.clone(), now);
    }
    let mut response = Json(answer).into_response();
    response.extensions_mut().insert(Wrote);
    Ok(response)
}

fn fingerprint(
    method: &Method,
    path: &Target,
    user: &FeishuUser,
    body: &Map<String, Value>,
) -> String {
    format!(
        "{method} {}/{}/{} as {} {}",
        path.0,
        path.1,
        path.2,
        user.user_key,
        Value::Object(body.clone())
    )
}

pub async fn create(
    State(state): State<Arc<FeishuState>>,
    Path(path): Path<Target>,
    headers: HeaderMap,
    body: Bytes,
) -> FeishuResult<Response> {
    let (user, space, item) = target(&state, &headers, &path)?;
    if !(space.is_member(&user.user_key) || space.is_admin(&user.user_key)) {
        return Err(FeishuError::new(
            NOT_A_MEMBER,
            "user is not a member of the project",
        ));
    }
    if !user.is_active() {
        return Err(FeishuError::new(NOT_A_MEMBER, "user has left the company"));
    }
    let body = object(&body)?;
    let (Some(begin), Some(end)) = (int(&body, "work_begin_date")?, int(&body, "work_end_date")?)
    else {
        return Err(FeishuError::invalid(
            "work_begin_date and work_end_date are required",
        ));
    };
    for (name, ms) in [("work_begin_date", begin), ("work_end_date", end)] {
        if !PLAUSIBLE_MS.contains(&ms) {
            return Err(FeishuError::invalid(format!(
                "{name} must be a timestamp in milliseconds, not {ms}"
            )));
        }
    }
    let (Some(first), Some(last)) = (china_day(begin), china_day(end)) else {
        return Err(FeishuError::invalid("work dates out of range"));
    };
    if last < first || (last - first).num_days() >= MAX_DAYS {
        return Err(FeishuError::invalid(format!(
            "work_end_date must not be before work_begin_date, and cover at most {MAX_DAYS} days"
        )));
    }
    let include_holidays = match body.get("include_holidays") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(FeishuError::invalid("include_holidays must be a boolean")),
    };
    let mut wanted = Vec::new();
    for entry in entries(&body, "working_hour_records")? {
        let Some(h) = hours(&entry)? else {
            return Err(FeishuError::invalid("work_time is required"));
        };
        let resource_type = text(&entry, "resource_type")?
            .unwrap_or("work_item")
            .to_owned();
        let resource_id =
            text(&entry, "resource_id")?.map_or_else(|| item.id.to_string(), str::to_owned);
        wanted.push((
            h,
            description(&entry)?.unwrap_or_default(),
            resource_type,
            resource_id,
        ));
    }
    let days: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| include_holidays || !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect();
    let fingerprint = fingerprint(&Method::POST, &path, user, &body);
    once(&state, &headers, fingerprint, |store| {
        for day in &days {
            let adding: f64 = wanted.iter().map(|w| w.0).sum();
            check_total(store, &user.user_key, *day, None, adding)?;
        }
        let now = now_ms();
        let mut created = Vec::new();
        for day in &days {
            for (h, text, resource_type, resource_id) in &wanted {
                let record = store.insert(ManHourRecord {
                    id: 0,
                    project_key: space.project_key.clone(),
                    work_item_id: item.id,
                    work_item_type_key: item.type_key.to_owned(),
                    work_item_name: item.name.clone(),
                    resource_type: resource_type.clone(),
                    resource_id: resource_id.clone(),
                    work_user_key: user.user_key.clone(),
                    work_date: china_midnight_ms(*day),
                    work_time: *h,
                    work_description: text.clone(),
                    created_at: now,
                    updated_at: now,
                });
                created.push(render::record(&record));
            }
        }
        Ok(ok(Value::Array(created)))
    })
}

/// The records `ids` name on `item`, if every one exists and `user` may change it.
fn editable(
    store: &Store,
    ids: &[i64],
    item: &WorkItem,
    space: &Space,
    user: &FeishuUser,
) -> FeishuResult<Vec<ManHourRecord>> {
    ids.iter()
        .map(|id| {
            let record = store
                .get(*id)
                .filter(|r| r.work_item_id == item.id)
                .cloned()
                .ok_or_else(|| {
                    FeishuError::new(
                        RECORD_NOT_FOUND,
                        format!("working hour record not found: {id}"),
                    )
                })?;
            if record.work_user_key != user.user_key && !space.is_admin(&user.user_key) {
                return Err(FeishuError::new(
                    PERMISSION_DENIED,
                    format!("no permission to change record {id} of another user"),
                ));
            }
            Ok(record)
        })
        .collect()
}

pub async fn update(
    State(state): State<Arc<FeishuState>>,
    Path(path): Path<Target>,
    headers: HeaderMap,
    body: Bytes,
) -> FeishuResult<Response> {
    let (user, space, item) = target(&state, &headers, &path)?;
    let body = object(&body)?;
    let mut changes = Vec::new();
    for entry in entries(&body, "working_hour_records")? {
        let Some(id) = int(&entry, "id")? else {
            return Err(FeishuError::invalid(
                "working_hour_records[].id is required",
            ));
        };
        changes.push((id, hours(&entry)?, description(&entry)?));
    }
    let fingerprint = fingerprint(&Method::PUT, &path, user, &body);
    once(&state, &headers, fingerprint, |store| {
        let ids: Vec<i64> = changes.iter().map(|c| c.0).collect();
        let records = editable(store, &ids, item, space, user)?;
        let now = now_ms();
        let mut updated = Vec::new();
        for (mut record, (_, h, text)) in records.into_iter().zip(&changes) {
            if let Some(h) = h {
                if let Some(day) = record.day() {
                    check_total(store, &record.work_user_key, day, Some(record.id), *h)?;
                }
                record.work_time = *h;
            }
            if let Some(text) = text {
                record.work_description = text.clone();
            }
            record.updated_at = now.max(record.updated_at + 1);
            updated.push(record);
        }
        for record in updated {
            store.replace(record);
        }
        Ok(ok(Value::Null))
    })
}

pub async fn delete(
    State(state): State<Arc<FeishuState>>,
    Path(path): Path<Target>,
    headers: HeaderMap,
    body: Bytes,
) -> FeishuResult<Response> {
    let (user, space, item) = target(&state, &headers, &path)?;
    let body = object(&body)?;
    let ids = ints(&body, "working_hour_record_ids")?;
    if ids.is_empty() {
        return Err(FeishuError::invalid(
            "working_hour_record_ids must be a non-empty list",
        ));
    }
    let fingerprint = fingerprint(&Method::DELETE, &path, user, &body);
    once(&state, &headers, fingerprint, |store| {
        editable(store, &ids, item, space, user)?;
        for id in &ids {
            store.remove(*id);
        }
        Ok(json!({"err_code": 0, "err_msg": "", "err": {}}))
    })
}
