//! Typed DingTalk data as the APIs answer it. Every number also accepts a
//! numeric string; enums keep unknown values instead of failing the pull.

use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};
use serde::{Deserialize, Deserializer};

use crate::wire::lenient;

/// An integer sent as a number or a numeric string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Num(pub i64);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::i64(d).map(Num)
    }
}

/// DingTalk China runs on UTC+8 (Asia/Shanghai, no daylight saving since 1991).
pub const CHINA: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

fn china() -> FixedOffset {
    CHINA
}

/// Local midnight of `day` as ms epoch (what `workDate` holds).
pub fn day_start_ms(day: NaiveDate) -> i64 {
    china()
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .map_or(0, |t| t.timestamp_millis())
}

/// The local date of a ms epoch.
pub fn local_date(ms: i64) -> Option<NaiveDate> {
    china()
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.date_naive())
}

/// `yyyy-MM-dd HH:mm:ss`, the request date format.
pub fn format_day(day: NaiveDate) -> String {
    day.format("%Y-%m-%d 00:00:00").to_string()
}

/// Reads the time strings of `getupdatedata` (the rules engine reads the
/// same forms).
pub use hourbridge_rules::dingtalk_format::parse_local_time;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Department {
    #[serde(deserialize_with = "lenient::i64")]
    pub dept_id: i64,
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub parent_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    #[serde(deserialize_with = "lenient::string")]
    pub userid: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub unionid: Option<String>,
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub mobile: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub org_email: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub job_number: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,
    #[serde(default)]
    pub dept_id_list: Vec<Num>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub hired_date: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum CheckType {
    OnDuty,
    OffDuty,
    #[serde(other)]
    Other,
}

/// A check point's result, in the rules engine's vocabulary (DingTalk's own
/// spelling; unknown results are `Other`).
pub use hourbridge_rules::model::TimeResult;

impl CheckType {
    /// DingTalk's own name for the check point.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckType::OnDuty => "OnDuty",
            CheckType::OffDuty => "OffDuty",
            CheckType::Other => "Other",
        }
    }
}

/// One scheduled check point's result (`attendance/list`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PunchResult {
    #[serde(deserialize_with = "lenient::i64")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub record_id: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub user_id: String,
    #[serde(deserialize_with = "lenient::i64")]
    pub work_date: i64,
    pub check_type: CheckType,
    pub time_result: TimeResult,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub location_result: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub source_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub base_check_time: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub user_check_time: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub plan_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub group_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub approve_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub proc_inst_id: Option<String>,
}

impl PunchResult {
    /// The approval form this result is tied to, if any.
    pub fn form(&self) -> Option<String> {
        self.proc_inst_id
            .clone()
            .or_else(|| self.approve_id.map(|a| a.to_string()))
    }
}

/// One raw punch (`attendance/listRecord`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PunchDetail {
    #[serde(deserialize_with = "lenient::i64")]
    pub id: i64,
    #[serde(deserialize_with = "lenient::string")]
    pub user_id: String,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub work_date: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub user_check_time: Option<i64>,
    #[serde(default)]
    pub check_type: Option<CheckType>,
    #[serde(default)]
    pub time_result: Option<TimeResult>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub source_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub invalid_record_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub is_legal: Option<String>,
}

impl PunchDetail {
    /// Invalid punches (security check, needs confirmation) do not count.
    pub fn is_valid(&self) -> bool {
        self.invalid_record_type.is_none() && self.is_legal.as_deref() != Some("N")
    }
}

/// One leave entry (`getleavestatus`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LeaveStatus {
    #[serde(deserialize_with = "lenient::string")]
    pub userid: String,
    #[serde(deserialize_with = "lenient::i64")]
    pub start_time: i64,
    #[serde(deserialize_with = "lenient::i64")]
    pub end_time: i64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub duration_unit: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub duration_percent: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub leave_code: Option<String>,
}

/// One finished approval form (`getupdatedata` `approve_list`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Approval {
    #[serde(deserialize_with = "lenient::i64")]
    pub biz_type: i64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub tag_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub sub_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub duration: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub duration_unit: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub begin_time: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub end_time: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub gmt_finished: Option<String>,
    #[serde(
        rename = "procInst_id",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    pub proc_inst_id: Option<String>,
}

/// One person-day in full (`getupdatedata`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UserDay {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub userid: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub work_date: Option<String>,
    #[serde(default)]
    pub approve_list: Vec<Approval>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HolidayType {
    /// Statutory holiday.
    Festival,
    /// Ordinary rest day.
    Rest,
    /// Make-up workday (调休).
    Overtime,
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Holiday {
    #[serde(deserialize_with = "lenient::i64")]
    pub work_date: i64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub holiday_name: Option<String>,
    pub holiday_type: HolidayType,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub real_work_date: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserHolidays {
    #[serde(deserialize_with = "lenient::string")]
    pub user_id: String,
    #[serde(default)]
    pub holidays: Vec<Holiday>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_date_is_local_midnight() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        assert_eq!(day_start_ms(day), 1_772_380_800_000);
        assert_eq!(local_date(1_772_380_800_000), Some(day));
        assert_eq!(local_date(1_772_380_800_000 - 1), day.pred_opt());
    }

    #[test]
    fn approval_times_in_every_documented_form() {
        let t = |s| parse_local_time(s).map(|t| t.to_string());
        assert_eq!(
            t("2026-03-04 09:00:00").as_deref(),
            Some("2026-03-04 09:00:00")
        );
        assert_eq!(
            t("2026-03-04 09:30").as_deref(),
            Some("2026-03-04 09:30:00")
        );
        assert_eq!(t("2026-03-04").as_deref(), Some("2026-03-04 00:00:00"));
        assert_eq!(t("2026-03-04 PM").as_deref(), Some("2026-03-04 13:00:00"));
        assert_eq!(t("04/03/2026"), None);
    }

    #[test]
    fn punch_results_accept_numeric_strings_and_unknown_enums() {
        let json = r#"{"id":"101","userId":"zs","workDate":"1772380800000","checkType":"OnDuty",
            "timeResult":"SomethingNew","baseCheckTime":1772413200000,"procInstId":"p-1"}"#;
        let r: PunchResult = serde_json::from_str(json).expect("parses");
        assert_eq!(r.id, 101);
        assert_eq!(r.time_result, TimeResult::Other);
        assert_eq!(r.form().as_deref(), Some("p-1"));
    }

    #[test]
    fn approvals_read_decimal_strings() {
        let json = r#"{"biz_type":3,"tag_name":"请假","sub_type":"年假","duration":"1.5",
            "duration_unit":"day","begin_time":"2026-03-04 09:00:00","procInst_id":"c4d1"}"#;
        let a: Approval = serde_json::from_str(json).expect("parses");
        assert_eq!(a.duration, Some(1.5));
        assert_eq!(a.proc_inst_id.as_deref(), Some("c4d1"));
    }
}
