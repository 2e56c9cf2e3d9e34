//! Reading TAPD's `{status, data, info}` envelope: `status` 1 is success and
//! `data` is read (a mismatch names its path under `data`); anything else is
//! a failure in TAPD's words (`info`), whether the HTTP status says so or
//! not (TAPD mirrors 401/403/404/422/429 in both, unconfirmed for all).

use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::http::{snippet, Answer};
use crate::PmError;

use super::wire::Envelope;
use super::SYSTEM;

fn retry_after(answer: &Answer) -> Option<Duration> {
    answer
        .headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// The reason for a refusal with status `code` (HTTP or envelope).
fn refusal(code: u16, info: Option<String>, answer: &Answer) -> PmError {
    let message = info
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| {
            let body = snippet(&answer.body);
            if body.trim().is_empty() {
                format!("TAPD answered status {code}")
            } else {
                body
            }
        });
    match code {
        401 => PmError::Auth {
            system: SYSTEM,
            message: format!("the API user or password is wrong ({message})"),
        },
        403 => PmError::Auth {
            system: SYSTEM,
            message,
        },
        404 => PmError::NotFound {
            system: SYSTEM,
            message,
        },
        429 => PmError::Throttled {
            system: SYSTEM,
            retry_after: retry_after(answer),
        },
        status => PmError::Rejected {
            system: SYSTEM,
            status,
            message,
        },
    }
}

/// An answer whose HTTP status is not a success.
pub fn failure(answer: &Answer) -> PmError {
    let info = serde_json::from_slice::<Envelope>(&answer.body)
        .ok()
        .and_then(|e| e.info);
    refusal(answer.status.as_u16(), info, answer)
}

/// The `data` of a successful answer, or TAPD's refusal.
pub fn data<T: DeserializeOwned>(answer: &Answer) -> Result<T, PmError> {
    let envelope: Envelope = answer.json(SYSTEM)?;
    match envelope.status() {
        Some(1) => {}
        Some(status) => {
            // `status` 0 or a code TAPD mirrors from HTTP (401, 422…).
            let code = u16::try_from(status)
                .ok()
                .filter(|c| *c >= 100)
                .unwrap_or(answer.status.as_u16());
            return Err(refusal(code, envelope.info, answer));
        }
        None => {
            return Err(PmError::Malformed {
                system: SYSTEM,
                path: "status".into(),
                detail: format!("not a status: {}", envelope.status),
                snippet: snippet(&answer.body),
            })
        }
    }
    serde_path_to_error::deserialize(envelope.data).map_err(|e| {
        let inner = e.path().to_string();
        PmError::Malformed {
            system: SYSTEM,
            path: match inner.as_str() {
                "." => "data".into(),
                i if i.starts_with('[') => format!("data{i}"),
                i => format!("data.{i}"),
            },
            detail: e.inner().to_string(),
            snippet: snippet(&answer.body),
        }
    })
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
    fn status_one_reads_the_data() {
        let n: u64 = data(&answer(200, r#"{"status":1,"data":7,"info":"success"}"#)).expect("7");
        assert_eq!(n, 7);
    }

    #[test]
    fn another_status_is_refused_in_tapds_words() {
        let error = data::<u64>(&answer(
            200,
            r#"{"status":0,"data":"","info":"timespent must be greater than 0"}"#,
        ))
        .expect_err("refused");
        assert!(
            matches!(&error, PmError::Rejected { status: 200, message, .. } if message == "timespent must be greater than 0"),
            "{error}"
        );
        let error = failure(&answer(
            401,
            r#"{"status":401,"data":"","info":"401 Unauthorized"}"#,
        ));
        assert_eq!(error.reason(), "auth");
        let error = failure(&answer(404, r#"{"status":404,"data":"","info":"gone"}"#));
        assert!(matches!(&error, PmError::NotFound { message, .. } if message == "gone"));
        let error = failure(&answer(502, "<html>Bad Gateway</html>"));
        assert!(
            matches!(&error, PmError::Rejected { status: 502, message, .. } if message.contains("Bad Gateway"))
        );
    }

    #[test]
    fn garbage_names_its_path_under_data() {
        #[derive(serde::Deserialize, Debug)]
        struct Row {
            #[allow(dead_code)]
            n: u32,
        }
        let error = data::<Vec<Row>>(&answer(
            200,
            r#"{"status":1,"data":[{"n":1},{"n":"x"}],"info":"success"}"#,
        ))
        .expect_err("garbage");
        assert!(
            matches!(&error, PmError::Malformed { path, .. } if path == "data[1].n"),
            "{error:?}"
        );
        let error = data::<u64>(&answer(200, "<html>")).expect_err("not json");
        assert_eq!(error.reason(), "malformed");
    }
}
