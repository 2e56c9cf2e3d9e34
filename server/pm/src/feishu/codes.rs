//! Feishu Project's error codes and what each means for HourBridge.
//!
//! The SDK defines the envelope (`err_code`, `err_msg`, `err{code,msg,log_id}`;
//! `error{code,msg}` on the token endpoint) but no code list. Where a number
//! is not confirmed, the simulator uses the same one, so the two agree; a code
//! not listed here is a refusal in the system's own words, which is the safe
//! reading of an unknown code.

use std::time::Duration;

use reqwest::StatusCode;

use super::wire::Envelope;
use super::SYSTEM;
use crate::http::{snippet, Answer};
use crate::PmError;

/// Wrong or unknown access token (unconfirmed number).
pub const TOKEN_INVALID: i64 = 10021;
/// The access token expired (unconfirmed number).
pub const TOKEN_EXPIRED: i64 = 10022;
/// The plugin id or secret was refused by the token endpoint (unconfirmed number).
pub const PLUGIN_REFUSED: i64 = 10211;
/// No permission for this operation (unconfirmed number).
pub const PERMISSION_DENIED: i64 = 10001;
/// `page_size` over the limit (third-party API notes: 20002).
pub const PAGE_SIZE_LIMIT: i64 = 20002;
/// Invalid parameter (unconfirmed number).
pub const INVALID_PARAM: i64 = 20006;
/// An `X-IDEM-UUID` used again with another request (unconfirmed number).
pub const IDEMPOTENCY_CONFLICT: i64 = 20013;
/// No such work item (unconfirmed number).
pub const WORK_ITEM_NOT_FOUND: i64 = 30005;
/// No such user: unknown `X-USER-KEY`, or an empty user query (third-party API notes: 30006).
pub const USER_NOT_FOUND: i64 = 30006;
/// The user is not a member of the space (unconfirmed number).
pub const NOT_A_MEMBER: i64 = 30009;
/// No such man-hour record (unconfirmed number).
pub const RECORD_NOT_FOUND: i64 = 30014;
/// No such space (third-party API notes: 1000052063).
pub const PROJECT_NOT_FOUND: i64 = 1_000_052_063;
/// Rate limited (the Feishu gateway's "request trigger frequency limit",
/// which third-party Feishu Project clients retry on; sent with HTTP 429).
pub const RATE_LIMITED: i64 = 99_991_400;

/// What an answer means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Success: read the data.
    Ok,
    /// The token is no longer good: fetch a new one and repeat once.
    StaleToken(String),
    /// Rate limited with a success status (HTTP 429 is waited out by
    /// [`crate::http::Http`] before it gets here).
    Throttled,
    /// A failure with its reason.
    Failed(PmError),
}

/// The code and message of an answer, if it carries a failure.
fn failure_of(answer: &Answer) -> Result<Option<(i64, String, Option<String>)>, PmError> {
    if answer.is_success() {
        let envelope: Envelope = answer.json(SYSTEM)?;
        let log_id = envelope.log_id().map(str::to_owned);
        return Ok(envelope.failure().map(|(c, m)| (c, m, log_id)));
    }
    // Proxies answer errors in HTML: then only the status is known.
    let envelope: Envelope = serde_json::from_slice(&answer.body).unwrap_or_default();
    let log_id = envelope.log_id().map(str::to_owned);
    Ok(envelope.failure().map(|(c, m)| (c, m, log_id)))
}

/// Classifies an answer (any status).
pub(crate) fn classify(answer: &Answer) -> Outcome {
    let status = answer.status;
    match failure_of(answer) {
        Err(malformed) => Outcome::Failed(malformed),
        Ok(Some((code, message, log_id))) => by_code(code, message, log_id, status),
        Ok(None) if answer.is_success() => Outcome::Ok,
        Ok(None) => Outcome::Failed(by_status(answer)),
    }
}

