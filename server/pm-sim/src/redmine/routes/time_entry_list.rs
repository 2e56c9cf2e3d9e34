//! `GET /time_entries.json`: `project_id` (id or identifier), `issue_id`,
//! `user_id` (`me`, ids joined by `|`), `author_id`, `activity_id`,
//! `spent_on` (a date, or `><a|b`, `>=a`, `<=b`), `from`/`to` (inclusive),
//! `cf_N` (only when field N is a filter), newest `spent_on` first, paged.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use serde_json::Value;

use crate::common::lock;
use crate::redmine::auth::Caller;
use crate::redmine::error::{RedmineError, RedmineResult};
use crate::redmine::paging::{Page, Params};
use crate::redmine::render;
use crate::redmine::state::RedmineState;
use crate::redmine::store::TimeEntry;

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// A date filter as (from, to), both inclusive.
fn date_range(spec: &str) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    let spec = spec.trim();
    if let Some(range) = spec.strip_prefix("><") {
        let (a, b) = range.split_once('|')?;
        return Some((date(a), date(b)));
    }
    if let Some(from) = spec.strip_prefix(">=") {
        return Some((Some(date(from)?), None));
    }
    if let Some(to) = spec.strip_prefix("<=") {
        return Some((None, Some(date(to)?)));
    }
    let day = date(spec.strip_prefix('=').unwrap_or(spec))?;
    Some((Some(day), Some(day)))
}

/// Ids joined by `|` (`me` = the caller); `None` when there is no filter.
fn ids(params: &Params, name: &str, caller: &Caller) -> Option<Vec<u64>> {
    let value = params.get(name).map(str::trim).filter(|v| !v.is_empty())?;
    let value = value.strip_prefix('=').unwrap_or(value);
    Some(
        value
            .split('|')
            .map(|v| match v.trim() {
                "me" => caller.user_id,
                other => other.parse().unwrap_or(0),
            })
            .collect(),
    )
}

pub async fn list(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    params: Params,
) -> RedmineResult<Json<Value>> {
    let dir = &state.directory;
    let project = match params.get("project_id").filter(|p| !p.is_empty()) {
        Some(id) => {
            let project = dir.project(id).ok_or(RedmineError::NotFound)?;
            if !caller.sees(project) {
                return Err(RedmineError::Forbidden);
            }
            Some(project.id)
        }
        None => None,
    };
    let issue = match params.get("issue_id").filter(|p| !p.is_empty()) {
        Some(id) => {
            let issue = id
                .trim()
                .parse::<u64>()
                .ok()
                .and_then(|id| dir.issue(id))
                .ok_or(RedmineError::NotFound)?;
            Some(issue.id)
        }
        None => None,
    };
    let users = ids(&params, "user_id", &caller);
    let authors = ids(&params, "author_id", &caller);
    let activities = ids(&params, "activity_id", &caller);
    let mut from = params.get("from").and_then(date);
    let mut to = params.get("to").and_then(date);
    if let Some((a, b)) = params.get("spent_on").and_then(date_range) {
        from = a.or(from);
        to = b.or(to);
    }
    let cf_name = format!("cf_{}", state.config.custom_field_id);
    let cf = if state.config.custom_field_filterable {
        params
            .get(&cf_name)
            .map(|v| v.strip_prefix('=').unwrap_or(v).to_owned())
    } else {
        None
    };

    let keep = |e: &TimeEntry| {
        dir.project_by_id(e.project_id)
            .is_some_and(|p| caller.sees(p))
            && project.is_none_or(|p| e.project_id == p)
            && issue.is_none_or(|i| e.issue_id == Some(i))
            && users.as_ref().is_none_or(|u| u.contains(&e.user_id))
            && authors.as_ref().is_none_or(|a| a.contains(&e.author_id))
            && activities
                .as_ref()
                .is_none_or(|a| a.contains(&e.activity_id))
            && from.is_none_or(|f| e.spent_on >= f)
            && to.is_none_or(|t| e.spent_on <= t)
            && cf
                .as_ref()
                .is_none_or(|v| e.custom_fields.get(&state.config.custom_field_id) == Some(v))
    };
    let mut entries: Vec<TimeEntry> = lock(&state.entries)
        .all()
        .filter(|e| keep(e))
        .cloned()
        .collect();
    entries.sort_by(|a, b| b.spent_on.cmp(&a.spent_on).then(b.id.cmp(&a.id)));
    let items = entries
        .iter()
        .map(|e| render::time_entry(e, dir, state.config.custom_field_id))
        .collect();
    Ok(Json(
        Page::from_params(&params).envelope("time_entries", items),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_filters_read_as_ranges() {
        let d = |s: &str| date(s);
        assert_eq!(
            date_range("><2024-03-01|2024-03-31"),
            Some((d("2024-03-01"), d("2024-03-31")))
        );
        assert_eq!(
            date_range("2024-03-05"),
            Some((d("2024-03-05"), d("2024-03-05")))
        );
        assert_eq!(date_range(">=2024-03-05"), Some((d("2024-03-05"), None)));
        assert_eq!(date_range("nonsense"), None);
    }
}
