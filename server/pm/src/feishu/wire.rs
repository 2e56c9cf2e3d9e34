//! Feishu Project's JSON (`/open_api`), as far as HourBridge reads it. Field
//! names follow the official Go SDK (`larksuite/project-oapi-sdk-golang`,
//! `core` and `v2/service/{project,user,workitem}`); everything the SDK
//! marks optional is optional here, and `null` arrays read as empty.

use std::collections::HashMap;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `null` (or an absent field, with `#[serde(default)]`) as the type's default.
fn nullable<'de, D, T>(de: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(de)?.unwrap_or_default())
}

/// Hours as the number the SDK declares (`*float64`), or as text.
fn hours<'de, D: Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Hours {
        Number(f64),
        Text(String),
    }
    match Hours::deserialize(de)? {
        Hours::Number(n) => Ok(n),
        Hours::Text(t) => t
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("not a number of hours: {t}"))),
    }
}

/// The envelope of every answer: `err_code`/`err_msg`/`err` on the API
/// (SDK `core.CodeError`), `error:{code,msg}` on the token endpoint (SDK
/// `AccessTokenErr`). Every part may be missing.
#[derive(Debug, Default, Deserialize)]
pub struct Envelope {
    #[serde(default)]
    pub err_code: Option<i64>,
    #[serde(default)]
    pub err_msg: Option<String>,
    #[serde(default)]
    pub err: Option<ErrDetail>,
    #[serde(default)]
    pub error: Option<ErrDetail>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ErrDetail {
    #[serde(default)]
    pub code: Option<i64>,
    #[serde(default)]
    pub msg: Option<String>,
    #[serde(default)]
    pub log_id: Option<String>,
}

impl Envelope {
    /// The first non-zero code, with its message.
    pub fn failure(&self) -> Option<(i64, String)> {
        let text = |s: &Option<String>| s.as_deref().unwrap_or("").trim().to_owned();
        if let Some(code) = self.err_code.filter(|c| *c != 0) {
            let mut message = text(&self.err_msg);
            if message.is_empty() {
                message = self.err.as_ref().map(|e| text(&e.msg)).unwrap_or_default();
            }
            return Some((code, message));
        }
        for detail in [&self.err, &self.error].into_iter().flatten() {
            if let Some(code) = detail.code.filter(|c| *c != 0) {
                return Some((code, text(&detail.msg)));
            }
        }
        None
    }

    /// The request's log id, for support tickets.
    pub fn log_id(&self) -> Option<&str> {
        self.err
            .as_ref()
            .and_then(|e| e.log_id.as_deref())
            .filter(|id| !id.is_empty())
    }
}

/// `{"data": …}`.
#[derive(Debug, Deserialize)]
pub struct Data<T> {
    pub data: T,
}

/// `{"data": [...], "pagination": {...}}`.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Paged<T> {
    #[serde(default, deserialize_with = "nullable")]
    pub data: Vec<T>,
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Default, Clone, Copy, Deserialize)]
pub struct Pagination {
    #[serde(default)]
    pub total: Option<i64>,
    #[serde(default)]
    pub has_more: Option<bool>,
}

/// `POST /open_api/authen/plugin_token` → `data`.
#[derive(Debug, Deserialize)]
pub struct PluginToken {
    pub token: String,
    /// Seconds (the SDK caches for `expire_time` s less 3 minutes).
    pub expire_time: i64,
}

/// One space of `POST /open_api/projects/detail` (`data` maps key → space).
#[derive(Debug, Deserialize)]
pub struct Space {
    pub project_key: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub simple_name: Option<String>,
}

/// `POST /open_api/{project_key}/user_groups/members/page` → `data`.
#[derive(Debug, Default, Deserialize)]
pub struct MemberPage {
    #[serde(default, deserialize_with = "nullable")]
    pub list: Vec<UserGroup>,
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Default, Deserialize)]
pub struct UserGroup {
    #[serde(default, deserialize_with = "nullable")]
    pub user_members: Vec<String>,
}

