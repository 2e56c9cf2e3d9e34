//! ZenTao's failures as [`PmError`]s: `400 {"error":…}` (a message, or
//! messages keyed by field) is a refusal in ZenTao's own words, except the
//! missing *company-browse* privilege; `401` an expired or unknown token;
//! `403` a missing privilege; `404` no such object; `502`–`504` from a
//! proxy a lost connection.

use crate::http::{snippet, Answer};
use crate::PmError;

use super::wire;
use super::SYSTEM;

/// ZenTao's message in an error answer, else the start of the body.
pub fn message(answer: &Answer) -> String {
    let text = serde_json::from_slice::<wire::Failure>(&answer.body)
        .map(|f| f.text())
        .unwrap_or_default();
    if text.is_empty() {
        snippet(&answer.body)
    } else {
        text
    }
}

/// What a failed call means.
pub fn failure(answer: &Answer) -> PmError {
    let status = answer.status.as_u16();
    let message = message(answer);
    match status {
        400 if message.contains("company-browse") => PmError::Auth {
            system: SYSTEM,
            message: format!(
                "the account lacks the company-browse privilege (组织 → 浏览), which listing users needs ({message})"
            ),
        },
        401 => PmError::Auth {
            system: SYSTEM,
            message: "the token was refused even after a fresh login".into(),
        },
        403 => PmError::Auth {
            system: SYSTEM,
            message: format!(
                "the account lacks the privilege for this ({})",
                if message.is_empty() { "Access not allowed" } else { &message }
            ),
        },
        404 => PmError::NotFound {
            system: SYSTEM,
            message: if message.is_empty() {
                "no such project, execution or task".into()
            } else {
                message
            },
        },
        // A proxy in front lost ZenTao: whether a write landed is unknown,
        // so the failure is transient and `write_once` looks before retrying.
        502..=504 => PmError::Unreachable {
            system: SYSTEM,
            detail: format!("{} from the gateway in front of ZenTao", answer.status),
        },
        _ => PmError::Rejected {
            system: SYSTEM,
            status,
            message: if message.is_empty() {
                answer.status.to_string()
            } else {
                message
            },
        },
    }
}

/// A refused `POST /tokens`: wrong password or locked account (`400`), in
/// ZenTao's words; a missing API (`404`) says where it looked.
pub fn login_failure(answer: &Answer, account: &str, url: &str) -> PmError {
    let message = message(answer);
    match answer.status.as_u16() {
        400..=403 => PmError::Auth {
            system: SYSTEM,
            message: format!("login as {account} refused: {message}"),
        },
        404 => PmError::NotFound {
            system: SYSTEM,
            message: format!("no ZenTao REST API at {url} (check the address)"),
        },
        _ => failure(answer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).expect("status"),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn each_answer_has_its_reason() {
        let rejected = failure(&answer(
            400,
            r#"{"error":{"date[0]":"ID #0 日期不能大于今天"}}"#,
        ));
        assert_eq!(
            rejected,
            PmError::Rejected {
                system: SYSTEM,
                status: 400,
                message: "ID #0 日期不能大于今天".into()
            }
        );
        let browse = failure(&answer(
            400,
            r#"{"error":"error: no company-browse priv."}"#,
        ));
        assert!(
            matches!(&browse, PmError::Auth { message, .. } if message.contains("company-browse"))
        );
        assert_eq!(
            failure(&answer(403, r#"{"error":"Access not allowed"}"#)).reason(),
            "auth"
        );
        assert_eq!(
            failure(&answer(404, r#"{"error":"404 Not found"}"#)).reason(),
            "not_found"
        );
        let crashed = failure(&answer(500, "<html>Fatal error</html>"));
        assert!(
            matches!(&crashed, PmError::Rejected { status: 500, message, .. } if message.contains("Fatal error"))
        );
        let gateway = failure(&answer(502, "<html>Bad Gateway</html>"));
        assert!(gateway.is_transient(), "{gateway}");
    }

    #[test]
    fn a_refused_login_keeps_zentaos_words() {
        let locked = login_failure(
            &answer(
                400,
                r#"{"error":"密码尝试次数太多，请联系管理员解锁，或10分钟后重试。"}"#,
            ),
            "alice",
            "http://127.0.0.1/zentao/api.php/v1/tokens",
        );
        assert!(
            matches!(&locked, PmError::Auth { message, .. } if message.contains("alice") && message.contains("10分钟后重试"))
        );
    }
}
