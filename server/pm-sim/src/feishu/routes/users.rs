//! `POST /open_api/user/query`: users by `user_keys`, `out_ids` or `emails`
//! (at most 100 in all; no `X-USER-KEY` needed). No user found at all is
//! the "user not found" code, as third-party notes describe.

use std::collections::HashSet;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde_json::Value;

use crate::feishu::auth;
use crate::feishu::error::{ok, FeishuError, FeishuResult, SEARCH_USER_LIMIT, USER_NOT_FOUND};
use crate::feishu::input::{object, texts};
use crate::feishu::render;
use crate::feishu::state::FeishuState;

pub async fn query(
    State(state): State<Arc<FeishuState>>,
    headers: HeaderMap,
    body: Bytes,
) -> FeishuResult<Json<Value>> {
    auth::plugin(&state, &headers)?;
    let body = object(&body)?;
    let keys = texts(&body, "user_keys")?;
    let out_ids = texts(&body, "out_ids")?;
    let emails = texts(&body, "emails")?;
    let asked = keys.len() + out_ids.len() + emails.len();
    if asked == 0 {
        return Err(FeishuError::invalid(
            "one of user_keys, out_ids, emails is required",
        ));
    }
    if asked > 100 {
        return Err(FeishuError::new(
            SEARCH_USER_LIMIT,
            "search user limit: at most 100",
        ));
    }
    let dir = &state.directory;
    let found = keys
        .iter()
        .filter_map(|k| dir.user(k))
        .chain(out_ids.iter().filter_map(|o| dir.user_by_out_id(o)))
        .chain(emails.iter().filter_map(|e| dir.user_by_email(e)));
    let mut seen = HashSet::new();
    let users: Vec<Value> = found
        .filter(|u| seen.insert(u.user_key.clone()))
        .map(render::user)
        .collect();
    if users.is_empty() {
        return Err(FeishuError::new(USER_NOT_FOUND, "user not found"));
    }
    Ok(Json(ok(Value::Array(users))))
}
