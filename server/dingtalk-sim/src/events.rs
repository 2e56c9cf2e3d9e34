//! Event bodies (decrypted HTTP-push form, §7.5): `EventType`, `EventTime`,
//! `CorpId`, `BizId`, `eventId`, then the event's own fields beside them.

use rand::Rng;
use serde_json::{json, Map, Value};

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn event_id() -> String {
    let mut rng = rand::thread_rng();
    format!("{:032x}", rng.gen::<u128>())
}

fn event(event_type: &str, corp_id: &str, fields: Value) -> Value {
    let now = now_ms();
    let mut map = Map::new();
    map.insert("EventType".to_owned(), json!(event_type));
    map.insert("EventTime".to_owned(), json!(now));
    map.insert("CorpId".to_owned(), json!(corp_id));
    map.insert("BizId".to_owned(), json!(now.to_string()));
    map.insert("eventId".to_owned(), json!(event_id()));
    if let Value::Object(extra) = fields {
        map.extend(extra);
    }
    Value::Object(map)
}

/// The URL check sent when a callback URL is saved.
pub fn check_url() -> Value {
    json!({"EventType": "check_url"})
}

/// A punch (`attendance_check_record`) by `userid` at `check_time_ms`.
pub fn attendance_check_record(corp_id: &str, userid: &str, check_time_ms: i64) -> Value {
    event(
        "attendance_check_record",
        corp_id,
        json!({"dataList": [{
            "userId": userid,
            "corpId": corp_id,
            "checkTime": check_time_ms,
            "groupId": "685935028",
            "bizId": format!("biz{check_time_ms}"),
            "locationResult": "Normal",
            "locationMethod": "MAP",
            "address": "模拟办公室",
            "checkByUser": true,
        }]}),
    )
}

/// An approval instance change (`bpms_instance_change`).
#[derive(Debug, Clone)]
pub struct BpmsChange {
    pub process_instance_id: String,
    pub process_code: String,
    pub biz_category_id: String,
    pub title: String,
    /// `start`, `finish` or `terminate`.
    pub change: String,
    /// `agree` or `refuse` (absent on terminate).
    pub result: Option<String>,
    /// The originator's userid.
    pub staff_id: String,
    pub create_time: i64,
    pub finish_time: Option<i64>,
}

pub fn bpms_instance_change(corp_id: &str, change: &BpmsChange) -> Value {
    let mut fields = json!({
        "processInstanceId": change.process_instance_id,
        "processCode": change.process_code,
        "bizCategoryId": change.biz_category_id,
        "businessId": change.process_instance_id.chars().filter(char::is_ascii_digit).take(16).collect::<String>(),
        "title": change.title,
        "type": change.change,
        "staffId": change.staff_id,
        "createTime": change.create_time,
        "url": format!("https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?procInstId={}", change.process_instance_id),
    });
    if let Some(result) = &change.result {
        fields["result"] = json!(result);
    }
    if let Some(finish) = change.finish_time {
        fields["finishTime"] = json!(finish);
    }
    event("bpms_instance_change", corp_id, fields)
}

fn user_event(event_type: &str, corp_id: &str, userids: &[&str], extra: Value) -> Value {
    let mut fields = json!({"userId": userids, "timeStamp": now_ms().to_string()});
    if let (Some(map), Value::Object(extra)) = (fields.as_object_mut(), extra) {
        map.extend(extra);
    }
    event(event_type, corp_id, fields)
}

/// People joined (`user_add_org`).
pub fn user_add_org(corp_id: &str, userids: &[&str]) -> Value {
    user_event("user_add_org", corp_id, userids, Value::Null)
}

/// People left (`user_leave_org`).
pub fn user_leave_org(corp_id: &str, userids: &[&str]) -> Value {
    user_event("user_leave_org", corp_id, userids, Value::Null)
}

/// A profile changed (`user_modify_org`): `prev` and `curr` hold camelCase
/// profile fields (`name`, `email`, `jobNumber`, …).
pub fn user_modify_org(corp_id: &str, userid: &str, prev: Value, curr: Value) -> Value {
    user_event(
        "user_modify_org",
        corp_id,
        &[userid],
        json!({"diffInfo": {"userid": userid, "prev": prev, "curr": curr}}),
    )
}
