//! `GET /tasks/{id}/estimate` (every effort on the task, deleted ones
//! flagged) and `POST /tasks/{id}/estimate` (record effort as the caller:
//! 200 with the updated task, not the effort).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use serde_json::Value;

use super::id;
use crate::common::lock;
use crate::zentao::auth::Caller;
use crate::zentao::error::{ZentaoError, ZentaoResult};
use crate::zentao::input::{object, records};
use crate::zentao::render;
use crate::zentao::state::ZentaoState;

pub async fn list(
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
    let efforts = store.efforts_on(task.id);
    Ok(Json(render::effort_list(&efforts, state.config.version)))
}

pub async fn record(
    State(state): State<Arc<ZentaoState>>,
    caller: Caller,
    Path(task): Path<String>,
    body: Bytes,
) -> ZentaoResult<Json<Value>> {
    let user = caller.user(&state).ok_or(ZentaoError::Unauthorized)?;
    let task_id = id(&task)?;
    if !user.record_effort {
        return Err(ZentaoError::Forbidden);
    }
    let map = object(&body)?;
    let mut store = lock(&state.store);
    let task = store
        .task(task_id)
        .filter(|t| state.directory.sees(user, t.project))
        .ok_or(ZentaoError::NotFound)?;
    // The web page offers no 记录工时 on these; the simulator's wording.
    match task.status {
        "closed" => return Err(ZentaoError::message("任务已关闭，不能记录工时。")),
        "cancel" => return Err(ZentaoError::message("任务已取消，不能记录工时。")),
        _ => {}
    }
    let rows = records(&map, state.config.version, state.today())?;
    if task.is_multi()
        && !task
            .team
            .iter()
            .any(|m| m.eq_ignore_ascii_case(&user.account))
    {
        return Err(ZentaoError::message(
            "您不是该多人任务的团队成员，不能记录工时。",
        ));
    }
    let updated = store
        .record(task_id, &user.account, &rows, Utc::now())
        .ok_or(ZentaoError::NotFound)?;
    if !rows.is_empty() {
        state.count(|s| s.writes += 1);
    }
    Ok(Json(render::task(
        &updated,
        &state.directory,
        state.config.version,
    )))
}
