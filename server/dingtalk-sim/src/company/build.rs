//! Turning a generated [`DayOutcome`] into DingTalk's wire shapes.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::daygen::{day_number, proc_inst_id, DayOutcome, Form, FormKind, OFF_DUTY, ON_DUTY};
use super::types::{Approval, AttendanceRecord, Person, Punch};
use crate::calendar::{china_ms, format_datetime, midnight_ms};

const ID_BASE: i64 = 1_000_000_000_000;
const RECORD_ID_BASE: i64 = 3_000_000_000_000;
const EXTRA_PUNCH_BASE: i64 = 4_000_000_000_000;
const PLAN_ID_BASE: i64 = 5_000_000_000_000;
const INVALID_PUNCH_BASE: i64 = 6_000_000_000_000;
/// Attendance groups are per primary department.
const GROUP_ID_BASE: i64 = 685_935_000;
const CLASS_ID: i64 = 709_595_172;

const CHECK_TYPES: [&str; 2] = ["OnDuty", "OffDuty"];

/// A key unique per (person, date, check point).
fn key(index: usize, date: NaiveDate, check: usize) -> i64 {
    let k = (index as u64 * 100_000 + day_number(date)) * 2 + check as u64;
    (k % 1_000_000_000_000) as i64
}

fn group_id(person: &Person) -> i64 {
    GROUP_ID_BASE + person.dept_id_list.first().copied().unwrap_or(0)
}

fn base_time(date: NaiveDate, check: usize) -> NaiveDateTime {
    let (h, m) = if check == 0 { ON_DUTY } else { OFF_DUTY };
    date.and_hms_opt(h, m, 0)
        .unwrap_or(date.and_time(chrono::NaiveTime::MIN))
}

/// The punch results of the day (`attendance/list`).
pub fn records(person: &Person, date: NaiveDate, day: &DayOutcome) -> Vec<AttendanceRecord> {
    let Some(checks) = &day.checks else {
        return Vec::new();
    };
    checks
        .iter()
        .enumerate()
        .map(|(i, check)| {
            let k = key(person.index, date, i);
            let base = china_ms(base_time(date, i));
            let form = check.form.and_then(|f| day.forms.get(f));
            AttendanceRecord {
                id: ID_BASE + k,
                user_id: person.userid.clone(),
                work_date: midnight_ms(date),
                check_type: CHECK_TYPES[i].to_owned(),
                time_result: check.time_result.to_owned(),
                location_result: check.location_result.to_owned(),
                base_check_time: base,
                plan_id: PLAN_ID_BASE + k,
                group_id: group_id(person),
                source_type: check.source_type.to_owned(),
                record_id: check.offset_secs.map(|_| RECORD_ID_BASE + k),
                user_check_time: check.offset_secs.map(|s| base + s * 1_000),
                approve_id: form.map(|f| f.approve_id),
                proc_inst_id: form.map(|f| proc_inst_id(f.approve_id)),
            }
        })
        .collect()
}

