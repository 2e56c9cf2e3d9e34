//! Every validation problem, at its path.

use std::collections::BTreeMap;

use super::*;

fn has(problems: &[(String, Problem)], path: &str, problem: Problem) -> bool {
    problems.iter().any(|(p, q)| p == path && *q == problem)
}

#[test]
fn an_unknown_target_is_refused_at_the_line() {
    let book = jira_with(|l| l.push(line("user_id", "pm_user", None)));
    let errors = field_errors(&book, TargetKind::JiraCloud);
    assert_eq!(
        errors,
        vec![FieldError::with_detail(
            "versions[0].lines[4].target",
            Problem::UnknownTarget,
            "user_id"
        )]
    );
    // The same line is fine for Redmine's catalog (which has other problems).
    let redmine = problems(&book, TargetKind::Redmine);
    assert!(!has(
        &redmine,
        "versions[0].lines[4].target",
        Problem::UnknownTarget
    ));
    let empty = jira_with(|l| l.push(line(" ", "task", None)));
    assert_eq!(
        problems(&empty, TargetKind::JiraCloud),
        vec![("versions[0].lines[4].target".to_owned(), Problem::Required)]
    );
}

#[test]
fn two_lines_to_one_target_are_refused_at_the_second() {
    let book = jira_with(|l| l.push(line("issue", "project", None)));
    let errors = field_errors(&book, TargetKind::JiraCloud);
    assert_eq!(
        errors,
        vec![FieldError::with_detail(
            "versions[0].lines[4].target",
            Problem::TargetMappedTwice,
            "issue"
        )]
    );
}

#[test]
fn a_line_needs_a_source_unless_it_is_a_template_or_constant() {
    let book = jira_with(|l| l[0] = line("issue", "", None));
    assert_eq!(
        problems(&book, TargetKind::JiraCloud),
        vec![("versions[0].lines[0].source".to_owned(), Problem::NoSource)]
    );
    let lookup = Transform::Lookup {
        table: [("a".to_owned(), "b".to_owned())].into(),
        default: None,
    };
    let book = jira_with(|l| l[0] = line("issue", "", Some(lookup)));
    assert_eq!(
        problems(&book, TargetKind::JiraCloud),
        vec![("versions[0].lines[0].source".to_owned(), Problem::NoSource)]
    );
    let fine = jira_with(|l| l[0] = line("issue", "", constant("EX-9")));
    assert_eq!(problems(&fine, TargetKind::JiraCloud), vec![]);
}

#[test]
fn types_must_fit_the_target() {
    // Text straight into a date field.
    let book = jira_with(|l| l[1] = line("started", "person_name", None));
    assert_eq!(
        field_errors(&book, TargetKind::JiraCloud),
        vec![FieldError::with_detail(
            "versions[0].lines[1].source",
            Problem::TypeMismatch,
            "text → date"
        )]
    );
    // Hours into a date field, a date into an hours field.
    let book = jira_with(|l| {
        l[1] = line("started", "day_hours", None);
        l[2] = line("timeSpentSeconds", "work_date", None);
    });
    let p = problems(&book, TargetKind::JiraCloud);
    assert!(has(
        &p,
        "versions[0].lines[1].source",
        Problem::TypeMismatch
    ));
    assert!(has(
        &p,
        "versions[0].lines[2].source",
        Problem::TypeMismatch
    ));
    // Template, lookup and date format give text: not for hours or dates.
    let lookup = Transform::Lookup {
        table: [("8".to_owned(), "8".to_owned())].into(),
        default: None,
    };
    let format = Transform::DateFormat {
        format: "%Y-%m-%d".into(),
    };
    let book = jira_with(|l| {
        l[1] = line("started", "work_date", Some(format));
        l[2] = line("timeSpentSeconds", "hours", Some(lookup));
        l[3] = line("comment", "", template("{hours}"));
    });
    let p = problems(&book, TargetKind::JiraCloud);
    assert_eq!(
        p,
        vec![
            (
                "versions[0].lines[1].transform".to_owned(),
                Problem::TypeMismatch
            ),
            (
                "versions[0].lines[2].transform".to_owned(),
                Problem::TypeMismatch
            ),
        ]
    );
    let book = jira_with(|l| l[2] = line("timeSpentSeconds", "", template("{hours}")));
    assert!(has(
        &problems(&book, TargetKind::JiraCloud),
        "versions[0].lines[2].transform",
        Problem::TypeMismatch
    ));
    // Anything goes into text: dates and hours are written out.
    let book = jira_with(|l| {
        l[0] = line("issue", "day_hours", None);
        l[3] = line("comment", "work_date", None);
    });
    assert_eq!(problems(&book, TargetKind::JiraCloud), vec![]);
}

