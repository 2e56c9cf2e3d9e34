use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn march() -> Company {
    let spec = CompanySpec {
        people: 300,
        departments: 12,
        first_day: day(2026, 1, 1),
        last_day: day(2026, 12, 31),
        seed: 2026,
    };
    Company::generate_as_of(&spec, "测试公司", day(2026, 11, 23))
}

#[derive(Default, Debug)]
struct Counts {
    days: usize,
    normal: usize,
    late: usize,
    early: usize,
    one_missing: usize,
    absent: usize,
    approve_days: usize,
}

#[test]
fn a_month_has_a_realistic_distribution() {
    let company = march();
    let mut c = Counts::default();
    let (mut leave, mut trips, mut overtime, mut rest_overtime) = (0, 0, 0, 0);
    let range = day(2026, 3, 1)..=day(2026, 3, 31);
    for p in company.people() {
        let records = company.records(&p.userid, range.clone());
        for pair in records.chunks(2) {
            let [on, off] = pair else {
                panic!("records come in pairs")
            };
            assert_eq!(
                (on.check_type.as_str(), off.check_type.as_str()),
                ("OnDuty", "OffDuty")
            );
            c.days += 1;
            let results = (on.time_result.as_str(), off.time_result.as_str());
            if on.source_type == "APPROVE" || off.source_type == "APPROVE" {
                c.approve_days += 1;
            } else {
                match results {
                    ("Normal", "Normal") => c.normal += 1,
                    ("Late" | "SeriousLate", _) => c.late += 1,
                    (_, "Early") => c.early += 1,
                    ("NotSigned", "NotSigned") | ("Absenteeism", "NotSigned") => c.absent += 1,
                    ("NotSigned", _) | (_, "NotSigned") => c.one_missing += 1,
                    other => panic!("unexpected pair {other:?}"),
                }
            }
        }
        for d in range.clone().start().iter_days().take(31) {
            for a in company.approvals(&p.userid, d) {
                match a.biz_type {
                    1 if company.calendar().kind(d).is_working() => overtime += 1,
                    1 => rest_overtime += 1,
                    2 => trips += 1,
                    _ => leave += 1,
                }
            }
        }
    }
    let share = |n: usize| n as f64 / c.days as f64;
    assert!(c.days > 4_000, "{c:?}");
    assert!((0.72..0.92).contains(&share(c.normal)), "{c:?}");
    assert!((0.03..0.10).contains(&share(c.late)), "{c:?}");
    assert!((0.01..0.06).contains(&share(c.early)), "{c:?}");
    assert!((0.005..0.04).contains(&share(c.one_missing)), "{c:?}");
    assert!((0.002..0.03).contains(&share(c.absent)), "{c:?}");
    assert!((0.01..0.12).contains(&share(c.approve_days)), "{c:?}");
    assert!(
        leave > 30 && trips > 30 && overtime > 100 && rest_overtime > 10,
        "leave {leave} trips {trips} overtime {overtime} rest {rest_overtime}"
    );
}

#[test]
fn people_join_and_leave_and_leavers_are_not_in_the_directory() {
    let company = march();
    let (first, last) = company.period();
    let joiners = company
        .people()
        .iter()
        .filter(|p| p.hired_date > first)
        .count();
    let leavers: Vec<&Person> = company
        .people()
        .iter()
        .filter(|p| p.left_date.is_some())
        .collect();
    assert!(
        joiners > 10 && !leavers.is_empty(),
        "{joiners} joiners, {} leavers",
        leavers.len()
    );
    let gone = leavers
        .iter()
        .find(|p| p.left_date.is_some_and(|d| d < company.today()))
        .expect("someone left before today");
    assert!(!company.in_directory(gone));
    let left = gone.left_date.unwrap();
    assert!(company
        .records(&gone.userid, left + Duration::days(1)..=last)
        .is_empty());
    let before = company.records(&gone.userid, left - Duration::days(13)..=left);
    assert!(!before.is_empty() || gone.hired_date > left - Duration::days(13));
    for dept in company.departments() {
        for p in company.department_people(dept.dept_id) {
            assert_ne!(p.userid, gone.userid);
        }
    }
}

