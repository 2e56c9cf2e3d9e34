//! `POST /open_api/{project_key}/work_item/filter`: a space's work items by
//! type, id, person and state, 50 a page at most, with `pagination.total`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use crate::feishu::auth;
use crate::feishu::error::{FeishuError, FeishuResult};
use crate::feishu::input::{ints, object, texts, Page};
use crate::feishu::render;
use crate::feishu::state::FeishuState;

pub async fn filter(
    State(state): State<Arc<FeishuState>>,
    Path(project_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> FeishuResult<Json<Value>> {
    let user = auth::user(&state, &headers)?;
    let space = auth::space(&state, user, &project_key)?;
    let body = object(&body)?;
    let page = Page::read(&body, 50, 50)?;
    let types = texts(&body, "work_item_type_keys")?;
    let ids = ints(&body, "work_item_ids")?;
    let people = texts(&body, "user_keys")?;
    let states: Vec<String> = match body.get("work_item_status") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|s| {
                s.get("state_key")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        FeishuError::invalid("work_item_status[].state_key must be a string")
                    })
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(FeishuError::invalid("work_item_status must be a list")),
    };
    let matching: Vec<Value> = state
        .directory
        .items_of(&space.project_key)
        .filter(|w| types.is_empty() || types.iter().any(|t| t == w.type_key))
        .filter(|w| ids.is_empty() || ids.contains(&w.id))
        .filter(|w| people.is_empty() || people.iter().any(|p| w.involves(p)))
        .filter(|w| states.is_empty() || states.iter().any(|s| s == w.state_key))
        .map(|w| render::work_item(w, &space.simple_name))
        .collect();
    Ok(Json(json!({
        "err_code": 0, "err_msg": "", "err": {},
        "data": page.window(&matching),
        "pagination": {"page_num": page.num, "page_size": page.size, "total": matching.len()},
    })))
}
