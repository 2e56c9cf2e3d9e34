//! The answers injected faults produce, in each family's envelope.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use chrono_tz::Asia::Shanghai;
use serde_json::json;

use super::envelope::{error, new_error, request_id, Answer, Family};
use crate::faults::Fault;

/// The answer for a fault; `None` for faults that delay or revoke and then
/// let the call go on.
pub fn answer(fault: &Fault, family: Family, path: &str) -> Option<Answer> {
    Some(match fault {
        Fault::Slow(_) | Fault::RevokeTokenNow => return None,
        Fault::ServerError(status) => server_error(*status),
        Fault::MalformedJson => Answer::raw(
            StatusCode::OK,
            "application/json;charset=utf-8",
            match family {
                Family::New => r#"{"result":[{"userId":"u0001","holi"#.to_owned(),
                _ => r#"{"errcode":0,"errmsg":"ok","result":{"list":[{"userid":"u00"#.to_owned(),
            },
        ),
        Fault::WrongShape => wrong_shape(family, path),
        Fault::Throttle => throttled(family),
        Fault::GlobalThrottle => match family {
            Family::New => new_error(
                StatusCode::FORBIDDEN,
                "Forbidden.AccessDenied.QpsLimitForApi",
                "当前接口的调用频率超过了全局限制",
            ),
            _ => error(family, 90002, &global_throttle_text(path)),
        },
        Fault::Busy => match family {
            Family::New => new_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailable",
                "系统繁忙",
            ),
            _ => error(family, -1, "系统繁忙"),
        },
        Fault::IpBan => Answer::ok(&json!({
            "status": 1111,
            "wait": 5,
            "source": "x5",
            "punish": "deny",
            "uuid": super::envelope::new_request_id().to_lowercase(),
        }))
        .failed(),
        Fault::QuotaExhausted => quota_exhausted(family),
    })
}

/// The per-app QPS limit answer (`90018`).
pub fn throttled(family: Family) -> Answer {
    match family {
        Family::New => new_error(
            StatusCode::FORBIDDEN,
            "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
            "当前应用调用该接口的QPS超过了限制",
        ),
        _ => error(
            family,
            90018,
            "当前应用调用该接口的请求次数过多，超出了QPS限制，请求被暂时禁用了，请稍后重试",
        ),
    }
}

/// The monthly quota answer (`90020`).
pub fn quota_exhausted(family: Family) -> Answer {
    match family {
        Family::New => new_error(
            StatusCode::FORBIDDEN,
            "Forbidden.AccessDenied.ApiCountLimitForOrg",
            "当前企业本月调用开放平台接口的次数已达上限",
        ),
        _ => error(
            family,
            90020,
            "当前企业本月调用开放平台接口的次数过多，超出了月度调用量限制，请求被暂时禁用了",
        ),
    }
}

fn server_error(status: u16) -> Answer {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("Server Error");
    let code = status.as_u16();
    Answer::raw(
        status,
        "text/html;charset=utf-8",
        format!(
            "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n\
             <center><h1>{code} {reason}</h1></center>\r\n<hr><center>Tengine</center>\r\n\
             </body>\r\n</html>\r\n"
        ),
    )
}

fn wrong_shape(family: Family, path: &str) -> Answer {
    let value = match (family, path) {
        (Family::Token, "/gettoken") => {
            json!({"errcode": 0, "errmsg": "ok", "access_token": 12345, "expires_in": "soon"})
        }
        (Family::Token, _) => json!({"accessToken": 12345, "expireIn": "soon"}),
        (Family::Flat, _) => {
            json!({"errcode": 0, "errmsg": "ok", "hasMore": "maybe", "recordresult": "oops"})
        }
        (Family::TopApi, _) => json!({
            "errcode": 0, "errmsg": "ok", "success": true,
            "request_id": request_id(), "result": "oops"
        }),
        (Family::New, _) => json!({"result": "oops"}),
        (Family::Robot, _) => json!({"errcode": "oops", "errmsg": 0}),
    };
    Answer::ok(&value).failed()
}

fn global_throttle_text(path: &str) -> String {
    let now = Utc::now().with_timezone(&Shanghai);
    let api = path.trim_start_matches("/topapi").trim_start_matches("/v2");
    let fmt = |t: chrono::DateTime<chrono_tz::Tz>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    format!(
        "您的服务器调用钉钉开放平台当前接口的所有请求都被暂时禁用了, apiPath({api}), 从 {} 到 {} \
         请求总次数超过了 300 次, 处罚将在 {} 结束.",
        fmt(now - Duration::seconds(1)),
        fmt(now),
        fmt(now + Duration::minutes(5)),
    )
}
