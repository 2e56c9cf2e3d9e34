//! The data a company holds, in DingTalk's wire shapes.

use serde::{Deserialize, Serialize};

/// One department of the directory (`/topapi/v2/department/listsub` item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub dept_id: i64,
    pub name: String,
    /// `None` for the root department (id 1).
    pub parent_id: Option<i64>,
}

/// One person, including those who have left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// 1-based position in the company; identity fields derive from it.
    pub index: usize,
    pub userid: String,
    pub unionid: String,
    pub name: String,
    pub mobile: String,
    pub email: String,
    pub job_number: String,
    pub title: String,
    pub dept_id_list: Vec<i64>,
    pub hired_date: chrono::NaiveDate,
    /// Last day of employment, if the person leaves.
    pub left_date: Option<chrono::NaiveDate>,
    pub boss: bool,
}

impl Person {
    /// Employed on `date`.
    pub fn employed_on(&self, date: chrono::NaiveDate) -> bool {
        self.hired_date <= date && self.left_date.is_none_or(|left| date <= left)
    }
}

/// One punch result (`/attendance/list` `recordresult[]` item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceRecord {
    pub id: i64,
    pub user_id: String,
    pub work_date: i64,
    pub check_type: String,
    pub time_result: String,
    pub location_result: String,
    pub base_check_time: i64,
    pub plan_id: i64,
    pub group_id: i64,
    pub source_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_check_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approve_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proc_inst_id: Option<String>,
}

/// One finished approval form (`getupdatedata` `approve_list[]` item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// 1 overtime, 2 business trip / outing, 3 leave.
    pub biz_type: i64,
    pub tag_name: String,
    pub sub_type: String,
    /// Decimal string, e.g. `"1.0"`, `"2.5"`.
    pub duration: String,
    /// `day`, `halfDay` or `hour`.
    pub duration_unit: String,
    pub begin_time: String,
    pub end_time: String,
    pub gmt_finished: String,
    #[serde(rename = "procInst_id")]
    pub proc_inst_id: String,
}

impl Approval {
    pub fn begin(&self) -> Option<chrono::NaiveDateTime> {
        crate::calendar::parse_datetime(&self.begin_time)
    }

    pub fn end(&self) -> Option<chrono::NaiveDateTime> {
        crate::calendar::parse_datetime(&self.end_time)
    }

    /// Whether the form belongs to `date` in `getupdatedata`: a day-unit form
    /// on every date from its begin to its end date, any other on its begin date.
    pub fn applies_to(&self, date: chrono::NaiveDate) -> bool {
        let (Some(begin), Some(end)) = (self.begin(), self.end()) else {
            return false;
        };
        if self.duration_unit == "hour" {
            begin.date() == date
        } else {
            begin.date() <= date && date <= end.date()
        }
    }
}

/// One leave entry (`getleavestatus` `leave_status[]` item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaveStatus {
    pub userid: String,
    pub start_time: i64,
    pub end_time: i64,
    /// `percent_day` or `percent_hour`.
    pub duration_unit: String,
    /// Duration × 100.
    pub duration_percent: i64,
    pub leave_code: String,
}

/// One leave type (`vacation/type/list` `result[]` item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaveType {
    pub leave_code: String,
    pub leave_name: String,
    /// `day`, `halfDay` or `hour`.
    pub leave_view_unit: String,
    /// `general_leave` or `lieu_leave`.
    pub biz_type: String,
}

/// One raw punch (`/attendance/listRecord` `recordresult[]` item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Punch {
    pub id: i64,
    pub user_id: String,
    pub check_type: String,
    pub time_result: String,
    pub location_result: String,
    pub source_type: String,
    pub work_date: i64,
    pub user_check_time: i64,
    pub base_check_time: i64,
    pub plan_check_time: i64,
    pub gmt_create: i64,
    pub gmt_modified: i64,
    pub plan_id: i64,
    pub group_id: i64,
    pub class_id: i64,
    pub is_legal: String,
    pub location_method: String,
    pub user_address: String,
    pub user_latitude: f64,
    pub user_longitude: f64,
    pub user_accuracy: f64,
    pub device_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_record_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_record_msg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approve_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proc_inst_id: Option<String>,
}
