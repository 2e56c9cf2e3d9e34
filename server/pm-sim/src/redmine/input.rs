//! A `{"time_entry":{…}}` body applied to a new or existing entry, with
//! Redmine 5.0's validations (422 messages in its English wording and order).

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

/// Redmine's default *Maximum hours that can be logged per day and user*.
pub const DEFAULT_MAX_HOURS_PER_DAY: f64 = 999.0;

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

/// A new entry's starting point: the caller's, today, the default
/// activity (when there is one), nothing else.
pub fn blank(state: &RedmineState, caller: &Caller) -> TimeEntry {
    let now = Utc::now();
    let activity_id = state
        .config
        .default_activity
        .and_then(|id| state.directory.activity(id))
        .filter(|a| a.active)
        .map_or(0, |a| a.id);
    TimeEntry {
        id: 0,
        project_id: 0,
        issue_id: None,
        user_id: caller.user_id,
        author_id: caller.user_id,
        activity_id,
        hours: 0.0,
        comments: None,
        spent_on: today(),
        custom_fields: BTreeMap::new(),
        created_on: now,
        updated_on: now,
    }
}

/// Hours as Redmine's `format_hours` shows them (*Time span format*
/// "minutes", its default): `8:00`, `7:30`.
pub fn format_hours(hours: f64) -> String {
    let whole = hours.floor();
    let minutes = ((hours - whole) * 60.0).round();
    format!("{}:{:02}", whole as i64, minutes as i64)
}

/// What `hours` became.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Hours {
    Unchanged,
    Blank,
    NotNumber,
    Value(f64),
}

/// What `spent_on` became.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Day {
    Unchanged,
    Blank,
    Invalid,
    Value(NaiveDate),
}

