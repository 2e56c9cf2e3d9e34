//! Validation: each problem at its path.

use crate::error::Problem;
use crate::rules::RuleBook;

fn problems(json: &str) -> Vec<(String, Problem)> {
    let book = RuleBook::from_json(json).unwrap();
    match book.validate() {
        Ok(()) => vec![],
        Err(e) => e
            .field_errors()
            .iter()
            .map(|f| (f.path.clone(), f.problem))
            .collect(),
    }
}

const OK_RULE: &str = r#"{"id":"r","then":{"do":"hours","base":{"from":"fixed","hours":8}}}"#;

fn version(extra: &str, rules: &str) -> String {
    format!(
        r#"{{"effective_from":"2026-01-01","standard_day":8,"leave_types":["病假","事假"]{extra},"rules":[{rules}]}}"#
    )
}

#[test]
fn a_sound_version_passes() {
    assert_eq!(problems(&version("", OK_RULE)), vec![]);
}

#[test]
fn a_rule_without_outcome_is_refused_at_its_then() {
    assert_eq!(
        problems(&version("", r#"{"id":"r","when":[]}"#)),
        vec![("versions[0].rules[0].then".into(), Problem::NoOutcome)]
    );
}

#[test]
fn negative_cap_and_zero_step_are_refused() {
    let p = problems(&version(
        r#","daily_cap":-1,"rounding":{"mode":"down","step":0}"#,
        OK_RULE,
    ));
    assert_eq!(
        p,
        vec![
            ("versions[0].daily_cap".into(), Problem::NegativeCap),
            ("versions[0].rounding.step".into(), Problem::ZeroStep),
        ]
    );
}

#[test]
fn overlapping_effective_dates_are_refused() {
    let v = version("", OK_RULE);
    let p = problems(&format!(r#"{{"versions":[{v},{v}]}}"#));
    assert_eq!(
        p,
        vec![(
            "versions[1].effective_from".into(),
            Problem::OverlappingEffectiveDates
        )]
    );
}

#[test]
fn unknown_leave_types_are_refused_where_they_are_named() {
    let rule = r#"{"id":"r","when":[{"if":"approval","kinds":["leave"],"leave_types":["病假","婚嫁"],"compare":">=","hours":8}],
        "then":{"do":"hours","base":{"from":"fixed","hours":8},"adjust":[{"by":"approvals","op":"subtract","kinds":["overtime"],"leave_types":["病假"]}]}}"#;
    let p = problems(&version("", rule));
    assert_eq!(
        p,
        vec![
            (
                "versions[0].rules[0].when[0].leave_types[1]".into(),
                Problem::UnknownLeaveType
            ),
            (
                "versions[0].rules[0].then.adjust[0].leave_types".into(),
                Problem::LeaveTypesWithoutLeave
            ),
        ]
    );
}

#[test]
fn empty_choices_negative_amounts_and_bad_windows_are_refused() {
    let rule = r#"{"id":"r","when":[{"if":"day_type","any_of":[]},{"if":"title","any_of":[" "]},
        {"if":"approval","kinds":[],"compare":">","hours":-1}],
        "then":{"do":"hours","base":{"from":"punches","breaks":[{"from":"13:00","to":"12:00"}]},
        "adjust":[{"by":"penalty","table":{"Late":-1}}]}}"#;
    let p = problems(&version("", rule));
    assert_eq!(
        p,
        vec![
            (
                "versions[0].rules[0].when[0].any_of".into(),
                Problem::EmptyChoice
            ),
            (
                "versions[0].rules[0].when[1].any_of[0]".into(),
                Problem::Required
            ),
            (
                "versions[0].rules[0].when[2].hours".into(),
                Problem::Negative
            ),
            (
                "versions[0].rules[0].when[2].kinds".into(),
                Problem::EmptyChoice
            ),
            (
                "versions[0].rules[0].then.base.breaks[0].to".into(),
                Problem::EmptyWindow
            ),
            (
                "versions[0].rules[0].then.adjust[0].table.Late".into(),
                Problem::Negative
            ),
        ]
    );
}

#[test]
fn ids_must_be_present_and_unique() {
    let rules = format!(r#"{OK_RULE},{OK_RULE},{{"id":"","then":{{"do":"skip"}}}}"#);
    let p = problems(&version("", &rules));
    assert_eq!(
        p,
        vec![
            ("versions[0].rules[1].id".into(), Problem::Duplicate),
            ("versions[0].rules[2].id".into(), Problem::Required),
        ]
    );
}

#[test]
fn exceptions_must_name_someone_change_something_and_cite_real_rules() {
    let ex = r#","exceptions":[{"id":"e1"},{"id":"e2","titles":["外勤"],"exempt_from":["nope"]}]"#;
    let p = problems(&version(ex, OK_RULE));
    assert_eq!(
        p,
        vec![
            ("versions[0].exceptions[0]".into(), Problem::NobodyNamed),
            ("versions[0].exceptions[0]".into(), Problem::NoEffect),
            (
                "versions[0].exceptions[1].exempt_from[0]".into(),
                Problem::UnknownRule
            ),
        ]
    );
}

#[test]
fn empty_books_and_versions_and_absurd_days_are_refused() {
    assert_eq!(
        problems(r#"{"versions":[]}"#),
        vec![("versions".into(), Problem::NoVersions)]
    );
    let p =
        problems(r#"{"effective_from":"2026-01-01","standard_day":0,"daily_cap":25,"rules":[]}"#);
    assert_eq!(
        p,
        vec![
            ("versions[0].standard_day".into(), Problem::OutOfRange),
            ("versions[0].daily_cap".into(), Problem::OutOfRange),
            ("versions[0].rules".into(), Problem::NoRules),
        ]
    );
}
