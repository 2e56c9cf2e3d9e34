//! DingTalk event callbacks (HTTP push): verify, decrypt, refuse replays
//! and stale messages, record the event and act on it, answer the
//! encrypted `"success"`.
//!
//! Every refusal stores nothing but one audit entry naming the reason.

use chrono::NaiveDate;
use serde_json::Value;

use super::{audit, Origin};
use crate::clock::{new_id, now_ms};
use crate::db::connections as connection_table;
use crate::db::{dingtalk_events as events, directory as people};
use crate::{AppState, CoreError};
use hourbridge_dingtalk::callback_crypto::{CallbackCrypto, CryptoError};
use hourbridge_dingtalk::model::local_date;
use hourbridge_domain::audit::AuditAction;

/// How far a push's timestamp may be from our clock.
pub const FRESHNESS_MS: i64 = 60 * 60 * 1000;

/// The query string DingTalk signs: `msg_signature` (or `signature`),
/// `timestamp` (or `timeStamp`), `nonce`.
#[derive(Debug, Clone, Default)]
pub struct PushQuery {
    pub signature: Option<String>,
    pub timestamp: Option<String>,
    pub nonce: Option<String>,
}

/// The encrypted answer DingTalk expects.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reply {
    pub msg_signature: String,
    #[serde(rename = "timeStamp")]
    pub time_stamp: String,
    pub nonce: String,
    pub encrypt: String,
}

/// Why a push was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("unknown callback address")]
    UnknownConnection,
    #[error("the connection is disabled")]
    Disabled,
    #[error("missing {0}")]
    Missing(&'static str),
    #[error("the body is not {{\"encrypt\": \"…\"}}")]
    BadBody,
    #[error("{0}")]
    Crypto(CryptoError),
    #[error("the timestamp is more than an hour away from now")]
    Stale,
    #[error("this timestamp and nonce were seen before (replay)")]
    Replay,
    #[error("the decrypted event is not JSON with an EventType")]
    BadEvent,
}

impl Refusal {
    /// 404 for an unknown address, 403 for authentication failures, 400 otherwise.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::UnknownConnection => 404,
            Refusal::Disabled => 403,
            Refusal::Crypto(CryptoError::BadSignature | CryptoError::WrongOwner)
            | Refusal::Stale
            | Refusal::Replay => 403,
            _ => 400,
        }
    }
}

#[derive(Debug)]
pub enum CallbackError {
    Refused(Refusal),
    Internal(CoreError),
}

impl From<CoreError> for CallbackError {
    fn from(e: CoreError) -> Self {
        CallbackError::Internal(e)
    }
}

impl From<sqlx::Error> for CallbackError {
    fn from(e: sqlx::Error) -> Self {
        CallbackError::Internal(e.into())
    }
}

/// Handles one push to `/callbacks/dingtalk/{connection_id}`.
pub async fn receive(
    state: &AppState,
    connection_id: &str,
    query: &PushQuery,
    body: &[u8],
    origin: &Origin,
) -> Result<Reply, CallbackError> {
    match accept(state, connection_id, query, body).await {
        Ok(reply) => Ok(reply),
        Err(CallbackError::Refused(refusal)) => {
            tracing::warn!(connection_id, %refusal, "DingTalk callback refused");
            audit::record(
                &state.db,
                None,
                origin,
                AuditAction::CallbackRefused,
                Some(connection_id),
                Some(&refusal.to_string()),
            )
            .await?;
            Err(CallbackError::Refused(refusal))
        }
        Err(other) => Err(other),
    }
}