/// Applies `input` to `base` (a [`blank`] one when `new`), as Redmine's
/// `TimeEntry#safe_attributes=` and its validations do. 403 when a new
/// entry's project (given, or the issue's) does not let the caller log
/// time; 422 with every message otherwise, in Redmine's order. Whether the
/// caller may edit an existing entry is checked before (see the routes).
pub fn apply(
    state: &RedmineState,
    caller: &Caller,
    mut entry: TimeEntry,
    input: &Map<String, Value>,
    new: bool,
) -> RedmineResult<TimeEntry> {
    let dir = &state.directory;
    let config = &state.config;
    let before = entry.clone();

    // Where the time goes. `project_id` as sent ("crm" reads as 0: present,
    // but no project); an issue the caller sees and may log time on moves
    // the entry to its project unless a project was sent.
    let mut project_id = (entry.project_id != 0).then_some(entry.project_id);
    let project_sent = input.get("project_id").filter(|v| !is_blank(Some(v)));
    if input.contains_key("project_id") {
        project_id = project_sent.map(|v| id_of(v).unwrap_or(0));
    }
    let mut invalid_issue = false;
    if let Some(value) = input.get("issue_id") {
        if is_blank(Some(value)) {
            entry.issue_id = None;
        } else {
            let id = id_of(value).unwrap_or(0);
            if Some(id) != before.issue_id {
                entry.issue_id = Some(id);
                if let Some(issue) = dir.issue(id) {
                    let allowed = dir
                        .project_by_id(issue.project_id)
                        .is_some_and(|p| caller.sees(p) && caller.may_log_time(p));
                    if !allowed {
                        invalid_issue = true;
                    } else if project_sent.is_none() {
                        project_id = Some(issue.project_id);
                    }
                }
            }
        }
    }
    if new {
        if let Some(project) = project_id.and_then(|id| dir.project_by_id(id)) {
            if !caller.may_log_time(project) {
                return Err(RedmineError::Forbidden);
            }
        }
    }
    let issue = entry.issue_id.and_then(|id| dir.issue(id));
    // `set_project_if_nil`, before validating.
    if project_id.and_then(|id| dir.project_by_id(id)).is_none() {
        if let Some(issue) = issue {
            project_id = Some(issue.project_id);
        }
    }
    let project: Option<&Project> = project_id.and_then(|id| dir.project_by_id(id));
    entry.project_id = project.map_or(0, |p| p.id);

    // Whose time: someone other than the author needs *Log time for other
    // users* here, and must be an active member who may log time.
    let mut user_blank = false;
    let mut invalid_user = false;
    if let Some(value) = input.get("user_id") {
        if is_blank(Some(value)) {
            user_blank = true;
        } else {
            let id = id_of(value).unwrap_or(0);
            if id != before.user_id && id != entry.author_id {
                let may = project.is_some_and(|p| caller.may_log_for_others(p));
                let assignable = project.is_some_and(|p| {
                    p.member(id).is_some_and(|m| m.log_time)
                        && dir.user(id).is_some_and(|u| u.is_active())
                });
                invalid_user = !may || !assignable;
            }
            entry.user_id = id;
        }
    }

    let hours = match input.get("hours") {
        None if new => Hours::Blank,
        None => Hours::Unchanged,
        Some(value) if is_blank(Some(value)) => Hours::Blank,
        Some(value) => parse_hours(value).map_or(Hours::NotNumber, Hours::Value),
    };
    let hours_changed = match hours {
        Hours::Unchanged => false,
        Hours::Value(h) => new || round2(h) != before.hours,
        Hours::Blank | Hours::NotNumber => true,
    };

    let mut activity_changed = new;
    if let Some(value) = input.get("activity_id") {
        let id = if is_blank(Some(value)) {
            0
        } else {
            id_of(value).unwrap_or(0)
        };
        activity_changed |= id != entry.activity_id;
        entry.activity_id = id;
    }
    let activity_ok = dir.activity(entry.activity_id).is_some_and(|a| a.active);

    let day = match input.get("spent_on") {
        None if new => Day::Value(entry.spent_on),
        None => Day::Unchanged,
        Some(value) if is_blank(Some(value)) => Day::Blank,
        Some(value) => NaiveDate::parse_from_str(text_of(value).trim(), "%Y-%m-%d")
            .map_or(Day::Invalid, Day::Value),
    };
    if let Day::Value(d) = day {
        entry.spent_on = d;
    }
    let day_changed = match day {
        Day::Unchanged => false,
        Day::Value(d) => new || d != before.spent_on,
        Day::Blank | Day::Invalid => true,
    };

    if let Some(value) = input.get("comments") {
        entry.comments = match value {
            Value::Null => None,
            other => Some(text_of(other)),
        };
    }
    let comments_too_long = entry
        .comments
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENTS);

    // `custom_fields: [{id, value}]` or `custom_field_values: {"id": value}`;
    // only the HourBridge ID field exists.
    let field = config.custom_field_id;
    let mut custom: Vec<(Option<u64>, Option<&Value>)> = Vec::new();
    if let Some(Value::Array(values)) = input.get("custom_fields") {
        custom.extend(
            values
                .iter()
                .map(|item| (item.get("id").and_then(id_of), item.get("value"))),
        );
    }
    if let Some(Value::Object(values)) = input.get("custom_field_values") {
        custom.extend(
            values
                .iter()
                .map(|(id, value)| (id.trim().parse().ok(), Some(value))),
        );
    }
    for (id, value) in custom {
        if id == Some(field) {
            entry
                .custom_fields
                .insert(field, value.map(text_of).unwrap_or_default());
        }
    }

    // Redmine's validations, in its order: presence, numericality, length,
    // date, then `validate_time_entry`.
    let mut errors: Vec<String> = Vec::new();
    let mut error = |text: &str| errors.push(text.to_owned());
    if user_blank {
        error("User cannot be blank");
    }
    if entry.activity_id == 0 {
        error("Activity cannot be blank");
    }
    if project_id.is_none() {
        error("Project cannot be blank");
    }
    if hours == Hours::Blank {
        error("Hours cannot be blank");
    }
    if matches!(day, Day::Blank | Day::Invalid) {
        error("Date cannot be blank");
    }
    if hours == Hours::NotNumber {
        error("Hours is invalid");
    }
    if comments_too_long {
        error(&format!(
            "Comment is too long (maximum is {MAX_COMMENTS} characters)"
        ));
    }
    if day == Day::Invalid {
        error("Date is not a valid date");
    }
    if let Hours::Value(h) = hours {
        if h < 0.0 {
            error("Hours is invalid");
        }
        if h == 0.0 && hours_changed && !config.accept_zero_hours {
            error("Hours is invalid");
        }
        let max = config
            .max_hours_per_day
            .unwrap_or(DEFAULT_MAX_HOURS_PER_DAY);
        if hours_changed && max > 0.0 {
            let logged = if matches!(day, Day::Blank | Day::Invalid) {
                0.0
            } else {
                crate::common::lock(&state.entries).hours_on(
                    entry.user_id,
                    entry.spent_on,
                    (!new).then_some(entry.id),
                )
            };
            if logged + h > max + 1e-9 {
                error(&format!(
                    "Cannot log more than {} hours on the same day ({} hours have already been logged)",
                    format_hours(max),
                    format_hours(logged)
                ));
            }
        }
    }
    if project.is_none() {
        error("Project is invalid");
    }
    if invalid_user {
        error("User is invalid");
    }
    let issue_mismatch = issue.is_some_and(|i| Some(i.project_id) != project.map(|p| p.id));
    if (entry.issue_id.is_some() && issue.is_none()) || issue_mismatch || invalid_issue {
        error("Issue is invalid");
    }
    if activity_changed && project.is_some() && entry.activity_id != 0 && !activity_ok {
        error("Activity is not included in the list");
    }
    if let Day::Value(d) = day {
        if day_changed && !config.accept_future_dates && d > today() {
            error("Cannot log time on a future date");
        }
    }

    if !errors.is_empty() {
        return Err(RedmineError::Unprocessable(errors));
    }
    if let Hours::Value(h) = hours {
        entry.hours = round2(h);
    }
    entry.updated_on = Utc::now();
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::format_hours;

    #[test]
    fn hours_show_as_hours_and_minutes() {
        assert_eq!(format_hours(999.0), "999:00");
        assert_eq!(format_hours(7.5), "7:30");
        assert_eq!(format_hours(0.0), "0:00");
        assert_eq!(format_hours(1.33), "1:20");
    }
}
