//! TAPD's JSON, as far as HourBridge reads it. Every answer is
//! `{"status":1,"data":…,"info":"success"}`; list items come wrapped
//! (`[{"Task":{…}}]`) and values are strings (ids are 19-digit strings), so
//! numbers and dates are read from text here: a value that is not one fails
//! with its path.

use chrono::NaiveDate;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::Value;

/// Text whether TAPD sends a string, a number or `null` (empty).
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Null => Ok(String::new()),
        other => Err(de::Error::custom(format!("expected text, found {other}"))),
    }
}

/// Text that may be `null`.
fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(de::Error::custom(format!("expected text, found {other}"))),
    }
}

/// A long id: digits, as a string or a number.
fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let id = text(d)?;
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id)
    } else {
        Err(de::Error::custom(format!("not a TAPD id: `{id}`")))
    }
}

/// Hours, from `"7.5"` or `7.5`.
fn hours<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let raw = text(d)?;
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|h| h.is_finite())
        .ok_or_else(|| de::Error::custom(format!("not a number of hours: `{raw}`")))
}

/// A count, from `"14"` or `14`.
fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let raw = text(d)?;
    raw.trim()
        .parse::<u64>()
        .map_err(|_| de::Error::custom(format!("not a count: `{raw}`")))
}

/// A `YYYY-MM-DD` date.
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let raw = text(d)?;
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| de::Error::custom(format!("not a date: `{raw}`")))
}

/// The envelope; `data` is read once `status` says it is there.
#[derive(Debug, Deserialize)]
pub struct Envelope {
    pub status: Value,
    #[serde(default, deserialize_with = "optional_text")]
    pub info: Option<String>,
    #[serde(default)]
    pub data: Value,
}

impl Envelope {
    /// `status` as a number (TAPD sends `1`; `"1"` is read too).
    pub fn status(&self) -> Option<i64> {
        match &self.status {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Workspace {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default, deserialize_with = "text")]
    pub name: String,
    /// `normal`, `closed` or `suspend`.
    #[serde(default, deserialize_with = "text")]
    pub status: String,
    /// `project`, `mini_project`; the company itself is `organization`.
    #[serde(default, deserialize_with = "text")]
    pub category: String,
}

#[derive(Debug, Deserialize)]
pub struct WorkspaceRow {
    #[serde(rename = "Workspace")]
    pub workspace: Workspace,
}

/// A member of the company or a workspace (`fields=user,name,email,…`).
#[derive(Debug, Deserialize)]
pub struct Member {
    /// The nick: what `owner` fields hold.
    #[serde(deserialize_with = "text")]
    pub user: String,
    #[serde(default, deserialize_with = "text")]
    pub name: String,
    #[serde(default, deserialize_with = "text")]
    pub email: String,
}

#[derive(Debug, Deserialize)]
pub struct MemberRow {
    #[serde(rename = "UserWorkspace")]
    pub member: Member,
}

/// A task or story (`fields=id,name,owner,status`).
#[derive(Debug, Deserialize)]
pub struct WorkItem {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default, deserialize_with = "text")]
    pub name: String,
    /// Nicks joined by `;` (`"alice;bob;"`).
    #[serde(default, deserialize_with = "text")]
    pub owner: String,
    #[serde(default, deserialize_with = "text")]
    pub status: String,
}

#[derive(Debug, Deserialize)]
pub struct TaskRow {
    #[serde(rename = "Task")]
    pub item: WorkItem,
}

#[derive(Debug, Deserialize)]
pub struct StoryRow {
    #[serde(rename = "Story")]
    pub item: WorkItem,
}

#[derive(Debug, Deserialize)]
pub struct Timesheet {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(deserialize_with = "text")]
    pub entity_type: String,
    #[serde(deserialize_with = "id")]
    pub entity_id: String,
    #[serde(deserialize_with = "hours")]
    pub timespent: f64,
    #[serde(deserialize_with = "date")]
    pub spentdate: NaiveDate,
    #[serde(default, deserialize_with = "text")]
    pub owner: String,
    #[serde(default, deserialize_with = "text")]
    pub workspace_id: String,
    #[serde(default, deserialize_with = "optional_text")]
    pub memo: Option<String>,
}

