//! Spaces: the keys a user sees (`POST /open_api/projects`), their details
//! (`POST /open_api/projects/detail`), a space's members
//! (`POST /open_api/{project_key}/user_groups/members/page`) and teams
//! (`GET /open_api/{project_key}/teams/all`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::feishu::auth;
use crate::feishu::error::{
    ok, FeishuError, FeishuResult, PAGE_SIZE_LIMIT, PERMISSION_DENIED, USER_NOT_FOUND,
};
use crate::feishu::input::{object, text, texts, Page};
use crate::feishu::render;
use crate::feishu::state::FeishuState;

/// The space keys `user_key` (in the body) is a member or administrator of.
pub async fn list(
    State(state): State<Arc<FeishuState>>,
    headers: HeaderMap,
    body: Bytes,
) -> FeishuResult<Json<Value>> {
    auth::plugin(&state, &headers)?;
    let body = object(&body)?;
    let Some(key) = text(&body, "user_key")? else {
        return Err(FeishuError::invalid("user_key is required"));
    };
    let user = state
        .directory
        .user(key)
        .ok_or_else(|| FeishuError::new(USER_NOT_FOUND, format!("user not found: {key}")))?;
    let keys: Vec<&str> = state
        .directory
        .spaces
        .iter()
        .filter(|s| s.is_member(&user.user_key) || s.is_admin(&user.user_key))
        .map(|s| s.project_key.as_str())
        .collect();
    Ok(Json(ok(json!(keys))))
}

/// Details of the named spaces (by key or simple name) that exist, and that
/// `user_key` sees when one is given.
pub async fn detail(
    State(state): State<Arc<FeishuState>>,
    headers: HeaderMap,
    body: Bytes,
) -> FeishuResult<Json<Value>> {
    auth::plugin(&state, &headers)?;
    let body = object(&body)?;
    let viewer =
        match text(&body, "user_key")? {
            Some(key) => Some(state.directory.user(key).ok_or_else(|| {
                FeishuError::new(USER_NOT_FOUND, format!("user not found: {key}"))
            })?),
            None => None,
        };
    let mut out = Map::new();
    let names = texts(&body, "project_keys")?
        .into_iter()
        .chain(texts(&body, "simple_names")?);
    for name in names {
        let Some(space) = state.directory.space(&name) else {
            continue;
        };
        let sees =
            viewer.is_none_or(|u| space.is_member(&u.user_key) || space.is_admin(&u.user_key));
        if sees {
            out.insert(space.project_key.clone(), render::space(space));
        }
    }
    Ok(Json(ok(Value::Object(out))))
}

/// The members of a user group of the space, a page at a time (the space
/// members for `PROJECT_MEMBER`, its administrators for `PROJECT_ADMIN`;
/// the simulator has no custom groups).
pub async fn members(
    State(state): State<Arc<FeishuState>>,
    Path(project_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> FeishuResult<Json<Value>> {
    let user = auth::user(&state, &headers)?;
    let space = auth::space(&state, user, &project_key)?;
    if state.config.members_need_user_token {
        return Err(FeishuError::new(
            PERMISSION_DENIED,
            "this API accepts a user_access_token only",
        ));
    }
    let body = object(&body)?;
    let page = Page::read(&body, 50, 100)?;
    let (id, name, everyone) = match text(&body, "user_group_type")? {
        Some("PROJECT_MEMBER") => ("project_member", "空间成员", &space.members),
        Some("PROJECT_ADMIN") => ("project_admin", "空间管理员", &space.administrators),
        Some("CUSTOMIZE") => {
            let empty = json!({"list": [], "pagination": {"page_num": page.num, "page_size": page.size, "has_more": false}});
            return Ok(Json(ok(empty)));
        }
        _ => {
            return Err(FeishuError::invalid(
                "user_group_type must be PROJECT_ADMIN, PROJECT_MEMBER or CUSTOMIZE",
            ))
        }
    };
    let data = json!({
        "list": [{
            "id": format!("{}_{id}", space.project_key),
            "name": name,
            "user_count": everyone.len(),
            "user_members": page.window(everyone),
        }],
        "pagination": {"page_num": page.num, "page_size": page.size, "has_more": page.has_more(everyone.len())},
    });
    Ok(Json(ok(data)))
}

#[derive(Debug, Deserialize)]
pub struct TeamWindow {
    offset: Option<String>,
    limit: Option<String>,
}

/// The space's teams, `offset`/`limit` (at most 300, the default).
pub async fn teams(
    State(state): State<Arc<FeishuState>>,
    Path(project_key): Path<String>,
    Query(window): Query<TeamWindow>,
    headers: HeaderMap,
) -> FeishuResult<Json<Value>> {
    let user = auth::user(&state, &headers)?;
    let space = auth::space(&state, user, &project_key)?;
    let number = |v: &Option<String>, name: &str, default: usize| match v {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<usize>()
            .map_err(|_| FeishuError::invalid(format!("{name} must be a whole number"))),
    };
    let offset = number(&window.offset, "offset", 0)?;
    let limit = number(&window.limit, "limit", 300)?;
    if limit > 300 {
        return Err(FeishuError::new(
            PAGE_SIZE_LIMIT,
            "limit must be at most 300",
        ));
    }
    let limit = if limit == 0 { 300 } else { limit };
    let page: Vec<Value> = space
        .teams
        .iter()
        .skip(offset)
        .take(limit)
        .map(|t| {
            json!({
                "team_id": t.team_id,
                "team_name": t.team_name,
                "user_keys": t.user_keys,
                "administrators": t.administrators,
            })
        })
        .collect();
    let has_more = offset.saturating_add(limit) < space.teams.len();
    Ok(Json(json!({
        "err_code": 0, "err_msg": "", "err": {},
        "data": page,
        "has_more": has_more,
    })))
}
