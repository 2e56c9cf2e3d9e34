//! The live preview of the rules page: what a draft rule book would give,
//! day by day, from the stored attendance, before anything is written.

use serde::{Deserialize, Serialize};

/// Who and which days to preview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewQuery {
    /// DingTalk userids (empty: use `department`).
    #[serde(default)]
    pub people: Vec<String>,
    /// A department id: everyone in it.
    #[serde(default)]
    pub department: Option<i64>,
    /// First local date, `YYYY-MM-DD`.
    pub first: String,
    /// Last local date, inclusive.
    pub last: String,
    /// Show worklog lines for this PM connection (its allocation plan and
    /// field mapping); none: hours only.
    #[serde(default)]
    pub pm_connection: Option<String>,
}

/// The most people one preview covers.
pub const MAX_PREVIEW_PEOPLE: usize = 50;
/// The most days one preview covers.
pub const MAX_PREVIEW_DAYS: i64 = 62;

/// One evaluated person-day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewDay {
    pub userid: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `workday`, `rest_day`, `statutory_holiday`, `makeup_workday`.
    pub day_type: String,
    /// Decimal hours (`7.5`).
    pub hours: String,
    /// The status code (`worked`, `skipped`…).
    pub status: String,
    /// The rule that decided, by name.
    pub rule: Option<String>,
    /// How the hours were reached, in the reader's language.
    pub explanation: String,
    /// The worklog lines the day would become (empty when skipped or
    /// without a PM connection).
    pub lines: Vec<PreviewLine>,
    /// Why no lines could be made (nothing to allocate to, a lookup miss).
    pub problem: Option<String>,
}

/// One worklog line: an allocation's share of the day, mapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewLine {
    pub project: String,
    pub task: String,
    pub hours: String,
    /// The target's worklog fields (its own names) and their values.
    pub fields: Vec<(String, String)>,
}

/// A preview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub days: Vec<PreviewDay>,
    /// People in the selection without any stored attendance in the range.
    pub people_without_attendance: usize,
}
