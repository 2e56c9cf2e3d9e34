//! One time entry: create (201 + `Location`), show, update (204), delete (204).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::json_id;
use crate::common::lock;
use crate::redmine::auth::Caller;
use crate::redmine::error::{RedmineError, RedmineResult};
use crate::redmine::input::{apply, blank, time_entry_object};
use crate::redmine::render;
use crate::redmine::state::RedmineState;
use crate::redmine::store::TimeEntry;

/// The entry `/time_entries/{id}.json` names, if the caller sees its project.
fn visible(state: &RedmineState, caller: &Caller, segment: &str) -> RedmineResult<TimeEntry> {
    let id = json_id(segment)?;
    let entry = lock(&state.entries)
        .get(id)
        .cloned()
        .ok_or(RedmineError::NotFound)?;
    let project = state
        .directory
        .project_by_id(entry.project_id)
        .ok_or(RedmineError::NotFound)?;
    if !caller.sees(project) {
        return Err(RedmineError::NotFound);
    }
    Ok(entry)
}

pub async fn create(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    body: Bytes,
) -> RedmineResult<Response> {
    let input = time_entry_object(&body)?;
    let entry = apply(&state, &caller, blank(&caller), &input, true)?;
    let entry = lock(&state.entries).insert(entry);
    state.count_write();
    let body = json!({
        "time_entry": render::time_entry(&entry, &state.directory, state.config.custom_field_id)
    });
    let location = format!("/time_entries/{}.json", entry.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(body),
    )
        .into_response())
}

pub async fn show(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> RedmineResult<Response> {
    let entry = visible(&state, &caller, &id)?;
    let body = json!({
        "time_entry": render::time_entry(&entry, &state.directory, state.config.custom_field_id)
    });
    Ok(Json(body).into_response())
}

pub async fn update(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> RedmineResult<Response> {
    let entry = visible(&state, &caller, &id)?;
    let input = time_entry_object(&body)?;
    let updated = apply(&state, &caller, entry, &input, false)?;
    lock(&state.entries).replace(updated);
    state.count_write();
    Ok((StatusCode::NO_CONTENT, Body::empty()).into_response())
}

pub async fn delete(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> RedmineResult<Response> {
    let entry = visible(&state, &caller, &id)?;
    let project = state
        .directory
        .project_by_id(entry.project_id)
        .ok_or(RedmineError::NotFound)?;
    if !caller.may_edit(project, entry.user_id) {
        return Err(RedmineError::Forbidden);
    }
    lock(&state.entries).remove(entry.id);
    state.count_write();
    Ok((StatusCode::NO_CONTENT, Body::empty()).into_response())
}
