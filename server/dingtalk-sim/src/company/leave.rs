//! Leave types and the `getleavestatus` view of leave forms.

use super::types::{Approval, LeaveStatus, LeaveType};
use crate::calendar::china_ms;

/// (name, leave_code, view unit, biz_type)
const LEAVE_TYPES: &[(&str, &str, &str, &str)] = &[
    (
        "年假",
        "16f856c0-4d1a-4b8e-9d3e-000000000001",
        "day",
        "general_leave",
    ),
    (
        "事假",
        "16f856c0-4d1a-4b8e-9d3e-000000000002",
        "hour",
        "general_leave",
    ),
    (
        "病假",
        "16f856c0-4d1a-4b8e-9d3e-000000000003",
        "halfDay",
        "general_leave",
    ),
    (
        "调休",
        "16f856c0-4d1a-4b8e-9d3e-000000000004",
        "hour",
        "lieu_leave",
    ),
    (
        "婚假",
        "16f856c0-4d1a-4b8e-9d3e-000000000005",
        "day",
        "general_leave",
    ),
    (
        "产假",
        "16f856c0-4d1a-4b8e-9d3e-000000000006",
        "day",
        "general_leave",
    ),
    (
        "丧假",
        "16f856c0-4d1a-4b8e-9d3e-000000000007",
        "day",
        "general_leave",
    ),
];

/// The organisation's leave types (`vacation/type/list`).
pub fn leave_types() -> Vec<LeaveType> {
    LEAVE_TYPES
        .iter()
        .map(|(name, code, unit, biz)| LeaveType {
            leave_code: (*code).to_owned(),
            leave_name: (*name).to_owned(),
            leave_view_unit: (*unit).to_owned(),
            biz_type: (*biz).to_owned(),
        })
        .collect()
}

/// The `leave_code` of a leave type by name.
pub fn leave_code(name: &str) -> String {
    LEAVE_TYPES
        .iter()
        .find(|t| t.0 == name)
        .map(|t| t.1.to_owned())
        .unwrap_or_else(|| format!("16f856c0-4d1a-4b8e-9d3e-{:012x}", name.len()))
}

/// A leave form (`biz_type` 3) as a `getleavestatus` entry, if it overlaps
/// `[start_ms, end_ms]`.
pub fn leave_status(
    userid: &str,
    form: &Approval,
    start_ms: i64,
    end_ms: i64,
) -> Option<LeaveStatus> {
    if form.biz_type != 3 {
        return None;
    }
    let begin = china_ms(form.begin()?);
    let end = china_ms(form.end()?);
    if end < start_ms || begin > end_ms {
        return None;
    }
    let duration: f64 = form.duration.trim().parse().ok()?;
    let (unit, percent) = match form.duration_unit.as_str() {
        "hour" => ("percent_hour", duration * 100.0),
        "halfDay" => ("percent_day", duration * 50.0),
        _ => ("percent_day", duration * 100.0),
    };
    Some(LeaveStatus {
        userid: userid.to_owned(),
        start_time: begin,
        end_time: end,
        duration_unit: unit.to_owned(),
        duration_percent: percent.round() as i64,
        leave_code: leave_code(&form.sub_type),
    })
}
