//! Redmine's JSON (5.0), as far as HourBridge reads it.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
pub struct Named {
    pub id: u64,
}

#[derive(Debug, Deserialize)]
pub struct Project {
    pub id: u64,
    pub name: String,
    #[serde(default)]
    pub identifier: String,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: u64,
    #[serde(default)]
    pub login: Option<String>,
    #[serde(default)]
    pub firstname: String,
    #[serde(default)]
    pub lastname: String,
    #[serde(default)]
    pub mail: Option<String>,
    /// 1 active, 2 registered, 3 locked.
    #[serde(default)]
    pub status: Option<u8>,
}

#[derive(Debug, Deserialize)]
pub struct Status {
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct Issue {
    pub id: u64,
    pub project: Named,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub assigned_to: Option<Named>,
    #[serde(default)]
    pub status: Option<Status>,
}

#[derive(Debug, Deserialize)]
pub struct IssueRef {
    pub id: u64,
}

#[derive(Debug, Deserialize)]
pub struct CustomValue {
    pub id: u64,
    #[serde(default)]
    pub value: Value,
}

#[derive(Debug, Deserialize)]
pub struct TimeEntry {
    pub id: u64,
    pub project: Named,
    #[serde(default)]
    pub issue: Option<IssueRef>,
    #[serde(default)]
    pub user: Option<Named>,
    pub hours: f64,
    #[serde(default)]
    pub comments: Option<String>,
    pub spent_on: String,
    #[serde(default)]
    pub custom_fields: Vec<CustomValue>,
}

#[derive(Debug, Deserialize)]
pub struct OneEntry {
    pub time_entry: TimeEntry,
}

/// Every list: the items under their plural name, and `total_count`.
#[derive(Debug, Deserialize)]
pub struct Page<T> {
    #[serde(
        alias = "projects",
        alias = "users",
        alias = "issues",
        alias = "time_entries"
    )]
    pub items: Vec<T>,
    #[serde(default)]
    pub total_count: Option<u64>,
}

/// `422`: `{"errors":["Hours is invalid"]}`.
#[derive(Debug, Default, Deserialize)]
pub struct Errors {
    #[serde(default)]
    pub errors: Vec<String>,
}

/// `GET /enumerations/time_entry_activities.json`.
#[derive(Debug, Deserialize)]
pub struct Activities {
    pub time_entry_activities: Vec<Activity>,
}

#[derive(Debug, Deserialize)]
pub struct Activity {
    pub id: u64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub is_default: bool,
}
