//! The routes: Redmine's `.json` paths (through the gate) and `/_sim`.

mod admin;
mod issues;
mod projects;
mod time_entries;
mod time_entry_list;
mod users;

use std::sync::Arc;

use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;

use super::error::{RedmineError, RedmineResult};
use super::state::RedmineState;
use crate::common::gate::gate;

pub fn router(state: Arc<RedmineState>) -> Router {
    let api = Router::new()
        .route("/users/current.json", get(users::current))
        .route("/users.json", get(users::list))
        .route("/users/{id}", get(users::one))
        .route("/projects.json", get(projects::list))
        .route("/projects/{id}", get(projects::one))
        .route("/issues.json", get(issues::list))
        .route(
            "/enumerations/time_entry_activities.json",
            get(projects::activities),
        )
        .route(
            "/time_entries.json",
            get(time_entry_list::list).post(time_entries::create),
        )
        .route(
            "/time_entries/{id}",
            get(time_entries::show)
                .put(time_entries::update)
                .delete(time_entries::delete),
        )
        .route_layer(from_fn_with_state(state.clone(), gate::<RedmineState>));
    crate::common::admin::router::<RedmineState>()
        .merge(admin::router())
        .merge(api)
        .fallback(unknown)
        .with_state(state)
}

/// The id in `/things/{id}.json` (404 for other formats or non-numbers).
pub fn json_id(segment: &str) -> RedmineResult<u64> {
    segment
        .strip_suffix(".json")
        .and_then(|id| id.parse().ok())
        .ok_or(RedmineError::NotFound)
}

async fn unknown() -> RedmineError {
    RedmineError::NotFound
}
