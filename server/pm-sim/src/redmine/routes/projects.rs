//! `GET /projects.json`, `GET /projects/{id}.json` (the caller's projects,
//! by name; all for administrators; none for the anonymous user) and
//! `GET /enumerations/time_entry_activities.json`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use crate::redmine::auth::Caller;
use crate::redmine::data::ACTIVITIES;
use crate::redmine::error::{RedmineError, RedmineResult};
use crate::redmine::paging::{Page, Params};
use crate::redmine::render;
use crate::redmine::state::RedmineState;

pub async fn list(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    params: Params,
) -> Json<Value> {
    let with_activities = params.includes("time_entry_activities");
    // Redmine orders by the nested set, which sorts root projects by name.
    let mut projects: Vec<_> = state
        .directory
        .projects
        .iter()
        .filter(|p| caller.sees(p))
        .collect();
    projects.sort_by_cached_key(|p| (p.name.to_lowercase(), p.id));
    let items = projects
        .into_iter()
        .map(|p| render::project(p, with_activities))
        .collect();
    Json(Page::from_params(&params).envelope("projects", items))
}

pub async fn one(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> RedmineResult<Json<Value>> {
    let id = id.strip_suffix(".json").ok_or(RedmineError::NotFound)?;
    let project = state.directory.project(id).ok_or(RedmineError::NotFound)?;
    if !caller.sees(project) {
        return Err(caller.denied());
    }
    let with_activities = params.includes("time_entry_activities");
    Ok(Json(
        json!({"project": render::project(project, with_activities)}),
    ))
}

pub async fn activities(State(state): State<Arc<RedmineState>>, _caller: Caller) -> Json<Value> {
    let default = state.config.default_activity;
    let items: Vec<Value> = ACTIVITIES
        .iter()
        .filter(|a| a.active)
        .map(|a| {
            json!({"id": a.id, "name": a.name, "is_default": default == Some(a.id), "active": a.active})
        })
        .collect();
    Json(json!({ "time_entry_activities": items }))
}
