//! `GET /executions/{id}/tasks` (paged, `status=` filter) and
//! `GET /tasks/{id}`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::Value;

use super::id;
use crate::common::lock;
use crate::zentao::auth::Caller;
use crate::zentao::error::{ZentaoError, ZentaoResult};
use crate::zentao::paging::{envelope, Echo, Params};
use crate::zentao::render;
use crate::zentao::state::ZentaoState;

pub async fn of_execution(
    State(state): State<Arc<ZentaoState>>,
    caller: Caller,
    Path(execution): Path<String>,
    params: Params,
) -> ZentaoResult<Json<Value>> {
    let user = caller.user(&state).ok_or(ZentaoError::Unauthorized)?;
    let execution = state
        .directory
        .execution(id(&execution)?)
        .filter(|e| state.directory.sees(user, e.project))
        .ok_or(ZentaoError::NotFound)?;
    // `all` (and `undone`) as ZenTao's browse types; else one status.
    let wanted = params.get("status").unwrap_or("all").to_owned();
    let store = lock(&state.store);
    let items = store
        .tasks_of(execution.id)
        .into_iter()
        .filter(|t| match wanted.as_str() {
            "all" | "" => true,
            "undone" => !matches!(t.status, "done" | "closed" | "cancel"),
            status => t.status == status,
        })
        .map(|t| render::task(t, &state.directory, state.config.version))
        .collect();
    Ok(Json(envelope(&params, "tasks", items, Echo::Numbers)))
}

pub async fn one(
    State(state): State<Arc<ZentaoState>>,
    caller: Caller,
    Path(task): Path<String>,
) -> ZentaoResult<Json<Value>> {
    let user = caller.user(&state).ok_or(ZentaoError::Unauthorized)?;
    let store = lock(&state.store);
    let task = store
        .task(id(&task)?)
        .filter(|t| state.directory.sees(user, t.project))
        .ok_or(ZentaoError::NotFound)?;
    Ok(Json(render::task(
        task,
        &state.directory,
        state.config.version,
    )))
}
