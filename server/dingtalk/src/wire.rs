//! Reading DingTalk's answers: lenient scalars, the old-family envelope, and
//! the classification of failures into what a sync job can act on.
//!
//! DingTalk (and its SDKs) send numbers as JSON numbers or numeric strings
//! alike; every numeric field here accepts both. An answer that does not fit
//! is an error naming the JSON path, with a short snippet of the body
//! (tokens masked), never a panic.

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::Deserialize;
use std::fmt;

/// Why an upstream call failed, in the terms a sync job acts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpstreamError {
    /// The access token is invalid, expired or missing: refresh once and retry once.
    #[error("access token rejected (code {code})")]
    TokenInvalid { code: String },
    /// Rate limited: back off and retry.
    #[error("throttled by DingTalk (code {code}): {message}")]
    Throttled { code: String, message: String },
    /// The egress address is banned for a while (non-standard `punish` body).
    #[error("DingTalk banned this address for {wait_secs}s")]
    AddressBanned { wait_secs: u64 },
    /// The monthly API quota is used up: stop the job with this reason.
    #[error("DingTalk monthly API quota exhausted (code {code})")]
    QuotaExhausted { code: String },
    /// DingTalk refused the request; retrying will not help.
    #[error("DingTalk refused the request (code {code}): {message}")]
    Rejected { code: String, message: String },
    /// DingTalk could not be reached (DNS, refused connection, TLS).
    #[error("DingTalk is unreachable: {detail}")]
    Unreachable { detail: String },
    /// No answer within the configured time.
    #[error("DingTalk did not answer in time")]
    Timeout,
    /// An HTTP error status without a DingTalk error body (gateway trouble).
    #[error("DingTalk answered HTTP {status}: {snippet}")]
    ServerError { status: u16, snippet: String },
    /// The answer does not have the expected shape.
    #[error("unexpected answer from DingTalk at `{path}`: {detail} (body: {snippet})")]
    Malformed {
        path: String,
        detail: String,
        snippet: String,
    },
}

impl UpstreamError {
    /// Worth retrying after a pause.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            UpstreamError::Throttled { .. }
                | UpstreamError::AddressBanned { .. }
                | UpstreamError::Unreachable { .. }
                | UpstreamError::Timeout
                | UpstreamError::ServerError { .. }
        )
    }
}

/// Old-family codes that mean "the token is not valid" (§2.4 of the reference).
const TOKEN_CODES: [i64; 4] = [40014, 42001, 40001, 33001];
/// `errcode 88` wraps auth failures with these `sub_code`s.
const TOKEN_SUB_CODES: [&str; 2] = ["40014", "40000"];

/// Classifies a failed old-family answer (`errcode != 0`).
pub fn classify(errcode: i64, sub_code: Option<&str>, message: &str) -> UpstreamError {
    let code = errcode.to_string();
    match errcode {
        88 if sub_code.is_some_and(|s| TOKEN_SUB_CODES.contains(&s)) => {
            UpstreamError::TokenInvalid {
                code: format!("88/{}", sub_code.unwrap_or_default()),
            }
        }
        c if TOKEN_CODES.contains(&c) => UpstreamError::TokenInvalid { code },
        90020 => UpstreamError::QuotaExhausted { code },
        -1 | 90001..=90019 => UpstreamError::Throttled {
            code,
            message: message.to_owned(),
        },
        _ => UpstreamError::Rejected {
            code,
            message: message.to_owned(),
        },
    }
}

/// Classifies a failed new-family answer (HTTP status + `code`).
pub fn classify_v1(status: u16, code: &str, message: &str) -> UpstreamError {
    if code == "Forbidden.AccessDenied.ApiCountLimitForOrg" {
        UpstreamError::QuotaExhausted {
            code: code.to_owned(),
        }
    } else if status == 429
        || (status == 403
            && (code.contains("Limit") || code.contains("Qps") || code.contains("Qpm")))
    {
        UpstreamError::Throttled {
            code: code.to_owned(),
            message: message.to_owned(),
        }
    } else if code == "InvalidAuthentication" || code.starts_with("AuthenticationFailed") {
        UpstreamError::TokenInvalid {
            code: code.to_owned(),
        }
    } else if status >= 500 {
        UpstreamError::Throttled {
            code: format!("HTTP {status} {code}"),
            message: message.to_owned(),
        }
    } else {
        UpstreamError::Rejected {
            code: format!("HTTP {status} {code}"),
            message: message.to_owned(),
        }
    }
}

