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
