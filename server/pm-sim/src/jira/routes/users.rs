//! `myself` and user searches.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;

use crate::jira::auth::Caller;
use crate::jira::data::JiraUser;
use crate::jira::error::{JiraError, JiraResult};
use crate::jira::paging::{Page, Params};
use crate::jira::state::JiraState;
use crate::jira::{render, Api};

pub async fn myself(
    State(state): State<Arc<JiraState>>,
    caller: Caller,
    uri: axum::http::Uri,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    let user = caller.user(&state).ok_or_else(JiraError::unauthorized)?;
    Ok(Json(render::user(&state, api, user)))
}

fn users_json(state: &JiraState, api: Api, users: &[&JiraUser]) -> Json<Value> {
    Json(Value::Array(
        users.iter().map(|u| render::user(state, api, u)).collect(),
    ))
}

/// Cloud `GET /user/search?query=` (prefix of displayName, a word of it, or
/// e-mail) or `?accountId=`.
pub async fn search_cloud(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    params: Params,
) -> JiraResult<Json<Value>> {
    let page = Page::from_params(&params, 50, 1000)?;
    let found: Vec<&JiraUser> = if let Some(id) = params.get("accountId") {
        state
            .directory
            .user_by_account_id(id)
            .map(|(_, u)| u)
            .into_iter()
            .collect()
    } else if let Some(query) = params.get("query") {
        let query = query.trim().to_lowercase();
        state
            .directory
            .users
            .iter()
            .filter(|u| u.active && prefix_match(u, &query))
            .collect()
    } else {
        return Err(JiraError::bad_request(
            "One of 'query' or 'accountId' query parameters must be provided.",
        ));
    };
    Ok(users_json(&state, Api::Cloud, page.slice(&found)))
}

fn prefix_match(user: &JiraUser, query: &str) -> bool {
    if query.is_empty() {
        return false;
    }
    let name = user.display_name.to_lowercase();
    user.email.to_lowercase().starts_with(query)
        || name.starts_with(query)
        || name.split_whitespace().any(|w| w.starts_with(query))
}

/// Cloud `GET /users/search?startAt&maxResults` (all users).
pub async fn all_cloud(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    params: Params,
) -> JiraResult<Json<Value>> {
    let page = Page::from_params(&params, 50, 1000)?;
    let all: Vec<&JiraUser> = state.directory.users.iter().collect();
    Ok(users_json(&state, Api::Cloud, page.slice(&all)))
}

/// DC `GET /user/search?username=` (substring of name, e-mail or display
/// name; inactive users only with `includeInactive=true`).
pub async fn search_dc(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    params: Params,
) -> JiraResult<Json<Value>> {
    let page = Page::from_params(&params, 50, 1000)?;
    let Some(query) = params.get("username").map(|q| q.trim().to_lowercase()) else {
        return Err(JiraError::bad_request(
            "The username query parameter was not provided",
        ));
    };
    let active = params.get("includeActive") != Some("false");
    let inactive = params.get("includeInactive") == Some("true");
    let found: Vec<&JiraUser> = state
        .directory
        .users
        .iter()
        .filter(|u| (u.active && active) || (!u.active && inactive))
        .filter(|u| {
            query == "."
                || u.name.to_lowercase().contains(&query)
                || u.email.to_lowercase().contains(&query)
                || u.display_name.to_lowercase().contains(&query)
        })
        .collect();
    Ok(users_json(&state, Api::DataCenter, page.slice(&found)))
}

/// `GET /user?accountId=` (Cloud) or `?username=` / `?key=` (DC).
pub async fn one(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    params: Params,
    uri: axum::http::Uri,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    let dir = &state.directory;
    let found = match api {
        Api::Cloud => params
            .get("accountId")
            .and_then(|id| dir.user_by_account_id(id)),
        Api::DataCenter => params
            .get("username")
            .or_else(|| params.get("key"))
            .and_then(|name| dir.user_by_name(name)),
    };
    match found {
        Some((_, user)) => Ok(Json(render::user(&state, api, user))),
        None => Err(JiraError::new(
            StatusCode::NOT_FOUND,
            "The user does not exist or you do not have permission to see them.",
        )),
    }
}

/// The project permissions the simulator knows, with Jira's names.
const PERMISSIONS: [(&str, &str, &str); 2] = [
    ("BROWSE_PROJECTS", "10", "Browse Projects"),
    ("WORK_ON_ISSUES", "20", "Work On Issues"),
];

/// `GET /mypermissions?permissions=A,B[&projectKey=]`: whether the caller
/// holds each permission (in that project, or in any project without one).
/// Cloud refuses the call without `permissions`, as Jira has since 2019.
pub async fn my_permissions(
    State(state): State<Arc<JiraState>>,
    caller: Caller,
    uri: axum::http::Uri,
    params: Params,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    let account = caller.account(&state).ok_or_else(JiraError::unauthorized)?;
    let asked: Vec<&str> = params
        .get("permissions")
        .map(|p| {
            p.split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if asked.is_empty() && api == Api::Cloud {
        return Err(JiraError::bad_request(
            "The 'permissions' query parameter is required.",
        ));
    }
    let project = params.get("projectKey");
    if let Some(key) = project {
        if !state.directory.projects.iter().any(|p| p.key == key) {
            return Err(JiraError::new(
                StatusCode::NOT_FOUND,
                format!("No project could be found with key '{key}'."),
            ));
        }
    }
    let may_work = match project {
        Some(key) => account.may_log_work_on(key),
        None => account
            .worklog_projects
            .as_ref()
            .is_none_or(|p| !p.is_empty()),
    };
    let mut out = serde_json::Map::new();
    for (key, id, name) in PERMISSIONS {
        if !asked.is_empty() && !asked.contains(&key) {
            continue;
        }
        let have = key != "WORK_ON_ISSUES" || may_work;
        out.insert(
            key.to_owned(),
            serde_json::json!({"id": id, "key": key, "name": name, "type": "PROJECT", "havePermission": have}),
        );
    }
    if let Some(unknown) = asked
        .iter()
        .find(|k| !PERMISSIONS.iter().any(|p| p.0 == **k))
    {
        return Err(JiraError::bad_request(format!(
            "Invalid permission key: {unknown}"
        )));
    }
    Ok(Json(serde_json::json!({ "permissions": out })))
}