/// `GET /open_api/{project_key}/teams/all`.
#[derive(Debug, Deserialize)]
pub struct Teams {
    #[serde(default, deserialize_with = "nullable")]
    pub data: Vec<Team>,
    #[serde(default)]
    pub has_more: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Team {
    #[serde(default, deserialize_with = "nullable")]
    pub user_keys: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub members: Vec<String>,
}

/// One user of `POST /open_api/user/query` (SDK `UserBasicInfo`).
#[derive(Debug, Deserialize)]
pub struct User {
    pub user_key: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name_cn: Option<String>,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub name: HashMap<String, String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// One work item of `POST /open_api/{project_key}/work_item/filter` (SDK
/// `WorkItemInfo`).
#[derive(Debug, Deserialize)]
pub struct WorkItem {
    pub id: i64,
    #[serde(default)]
    pub name: String,
    pub work_item_type_key: String,
    #[serde(default)]
    pub sub_stage: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub current_nodes: Vec<Node>,
    #[serde(default, deserialize_with = "nullable")]
    pub fields: Vec<Field>,
    #[serde(default)]
    pub work_item_status: Option<Status>,
}

/// A node in progress (node-flow items only) and its owners' user keys.
#[derive(Debug, Default, Deserialize)]
pub struct Node {
    #[serde(default, deserialize_with = "nullable")]
    pub owners: Vec<String>,
}

/// A field as `field_key` + `field_value` (whose shape depends on the type).
#[derive(Debug, Deserialize)]
pub struct Field {
    #[serde(default)]
    pub field_key: String,
    #[serde(default)]
    pub field_value: Value,
}

#[derive(Debug, Default, Deserialize)]
pub struct Status {
    #[serde(default)]
    pub state_key: Option<String>,
    #[serde(default)]
    pub is_archived_state: Option<bool>,
}

/// One man-hour record (SDK `ManHourRecord`), as listed by
/// `POST /open_api/work_item/man_hour/records` and answered by a create.
#[derive(Debug, Clone, Deserialize)]
pub struct ManHourRecord {
    pub id: i64,
    #[serde(default)]
    pub work_description: Option<String>,
    #[serde(deserialize_with = "hours")]
    pub work_time: f64,
    #[serde(default)]
    pub work_user_key: Option<String>,
    /// The day, as milliseconds since the epoch.
    pub work_date: i64,
    /// Milliseconds since the epoch.
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub updated_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_error_shapes_are_read() {
        let api: Envelope = serde_json::from_str(
            r#"{"err_code":30005,"err_msg":"work item not found","err":{"code":30005,"msg":"x","log_id":"L1"}}"#,
        )
        .expect("json");
        assert_eq!(api.failure(), Some((30005, "work item not found".into())));
        assert_eq!(api.log_id(), Some("L1"));
        let token: Envelope =
            serde_json::from_str(r#"{"data":null,"error":{"code":10211,"msg":"bad secret"}}"#)
                .expect("json");
        assert_eq!(token.failure(), Some((10211, "bad secret".into())));
        let ok: Envelope =
            serde_json::from_str(r#"{"err_code":0,"err_msg":"","err":{},"data":[]}"#)
                .expect("json");
        assert_eq!(ok.failure(), None);
        let ok_token: Envelope = serde_json::from_str(
            r#"{"data":{"token":"p","expire_time":7200},"error":{"code":0,"msg":""}}"#,
        )
        .expect("json");
        assert_eq!(ok_token.failure(), None);
    }

    #[test]
    fn null_arrays_and_text_hours_are_accepted() {
        let item: WorkItem = serde_json::from_str(
            r#"{"id":1,"name":"x","work_item_type_key":"story","current_nodes":[{"owners":null}],"fields":null}"#,
        )
        .expect("json");
        assert!(item.fields.is_empty());
        assert!(item.current_nodes[0].owners.is_empty());
        let record: ManHourRecord =
            serde_json::from_str(r#"{"id":5,"work_time":"7.5","work_date":1709222400000}"#)
                .expect("json");
        assert_eq!(record.work_time, 7.5);
    }
}