fn by_code(code: i64, message: String, log_id: Option<String>, status: StatusCode) -> Outcome {
    let said = |fallback: &str| {
        let text = if message.is_empty() {
            fallback.to_owned()
        } else {
            message.clone()
        };
        match &log_id {
            Some(id) => format!("{text} (code {code}, log id {id})"),
            None => format!("{text} (code {code})"),
        }
    };
    match code {
        TOKEN_INVALID | TOKEN_EXPIRED => Outcome::StaleToken(said("the plugin token was refused")),
        RATE_LIMITED => Outcome::Throttled,
        PLUGIN_REFUSED => Outcome::Failed(PmError::Auth {
            system: SYSTEM,
            message: said("the plugin id or secret is wrong"),
        }),
        PERMISSION_DENIED => Outcome::Failed(PmError::Auth {
            system: SYSTEM,
            message: said("the plugin or the acting user lacks the permission"),
        }),
        WORK_ITEM_NOT_FOUND | USER_NOT_FOUND | RECORD_NOT_FOUND | PROJECT_NOT_FOUND => {
            Outcome::Failed(PmError::NotFound {
                system: SYSTEM,
                message: said("not found"),
            })
        }
        _ => Outcome::Failed(PmError::Rejected {
            system: SYSTEM,
            status: status.as_u16(),
            message: said("refused"),
        }),
    }
}

/// A failure status without a code in the body.
fn by_status(answer: &Answer) -> PmError {
    let status = answer.status;
    match status.as_u16() {
        401 | 403 => PmError::Auth {
            system: SYSTEM,
            message: format!("HTTP {status}: the plugin token or user key was refused"),
        },
        404 => PmError::NotFound {
            system: SYSTEM,
            message: format!("HTTP {status}: no such path (is the address right?)"),
        },
        429 => PmError::Throttled {
            system: SYSTEM,
            retry_after: None,
        },
        _ => PmError::Rejected {
            system: SYSTEM,
            status: status.as_u16(),
            message: format!("HTTP {status}: {}", snippet(&answer.body)),
        },
    }
}

/// The failure of a stale token that stayed stale after a fresh one.
pub(crate) fn token_refused(message: String) -> PmError {
    PmError::Auth {
        system: SYSTEM,
        message: format!("a freshly fetched plugin token was refused too: {message}"),
    }
}

/// Throttled after the retries.
pub(crate) fn throttled(wait: Duration) -> PmError {
    PmError::Throttled {
        system: SYSTEM,
        retry_after: Some(wait),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).expect("status"),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn codes_map_to_reasons() {
        assert_eq!(
            classify(&answer(200, r#"{"err_code":0,"data":[]}"#)),
            Outcome::Ok
        );
        assert!(matches!(
            classify(&answer(200, r#"{"err_code":10022,"err_msg":"token expired"}"#)),
            Outcome::StaleToken(m) if m.contains("token expired")
        ));
        assert_eq!(
            classify(&answer(
                200,
                r#"{"err_code":99991400,"err_msg":"request trigger frequency limit"}"#
            )),
            Outcome::Throttled
        );
        let reason = |body: &str| match classify(&answer(200, body)) {
            Outcome::Failed(e) => e.reason(),
            other => panic!("expected a failure, got {other:?}"),
        };
        assert_eq!(
            reason(r#"{"err_code":30005,"err_msg":"work item not found"}"#),
            "not_found"
        );
        assert_eq!(
            reason(r#"{"err_code":10001,"err_msg":"no permission"}"#),
            "auth"
        );
        assert_eq!(
            reason(r#"{"data":null,"error":{"code":10211,"msg":"x"}}"#),
            "auth"
        );
        assert_eq!(
            reason(r#"{"err_code":20006,"err_msg":"work_time invalid"}"#),
            "rejected"
        );
        assert_eq!(reason("not json"), "malformed");
    }

    #[test]
    fn a_failure_status_without_a_code_is_read_from_the_status() {
        let failed = |status: u16| match classify(&answer(status, "<html>bad gateway</html>")) {
            Outcome::Failed(e) => e,
            other => panic!("expected a failure, got {other:?}"),
        };
        assert_eq!(failed(401).reason(), "auth");
        assert_eq!(failed(404).reason(), "not_found");
        assert!(
            matches!(failed(502), PmError::Rejected { status: 502, message, .. } if message.contains("bad gateway"))
        );
        assert!(matches!(
            classify(&answer(400, r#"{"err_code":20006,"err_msg":"work_time must be > 0"}"#)),
            Outcome::Failed(PmError::Rejected { status: 400, message, .. }) if message.contains("work_time")
        ));
    }
}
