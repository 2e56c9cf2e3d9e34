//! `GET /quickstart/testauth`, `GET /workspaces/projects?company_id=`,
//! `GET /workspaces/get_workspace_info`, `GET /workspaces/users` (a
//! workspace's members, or with the company id every member; no paging).

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::tapd::auth::Caller;
use crate::tapd::error::{success, TapdError, TapdResult};
use crate::tapd::input::Input;
use crate::tapd::render;
use crate::tapd::state::TapdState;

/// Checks the credentials (TAPD echoes the account, password included).
pub async fn testauth(
    State(state): State<Arc<TapdState>>,
    caller: Caller,
) -> TapdResult<Json<Value>> {
    let account = caller.account(&state).ok_or_else(TapdError::unauthorized)?;
    Ok(success(json!({
        "api_user": account.api_user,
        "api_password": account.api_password,
        "request_ip": "127.0.0.1",
    })))
}

fn company<'a>(state: &'a TapdState, id: &str) -> TapdResult<&'a str> {
    if id == state.config.company_id {
        Ok(&state.config.company_id)
    } else {
        Err(TapdError::forbidden(format!(
            "no permission to access company {id}"
        )))
    }
}

/// The company's workspaces, the company itself (`organization`) first;
/// `category=project,…` keeps those categories.
pub async fn projects(
    State(state): State<Arc<TapdState>>,
    _caller: Caller,
    input: Input,
) -> TapdResult<Json<Value>> {
    let company_id = company(&state, input.required("company_id")?)?;
    let categories: Option<Vec<&str>> = input
        .get("category")
        .map(|c| c.split(',').map(str::trim).collect());
    let all = std::iter::once(render::company(company_id, "星桥科技（模拟）")).chain(
        state
            .directory
            .workspaces
            .iter()
            .map(|w| render::workspace(w, company_id)),
    );
    let rows: Vec<Value> = all
        .filter(|w| {
            categories.as_ref().is_none_or(|c| {
                w["category"]
                    .as_str()
                    .is_some_and(|category| c.contains(&category))
            })
        })
        .map(|w| json!({ "Workspace": w }))
        .collect();
    Ok(success(Value::Array(rows)))
}

pub async fn info(
    State(state): State<Arc<TapdState>>,
    caller: Caller,
    input: Input,
) -> TapdResult<Json<Value>> {
    let workspace = caller.workspace(&state, &input)?;
    let mut w = render::workspace(workspace, &state.config.company_id);
    if let Some(map) = w.as_object_mut() {
        map.insert("company_id".into(), json!(state.config.company_id));
    }
    Ok(success(json!({ "Workspace": w })))
}

/// Members of a workspace, or of the company when `workspace_id` is the
/// company id; `user=a,b` keeps those nicks; `fields=` as TAPD (default
/// `user` and `role_id` only).
pub async fn users(
    State(state): State<Arc<TapdState>>,
    caller: Caller,
    input: Input,
) -> TapdResult<Json<Value>> {
    let id = input.required("workspace_id")?;
    let dir = &state.directory;
    let nicks: Vec<&str> = if id == state.config.company_id {
        dir.members.iter().map(|m| m.nick.as_str()).collect()
    } else {
        let workspace = caller.workspace(&state, &input)?;
        workspace.members.iter().map(String::as_str).collect()
    };
    let only: Option<Vec<&str>> = input
        .get("user")
        .map(|u| u.split(',').map(str::trim).collect());
    let rows: Vec<Value> = nicks
        .into_iter()
        .filter(|n| only.as_ref().is_none_or(|o| o.contains(n)))
        .filter_map(|n| dir.member(n))
        .map(|m| json!({"UserWorkspace": render::member(m, input.get("fields"))}))
        .collect();
    Ok(success(Value::Array(rows)))
}
