//! Explanations: a structured [`Trace`] of one evaluated day (stored as JSON
//! next to the worklog, shown in the preview) and its rendering to Chinese
//! or English text, built only when asked for.

mod render;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::engine::{Evaluation, Step};
use crate::hours::Hours;
use crate::model::{ApprovalKind, DayAttendance, DayType, Person, PunchTime, TimeResult};
use crate::rules::{Adjustment, Op, Outcome, RoundingMode, RuleSet, Status};

/// A language for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}

/// A rule or exception, by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    /// Its 1-based position in its list.
    pub number: usize,
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// How one day's hours were reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    /// Whose day.
    pub userid: String,
    /// Which day.
    pub date: NaiveDate,
    /// Its type.
    pub day_type: DayType,
    /// The result.
    pub hours: Hours,
    /// The status.
    pub status: Status,
    /// The effective-from date of the version used.
    pub version: Option<NaiveDate>,
    /// The version's name.
    #[serde(default)]
    pub version_name: String,
    /// The rule that decided.
    pub rule: Option<Named>,
    /// Exceptions that cover the person.
    #[serde(default)]
    pub exceptions: Vec<Named>,
    /// From the base to the result.
    pub steps: Vec<TraceStep>,
}

/// OnDuty or OffDuty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckPoint {
    /// The OnDuty check.
    OnDuty,
    /// The OffDuty check.
    OffDuty,
}

/// One step of a [`Trace`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceStep {
    /// No version was in force on the day.
    NoVersion,
    /// No rule's conditions held.
    NoRuleMatched,
    /// The rule skips the day.
    Skip,
    /// A fixed base.
    Fixed { hours: Hours },
    /// A base from the punches.
    Punches {
        on_duty_at: Option<PunchTime>,
        off_duty_at: Option<PunchTime>,
        worked: Hours,
        breaks: Hours,
    },
    /// A punch result's penalty.
    Penalty {
        check: CheckPoint,
        result: TimeResult,
        hours: Hours,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exception: Option<String>,
    },
    /// Approval hours added or subtracted.
    Approvals {
        op: Op,
        kinds: Vec<ApprovalKind>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        leave_types: Vec<String>,
        hours: Hours,
    },
    /// The running total went below zero and was raised to zero.
    Floor { from: Hours },
    /// The daily cap applied.
    Cap { from: Hours, to: Hours },
    /// Rounding applied.
    Round {
        mode: RoundingMode,
        step: Hours,
        from: Hours,
        to: Hours,
    },
    /// Rounding went above the cap; rounded down under it instead.
    CapAfterRounding { from: Hours, to: Hours },
}

/// Turns recorded steps into a trace with names.
pub(crate) fn build(
    version: Option<&RuleSet>,
    person: &Person,
    day: &DayAttendance,
    evaluation: &Evaluation,
    raw: &[Step],
) -> Trace {
    let mut trace = Trace {
        userid: person.userid.clone(),
        date: day.date,
        day_type: day.day_type,
        hours: evaluation.hours,
        status: evaluation.status,
        version: evaluation.version,
        version_name: version.map(|v| v.name.clone()).unwrap_or_default(),
        rule: None,
        exceptions: Vec::new(),
        steps: Vec::new(),
    };
    let Some(version) = version else {
        trace.steps.push(TraceStep::NoVersion);
        return trace;
    };
    let exception_name = |i: u16| {
        version
            .exceptions
            .get(usize::from(i))
            .map(|e| {
                if e.name.is_empty() {
                    e.id.clone()
                } else {
                    e.name.clone()
                }
            })
            .unwrap_or_default()
    };
    let rule = evaluation
        .rule
        .and_then(|i| version.rules.get(usize::from(i)));
    for step in raw {
        let step = match *step {
            Step::Exception(i) => {
                if let Some(e) = version.exceptions.get(usize::from(i)) {
                    trace.exceptions.push(Named {
                        number: usize::from(i) + 1,
                        id: e.id.clone(),
                        name: e.name.clone(),
                    });
                }
                continue;
            }
            Step::Rule(i) => {
                if let Some(r) = version.rules.get(usize::from(i)) {
                    trace.rule = Some(Named {
                        number: usize::from(i) + 1,
                        id: r.id.clone(),
                        name: r.name.clone(),
                    });
                }
                continue;
            }
            Step::NoRuleMatched => TraceStep::NoRuleMatched,
            Step::Skip => TraceStep::Skip,
            Step::Fixed(hours) => TraceStep::Fixed { hours },
            Step::Punches {
                on,
                off,
                worked,
                breaks,
            } => TraceStep::Punches {
                on_duty_at: on,
                off_duty_at: off,
                worked,
                breaks,
            },
            Step::Penalty {
                on_duty,
                result,
                hours,
                waived_by,
            } => TraceStep::Penalty {
                check: if on_duty {
                    CheckPoint::OnDuty
                } else {
                    CheckPoint::OffDuty
                },
                result,
                hours,
                exception: waived_by.map(exception_name),
            },
            Step::Approvals {
                adjustment,
                op,
                hours,
            } => {
                let (kinds, leave_types) = match rule.and_then(|r| r.then.as_ref()) {
                    Some(Outcome::Hours { adjust, .. }) => {
                        match adjust.get(usize::from(adjustment)) {
                            Some(Adjustment::Approvals {
                                kinds, leave_types, ..
                            }) => (kinds.clone(), leave_types.clone()),
                            _ => (Vec::new(), Vec::new()),
                        }
                    }
                    _ => (Vec::new(), Vec::new()),
                };
                TraceStep::Approvals {
                    op,
                    kinds,
                    leave_types,
                    hours,
                }
            }
            Step::Floor { from } => TraceStep::Floor { from },
            Step::Cap { from, to } => TraceStep::Cap { from, to },
            Step::Round { from, to } => match version.rounding {
                Some(r) => TraceStep::Round {
                    mode: r.mode,
                    step: r.step,
                    from,
                    to,
                },
                None => continue,
            },
            Step::CapAfterRounding { from, to } => TraceStep::CapAfterRounding { from, to },
        };
        trace.steps.push(step);
    }
    trace
}