/// The first 200 characters of a body, with `access_token` values masked.
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut masked = String::with_capacity(text.len().min(256));
    let mut rest: &str = &text;
    const KEYS: [&str; 3] = ["access_token", "accessToken", "appsecret"];
    while let Some((at, key)) = KEYS
        .iter()
        .filter_map(|k| rest.find(k).map(|i| (i, *k)))
        .min_by_key(|(i, _)| *i)
    {
        let value_start = at + key.len();
        masked.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        // Keep the separator (`=`, `":"`), mask up to the next delimiter.
        let sep_len = rest
            .find(|c: char| c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        masked.push_str(&rest[..sep_len]);
        rest = &rest[sep_len..];
        let value_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        if value_len > 0 {
            masked.push_str("***");
        }
        rest = &rest[value_len..];
    }
    masked.push_str(rest);
    masked.chars().take(200).collect()
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    errcode: Option<i64>,
    #[serde(default)]
    errmsg: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    sub_code: Option<String>,
    #[serde(default)]
    sub_msg: Option<String>,
    /// The per-address ban body: `{"status":1111,"wait":5,"punish":"deny",…}`.
    #[serde(default)]
    punish: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    wait: Option<i64>,
}

/// Parses an old-family answer: failures are classified, successes decoded into `T`.
pub fn parse_old<T: DeserializeOwned>(body: &[u8]) -> Result<T, UpstreamError> {
    let envelope: Envelope =
        serde_json::from_slice(body).map_err(|e| UpstreamError::Malformed {
            path: "$".into(),
            detail: e.to_string(),
            snippet: snippet(body),
        })?;
    if envelope.punish.as_deref() == Some("deny") {
        let minutes = envelope.wait.unwrap_or(5).max(1) as u64;
        return Err(UpstreamError::AddressBanned {
            wait_secs: minutes * 60,
        });
    }
    match envelope.errcode {
        Some(0) => decode(body),
        Some(code) => {
            let message = envelope.sub_msg.or(envelope.errmsg).unwrap_or_default();
            Err(classify(code, envelope.sub_code.as_deref(), &message))
        }
        None => Err(UpstreamError::Malformed {
            path: "errcode".into(),
            detail: "missing".into(),
            snippet: snippet(body),
        }),
    }
}

/// Decodes a successful answer, naming the JSON path of the first mismatch.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, UpstreamError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| UpstreamError::Malformed {
        path: e.path().to_string(),
        detail: e.inner().to_string(),
        snippet: snippet(body),
    })
}

/// Deserializers that accept numbers and numeric strings alike.
pub mod lenient {
    use super::*;

    struct IntVisitor;

    impl<'de> de::Visitor<'de> for IntVisitor {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an integer or a string holding one")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v)
                .map(Some)
                .map_err(|_| E::custom("integer too large"))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            if v.fract() == 0.0 && v.abs() < 9.0e15 {
                Ok(Some(v as i64))
            } else {
                Err(E::custom(format!("expected an integer, got {v}")))
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            v.parse()
                .map(Some)
                .map_err(|_| E::custom(format!("expected an integer, got \"{v}\"")))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        d.deserialize_any(IntVisitor)
    }

    pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        opt_i64(d)?.ok_or_else(|| de::Error::custom("expected an integer, got nothing"))
    }

    struct BoolVisitor;