#[test]
fn a_date_format_needs_a_date_source_and_a_valid_format() {
    let format = |f: &str| {
        Some(Transform::DateFormat {
            format: f.to_owned(),
        })
    };
    let book = jira_with(|l| l[3] = line("comment", "status", format("%Y")));
    assert_eq!(
        field_errors(&book, TargetKind::JiraCloud),
        vec![FieldError::with_detail(
            "versions[0].lines[3].source",
            Problem::DateFormatNeedsDate,
            "status"
        )]
    );
    for bad in ["%Q", "%", "%H:%M", "%z", "%Y-%m-%d %.3f"] {
        let book = jira_with(|l| l[3] = line("comment", "work_date", format(bad)));
        assert_eq!(
            field_errors(&book, TargetKind::JiraCloud),
            vec![FieldError::with_detail(
                "versions[0].lines[3].transform.format",
                Problem::InvalidDateFormat,
                bad
            )],
            "{bad}"
        );
    }
    let book = jira_with(|l| l[3] = line("comment", "work_date", format("")));
    assert_eq!(
        problems(&book, TargetKind::JiraCloud),
        vec![(
            "versions[0].lines[3].transform.format".to_owned(),
            Problem::Required
        )]
    );
    let book = jira_with(|l| l[3] = line("comment", "work_date", format("%Y年%m月%d日 %A")));
    assert_eq!(problems(&book, TargetKind::JiraCloud), vec![]);
}

#[test]
fn template_problems_name_the_placeholder() {
    let book = jira_with(|l| l[3] = line("comment", "", template("{work_date} {nope} {Status}")));
    assert_eq!(
        field_errors(&book, TargetKind::JiraCloud),
        vec![
            FieldError::with_detail(
                "versions[0].lines[3].transform.template",
                Problem::UnknownPlaceholder,
                "nope"
            ),
            FieldError::with_detail(
                "versions[0].lines[3].transform.template",
                Problem::UnknownPlaceholder,
                "Status"
            ),
        ]
    );
    let book = jira_with(|l| l[3] = line("comment", "", template("a } b")));
    assert_eq!(
        field_errors(&book, TargetKind::JiraCloud),
        vec![FieldError::with_detail(
            "versions[0].lines[3].transform.template",
            Problem::UnbalancedBrace,
            "}"
        )]
    );
    let book = jira_with(|l| l[3] = line("comment", "", template("a {work_date")));
    assert_eq!(
        field_errors(&book, TargetKind::JiraCloud),
        vec![FieldError::with_detail(
            "versions[0].lines[3].transform.template",
            Problem::UnbalancedBrace,
            "{work_date"
        )]
    );
}

#[test]
fn an_empty_lookup_table_is_refused() {
    let lookup = Transform::Lookup {
        table: BTreeMap::new(),
        default: Some("EX-0".into()),
    };
    let book = jira_with(|l| l[0] = line("issue", "project", Some(lookup)));
    assert_eq!(
        problems(&book, TargetKind::JiraCloud),
        vec![(
            "versions[0].lines[0].transform.table".to_owned(),
            Problem::EmptyLookup
        )]
    );
}

#[test]
fn constants_must_read_as_the_target_type() {
    let cases = [
        ("started", "2026/03/02", Problem::BadConstant),
        ("started", "yesterday", Problem::BadConstant),
        ("timeSpentSeconds", "eight", Problem::BadConstant),
        ("timeSpentSeconds", "-1", Problem::Negative),
        ("timeSpentSeconds", "25", Problem::OutOfRange),
        ("issue", " ", Problem::Required),
    ];
    for (target, value, problem) in cases {
        let book = jira_with(|l| {
            let i = l.iter().position(|x| x.target == target).unwrap();
            l[i] = line(target, "", constant(value));
        });
        let errors = field_errors(&book, TargetKind::JiraCloud);
        assert_eq!(errors.len(), 1, "{target} {value}: {errors:?}");
        assert!(errors[0].path.ends_with(".transform.value"), "{errors:?}");
        assert_eq!(errors[0].problem, problem, "{target} {value}");
    }
    let book = jira_with(|l| {
        l[1] = line("started", "", constant("2026-03-02"));
        l[2] = line("timeSpentSeconds", "", constant("1.25"));
        l[3] = line("comment", "", constant(""));
    });
    assert_eq!(problems(&book, TargetKind::JiraCloud), vec![]);
}

