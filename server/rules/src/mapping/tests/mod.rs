//! Tests of the field mapping: catalog, transforms, validation, applying,
//! versions and the JSON format.

mod apply;
mod transforms;
mod validate;

use chrono::NaiveDate;

use crate::error::{FieldError, Problem};
use crate::hours::Hours;

use super::*;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn h(text: &str) -> Hours {
    Hours::parse_decimal(text).unwrap()
}

/// A line from `source` (a key, or "" for none) to `target`.
fn line(target: &str, source: &str, transform: Option<Transform>) -> MappingLine {
    MappingLine {
        target: target.to_owned(),
        source: SourceField::from_key(source),
        transform,
    }
}

fn template(text: &str) -> Option<Transform> {
    Some(Transform::Template {
        template: text.to_owned(),
    })
}

fn constant(value: &str) -> Option<Transform> {
    Some(Transform::Constant {
        value: value.to_owned(),
    })
}

fn book_of(lines: Vec<MappingLine>) -> MappingBook {
    MappingBook {
        versions: vec![MappingVersion {
            effective_from: date("2026-01-01"),
            lines,
        }],
    }
}

/// The default Jira lines, with `edit` applied.
fn jira_with(edit: impl FnOnce(&mut Vec<MappingLine>)) -> MappingBook {
    let mut book = MappingBook::default_for(TargetKind::JiraCloud);
    edit(&mut book.versions[0].lines);
    book
}

/// Every (path, problem) of `book` for `kind`.
fn problems(book: &MappingBook, kind: TargetKind) -> Vec<(String, Problem)> {
    match book.validate(kind) {
        Ok(()) => Vec::new(),
        Err(e) => e
            .field_errors()
            .iter()
            .map(|f| (f.path.clone(), f.problem))
            .collect(),
    }
}

fn field_errors(book: &MappingBook, kind: TargetKind) -> Vec<FieldError> {
    book.validate(kind)
        .err()
        .map(|e| e.field_errors().to_vec())
        .unwrap_or_default()
}

/// One line's values: 张三's 2026-03-02, 6.5 h of 8 on EX/EX-1.
fn values() -> SourceValues<'static> {
    SourceValues {
        person_name: "张三",
        userid: "u100",
        unionid: "un100",
        pm_user: "zhangsan",
        job_title: "后端工程师",
        department: "研发部",
        work_date: date("2026-03-02"),
        hours: h("6.5"),
        day_hours: h("8"),
        status: "worked",
        explanation: "2026-03-02 工作日：基础 8 小时",
        project: "EX",
        task: "EX-1",
        approval_ids: "proc-1,proc-2",
    }
}

#[test]
fn every_catalog_has_unique_keys_and_roles_and_requires_date_and_hours() {
    for kind in TargetKind::ALL {
        let fields = target_fields(kind);
        for (i, f) in fields.iter().enumerate() {
            assert!(
                fields[..i]
                    .iter()
                    .all(|g| g.key != f.key && g.role != f.role),
                "{kind:?} {}",
                f.key
            );
            assert!(!f.label_zh.is_empty() && !f.label_en.is_empty());
            assert_eq!(target_field(kind, f.key), Some(f));
        }
        for role in [Role::Date, Role::Hours] {
            assert!(
                fields.iter().any(|f| f.role == role && f.required),
                "{kind:?} {role:?}"
            );
        }
        // Redmine alone logs on a project, the issue being optional.
        let task = fields.iter().find(|f| f.role == Role::Task);
        assert_eq!(
            task.map(|f| f.required),
            Some(kind != TargetKind::Redmine),
            "{kind:?}"
        );
        let comment = fields.iter().find(|f| f.role == Role::Comment);
        assert!(comment.is_some_and(|f| !f.required && f.value_type == ValueType::Text));
    }
    let jira = target_fields(TargetKind::JiraDataCenter);
    assert!(jira.iter().all(|f| f.role != Role::Person));
    assert_eq!(
        target_field(TargetKind::JiraCloud, "timeSpentSeconds").map(|f| f.value_type),
        Some(ValueType::Hours)
    );
    assert_eq!(
        target_field(TargetKind::Redmine, "issue_id").map(|f| f.required),
        Some(false)
    );
    assert_eq!(target_field(TargetKind::Tapd, "issue"), None);
}

