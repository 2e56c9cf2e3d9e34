//! ZenTao's JSON (RESTful API v1), as far as HourBridge reads it.
//!
//! ZenTao is loose with types: numbers come as numbers or strings
//! (`"7.50"`), user fields as objects (`{"account":"alice",…}`), plain
//! accounts or `""`, lists as arrays or as objects keyed by id, and paging
//! fields echo the query string (`"page":"2"`). Every reader here accepts
//! all of those.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A number that may come as a JSON number or a numeric string; anything
/// else (`""`, `null`) reads as absent.
fn loose_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

fn number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(loose_number(&Value::deserialize(d)?).unwrap_or(0.0))
}

fn optional_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(loose_number(&Value::deserialize(d)?))
}

/// An id: a number or a string of digits.
fn id<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let value = Value::deserialize(d)?;
    let parsed = match &value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| serde::de::Error::custom(format!("not an id: {value}")))
}

fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// `deleted`: `"0"`/`"1"`, `0`/`1` or `false`/`true`.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !matches!(s.trim(), "" | "0" | "false"),
        _ => false,
    })
}

/// A user-typed field (`assignedTo`, `openedBy`…): an object with the
/// account (per the official Go SDK), a plain account, or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserField(Option<String>);

impl UserField {
    /// The account, if the field names one.
    pub fn account(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl<'de> Deserialize<'de> for UserField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let account = match Value::deserialize(d)? {
            Value::String(s) => Some(s),
            Value::Object(map) => match map.get("account") {
                Some(Value::String(s)) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        };
        Ok(UserField(
            account
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty()),
        ))
    }
}

/// `{"page":1,"total":57,"limit":20,"<items>":[…]}`.
#[derive(Debug, Deserialize)]
pub struct Page<T> {
    #[serde(default, deserialize_with = "optional_number")]
    pub page: Option<f64>,
    #[serde(default, deserialize_with = "optional_number")]
    pub total: Option<f64>,
    #[serde(
        alias = "projects",
        alias = "executions",
        alias = "tasks",
        alias = "users"
    )]
    pub items: Vec<T>,
}

/// `POST /tokens` → `{"token":"<PHP session id>"}`.
#[derive(Debug, Deserialize)]
pub struct Token {
    pub token: String,
}

/// `GET /user` → `{"profile":{…}}`.
#[derive(Debug, Deserialize)]
pub struct Me {
    pub profile: User,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub account: String,
    #[serde(default, deserialize_with = "text")]
    pub realname: String,
    #[serde(default, deserialize_with = "text")]
    pub email: String,
    /// Only when asked for with `fileds=mobile` (or in `GET /users/{id}`).
    #[serde(default, deserialize_with = "text")]
    pub mobile: String,
    #[serde(default, deserialize_with = "flag")]
    pub deleted: bool,
}

#[derive(Debug, Deserialize)]
pub struct Project {
    #[serde(deserialize_with = "id")]
    pub id: u64,
    #[serde(default, deserialize_with = "text")]
    pub name: String,
    #[serde(default, deserialize_with = "text")]
    pub code: String,
}

#[derive(Debug, Deserialize)]
pub struct Execution {
    #[serde(deserialize_with = "id")]
    pub id: u64,
}

#[derive(Debug, Deserialize)]
pub struct Task {
    #[serde(deserialize_with = "id")]
    pub id: u64,
    #[serde(default, deserialize_with = "text")]
    pub name: String,
    /// wait | doing | done | pause | cancel | closed.
    #[serde(default, deserialize_with = "text")]
    pub status: String,
    #[serde(default, deserialize_with = "optional_number")]
    pub left: Option<f64>,
    /// Hours recorded so far (the sum of its efforts), when listed.
    #[serde(default, deserialize_with = "optional_number")]
    pub consumed: Option<f64>,
    #[serde(default, rename = "assignedTo")]
    pub assigned_to: UserField,
    /// `-1` marks a parent task (≤ 18.x), which takes no effort itself.
    #[serde(default, deserialize_with = "number")]
    pub parent: f64,
    /// Child tasks, when a list nests them under their parent.
    #[serde(default)]
    pub children: Vec<Task>,
}

impl Task {
    /// Whether hours may be recorded on it today (open, not a parent).
    pub fn is_open(&self) -> bool {
        matches!(self.status.as_str(), "wait" | "doing" | "pause")
    }

    /// A parent task holds its children's effort, none of its own.
    pub fn is_parent(&self) -> bool {
        self.parent < 0.0 || !self.children.is_empty()
    }

    /// The task and its children, flattened.
    pub fn flatten(self, out: &mut Vec<Task>) {
        let mut task = self;
        let children = std::mem::take(&mut task.children);
        let had_children = !children.is_empty();
        if had_children && task.parent >= 0.0 {
            task.parent = -1.0;
        }
        out.push(task);
        for child in children {
            child.flatten(out);
        }
    }
}

