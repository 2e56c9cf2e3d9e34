//! Answers in DingTalk's envelopes: the old family (always HTTP 200 with
//! `errcode`, `/topapi` adding `request_id` and wrapping auth failures in
//! `88`) and the new family (HTTP status + `{"code","message","requestid"}`).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde_json::{json, Value};

use super::params::ParamError;

/// Which envelope a path answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `/gettoken` and `/v1.0/oauth2/accessToken`.
    Token,
    /// Old family outside `/topapi`: flat `{"errcode","errmsg"}`.
    Flat,
    /// `/topapi/*`: `request_id`, auth failures wrapped in `88`.
    TopApi,
    /// `/v1.0/*`: HTTP status codes.
    New,
    /// `/robot/send`.
    Robot,
}

/// A finished answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: String,
    /// A successful call (counts against the monthly quota when billable).
    pub ok: bool,
}

impl Answer {
    pub fn json(status: StatusCode, value: &Value) -> Answer {
        let ok =
            status == StatusCode::OK && value.get("errcode").is_none_or(|c| c.as_i64() == Some(0));
        Answer {
            status,
            content_type: "application/json;charset=utf-8",
            body: value.to_string(),
            ok,
        }
    }

    pub fn ok(value: &Value) -> Answer {
        Answer::json(StatusCode::OK, value)
    }

    /// Marks the answer as not a successful call (never billed).
    pub fn failed(mut self) -> Answer {
        self.ok = false;
        self
    }

    /// A body sent as it is (faults).
    pub fn raw(status: StatusCode, content_type: &'static str, body: String) -> Answer {
        Answer {
            status,
            content_type,
            body,
            ok: false,
        }
    }

    pub fn not_found() -> Answer {
        Answer::raw(
            StatusCode::NOT_FOUND,
            "text/html;charset=utf-8",
            "<html><body><h1>404 Not Found</h1></body></html>".to_owned(),
        )
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CONTENT_TYPE, self.content_type)],
            self.body,
        )
            .into_response()
    }
}

/// A `/topapi` `request_id`.
pub fn request_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A new-family `requestid` (upper-case hex, UUID-shaped).
pub fn new_request_id() -> String {
    let mut rng = rand::thread_rng();
    let a: u128 = rng.gen();
    let hex = format!("{a:032X}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// An old-family success: `errcode 0`, `errmsg "ok"` plus the fields
/// (`request_id` added on `/topapi`).
pub fn success(family: Family, mut fields: Value) -> Answer {
    if let Some(map) = fields.as_object_mut() {
        map.insert("errcode".to_owned(), json!(0));
        map.insert("errmsg".to_owned(), json!("ok"));
        if family == Family::TopApi {
            map.insert("request_id".to_owned(), json!(request_id()));
        }
    }
    Answer::ok(&fields)
}

/// An old-family error in the envelope of `family` (HTTP 200).
pub fn error(family: Family, code: i64, message: &str) -> Answer {
    let mut value = json!({"errcode": code, "errmsg": message});
    if family == Family::TopApi {
        value["request_id"] = json!(request_id());
    }
    Answer::ok(&value)
}

/// `/topapi` authentication failure: `errcode 88` with a string `sub_code`.
pub fn topapi_auth(sub_code: &str, sub_msg: &str) -> Answer {
    Answer::ok(&json!({
        "errcode": 88,
        "sub_code": sub_code,
        "sub_msg": sub_msg,
        "errmsg": format!("ding talk error[subcode={sub_code},submsg={sub_msg}]"),
        "request_id": request_id(),
    }))
}

/// A new-family error.
pub fn new_error(status: StatusCode, code: &str, message: &str) -> Answer {
    Answer::json(
        status,
        &json!({"code": code, "message": message, "requestid": new_request_id()}),
    )
}

/// A parameter problem as the family's error answer.
pub fn param_error(family: Family, error: ParamError) -> Answer {
    match error {
        ParamError::Missing(name) => missing(family, name),
        ParamError::Invalid(name) => invalid(family, &format!("{name} is invalid")),
    }
}

/// `?`-friendly conversion of parameter problems into answers.
pub trait OrAnswer<T> {
    fn or_answer(self, family: Family) -> Result<T, Answer>;
}

impl<T> OrAnswer<T> for Result<T, ParamError> {
    fn or_answer(self, family: Family) -> Result<T, Answer> {
        self.map_err(|e| param_error(family, e))
    }
}

/// A missing parameter.
pub fn missing(family: Family, name: &str) -> Answer {
    match family {
        Family::New => new_error(
            StatusCode::BAD_REQUEST,
            "MissingParameter",
            &format!("{name} is mandatory for this action."),
        ),
        _ => error(family, 40035, &format!("缺少参数 {name}")),
    }
}

/// An invalid parameter (`400002` in the old family).
pub fn invalid(family: Family, detail: &str) -> Answer {
    match family {
        Family::New => new_error(StatusCode::BAD_REQUEST, "invalidParameter", detail),
        _ => error(family, 400002, "无效的参数"),
    }
}
