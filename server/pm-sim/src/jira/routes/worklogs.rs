//! Worklogs of one issue: create (201), list, read, update (200), delete (204).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde_json::{json, Map, Value};

use super::body;
use crate::common::lock;
use crate::jira::auth::Caller;
use crate::jira::data::Issue;
use crate::jira::error::{JiraError, JiraResult};
use crate::jira::paging::{Page, Params};
use crate::jira::state::JiraState;
use crate::jira::store::{Comment, Worklog};
use crate::jira::time::{parse_started, parse_time_spent};
use crate::jira::{render, Api};

/// Longest property key and property value (as JSON text).
pub const MAX_PROPERTY_KEY: usize = 255;
pub const MAX_PROPERTY_VALUE: usize = 32_768;

/// The issue named in the path (404 when there is none).
pub fn find_issue(state: &JiraState, id_or_key: &str) -> JiraResult<Issue> {
    state
        .directory
        .issue(id_or_key)
        .cloned()
        .ok_or_else(JiraError::issue_not_found)
}

fn parse_worklog_id(text: &str) -> JiraResult<u64> {
    text.parse().map_err(|_| JiraError::worklog_not_found(text))
}

/// Checks `adjustEstimate` and the parameter each choice needs.
fn check_estimate_params(params: &Params, allow_manual: &str) -> JiraResult<()> {
    match params.get("adjustEstimate") {
        None | Some("auto") | Some("leave") => Ok(()),
        Some("new") if params.get("newEstimate").is_some() => Ok(()),
        Some("new") => Err(JiraError::field(
            "newEstimate",
            "You must supply a valid new estimate.",
        )),
        Some("manual") if params.get(allow_manual).is_some() => Ok(()),
        Some("manual") => Err(JiraError::field(
            allow_manual,
            "You must supply a valid amount to adjust the estimate by.",
        )),
        Some(other) => Err(JiraError::bad_request(format!(
            "Invalid value '{other}' for adjustEstimate."
        ))),
    }
}

/// The fields of a create or update body, validated.
struct WorklogInput {
    started: Option<chrono::DateTime<chrono::FixedOffset>>,
    seconds: Option<u64>,
    comment: Option<Comment>,
    properties: Option<BTreeMap<String, Value>>,
}

fn read_input(api: Api, map: &Map<String, Value>, creating: bool) -> JiraResult<WorklogInput> {
    let started = match map.get("started") {
        None | Some(Value::Null) if creating => {
            return Err(JiraError::field("started", "You must specify a start date."))
        }
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(parse_started(text).ok_or_else(|| {
            JiraError::field(
                "started",
                format!("Could not parse the started date '{text}': expected yyyy-MM-dd'T'HH:mm:ss.SSSZ (e.g. 2024-03-01T09:00:00.000+0800)."),
            )
        })?),
        Some(_) => return Err(JiraError::field("started", "The started date must be a string.")),
    };
    let by_seconds = map.get("timeSpentSeconds").filter(|v| !v.is_null());
    let by_text = map.get("timeSpent").filter(|v| !v.is_null());
    let seconds = match (by_seconds, by_text) {
        (Some(_), Some(_)) => {
            return Err(JiraError::field(
                "timeLogged",
                "Provide either timeSpent or timeSpentSeconds, not both.",
            ))
        }
        (None, None) if creating => {
            return Err(JiraError::field(
                "timeLogged",
                "You must indicate the time spent working.",
            ))
        }
        (None, None) => None,
        (Some(v), None) => Some(v.as_u64().ok_or_else(|| {
            JiraError::field(
                "timeLogged",
                "timeSpentSeconds must be a whole number of seconds.",
            )
        })?),
        (None, Some(v)) => Some(
            v.as_str()
                .and_then(parse_time_spent)
                .ok_or_else(|| JiraError::field("timeLogged", "Invalid time duration entered."))?,
        ),
    };
    if seconds == Some(0) {
        return Err(JiraError::field(
            "timeLogged",
            "Time Spent must be greater than 0.",
        ));
    }
    let comment =
        match (api, map.get("comment")) {
            (_, None | Some(Value::Null)) => None,
            (Api::Cloud, Some(doc @ Value::Object(o))) if o.get("type") == Some(&json!("doc")) => {
                Some(Comment::Adf(doc.clone()))
            }
            (Api::Cloud, Some(_)) => return Err(JiraError::field(
                "comment",
                "Operation value must be an Atlassian Document (see the Atlassian Document Format)",
            )),
            (Api::DataCenter, Some(Value::String(text))) => Some(Comment::Text(text.clone())),
            (Api::DataCenter, Some(_)) => {
                return Err(JiraError::field("comment", "The comment must be a string."))
            }
        };
    let properties = match map.get("properties") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            let mut out = BTreeMap::new();
            for item in items {
                let key = item.get("key").and_then(Value::as_str).unwrap_or("");
                let value = item.get("value").cloned().unwrap_or(Value::Null);
                check_property(key, &value)?;
                out.insert(key.to_owned(), value);
            }
            Some(out)
        }
        Some(_) => return Err(JiraError::bad_request("'properties' must be a list.")),
    };
    Ok(WorklogInput {
        started,
        seconds,
        comment,
        properties,
    })
}

