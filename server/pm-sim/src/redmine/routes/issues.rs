//! `GET /issues.json`: `project_id` (id or identifier), `status_id` (open
//! by default, `*`, `closed`, ids joined by `|`), `assigned_to_id` (`me`),
//! `sort` (`id`, `id:desc`, default `id:desc`), `offset`/`limit`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::Value;

use crate::common::lock;
use crate::redmine::auth::Caller;
use crate::redmine::data::Issue;
use crate::redmine::error::{RedmineError, RedmineResult};
use crate::redmine::paging::{Page, Params};
use crate::redmine::render;
use crate::redmine::state::RedmineState;

fn status_ok(issue: &Issue, filter: Option<&str>) -> bool {
    match filter.map(str::trim) {
        None | Some("") | Some("o") | Some("open") => !issue.status.is_closed,
        Some("*") => true,
        Some("c") | Some("closed") => issue.status.is_closed,
        Some(ids) => ids
            .split('|')
            .any(|id| id.trim().parse::<u64>() == Ok(issue.status.id)),
    }
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
    let assignee = match params.get("assigned_to_id").map(str::trim) {
        None | Some("") => None,
        Some("me") => Some(Some(caller.user_id)),
        Some("!*") => Some(None),
        Some(id) => Some(Some(id.parse::<u64>().unwrap_or(0))),
    };
    let mut issues: Vec<&Issue> = dir
        .issues
        .iter()
        .filter(|i| {
            dir.project_by_id(i.project_id)
                .is_some_and(|p| caller.sees(p))
        })
        .filter(|i| project.is_none_or(|p| i.project_id == p))
        .filter(|i| assignee.is_none_or(|a| i.assigned_to == a))
        .filter(|i| status_ok(i, params.get("status_id")))
        .collect();
    let ascending = params.get("sort").is_some_and(|s| {
        s.split(',')
            .next()
            .is_some_and(|f| f.trim() == "id" || f.trim() == "id:asc")
    });
    if !ascending {
        issues.reverse();
    }
    let store = lock(&state.entries);
    let items = issues
        .into_iter()
        .map(|i| {
            // Folded from +0.0: an empty `sum()` of floats is -0.0.
            let spent = store
                .all()
                .filter(|e| e.issue_id == Some(i.id))
                .fold(0.0, |sum, e| sum + e.hours);
            render::issue(i, dir, spent)
        })
        .collect();
    Ok(Json(Page::from_params(&params).envelope("issues", items)))
}
