//! The engine: a validated, precompiled [`RuleBook`] that turns a person-day
//! into hours, a status and (on demand) an explanation.
//!
//! - [`Engine::evaluate`] is the fast path: no allocation, no panic on any
//!   input. Its [`Evaluation`] names the version and the rule that decided.
//! - [`Engine::profile`] precomputes what depends only on the person (person
//!   conditions, exceptions) for every version; [`Engine::evaluate_profiled`]
//!   then only checks the day. Use it for long runs (a month, a year).
//! - [`Engine::explain`] runs the same code with a recorder and returns a
//!   structured [`Trace`] that renders to Chinese or English.

mod compile;
mod run;

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;

use crate::error::RulesError;
use crate::explain::{self, Trace};
use crate::hours::Hours;
use crate::model::{DayAttendance, Person, PersonDay, TimeResult};
use crate::rules::{Rule, RuleBook, RuleSet, Status};

use compile::{CompiledRule, CompiledVersion};
use run::{Direct, RawStep, Who};

pub(crate) use run::RawStep as Step;

static NEXT_ENGINE_ID: AtomicU64 = AtomicU64::new(1);

/// A compiled rule book.
pub struct Engine {
    id: u64,
    /// Sorted by effective-from date.
    book: RuleBook,
    versions: Vec<CompiledVersion>,
}

/// What the engine decided for one person-day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluation {
    /// The day's hours: never negative, never above the version's cap.
    pub hours: Hours,
    /// The day's status ([`Status::Skipped`]: no worklog).
    pub status: Status,
    /// The effective-from date of the version used (`None`: no version was in
    /// force on that day).
    pub version: Option<NaiveDate>,
    /// The index of the rule that decided, in that version (`None`: no rule
    /// matched, or no version).
    pub rule: Option<u16>,
}

/// What depends only on the person, precomputed for every version.
#[derive(Debug, Clone)]
pub struct PersonProfile {
    engine: u64,
    person: Person,
    versions: Vec<VersionProfile>,
}

impl PersonProfile {
    /// The person this profile is for.
    pub fn person(&self) -> &Person {
        &self.person
    }
}

#[derive(Debug, Clone)]
struct VersionProfile {
    /// Bit per rule: person conditions hold and no exemption.
    applies: Vec<u64>,
    exceptions: u64,
    penalties: [Option<(Hours, u16)>; 7],
}

struct Profiled<'a>(&'a VersionProfile);

impl Who for Profiled<'_> {
    fn exceptions(&self) -> u64 {
        self.0.exceptions
    }

    #[inline]
    fn rule_applies(&self, index: usize, _: &CompiledRule) -> bool {
        self.0
            .applies
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    #[inline]
    fn penalty_override(&self, result: TimeResult) -> Option<(Hours, u16)> {
        self.0.penalties[result.index()]
    }
}

impl Engine {
    /// Validates and compiles `book`; refuses it with every field error.
    pub fn new(book: &RuleBook) -> Result<Engine, RulesError> {
        book.validate()?;
        let mut book = book.clone();
        book.versions.sort_by_key(|v| v.effective_from);
        let versions = book.versions.iter().map(compile::version).collect();
        Ok(Engine {
            id: NEXT_ENGINE_ID.fetch_add(1, Ordering::Relaxed),
            book,
            versions,
        })
    }

    /// The rule book, versions sorted by effective-from date.
    pub fn book(&self) -> &RuleBook {
        &self.book
    }

    /// The version in force on `date`.
    pub fn version_for(&self, date: NaiveDate) -> Option<&RuleSet> {
        self.version_index(date)
            .and_then(|i| self.book.versions.get(i))
    }

    /// The rule that decided `evaluation`, if any.
    pub fn rule(&self, evaluation: &Evaluation) -> Option<&Rule> {
        let version = self.version_for(evaluation.version?)?;
        version.rules.get(usize::from(evaluation.rule?))
    }

    fn version_index(&self, date: NaiveDate) -> Option<usize> {
        let after = self.versions.partition_point(|v| v.effective_from <= date);
        after.checked_sub(1)
    }

    /// Evaluates one person-day.
    pub fn evaluate(&self, day: &PersonDay) -> Evaluation {
        self.evaluate_for(&day.person, &day.attendance)
    }

    /// Evaluates `day` of `person`.
    pub fn evaluate_for(&self, person: &Person, day: &DayAttendance) -> Evaluation {
        let Some(vi) = self.version_index(day.date) else {
            return no_version();
        };
        let v = &self.versions[vi];
        let outcome = run::run(v, &Direct::new(person, v), day, &mut ());
        evaluation(v, outcome)
    }

    /// Precomputes the person-dependent part of every version for `person`.
    pub fn profile(&self, person: &Person) -> PersonProfile {
        let versions = self
            .versions
            .iter()
            .map(|v| {
                let direct = Direct::new(person, v);
                let mut applies = vec![0u64; v.rules.len().div_ceil(64)];
                for (i, rule) in v.rules.iter().enumerate() {
                    if direct.rule_applies(i, rule) {
                        applies[i / 64] |= 1 << (i % 64);
                    }
                }
                let mut penalties = [None; 7];
                for r in TimeResult::ALL {
                    penalties[r.index()] = direct.penalty_override(r);
                }
                VersionProfile {
                    applies,
                    exceptions: direct.exceptions,
                    penalties,
                }
            })
            .collect();
        PersonProfile {
            engine: self.id,
            person: person.clone(),
            versions,
        }
    }

    /// Evaluates `day` for the profiled person. A profile made by another
    /// engine is not trusted: the person is then evaluated directly.
    pub fn evaluate_profiled(&self, profile: &PersonProfile, day: &DayAttendance) -> Evaluation {
        let Some(vi) = self.version_index(day.date) else {
            return no_version();
        };
        let v = &self.versions[vi];
        let outcome = match profile.versions.get(vi) {
            Some(p) if profile.engine == self.id => run::run(v, &Profiled(p), day, &mut ()),
            _ => run::run(v, &Direct::new(&profile.person, v), day, &mut ()),
        };
        evaluation(v, outcome)
    }

    /// Evaluates `day` of `person` and explains it: which version, which rule
    /// and exceptions, and every step from the base to the final hours.
    pub fn explain(&self, person: &Person, day: &DayAttendance) -> Trace {
        let Some(vi) = self.version_index(day.date) else {
            return explain::build(None, person, day, &no_version(), &[]);
        };
        let v = &self.versions[vi];
        let mut steps: Vec<RawStep> = Vec::new();
        let outcome = run::run(v, &Direct::new(person, v), day, &mut steps);
        let evaluation = evaluation(v, outcome);
        explain::build(self.book.versions.get(vi), person, day, &evaluation, &steps)
    }
}

fn no_version() -> Evaluation {
    Evaluation {
        hours: Hours::ZERO,
        status: Status::Skipped,
        version: None,
        rule: None,
    }
}

fn evaluation(v: &CompiledVersion, outcome: run::Outcome) -> Evaluation {
    Evaluation {
        hours: outcome.hours,
        status: outcome.status,
        version: Some(v.effective_from),
        rule: outcome.rule,
    }
}

#[cfg(test)]
mod tests;
