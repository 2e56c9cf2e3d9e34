//! `GET /_sim/time-entries`: every time entry held, for tests and benchmarks.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::common::lock;
use crate::redmine::render::utc;
use crate::redmine::state::RedmineState;

pub fn router() -> Router<Arc<RedmineState>> {
    Router::new().route("/_sim/time-entries", get(time_entries))
}

async fn time_entries(State(state): State<Arc<RedmineState>>) -> Json<Value> {
    let store = lock(&state.entries);
    let all: Vec<Value> = store
        .all()
        .map(|e| {
            json!({
                "id": e.id,
                "project_id": e.project_id,
                "issue_id": e.issue_id,
                "user_id": e.user_id,
                "author_id": e.author_id,
                "activity_id": e.activity_id,
                "hours": e.hours,
                "comments": e.comments,
                "spent_on": e.spent_on.format("%Y-%m-%d").to_string(),
                "custom_fields": e.custom_fields,
                "created_on": utc(&e.created_on),
                "updated_on": utc(&e.updated_on),
            })
        })
        .collect();
    Json(Value::Array(all))
}
