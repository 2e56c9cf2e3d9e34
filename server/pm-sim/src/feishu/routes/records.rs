//! `POST /open_api/work_item/man_hour/records`: a work item's man-hour
//! records, oldest first, 100 a page at most, with `pagination.total`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use crate::common::lock;
use crate::feishu::auth;
use crate::feishu::error::{FeishuError, FeishuResult, WORK_ITEM_NOT_FOUND};
use crate::feishu::input::{int, object, text, Page};
use crate::feishu::render;
use crate::feishu::state::FeishuState;

pub async fn list(
    State(state): State<Arc<FeishuState>>,
    headers: HeaderMap,
    body: Bytes,
) -> FeishuResult<Json<Value>> {
    let user = auth::user(&state, &headers)?;
    let body = object(&body)?;
    let (Some(project_key), Some(kind), Some(id)) = (
        text(&body, "project_key")?,
        text(&body, "work_item_type_key")?,
        int(&body, "work_item_id")?,
    ) else {
        return Err(FeishuError::invalid(
            "project_key, work_item_type_key and work_item_id are required",
        ));
    };
    let page = Page::read(&body, 50, 100)?;
    let space = auth::space(&state, user, project_key)?;
    let item = state
        .directory
        .work_item(id)
        .filter(|w| w.project_key == space.project_key && w.type_key == kind)
        .ok_or_else(|| {
            FeishuError::new(
                WORK_ITEM_NOT_FOUND,
                format!("work item not found: {kind} {id}"),
            )
        })?;
    let all: Vec<Value> = lock(&state.store)
        .of_item(item.id)
        .map(render::record)
        .collect();
    Ok(Json(json!({
        "err_code": 0, "err_msg": "", "err": {},
        "data": page.window(&all),
        "pagination": {"page_num": page.num, "page_size": page.size, "total": all.len()},
    })))
}
