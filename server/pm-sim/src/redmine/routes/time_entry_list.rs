//! `GET /time_entries.json`: `project_id` (id or identifier), `issue_id`
//! (an unknown one matches nothing), `user_id` (`me`, ids joined by `|`),
//! `author_id`, `activity_id`, `spent_on` (a date, or `><a|b`, `>=a`,
//! `<=b`), `from`/`to` (inclusive; they replace `spent_on`), `cf_N` (only
//! when field N is a filter; `=`, `~`, `^`, `$`, `!`, `!~`, `*`, `!*`);
//! newest `spent_on` first, then newest created, then lowest id; paged.

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

/// A string filter in Redmine's short form: `value` (or `=a|b`), `~part`
/// (contains), `!~part`, `^start`, `$end`, `!value`, `*` (any), `!*` (none);
/// `=` exact, the others case-insensitive as SQLite's `LIKE`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TextFilter {
    Is(Vec<String>),
    IsNot(Vec<String>),
    Contains(String),
    Lacks(String),
    Starts(String),
    Ends(String),
    Any,
    None,
}

impl TextFilter {
    fn parse(expression: &str) -> TextFilter {
        let values = |rest: &str| rest.split('|').map(str::to_owned).collect::<Vec<_>>();
        // Redmine tries the operators longest-sorting first: "~", "^", "=",
        // "*", "$", "!~", "!*", "!".
        if let Some(rest) = expression.strip_prefix('~') {
            TextFilter::Contains(rest.to_lowercase())
        } else if let Some(rest) = expression.strip_prefix('^') {
            TextFilter::Starts(rest.to_lowercase())
        } else if let Some(rest) = expression.strip_prefix('=') {
            TextFilter::Is(values(rest))
        } else if expression.starts_with('*') {
            TextFilter::Any
        } else if let Some(rest) = expression.strip_prefix('$') {
            TextFilter::Ends(rest.to_lowercase())
        } else if let Some(rest) = expression.strip_prefix("!~") {
            TextFilter::Lacks(rest.to_lowercase())
        } else if expression.starts_with("!*") {
            TextFilter::None
        } else if let Some(rest) = expression.strip_prefix('!') {
            TextFilter::IsNot(values(rest))
        } else {
            TextFilter::Is(values(expression))
        }
    }

    fn matches(&self, value: Option<&str>) -> bool {
        let present = value.filter(|v| !v.is_empty());
        let lower = present.map(str::to_lowercase);
        match self {
            TextFilter::Is(values) => present.is_some_and(|v| values.iter().any(|x| x == v)),
            TextFilter::IsNot(values) => present.is_none_or(|v| values.iter().all(|x| x != v)),
            TextFilter::Contains(part) => lower.is_some_and(|v| v.contains(part.as_str())),
            TextFilter::Lacks(part) => lower.is_none_or(|v| !v.contains(part.as_str())),
            TextFilter::Starts(part) => lower.is_some_and(|v| v.starts_with(part.as_str())),
            TextFilter::Ends(part) => lower.is_some_and(|v| v.ends_with(part.as_str())),
            TextFilter::Any => present.is_some(),
            TextFilter::None => present.is_none(),
        }
    }
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
                return Err(caller.denied());
            }
            Some(project.id)
        }
        None => None,
    };
    // An unknown issue is only a filter that matches nothing.
    let issue = params
        .get("issue_id")
        .filter(|p| !p.is_empty())
        .map(|id| id.trim().parse::<u64>().unwrap_or(0));
    let users = ids(&params, "user_id", &caller);
    let authors = ids(&params, "author_id", &caller);
    let activities = ids(&params, "activity_id", &caller);
    // `from`/`to` replace a `spent_on` filter (TimeEntryQuery#build_from_params).
    let (mut from, mut to) = params
        .get("spent_on")
        .and_then(date_range)
        .unwrap_or((None, None));
    let (from_param, to_param) = (
        params.get("from").filter(|v| !v.is_empty()),
        params.get("to").filter(|v| !v.is_empty()),
    );
    if from_param.is_some() || to_param.is_some() {
        from = from_param.and_then(date);
        to = to_param.and_then(date);
    }
    let cf_name = format!("cf_{}", state.config.custom_field_id);
    let cf = if state.config.custom_field_filterable {
        params.get(&cf_name).map(TextFilter::parse)
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
            && cf.as_ref().is_none_or(|f| {
                f.matches(
                    e.custom_fields
                        .get(&state.config.custom_field_id)
                        .map(String::as_str),
                )
            })
    };
    let mut entries: Vec<TimeEntry> = lock(&state.entries)
        .all()
        .filter(|e| keep(e))
        .cloned()
        .collect();
    // `spent_on DESC, created_on DESC` (to the second), then `id ASC`.
    entries.sort_by(|a, b| {
        b.spent_on
            .cmp(&a.spent_on)
            .then(b.created_on.timestamp().cmp(&a.created_on.timestamp()))
            .then(a.id.cmp(&b.id))
    });
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

    #[test]
    fn text_filters_read_redmine_operators() {
        let f = |e: &str, v: Option<&str>| TextFilter::parse(e).matches(v);
        assert!(f("hb:a", Some("hb:a")));
        assert!(!f("hb:a", Some("hb:a:2")));
        assert!(f("hb:a|hb:b", Some("hb:b")));
        assert!(f("~HB:", Some("hb:a")));
        assert!(!f("!~hb", Some("hb:a")));
        assert!(f("^hb", Some("hb:a")) && f("$:a", Some("hb:a")));
        assert!(f("*", Some("x")) && !f("*", None) && f("!*", Some("")));
        assert!(f("!hb:a", None) && !f("!hb:a", Some("hb:a")));
    }
}
