//! `GET /_sim/worklogs`: every worklog held, for tests and benchmarks.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::common::lock;
use crate::jira::state::JiraState;
use crate::jira::time::{format_started, format_utc};

pub fn router() -> Router<Arc<JiraState>> {
    Router::new().route("/_sim/worklogs", get(worklogs))
}

async fn worklogs(State(state): State<Arc<JiraState>>) -> Json<Value> {
    let store = lock(&state.worklogs);
    let all: Vec<Value> = store
        .all()
        .map(|w| {
            json!({
                "id": w.id,
                "issueId": w.issue_id,
                "issueKey": w.issue_key,
                "author": w.author,
                "updateAuthor": w.update_author,
                "started": format_started(&w.started),
                "timeSpentSeconds": w.time_spent_seconds,
                "comment": w.comment_text(),
                "created": format_utc(&w.created),
                "updated": format_utc(&w.updated),
                "properties": w.properties,
            })
        })
        .collect();
    Json(Value::Array(all))
}
