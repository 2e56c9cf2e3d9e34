//! `POST /v1.0/attendance/holidays` (new family, header token).

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::envelope::{invalid, Answer, Family, OrAnswer};
use super::params::{dedup, Params};
use super::state::AppState;
use crate::calendar::{china_datetime, midnight_ms, DayKind};

/// Users per call.
pub const MAX_HOLIDAY_USERS: usize = 50;
/// Longest window, in days.
pub const MAX_HOLIDAY_WINDOW_DAYS: i64 = 366;

const F: Family = Family::New;

fn date_of(ms: i64) -> Result<NaiveDate, Answer> {
    china_datetime(ms)
        .map(|t| t.date())
        .ok_or_else(|| invalid(F, "workDate out of range"))
}

pub fn holidays(state: &AppState, params: &Params) -> Result<Answer, Answer> {
    let users = dedup(params.require_string_list("userIds").or_answer(F)?);
    if users.is_empty() || users.len() > MAX_HOLIDAY_USERS {
        return Err(invalid(F, "userIds must hold 1..50 users"));
    }
    let from = date_of(params.require_i64("workDateFrom").or_answer(F)?)?;
    let to = date_of(params.require_i64("workDateTo").or_answer(F)?)?;
    if to < from || (to - from).num_days() > MAX_HOLIDAY_WINDOW_DAYS {
        return Err(invalid(F, "workDateFrom/workDateTo"));
    }
    let calendar = state.company.calendar();
    let days: Vec<Value> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .filter_map(|d| {
            let work_date = midnight_ms(d);
            match calendar.kind(d) {
                DayKind::Workday => None,
                DayKind::Festival => Some(json!({
                    "workDate": work_date,
                    "holidayName": calendar.festival_name(d).unwrap_or_default(),
                    "holidayType": "festival",
                })),
                DayKind::Rest => Some(json!({
                    "workDate": work_date,
                    "holidayName": "休息日",
                    "holidayType": "rest",
                })),
                DayKind::MakeupWorkday => Some(json!({
                    "workDate": work_date,
                    "holidayName": "调休上班",
                    "holidayType": "overtime",
                    "realWorkDate": work_date,
                })),
            }
        })
        .collect();
    let result: Vec<Value> = users
        .iter()
        .filter(|u| state.company.person(u).is_some())
        .map(|u| json!({"userId": u, "holidays": days}))
        .collect();
    Ok(Answer::ok(&json!({"result": result})))
}
