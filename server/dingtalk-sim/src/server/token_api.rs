//! `GET /gettoken` (old family) and `POST /v1.0/oauth2/accessToken` (new).

use std::collections::HashMap;

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::envelope::{new_error, Answer};
use super::state::AppState;

pub fn gettoken(state: &AppState, query: &HashMap<String, String>) -> Answer {
    let key = query.get("appkey").filter(|v| !v.is_empty());
    let secret = query.get("appsecret").filter(|v| !v.is_empty());
    let (Some(key), Some(secret)) = (key, secret) else {
        return Answer::ok(&json!({"errcode": 40035, "errmsg": "缺少参数 corpid or appkey"}));
    };
    if *key != state.config.app_key || *secret != state.config.app_secret {
        return Answer::ok(&json!({"errcode": 40096, "errmsg": "不合法的appKey或appSecret"}));
    }
    let token = state.issue_token();
    Answer::ok(&json!({
        "errcode": 0,
        "access_token": token,
        "errmsg": "ok",
        "expires_in": state.config.token_ttl_secs,
    }))
}

pub fn oauth2(state: &AppState, content_type: Option<&str>, body: &[u8]) -> Answer {
    let is_json = content_type.is_none_or(|c| !c.contains("x-www-form-urlencoded"));
    let parsed = serde_json::from_slice::<Value>(body)
        .ok()
        .filter(|_| is_json);
    let Some(Value::Object(fields)) = parsed else {
        return new_error(StatusCode::BAD_REQUEST, "MissingBody", "body is mandatory");
    };
    let text = |name: &str| fields.get(name).and_then(Value::as_str).unwrap_or_default();
    for name in ["appKey", "appSecret"] {
        if text(name).is_empty() {
            return new_error(
                StatusCode::BAD_REQUEST,
                "MissingParameter",
                &format!("{name} is mandatory for this action."),
            );
        }
    }
    if text("appKey") != state.config.app_key || text("appSecret") != state.config.app_secret {
        return new_error(
            StatusCode::BAD_REQUEST,
            "invalidClientIdOrSecret",
            "无效的clientId或者clientSecret",
        );
    }
    let token = state.issue_token();
    Answer::ok(&json!({"accessToken": token, "expireIn": state.config.token_ttl_secs}))
}
