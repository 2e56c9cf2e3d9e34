//! Projects: Cloud `project/search` (paged), both flavours' `project` (all).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::Json;
use serde_json::{json, Value};

use crate::jira::auth::Caller;
use crate::jira::data::Project;
use crate::jira::error::{JiraError, JiraResult};
use crate::jira::paging::{Page, Params};
use crate::jira::state::JiraState;
use crate::jira::{render, Api};

/// `GET /project`: a plain array of every project.
pub async fn all(State(state): State<Arc<JiraState>>, _caller: Caller, uri: Uri) -> Json<Value> {
    let api = Api::of_path(uri.path());
    Json(Value::Array(
        state
            .directory
            .projects
            .iter()
            .map(|p| render::project(&state, api, p))
            .collect(),
    ))
}

pub async fn one(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    Path(id_or_key): Path<String>,
    uri: Uri,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    match state.directory.project(&id_or_key) {
        Some((_, p)) => Ok(Json(render::project(&state, api, p))),
        None => Err(JiraError::new(
            StatusCode::NOT_FOUND,
            format!("No project could be found with key '{id_or_key}'."),
        )),
    }
}

/// Cloud `GET /project/search?startAt&maxResults&query&keys`.
pub async fn search(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    params: Params,
) -> JiraResult<Json<Value>> {
    let page = Page::from_params(&params, 50, 100)?;
    let query = params.get("query").unwrap_or("").to_lowercase();
    let keys = params.all("keys");
    let found: Vec<&Project> = state
        .directory
        .projects
        .iter()
        .filter(|p| {
            query.is_empty()
                || p.key.to_lowercase().contains(&query)
                || p.name.to_lowercase().contains(&query)
        })
        .filter(|p| keys.is_empty() || keys.iter().any(|k| k.eq_ignore_ascii_case(&p.key)))
        .collect();
    let total = found.len();
    let is_last = page.is_last(total);
    let base = format!("{}/project/search", state.api_base(Api::Cloud));
    let mut body = json!({
        "self": format!("{base}?startAt={}&maxResults={}", page.start_at, page.max_results),
        "maxResults": page.max_results,
        "startAt": page.start_at,
        "total": total,
        "isLast": is_last,
        "values": page.slice(&found).iter().map(|p| render::project(&state, Api::Cloud, p)).collect::<Vec<_>>(),
    });
    if !is_last {
        if let Some(map) = body.as_object_mut() {
            let next = page.start_at + page.max_results;
            map.insert(
                "nextPage".into(),
                json!(format!(
                    "{base}?startAt={next}&maxResults={}",
                    page.max_results
                )),
            );
        }
    }
    Ok(Json(body))
}
