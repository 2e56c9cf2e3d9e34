//! `POST /tokens` `{"account","password"}` → 201 `{"token"}`; wrong
//! password or locked account → 400 with ZenTao's message.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::common::lock;
use crate::zentao::error::{ZentaoError, ZentaoResult};
use crate::zentao::input::object;
use crate::zentao::state::ZentaoState;

pub async fn create(State(state): State<Arc<ZentaoState>>, body: Bytes) -> ZentaoResult<Response> {
    let map = object(&body)?;
    let field = |name: &str| {
        map.get(name)
            .and_then(|v| match v {
                serde_json::Value::Array(items) => items.first(),
                other => Some(other),
            })
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_owned()
    };
    let (account, password) = (field("account"), field("password"));
    let now = Instant::now();
    let mut sessions = lock(&state.sessions);
    if sessions.locked(&account, now) {
        return Err(ZentaoError::message(
            sessions.refusal_when_locked().message(),
        ));
    }
    let user = state
        .directory
        .user(&account)
        .filter(|u| !u.deleted && !password.is_empty() && u.password == password);
    match user {
        Some(user) => {
            let token = sessions.open(&user.account, now);
            Ok((StatusCode::CREATED, Json(json!({ "token": token }))).into_response())
        }
        None => Err(ZentaoError::message(sessions.fail(&account, now).message())),
    }
}
