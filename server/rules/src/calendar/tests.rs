//! The calendar: shipped years, admin edits, DingTalk answers, local dates.

use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn shipped_years_load_and_follow_the_notices() {
    let cal = Calendar::china().unwrap();
    let official: Vec<i32> = cal
        .years()
        .filter(|y| y.status == ScheduleStatus::Official)
        .map(|y| y.year)
        .collect();
    assert_eq!(official, vec![2024, 2025, 2026]);
    assert_eq!(cal.day_type(d("2024-02-10")), DayType::StatutoryHoliday);
    assert_eq!(cal.day_type(d("2024-02-04")), DayType::MakeupWorkday);
    assert_eq!(cal.day_type(d("2025-10-08")), DayType::StatutoryHoliday);
    assert_eq!(cal.day_type(d("2025-10-11")), DayType::MakeupWorkday);
    assert_eq!(cal.day_type(d("2026-02-23")), DayType::StatutoryHoliday);
    assert_eq!(cal.day_type(d("2026-02-24")), DayType::Workday);
    assert_eq!(cal.day_type(d("2026-09-20")), DayType::MakeupWorkday);
    assert_eq!(cal.holiday_name(d("2026-10-03")), Some("国庆节"));
    // 2024's 端午 is one day joined to the weekend: the Saturday stays a rest day.
    assert_eq!(cal.day_type(d("2024-06-08")), DayType::RestDay);
    assert_eq!(cal.day_type(d("2024-06-10")), DayType::StatutoryHoliday);
}

#[test]
fn every_shipped_makeup_workday_is_a_weekend_day_and_notices_are_cited() {
    let cal = Calendar::china().unwrap();
    for y in cal.years() {
        for m in &y.makeup_workdays {
            assert!(
                matches!(m.weekday(), Weekday::Sat | Weekday::Sun),
                "{m} is not a weekend day"
            );
        }
        match y.status {
            ScheduleStatus::Official => {
                assert!(y
                    .notice
                    .as_deref()
                    .is_some_and(|n| n.contains("国办发明电")));
                assert!(!y.holidays.is_empty());
            }
            _ => assert!(y.holidays.is_empty() && y.makeup_workdays.is_empty()),
        }
    }
    assert_eq!(
        cal.year(2027).map(|y| y.status),
        Some(ScheduleStatus::Unpublished)
    );
}

#[test]
fn an_unknown_year_falls_back_to_weekends() {
    let cal = Calendar::china().unwrap();
    assert_eq!(cal.day_type(d("2027-10-01")), DayType::Workday);
    assert_eq!(cal.day_type(d("2027-10-02")), DayType::RestDay);
    assert_eq!(cal.day_type(d("2030-01-01")), DayType::Workday);
}

#[test]
fn an_admin_replaces_a_year() {
    let mut cal = Calendar::china().unwrap();
    cal.set_year(YearSchedule {
        year: 2027,
        status: ScheduleStatus::Admin,
        notice: None,
        issued: None,
        note: "entered by hand".into(),
        holidays: vec![HolidayPeriod {
            name: "国庆节".into(),
            from: d("2027-10-01"),
            to: d("2027-10-07"),
        }],
        makeup_workdays: vec![d("2027-10-09")],
    })
    .unwrap();
    assert_eq!(cal.day_type(d("2027-10-01")), DayType::StatutoryHoliday);
    assert_eq!(cal.day_type(d("2027-10-09")), DayType::MakeupWorkday);
    assert_eq!(
        cal.year(2027).map(|y| y.status),
        Some(ScheduleStatus::Admin)
    );
}

