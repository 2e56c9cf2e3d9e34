//! `GET /user` (the caller's profile), `GET /users` (needs
//! *company-browse*; `fileds=` adds fields, default order `id_desc`),
//! `GET /users/{id}`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::id;
use crate::zentao::auth::Caller;
use crate::zentao::data::ZentaoUser;
use crate::zentao::error::{ZentaoError, ZentaoResult};
use crate::zentao::paging::{envelope, Echo, Params};
use crate::zentao::render;
use crate::zentao::state::ZentaoState;

pub async fn me(
    State(state): State<Arc<ZentaoState>>,
    caller: Caller,
) -> ZentaoResult<Json<Value>> {
    let user = caller.user(&state).ok_or(ZentaoError::Unauthorized)?;
    Ok(Json(json!({ "profile": render::user_detail(user) })))
}

pub async fn list(
    State(state): State<Arc<ZentaoState>>,
    caller: Caller,
    params: Params,
) -> ZentaoResult<Json<Value>> {
    let user = caller.user(&state).ok_or(ZentaoError::Unauthorized)?;
    if !user.company_browse {
        return Err(ZentaoError::message("error: no company-browse priv."));
    }
    let extra: Vec<&str> = params.get("fileds").unwrap_or("").split(',').collect();
    let mut users: Vec<&ZentaoUser> = state
        .directory
        .users
        .iter()
        .filter(|u| !u.deleted)
        .collect();
    if params.get("order") != Some("id_asc") {
        users.reverse();
    }
    let items = users
        .into_iter()
        .map(|u| render::listed_user(u, &extra))
        .collect();
    Ok(Json(envelope(&params, "users", items, Echo::Numbers)))
}

pub async fn one(
    State(state): State<Arc<ZentaoState>>,
    caller: Caller,
    Path(user_id): Path<String>,
) -> ZentaoResult<Json<Value>> {
    let me = caller.user(&state).ok_or(ZentaoError::Unauthorized)?;
    let user = state
        .directory
        .user_by_id(id(&user_id)?)
        .filter(|u| !u.deleted)
        .ok_or(ZentaoError::NotFound)?;
    if user.id != me.id && !me.company_browse {
        return Err(ZentaoError::Forbidden);
    }
    Ok(Json(render::user_detail(user)))
}
