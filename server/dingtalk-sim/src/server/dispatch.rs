//! Every DingTalk call goes through here: route lookup, faults, the QPS
//! limiter, the token check, the monthly quota, then the handler.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::json;

use super::envelope::{error, new_error, request_id, topapi_auth, Answer, Family};
use super::params::Params;
use super::state::AppState;
use super::{attendance, contacts, faulty, holidays, leave, robot_api, token_api};
use crate::faults::{lock, Fault};
use crate::limits::china_month;

/// The header carrying the token in the new family.
pub const NEW_TOKEN_HEADER: &str = "x-acs-dingtalk-access-token";

type Handler = fn(&AppState, &Params) -> Result<Answer, Answer>;

/// What a path is.
enum Route {
    GetToken,
    OAuth2,
    Robot,
    /// A data call: its envelope, whether it counts against the quota, its handler.
    Api(Family, bool, Handler),
}

fn route(path: &str) -> Option<Route> {
    use Family::{Flat, New, TopApi};
    Some(match path {
        "/gettoken" => Route::GetToken,
        "/v1.0/oauth2/accessToken" => Route::OAuth2,
        "/robot/send" => Route::Robot,
        "/topapi/v2/department/listsub" => Route::Api(TopApi, false, contacts::listsub),
        "/topapi/v2/department/get" => Route::Api(TopApi, false, contacts::department_get),
        "/topapi/v2/department/listsubid" => Route::Api(TopApi, false, contacts::listsubid),
        "/topapi/v2/user/list" => Route::Api(TopApi, false, contacts::user_list),
        "/topapi/v2/user/get" => Route::Api(TopApi, false, contacts::user_get),
        "/topapi/user/listid" => Route::Api(TopApi, false, contacts::user_listid),
        "/attendance/list" => Route::Api(Flat, true, attendance::list),
        "/attendance/listRecord" => Route::Api(Flat, true, attendance::list_record),
        "/topapi/attendance/getleavestatus" => Route::Api(TopApi, true, leave::leave_status),
        "/topapi/attendance/vacation/type/list" => Route::Api(TopApi, true, leave::vacation_types),
        "/topapi/attendance/getupdatedata" => Route::Api(TopApi, true, attendance::update_data),
        "/v1.0/attendance/holidays" => Route::Api(New, true, holidays::holidays),
        _ => return None,
    })
}

fn family_of(route: &Route) -> Family {
    match route {
        Route::GetToken | Route::OAuth2 => Family::Token,
        Route::Robot => Family::Robot,
        Route::Api(family, _, _) => *family,
    }
}

/// The axum fallback: answers every path that is not a `_sim` route.
pub async fn dispatch(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let query: HashMap<String, String> =
        form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let answer = answer(&state, &path, &query, &headers, &body).await;
    if !path.starts_with("/_sim") {
        state.count_call(&path);
    }
    answer.into_response()
}

fn unknown(path: &str) -> Answer {
    if let Some(api) = path.strip_prefix("/topapi/") {
        let name = format!("dingtalk.oapi.{}", api.replace('/', "."));
        return Answer::ok(&json!({
            "errcode": 22,
            "sub_msg": format!("不合法ApiName，ApiName = {name}"),
            "errmsg": format!("Invalid method[submsg=不合法ApiName，ApiName = {name}]"),
            "request_id": request_id(),
        }));
    }
    Answer::not_found()
}

async fn answer(
    state: &AppState,
    path: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &[u8],
) -> Answer {
    let Some(route) = route(path) else {
        return unknown(path);
    };
    let family = family_of(&route);
    if let Some(fault) = state.faults.take(path) {
        state.count(|c| c.faults_served += 1);
        match &fault {
            Fault::Slow(delay) => tokio::time::sleep(*delay).await,
            Fault::RevokeTokenNow => state.revoke_tokens(),
            _ => {}
        }
        if let Some(answer) = faulty::answer(&fault, family, path) {
            return answer;
        }
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let (family, billable, handler) = match route {
        Route::GetToken => return token_api::gettoken(state, query),
        Route::OAuth2 => return token_api::oauth2(state, content_type, body),
        Route::Robot => return robot_api::send(state, query, body),
        Route::Api(family, billable, handler) => (family, billable, handler),
    };
    if !lock(&state.limiter).allow(path, Instant::now()) {
        state.count(|c| c.throttled += 1);
        return faulty::throttled(family);
    }
    let params = Params::from_body(content_type, body);
    if let Err(answer) = check_token(state, family, query, headers, params.as_ref().ok()) {
        return answer;
    }
    let Ok(params) = params else {
        return match family {
            Family::New => new_error(
                axum::http::StatusCode::BAD_REQUEST,
                "InvalidBody",
                "the request body is not valid JSON",
            ),
            _ => error(family, 40035, "缺少参数 json"),
        };
    };
    let month = china_month(Utc::now());
    if billable && !lock(&state.quota).reserve(month) {
        state.count(|c| c.quota_rejected += 1);
        return faulty::quota_exhausted(family);
    }
    let answer = handler(state, &params).unwrap_or_else(|a| a);
    if billable && !answer.ok {
        lock(&state.quota).release(month);
    }
    answer
}

/// The token rules: old family reads `?access_token=` (or a form body's
/// `access_token`) and ignores headers; the new family reads only the
/// `x-acs-dingtalk-access-token` header.
fn check_token(
    state: &AppState,
    family: Family,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    params: Option<&Params>,
) -> Result<(), Answer> {
    use axum::http::StatusCode;
    if family == Family::New {
        let token = headers.get(NEW_TOKEN_HEADER).and_then(|v| v.to_str().ok());
        return match token {
            None => Err(new_error(
                StatusCode::BAD_REQUEST,
                "AuthenticationFailed.MissingParameter",
                "缺少参数 x-acs-dingtalk-access-token",
            )),
            Some(t) if state.token_valid(t) => Ok(()),
            Some(_) => Err(new_error(
                StatusCode::BAD_REQUEST,
                "InvalidAuthentication",
                "不合法的access_token",
            )),
        };
    }
    let from_form = params.and_then(|p| p.string("access_token").ok().flatten());
    let token = query
        .get("access_token")
        .filter(|t| !t.is_empty())
        .cloned()
        .or(from_form);
    match (token, family) {
        (Some(t), _) if state.token_valid(&t) => Ok(()),
        (None, Family::TopApi) => Err(topapi_auth("40000", "缺少参数access_token")),
        (Some(_), Family::TopApi) => Err(topapi_auth("40014", "不合法的access_token")),
        _ => Err(error(family, 40014, "不合法的access_token")),
    }
}