async fn accept(
    state: &AppState,
    connection_id: &str,
    query: &PushQuery,
    body: &[u8],
) -> Result<Reply, CallbackError> {
    let refuse = |r| Err(CallbackError::Refused(r));
    let Some(row) = connection_table::get(&state.db, connection_id).await? else {
        return refuse(Refusal::UnknownConnection);
    };
    if !row.enabled {
        return refuse(Refusal::Disabled);
    }
    let signature = query
        .signature
        .as_deref()
        .ok_or(Refusal::Missing("signature"));
    let stamp = query
        .timestamp
        .as_deref()
        .ok_or(Refusal::Missing("timestamp"));
    let nonce = query.nonce.as_deref().ok_or(Refusal::Missing("nonce"));
    let (signature, stamp, nonce) = match (signature, stamp, nonce) {
        (Ok(s), Ok(t), Ok(n)) => (s, t, n),
        (Err(r), _, _) | (_, Err(r), _) | (_, _, Err(r)) => return refuse(r),
    };
    let encrypt = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => match map.get("encrypt").and_then(Value::as_str) {
            Some(e) => e.to_owned(),
            None => return refuse(Refusal::BadBody),
        },
        _ => return refuse(Refusal::BadBody),
    };
    let open = |field: &str, sealed: &str| {
        state
            .keyring
            .open(
                &super::connections::secret_context(connection_id, field),
                sealed,
            )
            .map_err(|e| CoreError::internal("opening the callback secrets", e))
    };
    let token = open("callback_token", &row.callback_token_sealed)?;
    let aes_key = open("callback_aes_key", &row.callback_aes_key_sealed)?;
    let crypto = CallbackCrypto::new(&token, &aes_key, &row.app_key)
        .map_err(|e| CoreError::internal("callback key", e))?;
    let plain = match crypto.open(signature, stamp, nonce, &encrypt) {
        Ok(plain) => plain,
        Err(e) => return refuse(Refusal::Crypto(e)),
    };
    let now = now_ms();
    match stamp_ms(stamp) {
        Some(at) if (now - at).abs() <= FRESHNESS_MS => {}
        _ => return refuse(Refusal::Stale),
    }
    if !events::remember_nonce(&state.db, connection_id, stamp, nonce, now).await? {
        return refuse(Refusal::Replay);
    }
    let event: Value = match serde_json::from_str::<Value>(&plain) {
        Ok(v) if v.get("EventType").and_then(Value::as_str).is_some() => v,
        _ => return refuse(Refusal::BadEvent),
    };
    record(state, connection_id, &event, &plain, now).await?;

    let reply_stamp = now_ms().to_string();
    let reply_nonce = hourbridge_dingtalk::callback_crypto::generate_token()
        .chars()
        .take(8)
        .collect::<String>();
    let sealed = crypto.seal("success", &reply_stamp, &reply_nonce);
    Ok(Reply {
        msg_signature: sealed.signature,
        time_stamp: reply_stamp,
        nonce: reply_nonce,
        encrypt: sealed.encrypt,
    })
}

/// A timestamp in ms (13 digits) or seconds (10 digits).
fn stamp_ms(stamp: &str) -> Option<i64> {
    let n: i64 = stamp.trim().parse().ok()?;
    Some(if n < 100_000_000_000 { n * 1000 } else { n })
}

/// Records the event once (by `eventId`/`BizId`) and acts on it.
async fn record(
    state: &AppState,
    connection_id: &str,
    event: &Value,
    plain: &str,
    now: i64,
) -> Result<(), CallbackError> {
    let kind = event
        .get("EventType")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if kind == "check_url" {
        return Ok(());
    }
    let actions = plan(event);
    let handling = actions.handling();
    let key = ["eventId", "EventId", "BizId", "bizId"]
        .iter()
        .find_map(|k| text(event.get(*k)))
        .unwrap_or_else(|| format!("{kind}:{:x}", fingerprint(plain)));
    let id = new_id();
    let stored = events::insert(
        &state.db,
        &events::NewEvent {
            id: &id,
            connection_id,
            event_key: &key,
            event_type: kind,
            received_at: now,
            payload: plain,
            handling,
        },
    )
    .await?;
    if !stored {
        // The same event again (DingTalk retries): already handled.
        return Ok(());
    }
    for (userid, day, reason) in &actions.pulls {
        events::request_pull(
            &state.db,
            connection_id,
            userid,
            &day.format("%Y-%m-%d").to_string(),
            reason,
            now,
        )
        .await?;
    }
    for userid in &actions.left {
        people::mark_left(&state.db, connection_id, userid, now).await?;
    }
    Ok(())
}

/// What an event asks of HourBridge.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct EventActions {
    /// Person-days to pull again, with the reason.
    pub pulls: Vec<(String, NaiveDate, String)>,
    /// People who left the organisation.
    pub left: Vec<String>,
    /// The directory changed: pull it again.
    pub directory: bool,
    /// Recognised at all.
    pub known: bool,
}

