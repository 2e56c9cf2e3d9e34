//! One time entry: create (201 + `Location: http://HOST/time_entries/N`),
//! show, update (204), delete (204).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::json_id;
use crate::common::lock;
use crate::redmine::auth::Caller;
use crate::redmine::data::Project;
use crate::redmine::error::{RedmineError, RedmineResult};
use crate::redmine::input::{apply, blank, time_entry_object};
use crate::redmine::render;
use crate::redmine::state::RedmineState;
use crate::redmine::store::TimeEntry;

/// The entry `/time_entries/{id}.json` names (404 when there is none).
fn existing<'a>(state: &'a RedmineState, segment: &str) -> RedmineResult<(TimeEntry, &'a Project)> {
    let id = json_id(segment)?;
    let entry = lock(&state.entries)
        .get(id)
        .cloned()
        .ok_or(RedmineError::NotFound)?;
    let project = state
        .directory
        .project_by_id(entry.project_id)
        .ok_or(RedmineError::NotFound)?;
    Ok((entry, project))
}

/// `http://HOST/time_entries/N`, as Rails' `time_entry_url` builds it.
fn location(headers: &HeaderMap, id: u64) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}/time_entries/{id}")
}

pub async fn create(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> RedmineResult<Response> {
    let input = time_entry_object(&body)?;
    caller.logged_in()?;
    let entry = apply(&state, &caller, blank(&state, &caller), &input, true)?;
    let entry = lock(&state.entries).insert(entry);
    state.count_write();
    let body = json!({
        "time_entry": render::time_entry(&entry, &state.directory, state.config.custom_field_id)
    });
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location(&headers, entry.id))],
        Json(body),
    )
        .into_response())
}

/// 404 unknown; 403 (401 anonymous) when the caller may not see the project.
pub async fn show(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> RedmineResult<Response> {
    let (entry, project) = existing(&state, &id)?;
    if !caller.sees(project) {
        return Err(caller.denied());
    }
    let body = json!({
        "time_entry": render::time_entry(&entry, &state.directory, state.config.custom_field_id)
    });
    Ok(Json(body).into_response())
}

/// 404 unknown; 403 (also anonymous) unless the caller has *Edit time logs*,
/// or *Edit own time logs* and the entry is theirs; then 204 or 422.
pub async fn update(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> RedmineResult<Response> {
    let input = time_entry_object(&body)?;
    let (entry, project) = existing(&state, &id)?;
    if !caller.may_edit(project, entry.user_id) {
        return Err(RedmineError::Forbidden);
    }
    let updated = apply(&state, &caller, entry, &input, false)?;
    lock(&state.entries).replace(updated);
    state.count_write();
    Ok((StatusCode::NO_CONTENT, Body::empty()).into_response())
}

/// 404 unknown; 403 (401 anonymous) unless the caller may edit it; 204.
pub async fn delete(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> RedmineResult<Response> {
    let (entry, project) = existing(&state, &id)?;
    if !caller.may_edit(project, entry.user_id) {
        return Err(caller.denied());
    }
    lock(&state.entries).remove(entry.id);
    state.count_write();
    Ok((StatusCode::NO_CONTENT, Body::empty()).into_response())
}