#[test]
fn the_directory_is_a_tree_with_nested_departments() {
    let company = march();
    assert_eq!(company.departments().len(), 13);
    let nested = company
        .departments()
        .iter()
        .filter(|d| d.parent_id.is_some_and(|p| p != ROOT_DEPT))
        .count();
    assert!(nested >= 3);
    let multi = company
        .people()
        .iter()
        .filter(|p| p.dept_id_list.len() > 1)
        .count();
    assert!(multi > 0);
    let titles: Vec<&str> = company.people().iter().map(|p| p.title.as_str()).collect();
    assert!(titles
        .iter()
        .any(|t| company.exception_titles().iter().any(|e| e == t)));
}

#[test]
fn the_same_seed_gives_the_same_data() {
    let a = march();
    let b = march();
    let range = day(2026, 3, 1)..=day(2026, 3, 14);
    for userid in ["u0002", "u0100", "u0299"] {
        assert_eq!(
            a.records(userid, range.clone()),
            b.records(userid, range.clone())
        );
    }
    assert_eq!(a.people(), b.people());
    let spec = CompanySpec {
        people: 300,
        departments: 12,
        first_day: day(2026, 1, 1),
        last_day: day(2026, 12, 31),
        seed: 7,
    };
    let c = Company::generate_as_of(&spec, "测试公司", day(2026, 11, 23));
    let differs = ["u0002", "u0100", "u0299"]
        .iter()
        .any(|u| a.records(u, range.clone()) != c.records(u, range.clone()));
    assert!(differs);
    assert_eq!(a.people()[5].email, person_email(6));
}

#[test]
fn record_ids_are_unique_and_stable() {
    let company = march();
    let range = day(2026, 3, 1)..=day(2026, 3, 31);
    let mut ids = std::collections::HashSet::new();
    for p in company.people().iter().take(50) {
        for r in company.records(&p.userid, range.clone()) {
            assert!(ids.insert(r.id), "duplicate id {}", r.id);
            if r.time_result == "NotSigned" {
                assert!(r.user_check_time.is_none() && r.record_id.is_none());
                assert_eq!(r.source_type, "SYSTEM");
            }
            if r.source_type == "APPROVE" {
                assert!(r.approve_id.is_some() && r.proc_inst_id.is_some());
            }
        }
    }
}

#[test]
fn no_records_on_rest_days_or_after_today() {
    let company = march();
    let saturday = day(2026, 3, 7);
    for p in company.people() {
        assert!(company.records(&p.userid, saturday..=saturday).is_empty());
        assert!(company
            .records(&p.userid, day(2026, 11, 24)..=day(2026, 11, 30))
            .is_empty());
    }
}

#[test]
fn golden_data_loads_and_is_served_as_is() {
    let json = include_str!("../../tests/data/hours-cases.json");
    let company = Company::from_golden(json).unwrap();
    assert_eq!(company.people().len(), 4);
    let records = company.records("u_zhang", day(2026, 3, 2)..=day(2026, 3, 2));
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].id, 9_000_017);
    let trip = company.approvals("u_zhang", day(2026, 3, 15));
    assert_eq!(trip.len(), 1, "the Sunday inside the 4-day trip");
    assert_eq!(company.approvals("u_zhao", day(2026, 3, 11)).len(), 1);
    assert_eq!(
        company.calendar().kind(day(2026, 10, 10)),
        crate::calendar::DayKind::MakeupWorkday
    );
    let leave = company.leave_status(
        &["u_zhao".to_owned()],
        china_ms(day(2026, 3, 1).and_hms_opt(0, 0, 0).unwrap()),
        china_ms(day(2026, 3, 31).and_hms_opt(0, 0, 0).unwrap()),
    );
    assert!(leave.len() >= 5, "{leave:?}");
}