impl EventActions {
    fn handling(&self) -> &'static str {
        if !self.known {
            "ignored"
        } else if !self.pulls.is_empty() {
            "pull_scheduled"
        } else if self.directory || !self.left.is_empty() {
            "directory"
        } else {
            "recorded"
        }
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn user_ids(event: &Value) -> Vec<String> {
    let field = event.get("userId").or_else(|| event.get("UserId"));
    match field {
        Some(Value::Array(items)) => items.iter().filter_map(|v| text(Some(v))).collect(),
        other => text(other).into_iter().collect(),
    }
}

/// Pure: what an event means (unit-tested without a database).
pub fn plan(event: &Value) -> EventActions {
    let kind = event
        .get("EventType")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut actions = EventActions {
        known: true,
        ..EventActions::default()
    };
    match kind {
        "attendance_check_record" => {
            let items = event
                .get("dataList")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for item in items {
                let user = text(item.get("userId"));
                let day = number(item.get("checkTime")).and_then(local_date);
                if let (Some(user), Some(day)) = (user, day) {
                    actions.pulls.push((user, day, "punch".into()));
                }
            }
        }
        "attend_bossCheck_change" => {
            let user = text(event.get("userId"));
            let day = text(event.get("workDate")).and_then(|s| {
                NaiveDate::parse_from_str(s.get(..10).unwrap_or(""), "%Y-%m-%d").ok()
            });
            if let (Some(user), Some(day)) = (user, day) {
                actions.pulls.push((user, day, "result_corrected".into()));
            }
        }
        "bpms_instance_change" | "bpms_task_change" => {
            // The form's own dates are not in the event: pull the days it was
            // started and finished on; the day's approvals name the full span.
            if let Some(user) = text(event.get("staffId")) {
                let reason = format!(
                    "approval {}",
                    text(event.get("processInstanceId")).unwrap_or_default()
                );
                let mut days: Vec<NaiveDate> = ["createTime", "finishTime"]
                    .iter()
                    .filter_map(|k| number(event.get(*k)).and_then(local_date))
                    .collect();
                days.sort();
                days.dedup();
                for day in days {
                    actions.pulls.push((user.clone(), day, reason.clone()));
                }
            }
        }
        "attendance_approve_status_change" => {}
        "user_leave_org" => actions.left = user_ids(event),
        "user_add_org" | "user_modify_org" | "user_active_org" | "org_dept_create"
        | "org_dept_modify" | "org_dept_remove" => actions.directory = true,
        _ => actions.known = false,
    }
    actions
}

fn fingerprint(text: &str) -> u64 {
    // FNV-1a: a stable key for events that carry no id.
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn a_punch_schedules_its_local_day() {
        // 2026-03-02 23:30 in China is still 2026-03-02 there (15:30 UTC).
        let e = json!({"EventType":"attendance_check_record","dataList":[
            {"userId":"u1","checkTime":1772465400000u64},
            {"userId":"u2","checkTime":"1772412733000"}]});
        let a = plan(&e);
        assert_eq!(
            a.pulls,
            vec![
                ("u1".into(), day("2026-03-02"), "punch".into()),
                ("u2".into(), day("2026-03-02"), "punch".into())
            ]
        );
    }

    #[test]
    fn an_approval_pulls_its_start_and_finish_days() {
        let e = json!({"EventType":"bpms_instance_change","staffId":"u9","processInstanceId":"p1",
            "createTime":1772412733000u64,"finishTime":1772585533000u64,"type":"finish","result":"agree"});
        let days: Vec<NaiveDate> = plan(&e).pulls.into_iter().map(|p| p.1).collect();
        assert_eq!(days, vec![day("2026-03-02"), day("2026-03-04")]);
    }

    #[test]
    fn leavers_and_directory_changes() {
        let left = plan(&json!({"EventType":"user_leave_org","userId":["a","b"],"timeStamp":"1"}));
        assert_eq!(left.left, vec!["a".to_string(), "b".to_string()]);
        assert_eq!(left.handling(), "directory");
        assert!(plan(&json!({"EventType":"user_modify_org","userId":["a"]})).directory);
    }

    #[test]
    fn unknown_events_are_recorded_and_ignored() {
        let a = plan(&json!({"EventType":"something_new"}));
        assert!(!a.known);
        assert_eq!(a.handling(), "ignored");
    }

    #[test]
    fn timestamps_in_seconds_or_milliseconds() {
        assert_eq!(stamp_ms("1700000000"), Some(1_700_000_000_000));
        assert_eq!(stamp_ms("1700000000123"), Some(1_700_000_000_123));
        assert_eq!(stamp_ms("soon"), None);
    }
}