#[test]
fn source_fields_have_keys_types_and_two_labels() {
    for f in SourceField::ALL {
        assert_eq!(SourceField::from_key(f.key()), Some(f));
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            format!("\"{}\"", f.key())
        );
        assert!(!f.label(crate::Lang::Zh).is_empty() && !f.label(crate::Lang::En).is_empty());
    }
    assert_eq!(SourceField::WorkDate.kind(), ValueType::Date);
    assert_eq!(SourceField::Hours.kind(), ValueType::Hours);
    assert_eq!(SourceField::DayHours.kind(), ValueType::Hours);
    assert_eq!(SourceField::ApprovalIds.kind(), ValueType::Text);
    assert_eq!(SourceField::from_key("Hours"), None);
}

#[test]
fn the_default_mapping_validates_and_compiles_for_every_system() {
    for kind in TargetKind::ALL {
        let book = MappingBook::default_for(kind);
        assert_eq!(book.validate(kind).ok(), Some(()), "{kind:?}");
        let compiled = CompiledMapping::new(&book.versions[0], kind);
        assert!(compiled.is_ok(), "{kind:?}: {:?}", compiled.err());
        // Every field of the catalog gets a line by default.
        assert_eq!(book.versions[0].lines.len(), target_fields(kind).len());
    }
}

#[test]
fn the_version_in_force_is_the_latest_started() {
    let version = |d: &str, task: &str| MappingVersion {
        effective_from: date(d),
        lines: vec![line("issue", task, None)],
    };
    let book = MappingBook {
        versions: vec![
            version("2026-03-01", "project"),
            version("2026-01-01", "task"),
        ],
    };
    let on = |d: &str| book.version_for(date(d)).map(|v| v.lines[0].source);
    assert_eq!(on("2025-12-31"), None);
    assert_eq!(on("2026-01-01"), Some(Some(SourceField::Task)));
    assert_eq!(on("2026-02-28"), Some(Some(SourceField::Task)));
    assert_eq!(on("2026-03-01"), Some(Some(SourceField::Project)));
    assert_eq!(on("2030-01-01"), Some(Some(SourceField::Project)));
}

#[test]
fn the_json_format_is_pinned() {
    let json = r#"{
  "versions": [
    {
      "effective_from": "2026-01-01",
      "lines": [
        {
          "target": "entity_id",
          "source": "project",
          "transform": {
            "kind": "lookup",
            "table": {
              "EX": "task:1001"
            },
            "default": "task:1000"
          }
        },
        {
          "target": "spentdate",
          "source": "work_date"
        },
        {
          "target": "timespent",
          "source": "hours"
        },
        {
          "target": "owner",
          "transform": {
            "kind": "constant",
            "value": "robot"
          }
        },
        {
          "target": "memo",
          "source": "work_date",
          "transform": {
            "kind": "date_format",
            "format": "%Y/%m/%d"
          }
        },
        {
          "target": "x",
          "transform": {
            "kind": "template",
            "template": "{{{status}}}"
          }
        }
      ]
    }
  ]
}"#;
    let book = MappingBook::from_json(json).unwrap();
    let lines = &book.versions[0].lines;
    assert_eq!(
        lines[0].transform,
        Some(Transform::Lookup {
            table: [("EX".to_owned(), "task:1001".to_owned())].into(),
            default: Some("task:1000".to_owned()),
        })
    );
    assert_eq!(lines[1], line("spentdate", "work_date", None));
    assert_eq!(lines[3], line("owner", "", constant("robot")));
    assert_eq!(lines[5], line("x", "", template("{{{status}}}")));
    assert_eq!(book.to_json().unwrap(), json);
    let again = MappingBook::from_json(&book.to_json().unwrap()).unwrap();
    assert_eq!(again, book);
    // Lines may be left out; unknown transform kinds are refused.
    let empty = MappingBook::from_json(r#"{"versions":[{"effective_from":"2026-01-01"}]}"#);
    assert_eq!(empty.unwrap().versions[0].lines, vec![]);
    let bad = r#"{"versions":[{"effective_from":"2026-01-01","lines":[{"target":"x","transform":{"kind":"upper"}}]}]}"#;
    assert!(MappingBook::from_json(bad).is_err());
}