/// One effort (工时) row, as `zt_effort` holds it.
#[derive(Debug, Deserialize)]
pub struct Effort {
    #[serde(deserialize_with = "id")]
    pub id: u64,
    #[serde(default, deserialize_with = "text")]
    pub account: String,
    #[serde(deserialize_with = "text")]
    pub date: String,
    #[serde(default, deserialize_with = "number")]
    pub consumed: f64,
    #[serde(default, deserialize_with = "text")]
    pub work: String,
    #[serde(default, deserialize_with = "flag")]
    pub deleted: bool,
}

/// `GET /tasks/{id}/estimate` → `{"effort":…}`: an array, an object keyed by
/// effort id, or `{}` when there is none.
#[derive(Debug, Deserialize)]
pub struct EffortList {
    #[serde(default)]
    pub effort: Value,
}

impl EffortList {
    /// The efforts, each read on its own so a mismatch names its place.
    pub fn efforts(self) -> Result<Vec<Effort>, (String, String)> {
        let rows: Vec<(String, Value)> = match self.effort {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (format!("effort[{i}]"), v))
                .collect(),
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| (format!("effort.{k}"), v))
                .collect(),
            Value::Null => Vec::new(),
            other => {
                return Err((
                    "effort".to_owned(),
                    format!("expected a list of efforts, got {other}"),
                ))
            }
        };
        rows.into_iter()
            .map(|(path, value)| {
                serde_path_to_error::deserialize::<_, Effort>(value).map_err(|e| {
                    let inner = e.path().to_string();
                    let at = if inner == "." {
                        path
                    } else {
                        format!("{path}.{inner}")
                    };
                    (at, e.inner().to_string())
                })
            })
            .collect()
    }
}

/// `{"error": …}`: a message, or validation messages keyed by field
/// (`{"consumed[0]":"请填写\"工时\""}`, values possibly lists).
#[derive(Debug, Default, Deserialize)]
pub struct Failure {
    #[serde(default)]
    pub error: Value,
    #[serde(default)]
    pub message: Value,
}

impl Failure {
    /// Every message, joined with `; `.
    pub fn text(&self) -> String {
        let mut parts = Vec::new();
        collect(&self.error, &mut parts);
        if parts.is_empty() {
            collect(&self.message, &mut parts);
        }
        parts.join("; ")
    }
}

fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect(v, out)),
        Value::Number(n) => out.push(n.to_string()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn user_fields_come_in_three_shapes() {
        let read = |v: Value| serde_json::from_value::<UserField>(v).expect("user field");
        let object = json!({"id":3,"account":"alice","realname":"李雷","avatar":""});
        assert_eq!(read(object).account(), Some("alice"));
        assert_eq!(read(json!("bob")).account(), Some("bob"));
        assert_eq!(read(json!("")).account(), None);
        assert_eq!(read(json!(null)).account(), None);
        assert_eq!(read(json!({"id":0})).account(), None);
    }

    #[test]
    fn numbers_may_be_strings_and_pages_may_echo_the_query() {
        let page: Page<Task> = serde_json::from_value(json!({
            "page": "2", "total": 57, "limit": "100",
            "tasks": [{"id": "88", "name": "接口联调", "status": "doing",
                       "left": "3.50", "consumed": 4, "assignedTo": "alice"}]
        }))
        .expect("page");
        assert_eq!(page.page, Some(2.0));
        assert_eq!(page.total, Some(57.0));
        let task = &page.items[0];
        assert_eq!(
            (task.id, task.left, task.consumed),
            (88, Some(3.5), Some(4.0))
        );
        assert_eq!(task.assigned_to.account(), Some("alice"));
    }

    #[test]
    fn efforts_come_as_a_list_a_map_or_nothing() {
        let row = json!({"id":501,"account":"alice","date":"2024-03-01",
                         "consumed":"7.50","left":"0.00","work":"x","deleted":"0"});
        let list = EffortList {
            effort: json!([row.clone()]),
        };
        assert_eq!(list.efforts().expect("list")[0].consumed, 7.5);
        let map = EffortList {
            effort: json!({"501": row}),
        };
        assert_eq!(map.efforts().expect("map")[0].id, 501);
        let none = EffortList { effort: json!({}) };
        assert!(none.efforts().expect("empty").is_empty());
        let broken = EffortList {
            effort: json!([{"id":"x","date":"2024-03-01"}]),
        };
        let (path, _) = broken.efforts().expect_err("bad id");
        assert_eq!(path, "effort[0].id");
    }

    #[test]
    fn failures_join_every_message() {
        let read = |v: Value| {
            serde_json::from_value::<Failure>(v)
                .expect("failure")
                .text()
        };
        assert_eq!(read(json!({"error":"登录失败"})), "登录失败");
        let keyed = json!({"error":{"consumed[0]":"请填写\"工时\"","left[0]":["剩余不能为负"]}});
        assert_eq!(read(keyed), "请填写\"工时\"; 剩余不能为负");
        assert_eq!(read(json!({})), "");
    }
}
