//! Person-days from batches: records, forms, units.

use super::*;
use crate::model::DayType;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[allow(clippy::too_many_arguments)]
fn form(
    biz: i64,
    tag: &str,
    sub: &str,
    duration: &str,
    unit: &str,
    begin: &str,
    end: &str,
    id: &str,
) -> ApproveItem {
    ApproveItem {
        biz_type: biz,
        tag_name: Some(tag.into()),
        sub_type: Some(sub.into()),
        duration: Hours::parse_decimal(duration),
        duration_unit: Some(unit.into()),
        begin_time: Some(begin.into()),
        end_time: Some(end.into()),
        gmt_finished: None,
        proc_inst_id: Some(id.into()),
    }
}

fn record(
    id: i64,
    user: &str,
    date: &str,
    check: &str,
    result: TimeResult,
    at: Option<&str>,
) -> RecordResult {
    let cal = Calendar::china().unwrap();
    let work_date = cal.day_start_ms(d(date)).unwrap();
    let at = at.map(|t| {
        let dt = chrono::NaiveDateTime::parse_from_str(&format!("{date} {t}"), "%Y-%m-%d %H:%M")
            .unwrap();
        work_date
            + dt.signed_duration_since(d(date).and_hms_opt(0, 0, 0).unwrap())
                .num_milliseconds()
    });
    RecordResult {
        id,
        user_id: user.into(),
        work_date,
        check_type: check.into(),
        time_result: result,
        base_check_time: None,
        user_check_time: at,
    }
}

#[test]
fn day_unit_forms_give_a_day_on_every_date() {
    let f = form(
        2,
        "出差",
        "",
        "4.0",
        "day",
        "2026-03-13 09:00:00",
        "2026-03-16 18:00:00",
        "bt",
    );
    let days = spread(&f, DayUnits::default());
    assert_eq!(days.len(), 4);
    assert!(days
        .iter()
        .all(|(_, a)| a.hours == Hours::from_hours(8) && a.kind == ApprovalKind::BusinessTrip));
    assert_eq!(days[3].0, d("2026-03-16"));
    let half = form(
        3,
        "请假",
        "年假",
        "0.5",
        "day",
        "2026-03-13 09:00:00",
        "2026-03-13 13:00:00",
        "x",
    );
    assert_eq!(
        spread(&half, DayUnits::default())[0].1.hours,
        Hours::from_hours(4)
    );
}

#[test]
fn hour_unit_forms_count_on_their_begin_date() {
    let f = form(
        1,
        "加班",
        "",
        "6.0",
        "hour",
        "2026-03-10 19:00:00",
        "2026-03-11 01:00:00",
        "ot",
    );
    let days = spread(&f, DayUnits::default());
    assert_eq!(
        days,
        vec![(
            d("2026-03-10"),
            DayApproval {
                kind: ApprovalKind::Overtime,
                leave_type: None,
                hours: Hours::from_hours(6),
                form_id: Some("ot".into()),
            }
        )]
    );
    let mut no_duration = f.clone();
    no_duration.duration = None;
    assert_eq!(
        spread(&no_duration, DayUnits::default())[0].1.hours,
        Hours::from_hours(6)
    );
}

#[test]
fn half_day_forms_fill_dates_in_order() {
    let f = form(
        3,
        "请假",
        "事假",
        "3",
        "halfDay",
        "2026-03-02 AM",
        "2026-03-03 PM",
        "hd",
    );
    let days = spread(&f, DayUnits::default());
    let hours: Vec<Hours> = days.iter().map(|(_, a)| a.hours).collect();
    assert_eq!(hours, vec![Hours::from_hours(8), Hours::from_hours(4)]);
    assert_eq!(days[0].1.leave_type.as_deref(), Some("事假"));
}

#[test]
fn outings_unknown_types_and_bad_times() {
    let outing = form(2, "外出", "", "4", "hour", "2026-03-12 09:00", "", "go");
    assert_eq!(
        spread(&outing, DayUnits::default())[0].1.kind,
        ApprovalKind::Outing
    );
    let other = form(9, "补卡", "", "1", "hour", "2026-03-12 09:00", "", "x");
    assert!(spread(&other, DayUnits::default()).is_empty());
    let bad = form(1, "加班", "", "1", "hour", "yesterday", "", "x");
    assert!(spread(&bad, DayUnits::default()).is_empty());
    let endless = form(2, "出差", "", "1", "day", "2026-01-01", "2999-01-01", "x");
    assert_eq!(
        spread(&endless, DayUnits::default()).len(),
        MAX_FORM_DAYS as usize
    );
}

#[test]
fn a_batch_counts_each_record_once_for_its_own_person_and_date() {
    let cal = Calendar::china().unwrap();
    let recs = vec![
        record(
            1,
            "a",
            "2026-03-19",
            "OnDuty",
            TimeResult::Late,
            Some("09:25"),
        ),
        record(
            2,
            "a",
            "2026-03-19",
            "OffDuty",
            TimeResult::Normal,
            Some("18:06"),
        ),
        record(
            1,
            "a",
            "2026-03-19",
            "OnDuty",
            TimeResult::Late,
            Some("09:25"),
        ),
        record(
            3,
            "a",
            "2026-03-20",
            "OnDuty",
            TimeResult::Normal,
            Some("08:53"),
        ),
        record(4, "b", "2026-03-19", "OnDuty", TimeResult::Early, None),
    ];
    let mut batch = Batch::new(DayUnits::default());
    assert_eq!(batch.add_records(&cal, &recs), 4);
    let day = batch.attendance(&cal, "a", d("2026-03-19"));
    assert_eq!(day.day_type, DayType::Workday);
    assert_eq!(
        (day.on_duty, day.off_duty),
        (TimeResult::Late, TimeResult::Normal)
    );
    assert_eq!(day.on_duty_at, Some(PunchTime::at(9, 25)));
    assert_eq!(day.off_duty_at, Some(PunchTime::at(18, 6)));
    let next = batch.attendance(&cal, "a", d("2026-03-20"));
    assert_eq!(
        (next.on_duty, next.off_duty),
        (TimeResult::Normal, TimeResult::NotSigned)
    );
    let nobody = batch.attendance(&cal, "c", d("2026-03-19"));
    assert_eq!(
        (nobody.on_duty, nobody.off_duty),
        (TimeResult::NotSigned, TimeResult::NotSigned)
    );
}

#[test]
fn a_batch_counts_each_form_once() {
    let cal = Calendar::china().unwrap();
    let f = form(
        2,
        "出差",
        "",
        "4.0",
        "day",
        "2026-03-13 09:00:00",
        "2026-03-16 18:00:00",
        "bt",
    );
    let mut batch = Batch::new(DayUnits::default());
    batch.add_approvals("a", [&f, &f]);
    batch.add_approvals("a", [&f]);
    let day = batch.attendance(&cal, "a", d("2026-03-16"));
    assert_eq!(day.approvals.len(), 1);
    assert!(batch
        .attendance(&cal, "b", d("2026-03-16"))
        .approvals
        .is_empty());
}