#[test]
fn required_fields_need_a_line() {
    let book = jira_with(|l| {
        l.remove(0);
    });
    assert_eq!(
        field_errors(&book, TargetKind::JiraCloud),
        vec![FieldError::with_detail(
            "versions[0].targets.issue",
            Problem::RequiredFieldUnmapped,
            "issue"
        )]
    );
    // An optional field may stay unmapped.
    let book = jira_with(|l| {
        l.pop();
    });
    assert_eq!(problems(&book, TargetKind::JiraCloud), vec![]);
    // Jira's mapping lacks TAPD's person and misnames the rest.
    let p = problems(
        &MappingBook::default_for(TargetKind::JiraCloud),
        TargetKind::Tapd,
    );
    assert!(has(
        &p,
        "versions[0].targets.owner",
        Problem::RequiredFieldUnmapped
    ));
    assert_eq!(p.len(), 4 + 4, "{p:?}");
}

#[test]
fn versions_need_distinct_dates_and_a_book_needs_one() {
    let mut book = MappingBook::default_for(TargetKind::Tapd);
    book.versions.push(book.versions[0].clone());
    assert_eq!(
        field_errors(&book, TargetKind::Tapd),
        vec![FieldError::with_detail(
            "versions[1].effective_from",
            Problem::OverlappingEffectiveDates,
            "versions[0]"
        )]
    );
    assert_eq!(
        problems(&MappingBook::default(), TargetKind::Tapd),
        vec![("versions".to_owned(), Problem::NoVersions)]
    );
}

#[test]
fn every_problem_is_listed_at_once() {
    let book = book_of(vec![
        line("issue", "", template("{x}")),
        line("started", "status", None),
        line("started", "work_date", None),
        line("bogus", "task", None),
    ]);
    let p = problems(&book, TargetKind::JiraCloud);
    assert_eq!(
        p,
        vec![
            (
                "versions[0].lines[0].transform.template".to_owned(),
                Problem::UnknownPlaceholder
            ),
            (
                "versions[0].lines[1].source".to_owned(),
                Problem::TypeMismatch
            ),
            (
                "versions[0].lines[2].target".to_owned(),
                Problem::TargetMappedTwice
            ),
            (
                "versions[0].lines[3].target".to_owned(),
                Problem::UnknownTarget
            ),
            (
                "versions[0].targets.timeSpentSeconds".to_owned(),
                Problem::RequiredFieldUnmapped
            ),
        ]
    );
}

#[test]
fn compiling_a_version_reports_paths_relative_to_it() {
    let version = MappingVersion {
        effective_from: date("2026-01-01"),
        lines: vec![line("issue", "task", None), line("started", "task", None)],
    };
    let err = CompiledMapping::new(&version, TargetKind::JiraCloud).err();
    let paths: Vec<(String, Problem)> = err
        .map(|e| {
            e.field_errors()
                .iter()
                .map(|f| (f.path.clone(), f.problem))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        paths,
        vec![
            ("lines[1].source".to_owned(), Problem::TypeMismatch),
            (
                "targets.timeSpentSeconds".to_owned(),
                Problem::RequiredFieldUnmapped
            ),
        ]
    );
    assert!(version.validate(TargetKind::JiraCloud).is_err());
}

#[test]
fn new_problems_have_both_languages() {
    for p in [
        Problem::UnknownTarget,
        Problem::TargetMappedTwice,
        Problem::NoSource,
        Problem::TypeMismatch,
        Problem::DateFormatNeedsDate,
        Problem::InvalidDateFormat,
        Problem::UnknownPlaceholder,
        Problem::UnbalancedBrace,
        Problem::EmptyLookup,
        Problem::BadConstant,
        Problem::RequiredFieldUnmapped,
    ] {
        let (zh, en) = p.message();
        assert!(!zh.is_empty() && !en.is_empty(), "{p:?}");
        let code = serde_json::to_string(&p).unwrap();
        assert!(code
            .chars()
            .all(|c| c == '"' || c == '_' || c.is_ascii_lowercase()));
    }
}
