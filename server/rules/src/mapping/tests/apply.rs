//! Applying compiled mappings.

use super::*;
use crate::explain::Lang;

fn default_mapping(kind: TargetKind) -> CompiledMapping {
    let book = MappingBook::default_for(kind);
    CompiledMapping::new(&book.versions[0], kind).unwrap()
}

#[test]
fn jira_gets_the_task_date_hours_and_comment_but_no_person() {
    let out = default_mapping(TargetKind::JiraCloud)
        .apply(&values())
        .unwrap();
    assert_eq!(
        out,
        MappedWorklog {
            person: None,
            project: None,
            task: Some("EX-1".into()),
            date: date("2026-03-02"),
            hours: h("6.5"),
            comment: "考勤同步 2026-03-02 worked".into(),
        }
    );
}

#[test]
fn tapd_gets_the_owner_too() {
    let m = default_mapping(TargetKind::Tapd);
    assert_eq!(m.kind(), TargetKind::Tapd);
    assert_eq!(m.effective_from(), date("2000-01-01"));
    let mut v = values();
    v.task = "task:1001";
    v.pm_user = "张三_nick";
    assert_eq!(
        m.apply(&v).unwrap(),
        MappedWorklog {
            person: Some("张三_nick".into()),
            project: None,
            task: Some("task:1001".into()),
            date: date("2026-03-02"),
            hours: h("6.5"),
            comment: "考勤同步 2026-03-02 worked".into(),
        }
    );
}

#[test]
fn redmine_fills_the_project_and_drops_an_empty_optional_issue() {
    let m = default_mapping(TargetKind::Redmine);
    let mut v = values();
    v.task = "";
    let out = m.apply(&v).unwrap();
    assert_eq!(out.project.as_deref(), Some("EX"));
    assert_eq!(out.person.as_deref(), Some("zhangsan"));
    assert_eq!(out.task, None);
}

#[test]
fn an_empty_required_value_is_an_error() {
    let m = default_mapping(TargetKind::Zentao);
    let mut v = values();
    v.pm_user = "  ";
    let err = m.apply(&v).unwrap_err();
    assert_eq!(err, MapError::Empty { target: "account" });
    assert_eq!(
        err.to_string(),
        "field `account` is required, but its value is empty"
    );
    assert_eq!(err.message(Lang::Zh), "字段 account 必填，但值为空");
}

#[test]
fn a_lookup_miss_without_default_names_the_value() {
    let lookup = Transform::Lookup {
        table: [("EX".to_owned(), "EX-100".to_owned())].into(),
        default: None,
    };
    let book = jira_with(|l| l[0] = line("issue", "project", Some(lookup)));
    let m = CompiledMapping::new(&book.versions[0], TargetKind::JiraCloud).unwrap();
    assert_eq!(m.apply(&values()).unwrap().task.as_deref(), Some("EX-100"));
    let mut other = values();
    other.project = "OPS";
    let err = m.apply(&other).unwrap_err();
    assert_eq!(
        err,
        MapError::NoLookupEntry {
            target: "issue",
            value: "OPS".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "the lookup table of field `issue` has no entry for `OPS` and no default"
    );
    assert_eq!(
        err.message(Lang::Zh),
        "字段 issue 的对照表中没有“OPS”，也没有默认值"
    );
}

#[test]
fn apply_into_reuses_the_worklog_and_clears_what_is_unmapped() {
    let m = default_mapping(TargetKind::JiraCloud);
    let mut out = MappedWorklog {
        person: Some("stale".into()),
        project: Some("stale".into()),
        task: Some("stale".into()),
        date: date("1999-01-01"),
        hours: h("99"),
        comment: "stale".into(),
    };
    m.apply_into(&values(), &mut out).unwrap();
    assert_eq!(out, m.apply(&values()).unwrap());
    let mut v = values();
    v.hours = h("1.5");
    v.work_date = date("2026-03-03");
    m.apply_into(&v, &mut out).unwrap();
    assert_eq!(out.hours, h("1.5"));
    assert_eq!(out.comment, "考勤同步 2026-03-03 worked");
}

#[test]
fn the_mapping_says_which_sources_it_reads() {
    let m = default_mapping(TargetKind::Redmine);
    for f in [
        SourceField::PmUser,
        SourceField::Project,
        SourceField::Task,
        SourceField::WorkDate,
        SourceField::Hours,
        SourceField::Status,
    ] {
        assert!(m.uses(f), "{f:?}");
    }
    for f in [
        SourceField::Explanation,
        SourceField::DayHours,
        SourceField::ApprovalIds,
    ] {
        assert!(!m.uses(f), "{f:?}");
    }
    let book = jira_with(|l| l[3] = line("comment", "", template("{explanation}")));
    let m = CompiledMapping::new(&book.versions[0], TargetKind::JiraCloud).unwrap();
    assert!(m.uses(SourceField::Explanation));
    assert!(!m.uses(SourceField::Status));
}

#[test]
fn day_hours_may_replace_the_line_hours() {
    let book = jira_with(|l| l[2] = line("timeSpentSeconds", "day_hours", None));
    let m = CompiledMapping::new(&book.versions[0], TargetKind::JiraCloud).unwrap();
    assert_eq!(m.apply(&values()).unwrap().hours, h("8"));
}
