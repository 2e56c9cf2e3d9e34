//! Unit tests: every condition and every outcome, one at a time.

use chrono::NaiveDate;

use super::*;
use crate::explain::TraceStep;
use crate::model::{ApprovalKind, DayApproval, DayType, PunchTime};
use crate::rules::Status;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn h(x: &str) -> Hours {
    Hours::parse_decimal(x).unwrap()
}

/// A one-version engine with `rules` (JSON list) and `extra` version fields.
fn engine(extra: &str, rules: &str) -> Engine {
    let json = format!(
        r#"{{"effective_from":"2026-01-01","name":"t","standard_day":8,
            "leave_types":["病假","事假","年假"]{extra},"rules":[{rules}]}}"#
    );
    Engine::new(&RuleBook::from_json(&json).unwrap()).unwrap()
}

/// `{"id":…, "when": when, "then": fixed hours}`.
fn fixed(id: &str, when: &str, hours: u32) -> String {
    format!(
        r#"{{"id":"{id}","when":[{when}],"then":{{"do":"hours","base":{{"from":"fixed","hours":{hours}}}}}}}"#
    )
}

/// A catch-all rule giving 1 h, to see when the rule under test does not hold.
fn otherwise() -> String {
    r#"{"id":"otherwise","then":{"do":"hours","base":{"from":"fixed","hours":1}}}"#.to_owned()
}

fn person(userid: &str, title: Option<&str>, depts: &[i64]) -> Person {
    Person {
        userid: userid.into(),
        title: title.map(Into::into),
        departments: depts.to_vec(),
    }
}

fn plain() -> Person {
    person("u1", Some("工程师"), &[2])
}

fn workday() -> DayAttendance {
    let mut day = DayAttendance::empty(d("2026-03-02"), DayType::Workday);
    day.on_duty = TimeResult::Normal;
    day.off_duty = TimeResult::Normal;
    day.on_duty_at = Some(PunchTime::at(9, 0));
    day.off_duty_at = Some(PunchTime::at(18, 0));
    day
}

fn with(kind: ApprovalKind, leave_type: Option<&str>, hours: &str) -> DayApproval {
    DayApproval {
        kind,
        leave_type: leave_type.map(Into::into),
        hours: h(hours),
        form_id: None,
    }
}

fn hours_of(e: &Engine, p: &Person, day: &DayAttendance) -> Hours {
    let direct = e.evaluate_for(p, day);
    let profiled = e.evaluate_profiled(&e.profile(p), day);
    assert_eq!(direct, profiled, "profiled evaluation differs");
    assert_eq!(
        e.explain(p, day).hours,
        direct.hours,
        "explained hours differ"
    );
    direct.hours
}

#[test]
fn day_type_condition_and_its_negation() {
    let e = engine(
        "",
        &[
            fixed(
                "rest",
                r#"{"if":"day_type","any_of":["rest_day","statutory_holiday"]}"#,
                0,
            ),
            fixed(
                "not-makeup",
                r#"{"if":"day_type","any_of":["makeup_workday"],"not":true}"#,
                8,
            ),
            otherwise(),
        ]
        .join(","),
    );
    let mut day = workday();
    for (t, want) in [
        (DayType::RestDay, "0"),
        (DayType::StatutoryHoliday, "0"),
        (DayType::Workday, "8"),
        (DayType::MakeupWorkday, "1"),
    ] {
        day.day_type = t;
        assert_eq!(hours_of(&e, &plain(), &day), h(want), "{t:?}");
    }
}

