//! The routes: Feishu Project's `/open_api` paths (through the gate) and
//! `/_sim`.

mod admin;
mod hours;
mod records;
mod spaces;
mod token;
mod users;
mod work_items;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

use super::state::FeishuState;
use crate::common::gate::gate;

pub fn router(state: Arc<FeishuState>) -> Router {
    let api = Router::new()
        .route("/open_api/authen/plugin_token", post(token::plugin_token))
        .route("/open_api/projects", post(spaces::list))
        .route("/open_api/projects/detail", post(spaces::detail))
        .route(
            "/open_api/{project_key}/user_groups/members/page",
            post(spaces::members),
        )
        .route("/open_api/{project_key}/teams/all", get(spaces::teams))
        .route("/open_api/user/query", post(users::query))
        .route(
            "/open_api/{project_key}/work_item/filter",
            post(work_items::filter),
        )
        .route(
            "/open_api/{project_key}/work_item/{work_item_type_key}/{work_item_id}/work_hour_record",
            post(hours::create).put(hours::update).delete(hours::delete),
        )
        .route("/open_api/work_item/man_hour/records", post(records::list))
        .route_layer(from_fn_with_state(state.clone(), gate::<FeishuState>));
    crate::common::admin::router::<FeishuState>()
        .merge(admin::router())
        .merge(api)
        .fallback(unknown)
        .with_state(state)
}

async fn unknown() -> StatusCode {
    StatusCode::NOT_FOUND
}