/// A property's key and value limits.
pub fn check_property(key: &str, value: &Value) -> JiraResult<()> {
    if key.is_empty() || key.chars().count() > MAX_PROPERTY_KEY {
        return Err(JiraError::bad_request(format!(
            "The property key must be between 1 and {MAX_PROPERTY_KEY} characters."
        )));
    }
    if value.to_string().chars().count() > MAX_PROPERTY_VALUE {
        return Err(JiraError::bad_request(format!(
            "The property value is too long: at most {MAX_PROPERTY_VALUE} characters."
        )));
    }
    Ok(())
}

fn forbidden_worklog(action: &str) -> JiraError {
    JiraError::bad_request(format!(
        "You do not have the permission to {action} a worklog on this issue."
    ))
}

fn project_key(state: &JiraState, issue: &Issue) -> String {
    state
        .directory
        .project_of(issue)
        .map(|p| p.key.clone())
        .unwrap_or_default()
}

pub async fn create(
    State(state): State<Arc<JiraState>>,
    caller: Caller,
    Path(id_or_key): Path<String>,
    params: Params,
    uri: Uri,
    bytes: Bytes,
) -> JiraResult<Response> {
    let api = Api::of_path(uri.path());
    let issue = find_issue(&state, &id_or_key)?;
    if !caller.may_log_work_on(&state, &project_key(&state, &issue)) {
        return Err(forbidden_worklog("associate"));
    }
    check_estimate_params(&params, "reduceBy")?;
    let input = read_input(api, &body::object(&bytes)?, true)?;
    let author = caller
        .user(&state)
        .map(|u| u.account_id.clone())
        .ok_or_else(JiraError::unauthorized)?;
    let (Some(started), Some(seconds)) = (input.started, input.seconds) else {
        return Err(JiraError::bad_request(
            "started and the time spent are required.",
        ));
    };
    let now = Utc::now();
    let stored = {
        let mut store = lock(&state.worklogs);
        if store.of_issue(issue.id).len() >= state.config.max_worklogs_per_issue {
            return Err(JiraError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "The maximum number of worklogs for this issue has been reached.",
            ));
        }
        store.insert(Worklog {
            id: 0,
            issue_id: issue.id,
            issue_key: issue.key.clone(),
            author: author.clone(),
            update_author: author,
            comment: input.comment,
            created: now,
            updated: now,
            started,
            time_spent_seconds: seconds,
            properties: input.properties.unwrap_or_default(),
        })
    };
    state.count_write();
    let body = render::worklog(&state, api, &stored, params.expands("properties"));
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

