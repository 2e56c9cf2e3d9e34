//! Worklog properties: list keys, read, put (201 new / 200 replaced), delete (204).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::Json;
use serde_json::{json, Value};

use super::worklogs::{check_property, find_issue, find_worklog};
use crate::common::lock;
use crate::jira::auth::Caller;
use crate::jira::error::{JiraError, JiraResult};
use crate::jira::state::JiraState;
use crate::jira::Api;

fn no_property(key: &str) -> JiraError {
    JiraError::new(
        StatusCode::NOT_FOUND,
        format!("The property with key '{key}' does not exist."),
    )
}

pub async fn keys(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    Path((id_or_key, worklog_id)): Path<(String, String)>,
    uri: Uri,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    let issue = find_issue(&state, &id_or_key)?;
    let worklog = find_worklog(&state, &issue, &worklog_id)?;
    let base = format!(
        "{}/issue/{}/worklog/{}/properties",
        state.api_base(api),
        issue.id,
        worklog.id
    );
    let keys: Vec<Value> = worklog
        .properties
        .keys()
        .map(|k| json!({"key": k, "self": format!("{base}/{k}")}))
        .collect();
    Ok(Json(json!({"keys": keys})))
}

pub async fn get(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    Path((id_or_key, worklog_id, key)): Path<(String, String, String)>,
) -> JiraResult<Json<Value>> {
    let issue = find_issue(&state, &id_or_key)?;
    let worklog = find_worklog(&state, &issue, &worklog_id)?;
    let value = worklog
        .properties
        .get(&key)
        .ok_or_else(|| no_property(&key))?;
    Ok(Json(json!({"key": key, "value": value})))
}

pub async fn put(
    State(state): State<Arc<JiraState>>,
    caller: Caller,
    Path((id_or_key, worklog_id, key)): Path<(String, String, String)>,
    bytes: Bytes,
) -> JiraResult<StatusCode> {
    let issue = find_issue(&state, &id_or_key)?;
    let worklog = find_worklog(&state, &issue, &worklog_id)?;
    let project = state.directory.project_of(&issue).map(|p| p.key.clone());
    if !project.is_some_and(|p| caller.may_log_work_on(&state, &p)) {
        return Err(JiraError::new(
            StatusCode::FORBIDDEN,
            "You do not have permission to edit this worklog.",
        ));
    }
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| JiraError::bad_json(&e))?;
    if value.is_null() {
        return Err(JiraError::bad_request(
            "The property value must not be empty.",
        ));
    }
    check_property(&key, &value)?;
    let existed = {
        let mut store = lock(&state.worklogs);
        let stored = store
            .get_mut(worklog.id)
            .ok_or_else(|| JiraError::worklog_not_found(&worklog_id))?;
        stored.properties.insert(key, value).is_some()
    };
    state.count_write();
    Ok(if existed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    })
}

pub async fn delete(
    State(state): State<Arc<JiraState>>,
    caller: Caller,
    Path((id_or_key, worklog_id, key)): Path<(String, String, String)>,
) -> JiraResult<StatusCode> {
    let issue = find_issue(&state, &id_or_key)?;
    let worklog = find_worklog(&state, &issue, &worklog_id)?;
    let project = state.directory.project_of(&issue).map(|p| p.key.clone());
    if !project.is_some_and(|p| caller.may_log_work_on(&state, &p)) {
        return Err(JiraError::new(
            StatusCode::FORBIDDEN,
            "You do not have permission to edit this worklog.",
        ));
    }
    let removed = lock(&state.worklogs)
        .get_mut(worklog.id)
        .and_then(|w| w.properties.remove(&key));
    if removed.is_none() {
        return Err(no_property(&key));
    }
    state.count_write();
    Ok(StatusCode::NO_CONTENT)
}