#[test]
fn a_bad_admin_edit_is_refused_at_its_fields() {
    let mut cal = Calendar::china().unwrap();
    let err = cal
        .set_year(YearSchedule {
            year: 2027,
            status: ScheduleStatus::Admin,
            notice: None,
            issued: None,
            note: String::new(),
            holidays: vec![
                HolidayPeriod {
                    name: "国庆节".into(),
                    from: d("2027-10-07"),
                    to: d("2027-10-01"),
                },
                HolidayPeriod {
                    name: "春节".into(),
                    from: d("2027-02-06"),
                    to: d("2027-02-12"),
                },
            ],
            makeup_workdays: vec![d("2028-01-01"), d("2027-02-07")],
        })
        .unwrap_err();
    let got: Vec<(String, Problem)> = err
        .field_errors()
        .iter()
        .map(|f| (f.path.clone(), f.problem))
        .collect();
    assert_eq!(
        got,
        vec![
            ("holidays[0].to".into(), Problem::EmptyWindow),
            ("makeup_workdays[0]".into(), Problem::OutsideYear),
            ("makeup_workdays[1]".into(), Problem::Conflict),
        ]
    );
    // The previous data is kept.
    assert_eq!(
        cal.year(2027).map(|y| y.status),
        Some(ScheduleStatus::Unpublished)
    );
}

#[test]
fn dingtalk_overrides_the_dates_it_answered() {
    let mut cal = Calendar::china().unwrap();
    let ms = |s: &str| cal.day_start_ms(d(s)).unwrap();
    let listed = vec![
        (ms("2026-10-01"), DingTalkHolidayType::Festival),
        (ms("2026-10-03"), DingTalkHolidayType::Rest),
        (ms("2026-10-04"), DingTalkHolidayType::Rest),
        (ms("2026-10-10"), DingTalkHolidayType::Overtime),
        (ms("2026-10-11"), DingTalkHolidayType::Other),
    ];
    cal.apply_dingtalk(d("2026-10-01"), d("2026-10-11"), listed)
        .unwrap();
    assert_eq!(cal.day_type(d("2026-10-01")), DayType::StatutoryHoliday);
    // The organisation works on 10-02 although the State Council says holiday.
    assert_eq!(cal.day_type(d("2026-10-02")), DayType::Workday);
    assert_eq!(cal.day_type(d("2026-10-03")), DayType::RestDay);
    assert_eq!(cal.day_type(d("2026-10-10")), DayType::MakeupWorkday);
    // An unknown type reads as unlisted inside the answered range.
    assert_eq!(cal.day_type(d("2026-10-11")), DayType::Workday);
    // Outside the answered range the shipped schedule still applies.
    assert_eq!(cal.day_type(d("2026-09-20")), DayType::MakeupWorkday);
}

#[test]
fn an_empty_dingtalk_answer_for_a_week_is_refused() {
    let mut cal = Calendar::china().unwrap();
    assert!(cal
        .apply_dingtalk(d("2026-10-01"), d("2026-10-31"), Vec::new())
        .is_err());
    assert_eq!(cal.day_type(d("2026-10-01")), DayType::StatutoryHoliday);
    // Three working days may legitimately list nothing.
    cal.apply_dingtalk(d("2026-03-02"), d("2026-03-04"), Vec::new())
        .unwrap();
    assert!(cal
        .apply_dingtalk(d("2026-03-04"), d("2026-03-02"), Vec::new())
        .is_err());
}

#[test]
fn a_day_is_the_local_date() {
    let cal = Calendar::china().unwrap();
    // 2026-03-02 00:00 in Shanghai is 2026-03-01 16:00 UTC.
    assert_eq!(cal.local_date(1_772_380_800_000), Some(d("2026-03-02")));
    assert_eq!(cal.local_date(1_772_380_800_000 - 1), Some(d("2026-03-01")));
    assert_eq!(cal.day_start_ms(d("2026-03-02")), Some(1_772_380_800_000));
    let utc = Calendar::weekends_only(Calendar::parse_time_zone("UTC").unwrap());
    assert_eq!(utc.local_date(1_772_380_800_000), Some(d("2026-03-01")));
    assert!(Calendar::parse_time_zone("Mars/Olympus").is_err());
    assert_eq!(cal.local_date(i64::MAX), None);
}
