//! `/attendance/list`, `/attendance/listRecord` and
//! `/topapi/attendance/getupdatedata`.

use chrono::{NaiveDateTime, NaiveTime};
use serde_json::{json, Value};

use super::envelope::{error, invalid, success, Answer, Family, OrAnswer};
use super::params::{dedup, Params};
use super::state::AppState;
use crate::calendar::{china_datetime, format_datetime, parse_datetime};
use crate::company::{AttendanceRecord, Punch};

/// `workDateTo` may be at most this many days after `workDateFrom`
/// ("相隔最多7天（包含7天）": D..D+7 passes).
pub const MAX_WORK_DATE_GAP_DAYS: i64 = 7;
/// `listRecord`'s window.
pub const MAX_CHECK_DATE_GAP_DAYS: i64 = 7;
/// Users per attendance call.
pub const MAX_USERS: usize = 50;
/// `attendance/list` page size.
pub const MAX_LIMIT: i64 = 50;

type Reply = Result<Answer, Answer>;

fn date_time(params: &Params, name: &'static str, family: Family) -> Result<NaiveDateTime, Answer> {
    let text = params.require_string(name).or_answer(family)?;
    parse_datetime(&text).ok_or_else(|| invalid(family, &format!("{name} is invalid")))
}

fn users(
    params: &Params,
    name: &'static str,
    family: Family,
    max: usize,
) -> Result<Vec<String>, Answer> {
    let users = dedup(params.require_string_list(name).or_answer(family)?);
    if users.is_empty() || users.len() > max {
        return Err(invalid(family, &format!("{name} must hold 1..{max} users")));
    }
    Ok(users)
}

pub fn list(state: &AppState, params: &Params) -> Reply {
    const F: Family = Family::Flat;
    let from = date_time(params, "workDateFrom", F)?.date();
    let to = date_time(params, "workDateTo", F)?.date();
    if to < from || (to - from).num_days() > MAX_WORK_DATE_GAP_DAYS {
        return Err(invalid(F, "work date range"));
    }
    let users = users(params, "userIdList", F, MAX_USERS)?;
    let offset = params.i64("offset").or_answer(F)?.unwrap_or(0);
    let limit = params.i64("limit").or_answer(F)?.unwrap_or(MAX_LIMIT);
    if offset < 0 || !(1..=MAX_LIMIT).contains(&limit) {
        return Err(invalid(F, "offset/limit"));
    }
    // A mainland organisation has no international data.
    let i18n = matches!(params.string("isI18n"), Ok(Some(v)) if v == "true")
        || params.bool("isI18n") == Some(true);
    let records: Vec<AttendanceRecord> = if i18n {
        Vec::new()
    } else {
        users
            .iter()
            .flat_map(|u| state.company.records(u, from..=to))
            .collect()
    };
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let page: Vec<&AttendanceRecord> = records.iter().skip(start).take(limit as usize).collect();
    let has_more = start.saturating_add(limit as usize) < records.len();
    Ok(success(
        F,
        json!({"hasMore": has_more, "recordresult": page}),
    ))
}

fn punch_json(punch: &Punch, corp_id: &str) -> Value {
    let mut value = json!(punch);
    value["corpId"] = json!(corp_id);
    value
}

pub fn list_record(state: &AppState, params: &Params) -> Reply {
    const F: Family = Family::Flat;
    let users = users(params, "userIds", F, MAX_USERS)?;
    let from = date_time(params, "checkDateFrom", F)?;
    let to = date_time(params, "checkDateTo", F)?;
    if to < from || to - from > chrono::Duration::days(MAX_CHECK_DATE_GAP_DAYS) {
        return Err(invalid(F, "check date range"));
    }
    let corp_id = &state.config.corp_id;
    let punches: Vec<Value> = users
        .iter()
        .flat_map(|u| state.company.punches(u, from, to))
        .map(|p| punch_json(&p, corp_id))
        .collect();
    Ok(success(F, json!({"recordresult": punches})))
}

fn ms_text(ms: i64) -> Option<String> {
    china_datetime(ms).map(format_datetime)
}

fn result_json(record: &AttendanceRecord) -> Value {
    let mut value = json!({
        "check_type": record.check_type,
        "time_result": record.time_result,
        "location_result": record.location_result,
        "plan_check_time": ms_text(record.base_check_time),
        "plan_id": record.plan_id,
        "group_id": record.group_id,
        "class_id": 709_595_172,
        "source_type": record.source_type,
    });
    if let Some(at) = record.user_check_time.and_then(ms_text) {
        value["user_check_time"] = json!(at);
    }
    if let Some(id) = record.record_id {
        value["record_id"] = json!(id);
    }
    if matches!(record.source_type.as_str(), "USER" | "ATM") {
        value["location_method"] = json!("MAP");
        value["user_address"] = json!("模拟办公室");
    }
    if let Some(id) = record.approve_id {
        value["approve_id"] = json!(id);
    }
    if let Some(id) = &record.proc_inst_id {
        value["procInst_id"] = json!(id);
    }
    value
}

fn check_json(punch: &Punch, records: &[AttendanceRecord]) -> Value {
    let matched = records.iter().any(|r| r.record_id == Some(punch.id));
    let mut value = json!({
        "record_id": punch.id,
        "user_check_time": ms_text(punch.user_check_time),
        "valid_matched": matched,
        "source_type": punch.source_type,
        "user_accuracy": format!("{:.1}", punch.user_accuracy),
        "user_latitude": format!("{:.5}", punch.user_latitude),
        "user_longitude": format!("{:.5}", punch.user_longitude),
    });
    if let Some(kind) = &punch.invalid_record_type {
        value["invalid_record_type"] = json!(kind);
    }
    value
}

pub fn update_data(state: &AppState, params: &Params) -> Reply {
    const F: Family = Family::TopApi;
    let userid = params.require_string("userid").or_answer(F)?;
    let work_date = params.require_string("work_date").or_answer(F)?;
    let date = parse_datetime(&work_date)
        .ok_or_else(|| error(F, 400002, "无效的参数"))?
        .date();
    let company = &state.company;
    let records = company.records(&userid, date..=date);
    let day_start = date.and_time(NaiveTime::MIN);
    let day_end = date.and_hms_opt(23, 59, 59).unwrap_or(day_start);
    let punches = company.punches(&userid, day_start, day_end);
    let result = json!({
        "userid": userid,
        "corpId": state.config.corp_id,
        "work_date": format_datetime(day_start),
        "attendance_result_list": records.iter().map(result_json).collect::<Vec<_>>(),
        "check_record_list": punches.iter().map(|p| check_json(p, &records)).collect::<Vec<_>>(),
        "approve_list": company.approvals(&userid, date),
        "class_setting_info": {"rest_time_vo_list": [{"rest_begin_time": 0, "rest_end_time": 0}]},
    });
    Ok(success(F, json!({"success": true, "result": result})))
}
