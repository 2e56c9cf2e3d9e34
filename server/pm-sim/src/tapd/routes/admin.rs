//! `GET /_sim/timesheets`: every timesheet held (deleted ones included),
//! for tests and benchmarks.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

use crate::common::lock;
use crate::tapd::render;
use crate::tapd::state::TapdState;

pub fn router() -> Router<Arc<TapdState>> {
    Router::new().route("/_sim/timesheets", get(timesheets))
}

async fn timesheets(State(state): State<Arc<TapdState>>) -> Json<Value> {
    let store = lock(&state.timesheets);
    Json(Value::Array(store.all().map(render::timesheet).collect()))
}
