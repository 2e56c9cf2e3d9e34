//! Jira's JSON, as far as HourBridge reads it (Cloud v3 and Data Center v2).

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Cloud.
    #[serde(default)]
    pub account_id: Option<String>,
    /// Data Center login.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub email_address: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
pub struct Project {
    pub id: String,
    pub key: String,
    pub name: String,
}

/// `project/search` (Cloud).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectPage {
    #[serde(default)]
    pub values: Vec<Project>,
    #[serde(default)]
    pub is_last: Option<bool>,
    #[serde(default)]
    pub total: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Status {
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct IssueFields {
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub assignee: Option<User>,
    #[serde(default)]
    pub status: Option<Status>,
}

#[derive(Debug, Deserialize)]
pub struct Issue {
    pub key: String,
    pub fields: IssueFields,
}

/// `search/jql` (Cloud): `nextPageToken` is absent on the last page.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenPage {
    #[serde(default)]
    pub issues: Vec<Issue>,
    #[serde(default)]
    pub next_page_token: Option<String>,
    #[serde(default)]
    pub is_last: Option<bool>,
}

/// `search` (Data Center) and the worklog list: `startAt`/`total`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OffsetPage<T> {
    #[serde(default = "Vec::new", alias = "issues", alias = "worklogs")]
    pub items: Vec<T>,
    #[serde(default)]
    pub start_at: u64,
    #[serde(default)]
    pub total: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Property {
    pub key: String,
    #[serde(default)]
    pub value: Value,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Worklog {
    pub id: String,
    #[serde(default)]
    pub author: Option<User>,
    pub started: String,
    pub time_spent_seconds: u64,
    /// ADF (Cloud v3) or plain text (v2).
    #[serde(default)]
    pub comment: Value,
    #[serde(default)]
    pub properties: Vec<Property>,
}

/// `{"errorMessages":[…],"errors":{…}}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(default)]
    pub error_messages: Vec<String>,
    #[serde(default)]
    pub errors: serde_json::Map<String, Value>,
}

impl ErrorBody {
    /// Every message, field errors named by their field.
    pub fn text(&self) -> String {
        let mut parts: Vec<String> = self.error_messages.clone();
        for (field, message) in &self.errors {
            let message = message
                .as_str()
                .map_or_else(|| message.to_string(), str::to_owned);
            parts.push(format!("{field}: {message}"));
        }
        parts.join("; ")
    }
}

/// `GET /mypermissions?permissions=WORK_ON_ISSUES`.
#[derive(Debug, Deserialize)]
pub struct MyPermissions {
    pub permissions: std::collections::HashMap<String, Permission>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    #[serde(default)]
    pub have_permission: bool,
}
