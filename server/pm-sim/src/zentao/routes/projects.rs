//! `GET /projects` and `GET /projects/{id}/executions` (paged; the
//! executions list echoes `page` and `limit` as strings).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::Value;

use super::id;
use crate::zentao::auth::Caller;
use crate::zentao::error::{ZentaoError, ZentaoResult};
use crate::zentao::paging::{envelope, Echo, Params};
use crate::zentao::render;
use crate::zentao::state::ZentaoState;

pub async fn list(
    State(state): State<Arc<ZentaoState>>,
    caller: Caller,
    params: Params,
) -> ZentaoResult<Json<Value>> {
    let user = caller.user(&state).ok_or(ZentaoError::Unauthorized)?;
    let items = state
        .directory
        .projects
        .iter()
        .filter(|p| state.directory.sees(user, p.id))
        .map(render::project)
        .collect();
    Ok(Json(envelope(&params, "projects", items, Echo::Numbers)))
}

pub async fn executions(
    State(state): State<Arc<ZentaoState>>,
    caller: Caller,
    Path(project): Path<String>,
    params: Params,
) -> ZentaoResult<Json<Value>> {
    let user = caller.user(&state).ok_or(ZentaoError::Unauthorized)?;
    let project = state
        .directory
        .project(id(&project)?)
        .filter(|p| state.directory.sees(user, p.id))
        .ok_or(ZentaoError::NotFound)?;
    // Newest first (`order=id_desc`, the entry's default).
    let items = state
        .directory
        .executions
        .iter()
        .rev()
        .filter(|e| e.project == project.id)
        .map(render::execution)
        .collect();
    Ok(Json(envelope(&params, "executions", items, Echo::Strings)))
}