pub async fn list(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    Path(id_or_key): Path<String>,
    params: Params,
    uri: Uri,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    let issue = find_issue(&state, &id_or_key)?;
    let page = Page::from_params(&params, 5000, 5000)?;
    let after = params.int("startedAfter")?;
    let before = params.int("startedBefore")?;
    let store = lock(&state.worklogs);
    let matching: Vec<&Worklog> = store
        .of_issue(issue.id)
        .into_iter()
        .filter(|w| {
            let ms = w.started.timestamp_millis();
            after.is_none_or(|a| ms >= a) && before.is_none_or(|b| ms < b)
        })
        .collect();
    let expand = params.expands("properties");
    Ok(Json(json!({
        "startAt": page.start_at,
        "maxResults": page.max_results,
        "total": matching.len(),
        "worklogs": page
            .slice(&matching)
            .iter()
            .map(|w| render::worklog(&state, api, w, expand))
            .collect::<Vec<_>>(),
    })))
}

/// The worklog `id` of `issue` (404 when it is not there).
pub fn find_worklog(state: &JiraState, issue: &Issue, id: &str) -> JiraResult<Worklog> {
    let wanted = parse_worklog_id(id)?;
    lock(&state.worklogs)
        .get(wanted)
        .filter(|w| w.issue_id == issue.id)
        .cloned()
        .ok_or_else(|| JiraError::worklog_not_found(id))
}

pub async fn one(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    Path((id_or_key, id)): Path<(String, String)>,
    params: Params,
    uri: Uri,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    let issue = find_issue(&state, &id_or_key)?;
    let worklog = find_worklog(&state, &issue, &id)?;
    Ok(Json(render::worklog(
        &state,
        api,
        &worklog,
        params.expands("properties"),
    )))
}

pub async fn update(
    State(state): State<Arc<JiraState>>,
    caller: Caller,
    Path((id_or_key, id)): Path<(String, String)>,
    params: Params,
    uri: Uri,
    bytes: Bytes,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    let issue = find_issue(&state, &id_or_key)?;
    find_worklog(&state, &issue, &id)?;
    if !caller.may_log_work_on(&state, &project_key(&state, &issue)) {
        return Err(forbidden_worklog("update"));
    }
    check_estimate_params(&params, "reduceBy")?;
    let input = read_input(api, &body::object(&bytes)?, false)?;
    let editor = caller
        .user(&state)
        .map(|u| u.account_id.clone())
        .ok_or_else(JiraError::unauthorized)?;
    let updated = {
        let mut store = lock(&state.worklogs);
        let worklog = parse_worklog_id(&id)
            .ok()
            .and_then(|wanted| store.get_mut(wanted))
            .ok_or_else(|| JiraError::worklog_not_found(&id))?;
        if let Some(started) = input.started {
            worklog.started = started;
        }
        if let Some(seconds) = input.seconds {
            worklog.time_spent_seconds = seconds;
        }
        if let Some(comment) = input.comment {
            worklog.comment = Some(comment);
        }
        if let Some(properties) = input.properties {
            worklog.properties.extend(properties);
        }
        worklog.update_author = editor;
        worklog.updated = Utc::now();
        worklog.clone()
    };
    state.count_write();
    Ok(Json(render::worklog(
        &state,
        api,
        &updated,
        params.expands("properties"),
    )))
}

pub async fn delete(
    State(state): State<Arc<JiraState>>,
    caller: Caller,
    Path((id_or_key, id)): Path<(String, String)>,
    params: Params,
) -> JiraResult<StatusCode> {
    let issue = find_issue(&state, &id_or_key)?;
    let worklog = find_worklog(&state, &issue, &id)?;
    if !caller.may_log_work_on(&state, &project_key(&state, &issue)) {
        return Err(JiraError::new(
            StatusCode::FORBIDDEN,
            "You do not have the permission to delete this worklog.",
        ));
    }
    check_estimate_params(&params, "increaseBy")?;
    lock(&state.worklogs).remove(worklog.id, Utc::now());
    state.count_write();
    Ok(StatusCode::NO_CONTENT)
}
