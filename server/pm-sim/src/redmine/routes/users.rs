//! `GET /users/current.json`, `GET /users.json` (administrators only),
//! `GET /users/{id}.json`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::json_id;
use crate::redmine::auth::Caller;
use crate::redmine::data::RedmineUser;
use crate::redmine::error::{RedmineError, RedmineResult};
use crate::redmine::paging::{Page, Params};
use crate::redmine::render;
use crate::redmine::state::RedmineState;

pub async fn current(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
) -> RedmineResult<Json<Value>> {
    let user = caller.user(&state).ok_or(RedmineError::NotFound)?;
    Ok(Json(
        json!({"user": render::user(user, caller.admin, true)}),
    ))
}

/// `name`: case-insensitive substring of login, mail, first or last name
/// (or of "first last" / "last first"); `status` default 1, empty = any.
fn matches(user: &RedmineUser, params: &Params) -> bool {
    let status_ok = match params.get("status") {
        None => user.status == 1,
        Some("") => true,
        Some(s) => s.trim().parse::<u8>().is_ok_and(|s| s == user.status),
    };
    let name_ok = match params.get("name").map(str::trim) {
        None | Some("") => true,
        Some(name) => {
            let needle = name.to_lowercase();
            [
                &user.login,
                &user.mail,
                &user.firstname,
                &user.lastname,
                &format!("{} {}", user.firstname, user.lastname),
                &format!("{} {}", user.lastname, user.firstname),
                &user.name(),
            ]
            .iter()
            .any(|field| field.to_lowercase().contains(&needle))
        }
    };
    status_ok && name_ok
}

pub async fn list(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    params: Params,
) -> RedmineResult<Json<Value>> {
    if !caller.admin {
        return Err(RedmineError::Forbidden);
    }
    let mut users: Vec<&RedmineUser> = state
        .directory
        .users
        .iter()
        .filter(|u| matches(u, &params))
        .collect();
    users.sort_by(|a, b| a.login.cmp(&b.login));
    let items = users
        .into_iter()
        .map(|u| render::user(u, true, u.id == caller.user_id))
        .collect();
    Ok(Json(Page::from_params(&params).envelope("users", items)))
}

pub async fn one(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> RedmineResult<Json<Value>> {
    let id = if id == "current.json" {
        caller.user_id
    } else {
        json_id(&id)?
    };
    let user = state.directory.user(id).ok_or(RedmineError::NotFound)?;
    // Non-administrators see active users only.
    if !caller.admin && !user.is_active() {
        return Err(RedmineError::NotFound);
    }
    let own = user.id == caller.user_id;
    Ok(Json(json!({"user": render::user(user, caller.admin, own)})))
}
