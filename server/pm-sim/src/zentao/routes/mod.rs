//! The routes: ZenTao's API under `/zentao/api.php/v1` (through the gate)
//! and `/_sim`.

mod admin;
mod efforts;
mod projects;
mod tasks;
mod tokens;
mod users;

use std::sync::Arc;

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

use super::error::{ZentaoError, ZentaoResult};
use super::state::ZentaoState;
use crate::common::gate::gate;

/// Where the API lives, as in an install under `/zentao`.
pub const API_PREFIX: &str = "/zentao/api.php/v1";

pub fn router(state: Arc<ZentaoState>) -> Router {
    let api = Router::new()
        .route("/tokens", post(tokens::create))
        .route("/user", get(users::me))
        .route("/users", get(users::list))
        .route("/users/{id}", get(users::one))
        .route("/projects", get(projects::list))
        .route("/projects/{id}/executions", get(projects::executions))
        .route("/executions/{id}/tasks", get(tasks::of_execution))
        .route("/tasks/{id}", get(tasks::one))
        .route(
            "/tasks/{id}/estimate",
            get(efforts::list).post(efforts::record),
        )
        .route_layer(from_fn_with_state(state.clone(), gate::<ZentaoState>))
        .fallback(unknown);
    crate::common::admin::router::<ZentaoState>()
        .merge(admin::router())
        .nest(API_PREFIX, api)
        .fallback(unknown)
        .with_state(state)
}

/// A numeric id from a path (404 otherwise).
pub fn id(segment: &str) -> ZentaoResult<u64> {
    segment.trim().parse().map_err(|_| ZentaoError::NotFound)
}

async fn unknown() -> ZentaoError {
    ZentaoError::NotFound
}
