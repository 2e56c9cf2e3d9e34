//! Splitting a person's day over projects.
//!
//! Three bases: fixed percentages (per person, else the first of their
//! departments that has defaults), the person's open tasks in the PM system
//! (each project weighs its number of open tasks), or the hours the person
//! already logged there this week (each project weighs its hours).
//!
//! Amounts are whole rounding steps distributed by the largest-remainder
//! method, so the lines always add up to exactly the day; when the day is not
//! a whole number of steps, the part below one step goes to the line with the
//! next largest remainder. Lines of zero hours are dropped. Each line names
//! the task (issue) it will be logged against: the share's task, the
//! project's first open task as listed, or the task with the most hours
//! logged in that project.
//!
//! [`Allocator`] keeps its scratch space between calls and writes lines that
//! borrow the project and task names, so a long run allocates nothing per day.

mod plan;
mod split;

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{FieldError, Problem, RulesError};
use crate::hours::Hours;
use crate::model::Person;

pub use plan::AllocationPlan;
pub use split::{allocate, Allocator, Basis, Line};

/// A percentage in hundredths of a percent (`Percent(3333)` = 33.33 %); JSON
/// is a number of percent (`33.33`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(pub u32);

impl Percent {
    /// 100 %.
    pub const WHOLE: Percent = Percent(10_000);
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(100) {
            serializer.serialize_u32(self.0 / 100)
        } else {
            serializer.serialize_f64(f64::from(self.0) / 100.0)
        }
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PercentVisitor)
    }
}

struct PercentVisitor;

impl Visitor<'_> for PercentVisitor {
    type Value = Percent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a percentage from 0 to 100")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Percent, E> {
        self.visit_f64(v as f64)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Percent, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Percent, E> {
        if !(0.0..=100.0).contains(&v) {
            return Err(E::custom("a percentage must be between 0 and 100"));
        }
        Ok(Percent((v * 100.0).round() as u32))
    }
}

/// One fixed share of a person's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// The project (its key in the PM system).
    pub project: String,
    /// The task / issue the hours are logged against.
    pub task: String,
    /// Its part of the day.
    pub percent: Percent,
}

/// Fixed shares per person, with department defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedShares {
    /// By DingTalk userid.
    #[serde(default)]
    pub people: BTreeMap<String, Vec<Share>>,
    /// By department id: for people without shares of their own.
    #[serde(default)]
    pub departments: BTreeMap<i64, Vec<Share>>,
}

impl FixedShares {
    /// The person's shares, else those of the first of their departments
    /// that has some.
    pub fn for_person(&self, person: &Person) -> Option<&[Share]> {
        if let Some(own) = self.people.get(&person.userid).filter(|s| !s.is_empty()) {
            return Some(own);
        }
        person
            .departments
            .iter()
            .find_map(|d| self.departments.get(d).filter(|s| !s.is_empty()))
            .map(Vec::as_slice)
    }

    /// Every problem: empty names, zero shares, lists not adding up to 100 %.
    pub fn validate(&self) -> Result<(), RulesError> {
        let mut errors = Vec::new();
        for (userid, shares) in &self.people {
            check_shares(shares, &format!("people.{userid}"), &mut errors);
        }
        for (dept, shares) in &self.departments {
            check_shares(shares, &format!("departments.{dept}"), &mut errors);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(RulesError::Invalid(errors))
        }
    }
}

fn check_shares(shares: &[Share], path: &str, errors: &mut Vec<FieldError>) {
    let mut total = 0u64;
    for (i, s) in shares.iter().enumerate() {
        if s.project.trim().is_empty() {
            errors.push(FieldError::new(
                format!("{path}[{i}].project"),
                Problem::Required,
            ));
        }
        if s.task.trim().is_empty() {
            errors.push(FieldError::new(
                format!("{path}[{i}].task"),
                Problem::Required,
            ));
        }
        if s.percent == Percent(0) || s.percent > Percent::WHOLE {
            errors.push(FieldError::new(
                format!("{path}[{i}].percent"),
                Problem::OutOfRange,
            ));
        }
        total += u64::from(s.percent.0);
    }
    if !shares.is_empty() && total != u64::from(Percent::WHOLE.0) {
        errors.push(FieldError::with_detail(
            path.to_owned(),
            Problem::SharesNot100,
            format!("{}", total as f64 / 100.0),
        ));
    }
}

/// An open task of the person in the PM system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenTask {
    /// Its project.
    pub project: String,
    /// Its key (the issue the hours go to).
    pub task: String,
}

/// Hours the person already logged on a task this week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedHours {
    /// The project.
    pub project: String,
    /// The task.
    pub task: String,
    /// Hours logged this week.
    pub hours: Hours,
}

/// How a person's day is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Fixed percentages.
    FixedShares,
    /// In proportion to open tasks per project.
    OpenTasks,
    /// In proportion to hours logged per project this week.
    LoggedThisWeek,
}

/// Splits `person`'s `day` by `method`; when that basis is empty, by
/// `fallback` (a fixed share list, e.g. the department default or one
/// "general" task). Fails when both are empty.
#[allow(clippy::too_many_arguments)]
pub fn allocate_person<'a>(
    allocator: &mut Allocator,
    person: &Person,
    day: Hours,
    step: Hours,
    method: Method,
    inputs: &'a Inputs,
    fallback: Option<&'a [Share]>,
    out: &mut Vec<Line<'a>>,
) -> Result<(), RulesError> {
    let basis = match method {
        Method::FixedShares => inputs
            .shares
            .for_person(person)
            .map_or(Basis::Shares(&[]), Basis::Shares),
        Method::OpenTasks => Basis::OpenTasks(
            inputs
                .open_tasks
                .get(&person.userid)
                .map_or(&[], Vec::as_slice),
        ),
        Method::LoggedThisWeek => {
            Basis::Logged(inputs.logged.get(&person.userid).map_or(&[], Vec::as_slice))
        }
    };
    if allocator.allocate(day, step, basis, out) {
        return Ok(());
    }
    if let Some(fallback) = fallback {
        if allocator.allocate(day, step, Basis::Shares(fallback), out) {
            return Ok(());
        }
    }
    Err(RulesError::NothingToAllocate {
        userid: person.userid.clone(),
    })
}

/// What allocation reads about everyone, gathered by the caller.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Fixed shares.
    pub shares: FixedShares,
    /// Open tasks by userid.
    pub open_tasks: BTreeMap<String, Vec<OpenTask>>,
    /// This week's logged hours by userid.
    pub logged: BTreeMap<String, Vec<LoggedHours>>,
}

#[cfg(test)]
mod tests;
