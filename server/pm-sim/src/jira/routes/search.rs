//! Issue search: Cloud `search/jql` (token paging; the old `search` is
//! 410), DC `search` (`startAt`/`total`), and one issue by key or id.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};

use super::body;
use crate::common::lock;
use crate::jira::auth::Caller;
use crate::jira::data::Issue;
use crate::jira::error::{JiraError, JiraResult};
use crate::jira::jql::Jql;
use crate::jira::paging::{Page, Params};
use crate::jira::state::JiraState;
use crate::jira::{render, Api};

pub async fn gone(_caller: Caller) -> JiraError {
    JiraError::new(
        StatusCode::GONE,
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. \
         A full migration guideline is available at \
         https://developer.atlassian.com/changelog/#CHANGE-2046",
    )
}

pub async fn issue(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    Path(id_or_key): Path<String>,
    params: Params,
    uri: Uri,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    let issue = state
        .directory
        .issue(&id_or_key)
        .ok_or_else(JiraError::issue_not_found)?;
    let fields = params.all("fields");
    let fields = wanted_fields(&fields, true);
    Ok(Json(render::issue(&state, api, issue, fields)))
}

/// `None` = every field; `Some(list)`; with `all_by_default`, no list = every field.
fn wanted_fields(fields: &[String], all_by_default: bool) -> Option<&[String]> {
    if fields.iter().any(|f| f == "*all" || f == "*navigable") {
        return None;
    }
    if fields.is_empty() && all_by_default {
        return None;
    }
    Some(fields)
}

/// The query of a search, from the URL or a JSON body.
struct SearchRequest {
    jql: String,
    fields: Vec<String>,
    max_results: Option<i64>,
    start_at: Option<i64>,
    next_page_token: Option<String>,
}

impl SearchRequest {
    fn from_params(params: &Params) -> JiraResult<Self> {
        Ok(Self {
            jql: params.get("jql").unwrap_or("").to_owned(),
            fields: params.all("fields"),
            max_results: params.int("maxResults")?,
            start_at: params.int("startAt")?,
            next_page_token: params.get("nextPageToken").map(str::to_owned),
        })
    }

    fn from_body(bytes: &[u8]) -> JiraResult<Self> {
        let map = body::object(bytes)?;
        let int = |name: &str| -> JiraResult<Option<i64>> {
            match map.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_i64()
                    .map(Some)
                    .ok_or_else(|| JiraError::bad_request(format!("'{name}' must be a number."))),
            }
        };
        let fields = match map.get("fields") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(s)) => s.split(',').map(|f| f.trim().to_owned()).collect(),
            Some(_) => return Err(JiraError::bad_request("'fields' must be a list.")),
        };
        Ok(Self {
            jql: map
                .get("jql")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            fields,
            max_results: int("maxResults")?,
            start_at: int("startAt")?,
            next_page_token: map
                .get("nextPageToken")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }
}

fn select(state: &JiraState, api: Api, jql: &str) -> JiraResult<Vec<Issue>> {
    let query = Jql::parse(jql)?;
    query.check(&state.directory, api)?;
    if api == Api::Cloud && query.is_unbounded() {
        return Err(JiraError::bad_request(
            "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
        ));
    }
    let store = lock(&state.worklogs);
    Ok(query
        .select(&state.directory, api, &store)
        .into_iter()
        .cloned()
        .collect())
}

const TOKEN_PREFIX: &str = "hbsim:";

fn encode_token(start: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("{TOKEN_PREFIX}{start}"))
}

fn decode_token(token: &str) -> JiraResult<usize> {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix(TOKEN_PREFIX).and_then(|n| n.parse().ok()))
        .ok_or_else(|| {
            JiraError::bad_request("The provided next page token is invalid or expired.")
        })
}

fn jql_search(state: &JiraState, request: SearchRequest) -> JiraResult<Json<Value>> {
    let start = match &request.next_page_token {
        Some(token) if !token.is_empty() => decode_token(token)?,
        _ => 0,
    };
    let fields = wanted_fields(&request.fields, false);
    let ids_only = fields.is_some_and(|f| f.iter().all(|x| x == "id" || x == "key"));
    let cap = if ids_only { 5000 } else { 100 };
    let page = Page::new(start as i64, request.max_results.unwrap_or(50), cap)?;
    let issues = select(state, Api::Cloud, &request.jql)?;
    let rendered: Vec<Value> = page
        .slice(&issues)
        .iter()
        .map(|issue| match fields {
            Some([]) => json!({"id": issue.id.to_string()}),
            _ => render::issue(state, Api::Cloud, issue, fields),
        })
        .collect();
    let is_last = page.is_last(issues.len());
    let mut body = Map::new();
    body.insert("issues".into(), Value::Array(rendered));
    if !is_last {
        body.insert(
            "nextPageToken".into(),
            json!(encode_token(page.start_at + page.max_results)),
        );
    }
    body.insert("isLast".into(), json!(is_last));
    Ok(Json(Value::Object(body)))
}

pub async fn jql_get(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    params: Params,
) -> JiraResult<Json<Value>> {
    jql_search(&state, SearchRequest::from_params(&params)?)
}

pub async fn jql_post(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    bytes: Bytes,
) -> JiraResult<Json<Value>> {
    jql_search(&state, SearchRequest::from_body(&bytes)?)
}

pub async fn approximate_count(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    bytes: Bytes,
) -> JiraResult<Json<Value>> {
    let request = SearchRequest::from_body(&bytes)?;
    let issues = select(&state, Api::Cloud, &request.jql)?;
    Ok(Json(json!({"count": issues.len()})))
}

fn dc_search(state: &JiraState, request: SearchRequest) -> JiraResult<Json<Value>> {
    let page = Page::new(
        request.start_at.unwrap_or(0),
        request.max_results.unwrap_or(50),
        1000,
    )?;
    let issues = select(state, Api::DataCenter, &request.jql)?;
    let fields = wanted_fields(&request.fields, true);
    Ok(Json(json!({
        "expand": "schema,names",
        "startAt": page.start_at,
        "maxResults": page.max_results,
        "total": issues.len(),
        "issues": page
            .slice(&issues)
            .iter()
            .map(|issue| render::issue(state, Api::DataCenter, issue, fields))
            .collect::<Vec<_>>(),
    })))
}

pub async fn dc_get(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    params: Params,
) -> JiraResult<Json<Value>> {
    dc_search(&state, SearchRequest::from_params(&params)?)
}

pub async fn dc_post(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    bytes: Bytes,
) -> JiraResult<Json<Value>> {
    dc_search(&state, SearchRequest::from_body(&bytes)?)
}
