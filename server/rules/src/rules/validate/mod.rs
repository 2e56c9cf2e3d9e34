//! Validation of a rule book: every problem, each at its field's path.

use std::collections::{BTreeMap, HashSet};

use crate::error::{FieldError, Problem};
use crate::hours::Hours;
use crate::model::ApprovalKind;

use super::{Adjustment, Base, Condition, Exception, Outcome, Rule, RuleBook, RuleSet, Test};

/// The most versions a book may hold.
pub const MAX_VERSIONS: usize = 1000;
/// The most rules one version may hold.
pub const MAX_RULES: usize = 1000;
/// The most exceptions one version may hold.
pub const MAX_EXCEPTIONS: usize = 64;
/// The most conditions one rule may hold.
pub const MAX_CONDITIONS: usize = 32;
/// The most adjustments one outcome may hold.
pub const MAX_ADJUSTMENTS: usize = 16;

/// A day cannot hold more than this (fixed hours, cap, standard day, step).
const DAY: Hours = Hours::from_hours(24);

pub(super) fn book(book: &RuleBook) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if book.versions.is_empty() {
        errors.push(FieldError::new("versions", Problem::NoVersions));
    }
    if book.versions.len() > MAX_VERSIONS {
        errors.push(FieldError::new("versions", Problem::TooMany));
    }
    let mut first_index: BTreeMap<chrono::NaiveDate, usize> = BTreeMap::new();
    for (i, version) in book.versions.iter().enumerate() {
        let path = format!("versions[{i}]");
        if let Some(first) = first_index.get(&version.effective_from) {
            errors.push(FieldError::with_detail(
                format!("{path}.effective_from"),
                Problem::OverlappingEffectiveDates,
                format!("versions[{first}]"),
            ));
        } else {
            first_index.insert(version.effective_from, i);
        }
        rule_set(version, &path, &mut errors);
    }
    errors
}

fn rule_set(v: &RuleSet, path: &str, errors: &mut Vec<FieldError>) {
    if v.standard_day <= Hours::ZERO || v.standard_day > DAY {
        errors.push(FieldError::new(
            format!("{path}.standard_day"),
            Problem::OutOfRange,
        ));
    }
    if let Some(cap) = v.daily_cap {
        if cap.is_negative() {
            errors.push(FieldError::new(
                format!("{path}.daily_cap"),
                Problem::NegativeCap,
            ));
        } else if cap > DAY {
            errors.push(FieldError::new(
                format!("{path}.daily_cap"),
                Problem::OutOfRange,
            ));
        }
    }
    if let Some(rounding) = v.rounding {
        if rounding.step <= Hours::ZERO {
            errors.push(FieldError::new(
                format!("{path}.rounding.step"),
                Problem::ZeroStep,
            ));
        } else if rounding.step > DAY {
            errors.push(FieldError::new(
                format!("{path}.rounding.step"),
                Problem::OutOfRange,
            ));
        }
    }
    let mut seen_types = HashSet::new();
    for (i, t) in v.leave_types.iter().enumerate() {
        let p = format!("{path}.leave_types[{i}]");
        if t.trim().is_empty() {
            errors.push(FieldError::new(p, Problem::Required));
        } else if !seen_types.insert(t.as_str()) {
            errors.push(FieldError::with_detail(p, Problem::Duplicate, t.clone()));
        }
    }
    if v.rules.is_empty() {
        errors.push(FieldError::new(format!("{path}.rules"), Problem::NoRules));
    }
    if v.rules.len() > MAX_RULES {
        errors.push(FieldError::new(format!("{path}.rules"), Problem::TooMany));
    }
    let mut ids = HashSet::new();
    for (i, r) in v.rules.iter().enumerate() {
        let p = format!("{path}.rules[{i}]");
        if r.id.trim().is_empty() {
            errors.push(FieldError::new(format!("{p}.id"), Problem::Required));
        } else if !ids.insert(r.id.as_str()) {
            errors.push(FieldError::with_detail(
                format!("{p}.id"),
                Problem::Duplicate,
                r.id.clone(),
            ));
        }
        rule(r, v, &p, errors);
    }
    if v.exceptions.len() > MAX_EXCEPTIONS {
        errors.push(FieldError::new(
            format!("{path}.exceptions"),
            Problem::TooMany,
        ));
    }
    let mut exception_ids = HashSet::new();
    for (i, e) in v.exceptions.iter().enumerate() {
        let p = format!("{path}.exceptions[{i}]");
        if e.id.trim().is_empty() {
            errors.push(FieldError::new(format!("{p}.id"), Problem::Required));
        } else if !exception_ids.insert(e.id.as_str()) {
            errors.push(FieldError::with_detail(
                format!("{p}.id"),
                Problem::Duplicate,
                e.id.clone(),
            ));
        }
        exception(e, &ids, &p, errors);
    }
}

