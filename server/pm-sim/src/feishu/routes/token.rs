//! `POST /open_api/authen/plugin_token`: the plugin's id and secret for a
//! token (`type` 0 = plugin token, 1 = virtual token; both alike here).
//! Answers `{"data":{"token","expire_time"},"error":{"code","msg"}}`.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::common::lock;
use crate::feishu::error::{INVALID_PARAM, PLUGIN_REFUSED};
use crate::feishu::input::{int, object, text};
use crate::feishu::state::FeishuState;

fn refused(code: i64, message: &str) -> Json<Value> {
    Json(json!({"data": null, "error": {"code": code, "msg": message}}))
}

pub async fn plugin_token(State(state): State<Arc<FeishuState>>, body: Bytes) -> Json<Value> {
    let Ok(body) = object(&body) else {
        return refused(INVALID_PARAM, "invalid request body");
    };
    let (Ok(id), Ok(secret), Ok(kind)) = (
        text(&body, "plugin_id"),
        text(&body, "plugin_secret"),
        int(&body, "type"),
    ) else {
        return refused(
            INVALID_PARAM,
            "plugin_id and plugin_secret must be strings, type an integer",
        );
    };
    if !matches!(kind, None | Some(0) | Some(1)) {
        return refused(
            INVALID_PARAM,
            "type must be 0 (plugin token) or 1 (virtual token)",
        );
    }
    let config = &state.config;
    if id != Some(config.plugin_id.as_str()) || secret != Some(config.plugin_secret.as_str()) {
        state.count(|s| s.unauthorized += 1);
        return refused(PLUGIN_REFUSED, "plugin_id or plugin_secret is invalid");
    }
    let token = lock(&state.tokens).issue(config.token_ttl, Instant::now());
    Json(json!({
        "data": {"token": token, "expire_time": config.token_ttl.as_secs()},
        "error": {"code": 0, "msg": "success"},
    }))
}
