//! `worklog/updated`, `worklog/deleted` (changed since a time, 1000 a page)
//! and `worklog/list` (worklogs by id).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use axum::Json;
use chrono::Utc;
use serde_json::{json, Value};

use super::body;
use crate::common::lock;
use crate::jira::auth::Caller;
use crate::jira::error::{JiraError, JiraResult};
use crate::jira::paging::Params;
use crate::jira::state::JiraState;
use crate::jira::{render, Api};

const FEED_PAGE: usize = 1000;
const MAX_IDS: usize = 1000;

/// One page of (worklog id, changed at ms, properties) changed at or after `since`.
fn feed(
    state: &JiraState,
    api: Api,
    path: &str,
    since: i64,
    changes: Vec<(u64, i64, Value)>,
) -> Json<Value> {
    let lag = state.config.updated_feed_lag.as_millis() as i64;
    let horizon = Utc::now().timestamp_millis() - lag;
    let mut changes: Vec<_> = changes
        .into_iter()
        .filter(|(_, at, _)| *at >= since && *at <= horizon)
        .collect();
    changes.sort_by_key(|(id, at, _)| (*at, *id));
    let last_page = changes.len() <= FEED_PAGE;
    changes.truncate(FEED_PAGE);
    let until = changes.last().map(|(_, at, _)| *at).unwrap_or(since);
    let base = format!("{}{path}", state.api_base(api));
    let values: Vec<Value> = changes
        .into_iter()
        .map(|(id, at, properties)| {
            json!({"worklogId": id, "updatedTime": at, "properties": properties})
        })
        .collect();
    let mut body = json!({
        "values": values,
        "since": since,
        "until": until,
        "self": format!("{base}?since={since}"),
        "lastPage": last_page,
        "isLastPage": last_page,
    });
    if let Some(map) = body.as_object_mut() {
        // The next page starts at `until` (Jira's shape); the last page points there too.
        map.insert("nextPage".into(), json!(format!("{base}?since={until}")));
    }
    Json(body)
}

pub async fn updated(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    params: Params,
    uri: Uri,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    let since = params.int("since")?.unwrap_or(0);
    let expand = params.expands("properties");
    let changes = lock(&state.worklogs)
        .all()
        .map(|w| {
            let properties = if expand {
                render::properties(w)
            } else {
                json!([])
            };
            (w.id, w.updated.timestamp_millis(), properties)
        })
        .collect();
    Ok(feed(&state, api, "/worklog/updated", since, changes))
}

pub async fn deleted(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    params: Params,
    uri: Uri,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    let since = params.int("since")?.unwrap_or(0);
    let changes = lock(&state.worklogs)
        .deleted()
        .iter()
        .map(|(id, at)| (*id, *at, json!([])))
        .collect();
    Ok(feed(&state, api, "/worklog/deleted", since, changes))
}

/// `POST /worklog/list {"ids":[…]}` → the worklogs that exist, as an array.
pub async fn list(
    State(state): State<Arc<JiraState>>,
    _caller: Caller,
    params: Params,
    uri: Uri,
    bytes: Bytes,
) -> JiraResult<Json<Value>> {
    let api = Api::of_path(uri.path());
    let map = body::object(&bytes)?;
    let ids: Vec<u64> = match map.get("ids") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                    .ok_or_else(|| JiraError::bad_request("Worklog ids must be numbers."))
            })
            .collect::<JiraResult<_>>()?,
        _ => {
            return Err(JiraError::field(
                "ids",
                "The list of worklog ids must not be empty.",
            ))
        }
    };
    if ids.is_empty() || ids.len() > MAX_IDS {
        return Err(JiraError::bad_request(format!(
            "The number of worklog ids must be between 1 and {MAX_IDS}."
        )));
    }
    let expand = params.expands("properties");
    let store = lock(&state.worklogs);
    let found: Vec<Value> = ids
        .iter()
        .filter_map(|id| store.get(*id))
        .map(|w| render::worklog(&state, api, w, expand))
        .collect();
    Ok(Json(Value::Array(found)))
}
