//! Each transform on its own, and through a mapping.

use super::*;

fn render(text: &str) -> String {
    let t = CompiledTemplate::compile(text).unwrap();
    let mut out = String::new();
    t.render(&values(), &mut out);
    out
}

#[test]
fn templates_fill_placeholders_and_unescape_braces() {
    assert_eq!(
        render("考勤同步 {work_date} {status}"),
        "考勤同步 2026-03-02 worked"
    );
    assert_eq!(
        render("{person_name}({userid}/{unionid}) {hours}/{day_hours}h"),
        "张三(u100/un100) 6.5/8h"
    );
    assert_eq!(render("{{literal}} {{{task}}}"), "{literal} {EX-1}");
    assert_eq!(render("}}{{"), "}{");
    assert_eq!(render(""), "");
    assert_eq!(render("plain"), "plain");
    let every: String = SourceField::ALL
        .iter()
        .map(|f| format!("{{{}}}", f.key()))
        .collect();
    let t = CompiledTemplate::compile(&every).unwrap();
    assert_eq!(t.placeholders().collect::<Vec<_>>(), SourceField::ALL);
}

#[test]
fn template_errors_list_every_problem() {
    assert_eq!(
        CompiledTemplate::compile("{a} {work_date} {} }"),
        Err(vec![
            TemplateError::UnknownPlaceholder("a".into()),
            TemplateError::UnknownPlaceholder(String::new()),
            TemplateError::UnbalancedBrace("}".into()),
        ])
    );
    let err = CompiledTemplate::compile("ok {status").unwrap_err();
    assert_eq!(err, vec![TemplateError::UnbalancedBrace("{status".into())]);
    assert_eq!(err[0].problem(), Problem::UnbalancedBrace);
    assert_eq!(err[0].detail(), "{status");
    assert_eq!(err[0].to_string(), "unbalanced brace at `{status`");
    let err = CompiledTemplate::compile("{nope}").unwrap_err();
    assert_eq!(err[0].to_string(), "unknown placeholder `{nope}`");
}

#[test]
fn date_formats_are_checked_once_and_write_any_date() {
    let f = CompiledDateFormat::compile("%Y/%m/%d").unwrap();
    let mut out = String::new();
    f.write(date("2026-03-02"), &mut out).unwrap();
    assert_eq!(out, "2026/03/02");
    let f = CompiledDateFormat::compile("%Y年%-m月%-d日 %a").unwrap();
    out.clear();
    f.write(date("2026-03-02"), &mut out).unwrap();
    assert_eq!(out, "2026年3月2日 Mon");
    for extreme in [NaiveDate::MIN, NaiveDate::MAX] {
        out.clear();
        assert!(f.write(extreme, &mut out).is_ok());
    }
    for bad in ["%Q", "%", "%H", "%M:%S", "%z", "%s", "%c", "%+"] {
        assert!(CompiledDateFormat::compile(bad).is_none(), "{bad}");
    }
}

#[test]
fn each_transform_through_a_mapping() {
    let table = [
        ("EX".to_owned(), "task:1001".to_owned()),
        ("8".to_owned(), "full day".to_owned()),
    ];
    let book = book_of(vec![
        line(
            "entity_id",
            "project",
            Some(Transform::Lookup {
                table: table.into(),
                default: None,
            }),
        ),
        line("spentdate", "", constant("2026-03-31")),
        line("timespent", "", constant("1.25")),
        line("owner", "", constant("robot")),
        line(
            "memo",
            "work_date",
            Some(Transform::DateFormat {
                format: "%d.%m.%Y".into(),
            }),
        ),
    ]);
    let m = CompiledMapping::new(&book.versions[0], TargetKind::Tapd).unwrap();
    let out = m.apply(&values()).unwrap();
    assert_eq!(
        out,
        MappedWorklog {
            person: Some("robot".into()),
            project: None,
            task: Some("task:1001".into()),
            date: date("2026-03-31"),
            hours: h("1.25"),
            comment: "02.03.2026".into(),
        }
    );
    // A lookup reads hours and dates as text.
    let book = book_of(vec![
        line("entity_id", "task", None),
        line("spentdate", "work_date", None),
        line("timespent", "hours", None),
        line("owner", "pm_user", None),
        line(
            "memo",
            "day_hours",
            Some(Transform::Lookup {
                table: [("8".to_owned(), "full day".to_owned())].into(),
                default: Some("part of the day".into()),
            }),
        ),
    ]);
    let m = CompiledMapping::new(&book.versions[0], TargetKind::Tapd).unwrap();
    assert_eq!(m.apply(&values()).unwrap().comment, "full day");
    let mut half = values();
    half.day_hours = h("4");
    assert_eq!(m.apply(&half).unwrap().comment, "part of the day");
}