fn rule(r: &Rule, v: &RuleSet, path: &str, errors: &mut Vec<FieldError>) {
    if r.when.len() > MAX_CONDITIONS {
        errors.push(FieldError::new(format!("{path}.when"), Problem::TooMany));
    }
    for (i, c) in r.when.iter().enumerate() {
        condition(c, v, &format!("{path}.when[{i}]"), errors);
    }
    match &r.then {
        None => errors.push(FieldError::new(format!("{path}.then"), Problem::NoOutcome)),
        Some(Outcome::Skip) => {}
        Some(Outcome::Hours {
            base,
            adjust,
            status,
        }) => {
            let p = format!("{path}.then");
            if *status == Some(super::Status::Skipped) {
                errors.push(FieldError::new(
                    format!("{p}.status"),
                    Problem::SkippedWithHours,
                ));
            }
            match base {
                Base::Fixed { hours } => {
                    if hours.is_negative() {
                        errors.push(FieldError::new(
                            format!("{p}.base.hours"),
                            Problem::Negative,
                        ));
                    } else if *hours > DAY {
                        errors.push(FieldError::new(
                            format!("{p}.base.hours"),
                            Problem::OutOfRange,
                        ));
                    }
                }
                Base::Punches { breaks } => {
                    for (i, b) in breaks.iter().enumerate() {
                        if b.to <= b.from {
                            errors.push(FieldError::new(
                                format!("{p}.base.breaks[{i}].to"),
                                Problem::EmptyWindow,
                            ));
                        }
                    }
                }
            }
            if adjust.len() > MAX_ADJUSTMENTS {
                errors.push(FieldError::new(format!("{p}.adjust"), Problem::TooMany));
            }
            for (i, a) in adjust.iter().enumerate() {
                let ap = format!("{p}.adjust[{i}]");
                match a {
                    Adjustment::Penalty { table, .. } => {
                        penalty_table(table, &format!("{ap}.table"), errors)
                    }
                    Adjustment::Approvals {
                        kinds, leave_types, ..
                    } => approval_filter(kinds, leave_types, v, &ap, errors),
                }
            }
        }
    }
}

fn condition(c: &Condition, v: &RuleSet, path: &str, errors: &mut Vec<FieldError>) {
    let empty = |errors: &mut Vec<FieldError>| {
        errors.push(FieldError::new(
            format!("{path}.any_of"),
            Problem::EmptyChoice,
        ));
    };
    match &c.test {
        Test::DayType { any_of } if any_of.is_empty() => empty(errors),
        Test::OnDuty { any_of } | Test::OffDuty { any_of } if any_of.is_empty() => empty(errors),
        Test::Department { any_of } if any_of.is_empty() => empty(errors),
        Test::Title { any_of } | Test::Person { any_of } => {
            if any_of.is_empty() {
                empty(errors);
            }
            for (i, x) in any_of.iter().enumerate() {
                if x.trim().is_empty() {
                    errors.push(FieldError::new(
                        format!("{path}.any_of[{i}]"),
                        Problem::Required,
                    ));
                }
            }
        }
        Test::Approval {
            kinds,
            leave_types,
            hours,
            ..
        } => {
            if hours.is_negative() {
                errors.push(FieldError::new(format!("{path}.hours"), Problem::Negative));
            }
            approval_filter(kinds, leave_types, v, path, errors);
        }
        _ => {}
    }
}

fn approval_filter(
    kinds: &[ApprovalKind],
    leave_types: &[String],
    v: &RuleSet,
    path: &str,
    errors: &mut Vec<FieldError>,
) {
    if kinds.is_empty() {
        errors.push(FieldError::new(
            format!("{path}.kinds"),
            Problem::EmptyChoice,
        ));
    }
    if !leave_types.is_empty() && !kinds.contains(&ApprovalKind::Leave) {
        errors.push(FieldError::new(
            format!("{path}.leave_types"),
            Problem::LeaveTypesWithoutLeave,
        ));
    }
    for (i, t) in leave_types.iter().enumerate() {
        if !v.leave_types.iter().any(|known| known == t) {
            errors.push(FieldError::with_detail(
                format!("{path}.leave_types[{i}]"),
                Problem::UnknownLeaveType,
                t.clone(),
            ));
        }
    }
}

fn penalty_table(table: &super::PenaltyTable, path: &str, errors: &mut Vec<FieldError>) {
    for (result, hours) in table {
        if hours.is_negative() {
            errors.push(FieldError::new(
                format!("{path}.{}", result.as_str()),
                Problem::Negative,
            ));
        } else if *hours > DAY {
            errors.push(FieldError::new(
                format!("{path}.{}", result.as_str()),
                Problem::OutOfRange,
            ));
        }
    }
}

fn exception(e: &Exception, rule_ids: &HashSet<&str>, path: &str, errors: &mut Vec<FieldError>) {
    if e.people.is_empty() && e.titles.is_empty() && e.departments.is_empty() {
        errors.push(FieldError::new(path.to_owned(), Problem::NobodyNamed));
    }
    if e.penalties.is_empty() && e.exempt_from.is_empty() {
        errors.push(FieldError::new(path.to_owned(), Problem::NoEffect));
    }
    for (i, x) in e.people.iter().enumerate() {
        if x.trim().is_empty() {
            errors.push(FieldError::new(
                format!("{path}.people[{i}]"),
                Problem::Required,
            ));
        }
    }
    for (i, x) in e.titles.iter().enumerate() {
        if x.trim().is_empty() {
            errors.push(FieldError::new(
                format!("{path}.titles[{i}]"),
                Problem::Required,
            ));
        }
    }
    penalty_table(&e.penalties, &format!("{path}.penalties"), errors);
    for (i, id) in e.exempt_from.iter().enumerate() {
        if !rule_ids.contains(id.as_str()) {
            errors.push(FieldError::with_detail(
                format!("{path}.exempt_from[{i}]"),
                Problem::UnknownRule,
                id.clone(),
            ));
        }
    }
}

#[cfg(test)]
mod tests;