#[test]
fn on_duty_and_off_duty_conditions() {
    let e = engine(
        "",
        &[
            fixed(
                "late-in",
                r#"{"if":"on_duty","any_of":["Late","SeriousLate"]}"#,
                7,
            ),
            fixed("early-out", r#"{"if":"off_duty","any_of":["Early"]}"#, 6),
            otherwise(),
        ]
        .join(","),
    );
    let mut day = workday();
    day.on_duty = TimeResult::SeriousLate;
    assert_eq!(hours_of(&e, &plain(), &day), h("7"));
    day.on_duty = TimeResult::Normal;
    day.off_duty = TimeResult::Early;
    assert_eq!(hours_of(&e, &plain(), &day), h("6"));
    day.off_duty = TimeResult::Other;
    assert_eq!(hours_of(&e, &plain(), &day), h("1"));
}

#[test]
fn approval_conditions_compare_kinds_and_leave_types() {
    let e = engine(
        "",
        &[
            fixed(
                "sick",
                r#"{"if":"approval","kinds":["leave"],"leave_types":["病假"],"compare":">=","hours":8}"#,
                2,
            ),
            fixed("leave-4", r#"{"if":"approval","kinds":["leave"],"compare":"=","hours":4}"#, 4),
            fixed(
                "away",
                r#"{"if":"approval","kinds":["business_trip","outing"],"compare":">","hours":6}"#,
                8,
            ),
            fixed(
                "little-ot",
                r#"{"if":"approval","kinds":["overtime"],"compare":"<","hours":1},{"if":"approval","kinds":["overtime"],"compare":">","hours":0}"#,
                9,
            ),
            fixed(
                "no-leave",
                r#"{"if":"approval","kinds":["leave"],"compare":"<=","hours":0}"#,
                5,
            ),
            otherwise(),
        ]
        .join(","),
    );
    let mut day = workday();
    assert_eq!(hours_of(&e, &plain(), &day), h("5"), "no approval at all");
    day.approvals = vec![with(ApprovalKind::Leave, Some("病假"), "8")];
    assert_eq!(hours_of(&e, &plain(), &day), h("2"));
    day.approvals = vec![with(ApprovalKind::Leave, Some("事假"), "8")];
    assert_eq!(
        hours_of(&e, &plain(), &day),
        h("1"),
        "other leave types are not 病假"
    );
    day.approvals = vec![
        with(ApprovalKind::Leave, Some("事假"), "2"),
        with(ApprovalKind::Leave, Some("年假"), "2"),
    ];
    assert_eq!(hours_of(&e, &plain(), &day), h("4"), "leave hours add up");
    day.approvals = vec![
        with(ApprovalKind::BusinessTrip, None, "4"),
        with(ApprovalKind::Outing, None, "3"),
    ];
    assert_eq!(
        hours_of(&e, &plain(), &day),
        h("8"),
        "trip and outing add up"
    );
    day.approvals = vec![with(ApprovalKind::Outing, None, "6")];
    assert_eq!(hours_of(&e, &plain(), &day), h("5"), "6 is not > 6");
    day.approvals = vec![with(ApprovalKind::Overtime, None, "0.5")];
    assert_eq!(hours_of(&e, &plain(), &day), h("9"));
    day.approvals = vec![with(ApprovalKind::Overtime, None, "1")];
    assert_eq!(hours_of(&e, &plain(), &day), h("5"));
}

#[test]
fn person_conditions_department_title_and_people() {
    let e = engine(
        "",
        &[
            fixed("dept", r#"{"if":"department","any_of":[7,8]}"#, 2),
            fixed("title", r#"{"if":"title","any_of":["实习生"]}"#, 3),
            fixed("named", r#"{"if":"person","any_of":["boss"]}"#, 4),
            fixed(
                "not-dept-2",
                r#"{"if":"department","any_of":[2],"not":true}"#,
                5,
            ),
            otherwise(),
        ]
        .join(","),
    );
    let day = workday();
    assert_eq!(hours_of(&e, &person("a", None, &[1, 8]), &day), h("2"));
    assert_eq!(
        hours_of(&e, &person("a", Some("实习生"), &[2]), &day),
        h("3")
    );
    assert_eq!(
        hours_of(&e, &person("boss", Some("CEO"), &[2]), &day),
        h("4")
    );
    assert_eq!(hours_of(&e, &person("a", None, &[]), &day), h("5"));
    assert_eq!(hours_of(&e, &plain(), &day), h("1"));
}

#[test]
fn negated_title_holds_for_people_without_a_title() {
    let e = engine(
        "",
        &[
            fixed(
                "not-intern",
                r#"{"if":"title","any_of":["实习生"],"not":true}"#,
                8,
            ),
            otherwise(),
        ]
        .join(","),
    );
    assert_eq!(hours_of(&e, &person("a", None, &[]), &workday()), h("8"));
    assert_eq!(
        hours_of(&e, &person("a", Some("实习生"), &[]), &workday()),
        h("1")
    );
}

#[test]
fn all_conditions_of_a_rule_must_hold_and_the_first_rule_decides() {
    let e = engine(
        "",
        &[
            fixed(
                "both",
                r#"{"if":"on_duty","any_of":["Late"]},{"if":"department","any_of":[2]}"#,
                6,
            ),
            fixed("late", r#"{"if":"on_duty","any_of":["Late"]}"#, 7),
            otherwise(),
        ]
        .join(","),
    );
    let mut day = workday();
    day.on_duty = TimeResult::Late;
    assert_eq!(hours_of(&e, &plain(), &day), h("6"));
    assert_eq!(hours_of(&e, &person("x", None, &[3]), &day), h("7"));
    let ev = e.evaluate_for(&plain(), &day);
    assert_eq!(e.rule(&ev).map(|r| r.id.as_str()), Some("both"));
}

#[test]
fn skip_outcome_gives_no_worklog() {
    let e = engine("", r#"{"id":"s","then":{"do":"skip"}}"#);
    let ev = e.evaluate_for(&plain(), &workday());
    assert_eq!(
        (ev.hours, ev.status, ev.rule),
        (Hours::ZERO, Status::Skipped, Some(0))
    );
}

#[test]
fn no_rule_matched_skips_the_day() {
    let e = engine(
        "",
        &fixed("rest", r#"{"if":"day_type","any_of":["rest_day"]}"#, 8),
    );
    let ev = e.evaluate_for(&plain(), &workday());
    assert_eq!(
        (ev.hours, ev.status, ev.rule),
        (Hours::ZERO, Status::Skipped, None)
    );
    let trace = e.explain(&plain(), &workday());
    assert_eq!(trace.steps, vec![TraceStep::NoRuleMatched]);
}

#[test]
fn punches_minus_breaks() {
    let e = engine(
        "",
        r#"{"id":"p","then":{"do":"hours","base":{"from":"punches","breaks":[{"from":"12:00","to":"13:00"},{"from":"18:00","to":"18:30"}]}}}"#,
    );
    let mut day = workday();
    day.on_duty_at = Some(PunchTime::at(8, 45));
    day.off_duty_at = Some(PunchTime::at(19, 0));
    // 10.25 h between the punches, 1.5 h of breaks.
    assert_eq!(hours_of(&e, &plain(), &day), h("8.75"));
    day.off_duty_at = None;
    assert_eq!(hours_of(&e, &plain(), &day), Hours::ZERO);
}

#[test]
fn penalty_tables_apply_to_both_or_one_check_point() {
    let rule = |checks: &str| {
        format!(
            r#"{{"id":"p","then":{{"do":"hours","base":{{"from":"fixed","hours":8}},
            "adjust":[{{"by":"penalty","table":{{"Late":1,"Early":0.5,"NotSigned":4}},"checks":"{checks}"}}]}}}}"#
        )
    };
    let mut day = workday();
    day.on_duty = TimeResult::Late;
    day.off_duty = TimeResult::Early;
    assert_eq!(
        hours_of(&engine("", &rule("both")), &plain(), &day),
        h("6.5")
    );
    assert_eq!(
        hours_of(&engine("", &rule("on_duty")), &plain(), &day),
        h("7")
    );
    assert_eq!(
        hours_of(&engine("", &rule("off_duty")), &plain(), &day),
        h("7.5")
    );
    // A result missing from the table costs nothing.
    day.on_duty = TimeResult::Absenteeism;
    assert_eq!(
        hours_of(&engine("", &rule("on_duty")), &plain(), &day),
        h("8")
    );
}

#[test]
fn approvals_add_and_subtract_and_the_total_stops_at_zero() {
    let e = engine(
        "",
        r#"{"id":"p","then":{"do":"hours","base":{"from":"fixed","hours":4},"adjust":[
            {"by":"approvals","op":"subtract","kinds":["leave"],"leave_types":["事假"]},
            {"by":"approvals","op":"add","kinds":["overtime"]}]}}"#,
    );
    let mut day = workday();
    day.approvals = vec![
        with(ApprovalKind::Leave, Some("事假"), "1.5"),
        with(ApprovalKind::Leave, Some("病假"), "1"),
        with(ApprovalKind::Overtime, None, "2"),
    ];
    assert_eq!(
        hours_of(&e, &plain(), &day),
        h("4.5"),
        "only 事假 is subtracted"
    );
    day.approvals[0].hours = h("6");
    // 4 − 6 stops at 0, then + 2 overtime.
    assert_eq!(hours_of(&e, &plain(), &day), h("2"));
    let trace = e.explain(&plain(), &day);
    assert!(
        trace.steps.contains(&TraceStep::Floor { from: h("-2") }),
        "{trace:?}"
    );
}

#[test]
fn cap_then_rounding_and_rounding_never_passes_the_cap() {
    let rule = r#"{"id":"p","then":{"do":"hours","base":{"from":"fixed","hours":8},"adjust":[{"by":"approvals","op":"add","kinds":["overtime"]}]}}"#;
    let mut day = workday();
    day.approvals = vec![with(ApprovalKind::Overtime, None, "5")];
    let capped = engine(
        r#","daily_cap":12,"rounding":{"mode":"down","step":0.5}"#,
        rule,
    );
    assert_eq!(hours_of(&capped, &plain(), &day), h("12"));
    day.approvals[0].hours = h("0.2");
    assert_eq!(hours_of(&capped, &plain(), &day), h("8"), "down");
    let up = engine(r#","rounding":{"mode":"up","step":0.5}"#, rule);
    assert_eq!(hours_of(&up, &plain(), &day), h("8.5"), "up");
    let nearest = engine(r#","rounding":{"mode":"nearest","step":0.5}"#, rule);
    assert_eq!(
        hours_of(&nearest, &plain(), &day),
        h("8"),
        "nearest below half"
    );
    day.approvals[0].hours = h("0.25");
    assert_eq!(
        hours_of(&nearest, &plain(), &day),
        h("8.5"),
        "nearest at half"
    );
    let odd_cap = engine(
        r#","daily_cap":8.2,"rounding":{"mode":"up","step":0.5}"#,
        rule,
    );
    assert_eq!(
        hours_of(&odd_cap, &plain(), &day),
        h("8"),
        "8.2 rounds up to 8.5 > cap"
    );
    let zero_cap = engine(r#","daily_cap":0"#, rule);
    assert_eq!(hours_of(&zero_cap, &plain(), &day), Hours::ZERO);
}

#[test]
fn explicit_and_automatic_status() {
    let e = engine(
        "",
        &[
            r#"{"id":"trip","when":[{"if":"approval","kinds":["business_trip"],"compare":">=","hours":8}],"then":{"do":"hours","base":{"from":"fixed","hours":8},"status":"trip"}}"#.to_owned(),
            r#"{"id":"std","then":{"do":"hours","base":{"from":"fixed","hours":8},"adjust":[{"by":"penalty","table":{"Late":1}},{"by":"approvals","op":"add","kinds":["overtime"]}]}}"#.to_owned(),
        ]
        .join(","),
    );
    let mut day = workday();
    assert_eq!(e.evaluate_for(&plain(), &day).status, Status::Worked);
    day.on_duty = TimeResult::Late;
    assert_eq!(e.evaluate_for(&plain(), &day).status, Status::Partial);
    day.approvals = vec![with(ApprovalKind::BusinessTrip, None, "8")];
    assert_eq!(e.evaluate_for(&plain(), &day).status, Status::Trip);
    day.approvals.clear();
    day.day_type = DayType::RestDay;
    day.on_duty = TimeResult::Normal;
    assert_eq!(e.evaluate_for(&plain(), &day).status, Status::Overtime);
}

#[test]
fn exceptions_override_penalties_first_listed_wins() {
    let rule = r#"{"id":"std","then":{"do":"hours","base":{"from":"fixed","hours":8},"adjust":[{"by":"penalty","table":{"Late":1,"Early":1}}]}}"#;
    let e = engine(
        r#","exceptions":[
            {"id":"field","titles":["外勤"],"penalties":{"Late":0}},
            {"id":"dept","departments":[5],"penalties":{"Late":0.5,"Early":0}},
            {"id":"named","people":["u9"],"penalties":{"Early":0.25}}]"#,
        rule,
    );
    let mut day = workday();
    day.on_duty = TimeResult::Late;
    day.off_duty = TimeResult::Early;
    assert_eq!(hours_of(&e, &plain(), &day), h("6"));
    assert_eq!(hours_of(&e, &person("a", Some("外勤"), &[]), &day), h("7"));
    assert_eq!(hours_of(&e, &person("a", None, &[5]), &day), h("7.5"));
    // Both cover: Late from "field" (first), Early from "dept".
    assert_eq!(hours_of(&e, &person("a", Some("外勤"), &[5]), &day), h("8"));
    assert_eq!(hours_of(&e, &person("u9", None, &[]), &day), h("6.75"));
    let trace = e.explain(&person("a", Some("外勤"), &[5]), &day);
    let names: Vec<&str> = trace.exceptions.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(names, vec!["field", "dept"]);
}

#[test]
fn exceptions_exempt_people_from_named_rules() {
    let e = engine(
        r#","exceptions":[{"id":"remote","people":["u_remote"],"exempt_from":["absent"]}]"#,
        &[
            fixed(
                "absent",
                r#"{"if":"on_duty","any_of":["NotSigned"]},{"if":"off_duty","any_of":["NotSigned"]}"#,
                0,
            ),
            fixed("std", "", 8),
        ]
        .join(","),
    );
    let day = DayAttendance::empty(d("2026-03-02"), DayType::Workday);
    assert_eq!(hours_of(&e, &plain(), &day), Hours::ZERO);
    assert_eq!(hours_of(&e, &person("u_remote", None, &[]), &day), h("8"));
}

#[test]
fn versions_decide_from_their_effective_date_on() {
    let v = |from: &str, hours: u32| {
        format!(
            r#"{{"effective_from":"{from}","standard_day":8,"rules":[{}]}}"#,
            fixed("r", "", hours)
        )
    };
    let book = format!(
        r#"{{"versions":[{},{}]}}"#,
        v("2026-03-01", 7),
        v("2026-01-01", 8)
    );
    let e = Engine::new(&RuleBook::from_json(&book).unwrap()).unwrap();
    let mut day = workday();
    day.date = d("2025-12-31");
    let ev = e.evaluate_for(&plain(), &day);
    assert_eq!(
        (ev.hours, ev.status, ev.version),
        (Hours::ZERO, Status::Skipped, None)
    );
    assert_eq!(e.explain(&plain(), &day).steps, vec![TraceStep::NoVersion]);
    day.date = d("2026-02-28");
    assert_eq!(e.evaluate_for(&plain(), &day).hours, h("8"));
    assert_eq!(
        e.evaluate_for(&plain(), &day).version,
        Some(d("2026-01-01"))
    );
    day.date = d("2026-03-01");
    assert_eq!(e.evaluate_for(&plain(), &day).hours, h("7"));
}

#[test]
fn an_invalid_book_is_refused_with_its_field_errors() {
    let book = RuleBook::from_json(
        r#"{"effective_from":"2026-01-01","standard_day":8,"daily_cap":-1,"rules":[{"id":"x"}]}"#,
    )
    .unwrap();
    let err = Engine::new(&book).err().unwrap();
    assert_eq!(err.field_errors().len(), 2);
}

#[test]
fn a_profile_from_another_engine_is_not_trusted() {
    let a = engine(
        "",
        &[
            fixed("named", r#"{"if":"person","any_of":["u1"]}"#, 3),
            otherwise(),
        ]
        .join(","),
    );
    let b = engine(
        "",
        &[
            otherwise(),
            fixed("named", r#"{"if":"person","any_of":["u1"]}"#, 3),
        ]
        .join(","),
    );
    let foreign = a.profile(&plain());
    assert_eq!(b.evaluate_profiled(&foreign, &workday()).hours, h("1"));
    assert_eq!(a.evaluate_profiled(&foreign, &workday()).hours, h("3"));
    assert_eq!(foreign.person().userid, "u1");
}

#[test]
fn explanations_name_the_rule_and_render_in_both_languages() {
    let e = engine(
        r#","daily_cap":10,"rounding":{"mode":"down","step":0.5}"#,
        r#"{"id":"std","name":"标准","then":{"do":"hours","base":{"from":"fixed","hours":8},"adjust":[
            {"by":"penalty","table":{"Late":1}},
            {"by":"approvals","op":"subtract","kinds":["leave"]},
            {"by":"approvals","op":"add","kinds":["overtime"]}]}}"#,
    );
    let mut day = workday();
    day.on_duty = TimeResult::Late;
    day.approvals = vec![
        with(ApprovalKind::Leave, Some("事假"), "1.25"),
        with(ApprovalKind::Overtime, None, "5"),
    ];
    let t = e.explain(&plain(), &day);
    assert_eq!(t.rule.as_ref().map(|r| r.id.as_str()), Some("std"));
    assert_eq!(t.hours, h("10"));
    let zh = t.zh();
    assert!(zh.contains("第 1 条规则「std 标准」"), "{zh}");
    assert!(zh.contains("上班迟到 −1 小时"), "{zh}");
    assert!(zh.contains("请假 −1.25 小时"), "{zh}");
    assert!(zh.contains("超过每日上限"), "{zh}");
    let en = t.en();
    assert!(en.contains("OnDuty Late −1 h"), "{en}");
    assert!(en.contains("overtime +5 h"), "{en}");
    assert!(en.contains("10.75 h capped at 10 h"), "{en}");
    assert!(en.ends_with("= 10 h, worked"), "{en}");
    // The trace is plain data: it survives JSON.
    let json = serde_json::to_string(&t).unwrap();
    let back: crate::explain::Trace = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
}
