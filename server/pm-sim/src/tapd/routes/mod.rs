//! The routes: TAPD's paths on the root (through the gate) and `/_sim`.

mod admin;
mod items;
mod timesheet_list;
mod timesheet_write;
mod workspaces;

use std::sync::Arc;

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

use super::error::TapdError;
use super::state::TapdState;
use crate::common::gate::gate;

pub fn router(state: Arc<TapdState>) -> Router {
    let api = Router::new()
        .route("/quickstart/testauth", get(workspaces::testauth))
        .route("/workspaces/projects", get(workspaces::projects))
        .route("/workspaces/get_workspace_info", get(workspaces::info))
        .route("/workspaces/users", get(workspaces::users))
        .route("/tasks", get(items::tasks))
        .route("/tasks/count", get(items::tasks_count))
        .route("/stories", get(items::stories))
        .route("/stories/count", get(items::stories_count))
        .route("/bugs", get(items::bugs))
        .route("/bugs/count", get(items::bugs_count))
        .route(
            "/timesheets",
            get(timesheet_list::list).post(timesheet_write::save),
        )
        .route("/timesheets/count", get(timesheet_list::count))
        .route(
            "/timesheets/delete_timesheets",
            post(timesheet_write::delete),
        )
        .route_layer(from_fn_with_state(state.clone(), gate::<TapdState>));
    crate::common::admin::router::<TapdState>()
        .merge(admin::router())
        .merge(api)
        .fallback(unknown)
        .with_state(state)
}

async fn unknown() -> TapdError {
    TapdError::not_found("API not found")
}