    impl<'de> de::Visitor<'de> for BoolVisitor {
        type Value = bool;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a boolean, 0/1, or \"true\"/\"false\"")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
            Ok(v != 0)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
            Ok(v != 0)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
            match v.trim() {
                "true" | "1" => Ok(true),
                "false" | "0" | "" => Ok(false),
                other => Err(E::custom(format!("expected a boolean, got \"{other}\""))),
            }
        }
    }

    pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        d.deserialize_any(BoolVisitor)
    }

    struct StringVisitor;

    impl<'de> de::Visitor<'de> for StringVisitor {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(StringVisitor)
    }

    /// A required string that may arrive as a number (ids, codes).
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        opt_string(d)?.ok_or_else(|| de::Error::custom("expected a string, got nothing"))
    }

    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Option::<serde_json::Value>::deserialize(d)?
            .map(|v| BoolVisitor.visit_value(v))
            .transpose()
    }

    struct FloatVisitor;

    impl<'de> de::Visitor<'de> for FloatVisitor {
        type Value = Option<f64>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a decimal number or a decimal string")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            v.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| E::custom(format!("expected a decimal number, got \"{v}\"")))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        d.deserialize_any(FloatVisitor)
    }

    pub fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        opt_f64(d)?.ok_or_else(|| de::Error::custom("expected a number, got nothing"))
    }

    impl BoolVisitor {
        fn visit_value<E: de::Error>(self, v: serde_json::Value) -> Result<bool, E> {
            use de::Visitor;
            match v {
                serde_json::Value::Bool(b) => Ok(b),
                serde_json::Value::Number(n) => Ok(n.as_f64().is_some_and(|f| f != 0.0)),
                serde_json::Value::String(s) => self.visit_str(&s),
                other => Err(E::custom(format!("expected a boolean, got {other}"))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Page {
        #[serde(rename = "hasMore", deserialize_with = "lenient::bool")]
        has_more: bool,
        recordresult: Vec<Record>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Record {
        #[serde(deserialize_with = "lenient::i64")]
        id: i64,
        #[serde(rename = "userId")]
        user_id: String,
        #[serde(rename = "workDate", deserialize_with = "lenient::i64")]
        work_date: i64,
    }

    #[test]
    fn numbers_and_numeric_strings_read_alike() {
        let a: Page = parse_old(br#"{"errcode":0,"errmsg":"ok","hasMore":false,"recordresult":[{"id":101135139831,"userId":"zhangsan","workDate":1772380800000}]}"#).unwrap();
        let b: Page = parse_old(br#"{"errcode":"0","errmsg":"ok","hasMore":"false","recordresult":[{"id":"101135139831","userId":"zhangsan","workDate":"1772380800000"}]}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.recordresult[0].work_date, 1_772_380_800_000);
    }

    #[test]
    fn a_wrong_shape_names_the_path_and_never_panics() {
        let err = parse_old::<Page>(br#"{"errcode":0,"hasMore":false,"recordresult":[{"id":"x1","userId":"a","workDate":1}]}"#).unwrap_err();
        match err {
            UpstreamError::Malformed { path, detail, .. } => {
                assert_eq!(path, "recordresult[0].id");
                assert!(detail.contains("x1"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
        for body in [
            &b"not json"[..],
            b"",
            b"[]",
            b"{\"errcode\":0}",
            b"{\"errmsg\":\"ok\"}",
        ] {
            assert!(
                matches!(
                    parse_old::<Page>(body),
                    Err(UpstreamError::Malformed { .. })
                ),
                "{body:?}"
            );
        }
    }

    #[test]
    fn failures_are_classified_for_the_sync_job() {
        let token = parse_old::<Page>(r#"{"errcode":88,"sub_code":"40014","sub_msg":"不合法的access_token","errmsg":"ding talk error"}"#.as_bytes());
        assert_eq!(
            token.unwrap_err(),
            UpstreamError::TokenInvalid {
                code: "88/40014".into()
            }
        );
        assert!(matches!(
            parse_old::<Page>(r#"{"errcode":42001,"errmsg":"access_token超时"}"#.as_bytes()),
            Err(UpstreamError::TokenInvalid { .. })
        ));
        let throttled =
            parse_old::<Page>(r#"{"errcode":90018,"errmsg":"调用次数过多"}"#.as_bytes())
                .unwrap_err();
        assert!(throttled.is_transient());
        assert!(matches!(
            parse_old::<Page>(r#"{"errcode":-1,"errmsg":"系统繁忙"}"#.as_bytes()),
            Err(UpstreamError::Throttled { .. })
        ));
        assert_eq!(
            parse_old::<Page>(r#"{"errcode":90020,"errmsg":"月度调用量超限"}"#.as_bytes())
                .unwrap_err(),
            UpstreamError::QuotaExhausted {
                code: "90020".into()
            }
        );
        assert_eq!(
            parse_old::<Page>(r#"{"errcode":60003,"errmsg":"部门不存在"}"#.as_bytes()).unwrap_err(),
            UpstreamError::Rejected {
                code: "60003".into(),
                message: "部门不存在".into()
            }
        );
        assert_eq!(
            parse_old::<Page>(
                br#"{"status":1111,"wait":5,"source":"x5","punish":"deny","uuid":"u"}"#
            )
            .unwrap_err(),
            UpstreamError::AddressBanned { wait_secs: 300 }
        );
    }

    #[test]
    fn new_family_errors_are_classified_by_status_and_code() {
        assert!(matches!(
            classify_v1(403, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", ""),
            UpstreamError::Throttled { .. }
        ));
        assert!(matches!(
            classify_v1(403, "Forbidden.AccessDenied.ApiCountLimitForOrg", ""),
            UpstreamError::QuotaExhausted { .. }
        ));
        assert!(matches!(
            classify_v1(400, "InvalidAuthentication", ""),
            UpstreamError::TokenInvalid { .. }
        ));
        assert!(matches!(
            classify_v1(400, "AuthenticationFailed.MissingParameter", ""),
            UpstreamError::TokenInvalid { .. }
        ));
        assert!(matches!(
            classify_v1(503, "systemError", ""),
            UpstreamError::Throttled { .. }
        ));
        assert!(matches!(
            classify_v1(400, "invalidParameter", "bad"),
            UpstreamError::Rejected { .. }
        ));
    }

    #[test]
    fn snippets_mask_tokens_and_stay_short() {
        let body = br#"{"url":"https://oapi.dingtalk.com/attendance/list?access_token=96fc7a7aSECRET&x=1","accessToken":"fw8ef8SECRET"}"#;
        let s = snippet(body);
        assert!(!s.contains("SECRET"), "{s}");
        assert!(s.contains("access_token=***&x=1"), "{s}");
        assert!(s.contains(r#""accessToken":"***""#), "{s}");
        assert_eq!(snippet(&[b'x'; 1000]).len(), 200);
    }
}
