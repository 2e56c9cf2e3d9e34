//! The synced DingTalk directory as the people page shows it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRow {
    pub dept_id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    pub people: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub userid: String,
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub job_number: Option<String>,
    /// Department names, in the directory's order.
    pub departments: Vec<String>,
    pub active: bool,
}

/// One page of the people list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub people: Vec<PersonRow>,
    /// People matching the filter (for paging).
    pub matching: u64,
    pub page: u64,
    pub total: u64,
    pub active: u64,
    pub left: u64,
    pub departments: Vec<DepartmentRow>,
    pub last_sync_ms: Option<i64>,
}

/// Which people to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeopleStatus {
    #[default]
    All,
    Active,
    Left,
}

pub const PEOPLE_PAGE_SIZE: u64 = 50;
