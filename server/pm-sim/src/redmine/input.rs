//! A `{"time_entry":{…}}` body applied to a new or existing entry, with
//! Redmine's validations (422 messages in its English wording).

use std::collections::BTreeMap;

use chrono::{FixedOffset, NaiveDate, Offset, Utc};
use serde_json::{Map, Value};

use super::auth::Caller;
use super::data::Project;
use super::error::{RedmineError, RedmineResult};
use super::hours::{parse_hours, round2};
use super::state::RedmineState;
use super::store::TimeEntry;

/// Longest `comments`.
pub const MAX_COMMENTS: usize = 1024;

/// The `time_entry` object of a body (400 when the body is not JSON).
pub fn time_entry_object(body: &[u8]) -> RedmineResult<Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut map)) => match map.remove("time_entry") {
            Some(Value::Object(entry)) => Ok(entry),
            _ => Ok(Map::new()),
        },
        Ok(_) => Ok(Map::new()),
        Err(_) => Err(RedmineError::BadRequest),
    }
}

/// Today where the company is (UTC+8), which is what "future" is measured by.
pub fn today() -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix());
    Utc::now().with_timezone(&china).date_naive()
}

/// A JSON id: a number or a string of digits.
fn id_of(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn is_blank(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A new entry's starting point: the caller's, today, nothing else.
pub fn blank(caller: &Caller) -> TimeEntry {
    let now = Utc::now();
    TimeEntry {
        id: 0,
        project_id: 0,
        issue_id: None,
        user_id: caller.user_id,
        author_id: caller.user_id,
        activity_id: 0,
        hours: 0.0,
        comments: String::new(),
        spent_on: today(),
        custom_fields: BTreeMap::new(),
        created_on: now,
        updated_on: now,
    }
}

/// Applies `input` to `base` (a [`blank`] one when `new`), checking what
/// Redmine checks. 403 when the caller may not log (or edit) time in the
/// project; 422 with every message otherwise.
pub fn apply(
    state: &RedmineState,
    caller: &Caller,
    mut entry: TimeEntry,
    input: &Map<String, Value>,
    new: bool,
) -> RedmineResult<TimeEntry> {
    let dir = &state.directory;
    let mut errors = Vec::new();

    // Where the time goes: the issue's project, or a numeric project id.
    let mut issue_given = false;
    if input.contains_key("issue_id") {
        let value = input.get("issue_id").unwrap_or(&Value::Null);
        if is_blank(Some(value)) {
            entry.issue_id = None;
        } else {
            issue_given = true;
            let issue = id_of(value).and_then(|id| dir.issue(id)).filter(|issue| {
                dir.project_by_id(issue.project_id)
                    .is_some_and(|p| caller.sees(p))
            });
            match issue {
                Some(issue) => {
                    entry.issue_id = Some(issue.id);
                    entry.project_id = issue.project_id;
                }
                None => {
                    errors.push("Issue is invalid".to_owned());
                    entry.issue_id = None;
                }
            }
        }
    }
    if new && !issue_given {
        entry.project_id = input
            .get("project_id")
            .and_then(id_of)
            .and_then(|id| dir.project_by_id(id))
            .filter(|p| caller.sees(p))
            .map_or(0, |p| p.id);
    }
    let Some(project): Option<&Project> = dir.project_by_id(entry.project_id) else {
        if errors.is_empty() {
            errors.push("Project cannot be blank".to_owned());
        }
        return Err(RedmineError::Unprocessable(errors));
    };
    let allowed = if new {
        caller.may_log_time(project)
    } else {
        caller.may_edit(project, entry.user_id)
    };
    if !allowed {
        return Err(RedmineError::Forbidden);
    }

    // Whose time: another user needs *Log time for other users* here, and
    // must be an active member who may log time.
    if let Some(value) = input.get("user_id").filter(|v| !is_blank(Some(v))) {
        match id_of(value) {
            Some(id) if id == caller.user_id => entry.user_id = id,
            Some(id) => {
                let member_ok = dir.user(id).is_some_and(|u| u.is_active())
                    && project.member(id).is_some_and(|m| m.log_time);
                if caller.may_log_for_others(project) && member_ok {
                    entry.user_id = id;
                } else {
                    errors.push("User is invalid".to_owned());
                }
            }
            None => errors.push("User is invalid".to_owned()),
        }
    }

    let mut hours = (!new).then_some(entry.hours);
    if input.contains_key("hours") || new {
        match input.get("hours") {
            value if is_blank(value) => {
                hours = None;
                errors.push("Hours cannot be blank".to_owned());
            }
            Some(value) => match parse_hours(value) {
                Some(h) if h > 0.0 && h < 1000.0 => hours = Some(round2(h)),
                _ => {
                    hours = None;
                    errors.push("Hours is invalid".to_owned());
                }
            },
            None => {}
        }
    }

    match input.get("activity_id") {
        value if is_blank(value) && new => match dir.default_activity() {
            Some(a) => entry.activity_id = a.id,
            None => errors.push("Activity cannot be blank".to_owned()),
        },
        value if is_blank(value) => {}
        Some(value) => match id_of(value).and_then(|id| dir.activity(id)) {
            Some(a) if a.active => entry.activity_id = a.id,
            _ => errors.push("Activity is not included in the list".to_owned()),
        },
        None => {}
    }

    let mut future = false;
    match input.get("spent_on") {
        None => {}
        Some(value) if is_blank(Some(value)) => errors.push("Date cannot be blank".to_owned()),
        Some(value) => match NaiveDate::parse_from_str(&text_of(value), "%Y-%m-%d") {
            Ok(day) => {
                entry.spent_on = day;
                future = day > today();
            }
            Err(_) => errors.push("Date is not a valid date".to_owned()),
        },
    }

    if let Some(value) = input.get("comments") {
        entry.comments = text_of(value);
        if entry.comments.chars().count() > MAX_COMMENTS {
            errors.push(format!(
                "Comment is too long (maximum is {MAX_COMMENTS} characters)"
            ));
        }
    }

    if let Some(Value::Array(values)) = input.get("custom_fields") {
        for item in values {
            let id = item.get("id").and_then(id_of);
            if id == Some(state.config.custom_field_id) {
                let value = item.get("value").map(text_of).unwrap_or_default();
                entry
                    .custom_fields
                    .insert(state.config.custom_field_id, value);
            }
        }
    }

    if future {
        errors.push("Cannot log time on a future date".to_owned());
    }
    if let (Some(max), Some(h)) = (state.config.max_hours_per_day, hours) {
        let logged = crate::common::lock(&state.entries).hours_on(
            entry.user_id,
            entry.spent_on,
            (!new).then_some(entry.id),
        );
        if logged + h > max + 1e-9 {
            errors.push(format!(
                "Cannot log more than {max:.2} hours on the same day ({logged:.2} hours have already been logged)"
            ));
        }
    }

    if !errors.is_empty() {
        return Err(RedmineError::Unprocessable(errors));
    }
    entry.hours = hours.unwrap_or(entry.hours);
    entry.updated_on = Utc::now();
    Ok(entry)
}
