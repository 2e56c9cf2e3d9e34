//! One evaluated person-day → its worklog lines: the day's hours split by
//! the allocation plan, each share mapped into the target's worklog fields,
//! and each line keyed by HourBridge's external id. The preview shows these
//! lines; the sync pushes them.

use chrono::NaiveDate;
use hourbridge_pm::{ExternalId, ItemRef};
use hourbridge_rules::allocation::{self, AllocationPlan, Allocator, Inputs, Line};
use hourbridge_rules::mapping::{CompiledMapping, MapError, MappedWorklog, SourceValues};
use hourbridge_rules::{Hours, Person};

use crate::push_plan::Desired;

/// What is known of one evaluated day, apart from the lines.
#[derive(Debug, Clone, Copy)]
pub struct DayFacts<'a> {
    pub person: &'a Person,
    pub person_name: &'a str,
    /// The PM user the person is matched to (`""`: none).
    pub pm_user: &'a str,
    pub job_title: &'a str,
    /// Department name(s).
    pub department: &'a str,
    pub date: NaiveDate,
    /// The day's hours after the rules.
    pub hours: Hours,
    /// The day's status, as worklog texts show it.
    pub status: &'a str,
    pub explanation: &'a str,
    /// Approval instances touching the day, comma-separated.
    pub approval_ids: &'a str,
}

/// One worklog line of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputedLine {
    /// The allocation's project and task.
    pub project: String,
    pub task: String,
    pub hours: Hours,
    /// The target's fields, as the mapping filled them.
    pub worklog: MappedWorklog,
}

/// Why a day gives no lines.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DayProblem {
    /// No share, no open task, no logged hours and no fallback.
    #[error("{0}")]
    NothingToAllocate(String),
    /// A line's value could not be mapped (a lookup miss, an empty
    /// required value).
    #[error("{0}")]
    Mapping(#[from] MapError),
}

/// The day's lines: `inputs` are what the plan's method reads (shares, open
/// tasks, hours logged that week); `mapping` is the version in force on the
/// day. A day of zero hours gives no lines.
pub fn day_lines(
    allocator: &mut Allocator,
    plan: &AllocationPlan,
    inputs: &Inputs,
    mapping: &CompiledMapping,
    day: &DayFacts<'_>,
) -> Result<Vec<ComputedLine>, DayProblem> {
    if day.hours <= Hours::ZERO {
        return Ok(Vec::new());
    }
    let fallback = (!plan.fallback.is_empty()).then_some(plan.fallback.as_slice());
    let mut split: Vec<Line<'_>> = Vec::new();
    allocation::allocate_person(
        allocator,
        day.person,
        day.hours,
        plan.step,
        plan.method,
        inputs,
        fallback,
        &mut split,
    )
    .map_err(|e| DayProblem::NothingToAllocate(e.to_string()))?;
    split
        .iter()
        .map(|line| {
            let values = SourceValues {
                person_name: day.person_name,
                userid: &day.person.userid,
                unionid: "",
                pm_user: day.pm_user,
                job_title: day.job_title,
                department: day.department,
                work_date: day.date,
                hours: line.hours,
                day_hours: day.hours,
                status: day.status,
                explanation: day.explanation,
                project: line.project,
                task: line.task,
                approval_ids: day.approval_ids,
            };
            Ok(ComputedLine {
                project: line.project.to_owned(),
                task: line.task.to_owned(),
                hours: line.hours,
                worklog: mapping.apply(&values)?,
            })
        })
        .collect()
}

impl ComputedLine {
    /// The line as the push writes it, keyed by (person, day, item).
    pub fn desired(&self, userid: &str) -> Desired {
        let item = ItemRef {
            project: self
                .worklog
                .project
                .clone()
                .unwrap_or_else(|| self.project.clone()),
            task: self.worklog.task.clone(),
        };
        let seconds = self.worklog.hours.seconds().max(0);
        Desired {
            external_id: ExternalId::new(userid, self.worklog.date, &item.id_part()),
            person: self.worklog.person.clone().unwrap_or_default(),
            item,
            date: self.worklog.date,
            minutes: u32::try_from((seconds + 30) / 60).unwrap_or(u32::MAX),
            comment: self.worklog.comment.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourbridge_pm::TargetKind;
    use hourbridge_rules::allocation::{Percent, Share};
    use hourbridge_rules::mapping::MappingBook;

    fn h(x: &str) -> Hours {
        Hours::parse_decimal(x).unwrap()
    }

    fn plan(shares: &[(&str, &str, u32)]) -> AllocationPlan {
        AllocationPlan {
            fallback: shares
                .iter()
                .map(|(p, t, pct)| Share {
                    project: (*p).into(),
                    task: (*t).into(),
                    percent: Percent(pct * 100),
                })
                .collect(),
            ..AllocationPlan::default()
        }
    }

    fn facts<'a>(person: &'a Person, hours: &str) -> DayFacts<'a> {
        DayFacts {
            person,
            person_name: "王小明",
            pm_user: "acc-1",
            job_title: "工程师",
            department: "研发部",
            date: "2026-11-02".parse().unwrap(),
            hours: h(hours),
            status: "正常出勤",
            explanation: "",
            approval_ids: "",
        }
    }

    #[test]
    fn a_day_becomes_mapped_lines_that_sum_to_it_each_with_its_external_id() {
        let person = Person {
            userid: "u1".into(),
            title: None,
            departments: vec![],
        };
        let book = MappingBook::default_for(TargetKind::JiraCloud);
        let mapping = CompiledMapping::new(&book.versions[0], TargetKind::JiraCloud).unwrap();
        let lines = day_lines(
            &mut Allocator::new(),
            &plan(&[("EX", "EX-1", 60), ("OPS", "OPS-7", 40)]),
            &Inputs::default(),
            &mapping,
            &facts(&person, "7.5"),
        )
        .unwrap();
        assert_eq!(lines.len(), 2);
        let total: i64 = lines.iter().map(|l| l.hours.seconds()).sum();
        assert_eq!(total, h("7.5").seconds());
        let first = lines[0].desired("u1");
        assert_eq!(first.item.task.as_deref(), Some("EX-1"));
        assert_eq!(first.minutes, 270);
        assert_eq!(first.external_id, ExternalId::new("u1", first.date, "EX-1"));
        assert!(first.comment.contains("2026-11-02"), "{}", first.comment);
    }

    #[test]
    fn no_hours_no_lines_and_nothing_to_allocate_is_named() {
        let person = Person {
            userid: "u1".into(),
            title: None,
            departments: vec![],
        };
        let book = MappingBook::default_for(TargetKind::JiraCloud);
        let mapping = CompiledMapping::new(&book.versions[0], TargetKind::JiraCloud).unwrap();
        let none = day_lines(
            &mut Allocator::new(),
            &plan(&[]),
            &Inputs::default(),
            &mapping,
            &facts(&person, "0"),
        )
        .unwrap();
        assert!(none.is_empty());
        let err = day_lines(
            &mut Allocator::new(),
            &plan(&[]),
            &Inputs::default(),
            &mapping,
            &facts(&person, "8"),
        )
        .unwrap_err();
        assert!(matches!(err, DayProblem::NothingToAllocate(_)), "{err}");
    }
}
