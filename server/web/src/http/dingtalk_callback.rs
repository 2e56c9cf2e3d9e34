//! `POST /callbacks/dingtalk/{connection_id}`: DingTalk's HTTP push.
//!
//! No session and no CSRF token: the request is authenticated by its SHA-1
//! signature over the connection's callback token. Refusals answer 4xx JSON.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use hourbridge_core::services::callbacks::{self, CallbackError, PushQuery};
use hourbridge_core::services::Origin;
use hourbridge_core::AppState;
use serde::Deserialize;

use super::errors::json_error;

#[derive(Debug, Deserialize)]
pub struct RawQuery {
    msg_signature: Option<String>,
    signature: Option<String>,
    timestamp: Option<String>,
    #[serde(rename = "timeStamp")]
    time_stamp: Option<String>,
    nonce: Option<String>,
}

pub async fn receive(
    State(state): State<AppState>,
    Path(connection_id): Path<String>,
    Query(raw): Query<RawQuery>,
    origin: Option<Extension<Origin>>,
    body: Bytes,
) -> Response {
    let query = PushQuery {
        signature: raw.msg_signature.or(raw.signature),
        timestamp: raw.timestamp.or(raw.time_stamp),
        nonce: raw.nonce,
    };
    let origin = origin.map(|Extension(o)| o).unwrap_or_default();
    match callbacks::receive(&state, &connection_id, &query, &body, &origin).await {
        Ok(reply) => Json(reply).into_response(),
        Err(CallbackError::Refused(refusal)) => {
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::BAD_REQUEST);
            json_error(status, "callback_refused", &refusal.to_string())
        }
        Err(CallbackError::Internal(e)) => {
            tracing::error!(error = %e, connection_id, "DingTalk callback failed");
            json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal server error",
            )
        }
    }
}
