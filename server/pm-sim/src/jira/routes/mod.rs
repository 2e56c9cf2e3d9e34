//! The routes: both flavours' API paths (through the gate) and `/_sim`.

mod admin;
mod body;
mod feed;
mod projects;
mod properties;
mod search;
mod users;
mod worklogs;

use std::sync::Arc;

use axum::http::{StatusCode, Uri};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

use super::error::JiraError;
use super::state::JiraState;
use crate::common::gate::gate;

type Routes = Router<Arc<JiraState>>;

pub fn router(state: Arc<JiraState>) -> Router {
    let api = cloud()
        .merge(data_center())
        .route_layer(from_fn_with_state(state.clone(), gate::<JiraState>));
    crate::common::admin::router::<JiraState>()
        .merge(admin::router())
        .merge(api)
        .fallback(unknown)
        .with_state(state)
}

/// Paths both flavours serve, under their prefix.
fn shared(prefix: &str) -> Routes {
    let p = |path: &str| format!("{prefix}{path}");
    Router::new()
        .route(&p("/myself"), get(users::myself))
        .route(&p("/mypermissions"), get(users::my_permissions))
        .route(&p("/project"), get(projects::all))
        .route(&p("/project/{projectIdOrKey}"), get(projects::one))
        .route(&p("/user"), get(users::one))
        .route(&p("/issue/{issueIdOrKey}"), get(search::issue))
        .route(
            &p("/issue/{issueIdOrKey}/worklog"),
            get(worklogs::list).post(worklogs::create),
        )
        .route(
            &p("/issue/{issueIdOrKey}/worklog/{id}"),
            get(worklogs::one)
                .put(worklogs::update)
                .delete(worklogs::delete),
        )
        .route(
            &p("/issue/{issueIdOrKey}/worklog/{worklogId}/properties"),
            get(properties::keys),
        )
        .route(
            &p("/issue/{issueIdOrKey}/worklog/{worklogId}/properties/{propertyKey}"),
            get(properties::get)
                .put(properties::put)
                .delete(properties::delete),
        )
        .route(&p("/worklog/updated"), get(feed::updated))
        .route(&p("/worklog/deleted"), get(feed::deleted))
        .route(&p("/worklog/list"), post(feed::list))
}

fn cloud() -> Routes {
    shared("/rest/api/3")
        .route("/rest/api/3/project/search", get(projects::search))
        .route("/rest/api/3/user/search", get(users::search_cloud))
        .route("/rest/api/3/users/search", get(users::all_cloud))
        .route("/rest/api/3/users", get(users::all_cloud))
        .route(
            "/rest/api/3/search/jql",
            get(search::jql_get).post(search::jql_post),
        )
        .route(
            "/rest/api/3/search/approximate-count",
            post(search::approximate_count),
        )
        .route("/rest/api/3/search", get(search::gone).post(search::gone))
}

fn data_center() -> Routes {
    shared("/rest/api/2")
        .route("/rest/api/2/user/search", get(users::search_dc))
        .route(
            "/rest/api/2/search",
            get(search::dc_get).post(search::dc_post),
        )
}

async fn unknown(uri: Uri) -> JiraError {
    JiraError::new(
        StatusCode::NOT_FOUND,
        format!("null for uri: {}", uri.path()),
    )
}