/// Formats a duration as DingTalk does: `"1.0"`, `"2.5"`, `"1.25"`.
pub fn format_duration(value: f64) -> String {
    if ((value * 10.0).round() - value * 10.0).abs() < 1e-9 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// A generated form as a `getupdatedata` approval.
pub fn approval(form: &Form) -> Approval {
    let (biz_type, tag_name, sub_type) = match form.kind {
        FormKind::Overtime => (1, "加班", ""),
        FormKind::Trip => (2, "出差", ""),
        FormKind::Outing => (2, "外出", ""),
        FormKind::Leave(name) => (3, "请假", name),
    };
    let finished = (form.begin.date() - Duration::days(1))
        .and_hms_opt(10, 0, 0)
        .map(|t| t + Duration::seconds(form.approve_id.rem_euclid(3_600)))
        .unwrap_or(form.begin);
    Approval {
        biz_type,
        tag_name: tag_name.to_owned(),
        sub_type: sub_type.to_owned(),
        duration: format_duration(form.duration),
        duration_unit: form.unit.to_owned(),
        begin_time: format_datetime(form.begin),
        end_time: format_datetime(form.end),
        gmt_finished: format_datetime(finished),
        proc_inst_id: proc_inst_id(form.approve_id),
    }
}

#[allow(clippy::too_many_arguments)]
fn punch(
    person: &Person,
    date: NaiveDate,
    id: i64,
    check: usize,
    time_result: &str,
    source_type: &str,
    location_result: &str,
    at_ms: i64,
    base_ms: i64,
) -> Punch {
    let k = key(person.index, date, check);
    let jitter = (k % 1_000) as f64 / 100_000.0;
    Punch {
        id,
        user_id: person.userid.clone(),
        check_type: CHECK_TYPES[check.min(1)].to_owned(),
        time_result: time_result.to_owned(),
        location_result: location_result.to_owned(),
        source_type: source_type.to_owned(),
        work_date: midnight_ms(date),
        user_check_time: at_ms,
        base_check_time: base_ms,
        plan_check_time: base_ms,
        gmt_create: at_ms,
        gmt_modified: at_ms,
        plan_id: PLAN_ID_BASE + k,
        group_id: group_id(person),
        class_id: CLASS_ID,
        is_legal: "Y".to_owned(),
        location_method: if source_type == "ATM" { "ATM" } else { "MAP" }.to_owned(),
        user_address: "模拟办公室".to_owned(),
        user_latitude: 30.28 + jitter,
        user_longitude: 120.01 + jitter,
        user_accuracy: 15.0,
        device_id: format!("sim-device-{}", person.index % 97),
        invalid_record_type: None,
        invalid_record_msg: None,
        approve_id: None,
        proc_inst_id: None,
    }
}

/// The raw punches of the day (`attendance/listRecord`), in time order.
pub fn punches(person: &Person, date: NaiveDate, day: &DayOutcome) -> Vec<Punch> {
    let mut out = Vec::new();
    if let Some(checks) = &day.checks {
        for (i, check) in checks.iter().enumerate() {
            let (Some(offset), None) = (check.offset_secs, check.form) else {
                continue;
            };
            let k = key(person.index, date, i);
            let base = china_ms(base_time(date, i));
            let at = base + offset * 1_000;
            let p = |id, at| {
                punch(
                    person,
                    date,
                    id,
                    i,
                    check.time_result,
                    check.source_type,
                    check.location_result,
                    at,
                    base,
                )
            };
            out.push(p(RECORD_ID_BASE + k, at));
            if i == 0 && day.duplicate_punch {
                out.push(p(EXTRA_PUNCH_BASE + k, at + 95_000));
            }
            if i == 0 && day.invalid_punch {
                let mut bad = p(INVALID_PUNCH_BASE + k, at - 240_000);
                bad.is_legal = "N".to_owned();
                bad.invalid_record_type = Some("Security".to_owned());
                bad.invalid_record_msg = Some("需要二次确认".to_owned());
                out.push(bad);
            }
        }
    }
    if let Some((begin, end)) = day.rest_punches {
        for (i, at) in [begin, end].into_iter().enumerate() {
            let ms = china_ms(at);
            let k = key(person.index, date, i);
            let mut p = punch(
                person,
                date,
                RECORD_ID_BASE + k,
                i,
                "Normal",
                "USER",
                "Normal",
                ms,
                ms,
            );
            if let Some(form) = day.forms.iter().find(|f| f.kind == FormKind::Overtime) {
                p.approve_id = Some(form.approve_id);
                p.proc_inst_id = Some(proc_inst_id(form.approve_id));
            }
            out.push(p);
        }
    }
    out.sort_by_key(|p| (p.user_check_time, p.id));
    out
}

/// The raw punch behind a served record (golden data), if it was punched.
pub fn punch_of_record(person: &Person, record: &AttendanceRecord) -> Option<Punch> {
    if matches!(record.source_type.as_str(), "SYSTEM" | "APPROVE") {
        return None;
    }
    let (id, at) = (record.record_id?, record.user_check_time?);
    let date = super::golden::record_date(record)?;
    let check = check_index(&record.check_type);
    let mut p = punch(
        person,
        date,
        id,
        check,
        &record.time_result,
        &record.source_type,
        &record.location_result,
        at,
        record.base_check_time,
    );
    p.plan_id = record.plan_id;
    p.group_id = record.group_id;
    Some(p)
}

fn check_index(check_type: &str) -> usize {
    usize::from(check_type != "OnDuty")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_look_like_dingtalks() {
        assert_eq!(format_duration(1.0), "1.0");
        assert_eq!(format_duration(2.5), "2.5");
        assert_eq!(format_duration(1.25), "1.25");
    }
}
