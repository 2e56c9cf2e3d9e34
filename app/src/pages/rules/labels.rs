//! Names of the rule model's choices in both languages, and the messages of
//! its validation problems, for the rule editor.

use hourbridge_rules::rules::{Checks, Compare, Op, RoundingMode};
use hourbridge_rules::{ApprovalKind, DayType, Status, TimeResult};

/// Chinese or English.
pub fn pick(zh: bool, pair: (&'static str, &'static str)) -> &'static str {
    if zh {
        pair.0
    } else {
        pair.1
    }
}

pub fn day_type(d: DayType) -> (&'static str, &'static str) {
    match d {
        DayType::Workday => ("工作日", "workday"),
        DayType::RestDay => ("休息日", "rest day"),
        DayType::StatutoryHoliday => ("法定节假日", "statutory holiday"),
        DayType::MakeupWorkday => ("调休上班日", "make-up workday"),
    }
}

pub fn time_result(r: TimeResult) -> (&'static str, &'static str) {
    match r {
        TimeResult::Normal => ("正常", "normal"),
        TimeResult::Early => ("早退", "early"),
        TimeResult::Late => ("迟到", "late"),
        TimeResult::SeriousLate => ("严重迟到", "seriously late"),
        TimeResult::Absenteeism => ("旷工", "absenteeism"),
        TimeResult::NotSigned => ("未打卡", "not signed"),
        TimeResult::Other => ("其他", "other"),
    }
}

pub fn approval_kind(k: ApprovalKind) -> (&'static str, &'static str) {
    match k {
        ApprovalKind::Leave => ("请假", "leave"),
        ApprovalKind::Overtime => ("加班", "overtime"),
        ApprovalKind::BusinessTrip => ("出差", "business trip"),
        ApprovalKind::Outing => ("外出", "outing"),
    }
}

pub fn status(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Worked => ("正常出勤", "worked"),
        Status::Partial => ("部分出勤", "partial day"),
        Status::Absent => ("缺勤", "absent"),
        Status::Leave => ("请假", "leave"),
        Status::Trip => ("出差/外出", "trip"),
        Status::Overtime => ("加班", "overtime"),
        Status::Rest => ("休息", "rest"),
        Status::Skipped => ("跳过", "skipped"),
    }
}

pub fn compare(c: Compare) -> &'static str {
    c.symbol()
}

pub fn rounding_mode(m: RoundingMode) -> (&'static str, &'static str) {
    match m {
        RoundingMode::Up => ("向上取整", "round up"),
        RoundingMode::Down => ("向下取整", "round down"),
        RoundingMode::Nearest => ("四舍五入", "round to nearest"),
    }
}

pub fn op(o: Op) -> (&'static str, &'static str) {
    match o {
        Op::Add => ("加上", "add"),
        Op::Subtract => ("减去", "subtract"),
    }
}

pub fn checks(c: Checks) -> (&'static str, &'static str) {
    match c {
        Checks::Both => ("上下班", "on and off duty"),
        Checks::OnDuty => ("仅上班", "on duty only"),
        Checks::OffDuty => ("仅下班", "off duty only"),
    }
}

/// The snake_case code serde gives a value (`rest_day`).
pub fn code<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The value of a code, if it is one.
pub fn from_code<T: serde::de::DeserializeOwned>(code: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
}