/// `{"Timesheet":{…}}`, alone (create, update) or in a list.
#[derive(Debug, Deserialize)]
pub struct TimesheetRow {
    #[serde(rename = "Timesheet")]
    pub timesheet: Timesheet,
}

/// `/…/count`: `{"count":14}`.
#[derive(Debug, Deserialize)]
pub struct Count {
    #[serde(deserialize_with = "count")]
    pub count: u64,
}

/// `/quickstart/testauth`: the account checked.
#[derive(Debug, Deserialize)]
pub struct TestAuth {
    #[serde(default, deserialize_with = "text")]
    pub api_user: String,
}

/// One group of `delete_timesheets`' answer.
#[derive(Debug, Default, Deserialize)]
pub struct DeleteGroup {
    #[serde(default, deserialize_with = "ids")]
    pub cost_ids: Vec<String>,
    #[serde(default, deserialize_with = "text")]
    pub msg: String,
}

fn ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                Value::Number(n) => Ok(n.to_string()),
                other => Err(de::Error::custom(format!("not an id: {other}"))),
            })
            .collect(),
        Value::Null => Ok(Vec::new()),
        other => Err(de::Error::custom(format!(
            "expected a list of ids, found {other}"
        ))),
    }
}

/// `success` is an object, or `[]` when empty (PHP's empty array); `failed`
/// a list, or `{}`/`[]` when empty.
fn success<'de, D: Deserializer<'de>>(d: D) -> Result<DeleteGroup, D::Error> {
    match Value::deserialize(d)? {
        Value::Array(items) if items.is_empty() => Ok(DeleteGroup::default()),
        Value::Null => Ok(DeleteGroup::default()),
        value => serde_json::from_value(value).map_err(de::Error::custom),
    }
}

fn failed<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<DeleteGroup>, D::Error> {
    match Value::deserialize(d)? {
        Value::Object(map) if map.is_empty() => Ok(Vec::new()),
        Value::Null => Ok(Vec::new()),
        value => serde_json::from_value(value).map_err(de::Error::custom),
    }
}

#[derive(Debug, Deserialize)]
pub struct DeleteResult {
    #[serde(default, deserialize_with = "success")]
    pub success: DeleteGroup,
    #[serde(default, deserialize_with = "failed")]
    pub failed: Vec<DeleteGroup>,
}

/// `{"msg":"delete completed","data":{"success":…,"failed":[…]}}`.
#[derive(Debug, Deserialize)]
pub struct Deleted {
    pub data: DeleteResult,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_numbers_and_nulls_read_alike() {
        let row: TimesheetRow = serde_json::from_str(
            r#"{"Timesheet":{"id":1010158231001169003,"entity_type":"task","entity_id":"1010158231500709717",
                "timespent":"7.5","spentdate":"2024-03-01","owner":"alice","workspace_id":10158231,"memo":null}}"#,
        )
        .expect("row");
        assert_eq!(row.timesheet.id, "1010158231001169003");
        assert_eq!(row.timesheet.workspace_id, "10158231");
        assert_eq!(row.timesheet.timespent, 7.5);
        assert_eq!(row.timesheet.memo, None);
    }

    #[test]
    fn empty_delete_groups_come_as_empty_arrays_or_objects() {
        let deleted: Deleted = serde_json::from_str(
            r#"{"msg":"delete completed","data":{"success":[],"failed":[{"cost_ids":["1"],"msg":"x"}]}}"#,
        )
        .expect("deleted");
        assert!(deleted.data.success.cost_ids.is_empty());
        assert_eq!(deleted.data.failed[0].cost_ids, vec!["1".to_owned()]);
        let deleted: Deleted = serde_json::from_str(
            r#"{"data":{"success":{"cost_ids":["2"],"msg":"delete success"},"failed":{}}}"#,
        )
        .expect("deleted");
        assert_eq!(deleted.data.success.cost_ids, vec!["2".to_owned()]);
        assert!(deleted.data.failed.is_empty());
    }
}
