//! A validated rule book turned into a form that evaluates a day without
//! allocating: condition lists become bit masks, penalty tables arrays, rule
//! ids indices.

use chrono::NaiveDate;

use crate::hours::Hours;
use crate::model::{ApprovalKind, DayType, Person, TimeResult};
use crate::rules::{
    Adjustment, Base, Checks, Compare, Exception, Op, Outcome, Rounding, RuleSet, Status, Test,
};

/// All bits set: "any value".
const ANY: u8 = u8::MAX;

pub(crate) struct CompiledVersion {
    pub effective_from: NaiveDate,
    pub standard_day: Hours,
    pub cap: Option<Hours>,
    pub rounding: Option<Rounding>,
    pub rules: Vec<CompiledRule>,
    pub exceptions: Vec<CompiledException>,
}

pub(crate) struct CompiledRule {
    /// Allowed day types / OnDuty / OffDuty results, one bit each.
    pub day_mask: u8,
    pub on_mask: u8,
    pub off_mask: u8,
    pub approvals: Vec<ApprovalTest>,
    /// Conditions on the person (the same for all their days).
    pub person: Vec<PersonTest>,
    /// Exceptions (by bit) that exempt their people from this rule.
    pub exempted_by: u64,
    pub outcome: CompiledOutcome,
}

pub(crate) struct ApprovalTest {
    pub kinds: u8,
    pub leave_types: Vec<String>,
    pub compare: Compare,
    pub hours: Hours,
    pub not: bool,
}

pub(crate) enum PersonTest {
    Department { any_of: Vec<i64>, not: bool },
    Title { any_of: Vec<String>, not: bool },
    Person { any_of: Vec<String>, not: bool },
}

pub(crate) enum CompiledOutcome {
    Skip,
    Hours {
        base: CompiledBase,
        adjust: Vec<CompiledAdjustment>,
        status: Option<Status>,
    },
}

pub(crate) enum CompiledBase {
    Fixed(Hours),
    /// Breaks as (start, end) seconds after midnight.
    Punches(Vec<(i64, i64)>),
}

pub(crate) enum CompiledAdjustment {
    Penalty {
        table: [Hours; 7],
        on_duty: bool,
        off_duty: bool,
    },
    Approvals {
        op: Op,
        kinds: u8,
        leave_types: Vec<String>,
    },
}

pub(crate) struct CompiledException {
    pub people: Vec<String>,
    pub titles: Vec<String>,
    pub departments: Vec<i64>,
    /// Replacement penalty per result, indexed like [`TimeResult::ALL`].
    pub penalties: [Option<Hours>; 7],
}

impl CompiledException {
    pub fn covers(&self, person: &Person) -> bool {
        self.people.contains(&person.userid)
            || person
                .title
                .as_deref()
                .is_some_and(|t| self.titles.iter().any(|x| x == t))
            || self
                .departments
                .iter()
                .any(|d| person.departments.contains(d))
    }
}

impl PersonTest {
    pub fn holds(&self, person: &Person) -> bool {
        match self {
            PersonTest::Department { any_of, not } => {
                any_of.iter().any(|d| person.departments.contains(d)) != *not
            }
            PersonTest::Title { any_of, not } => {
                person
                    .title
                    .as_deref()
                    .is_some_and(|t| any_of.iter().any(|x| x == t))
                    != *not
            }
            PersonTest::Person { any_of, not } => any_of.contains(&person.userid) != *not,
        }
    }
}

fn mask<T: Copy>(items: &[T], bit: impl Fn(T) -> u8, not: bool) -> u8 {
    let m = items.iter().fold(0u8, |m, x| m | bit(*x));
    if not {
        !m
    } else {
        m
    }
}

fn kinds_mask(kinds: &[ApprovalKind]) -> u8 {
    mask(kinds, ApprovalKind::bit, false)
}

pub(crate) fn version(v: &RuleSet) -> CompiledVersion {
    let exceptions: Vec<CompiledException> = v.exceptions.iter().map(exception).collect();
    let rules = v
        .rules
        .iter()
        .map(|r| {
            let mut compiled = CompiledRule {
                day_mask: ANY,
                on_mask: ANY,
                off_mask: ANY,
                approvals: Vec::new(),
                person: Vec::new(),
                exempted_by: 0,
                outcome: match &r.then {
                    Some(o) => outcome(o),
                    // Refused by validation; never matches if it slips through.
                    None => CompiledOutcome::Skip,
                },
            };
            if r.then.is_none() {
                compiled.day_mask = 0;
            }
            for c in &r.when {
                let not = c.not;
                match &c.test {
                    Test::DayType { any_of } => {
                        compiled.day_mask &= mask(any_of, DayType::bit, not)
                    }
                    Test::OnDuty { any_of } => {
                        compiled.on_mask &= mask(any_of, TimeResult::bit, not)
                    }
                    Test::OffDuty { any_of } => {
                        compiled.off_mask &= mask(any_of, TimeResult::bit, not)
                    }
                    Test::Approval {
                        kinds,
                        leave_types,
                        compare,
                        hours,
                    } => compiled.approvals.push(ApprovalTest {
                        kinds: kinds_mask(kinds),
                        leave_types: leave_types.clone(),
                        compare: *compare,
                        hours: *hours,
                        not,
                    }),
                    Test::Department { any_of } => compiled.person.push(PersonTest::Department {
                        any_of: any_of.clone(),
                        not,
                    }),
                    Test::Title { any_of } => compiled.person.push(PersonTest::Title {
                        any_of: any_of.clone(),
                        not,
                    }),
                    Test::Person { any_of } => compiled.person.push(PersonTest::Person {
                        any_of: any_of.clone(),
                        not,
                    }),
                }
            }
            for (bit, e) in v.exceptions.iter().enumerate().take(64) {
                if e.exempt_from.contains(&r.id) {
                    compiled.exempted_by |= 1u64 << bit;
                }
            }
            compiled
        })
        .collect();
    CompiledVersion {
        effective_from: v.effective_from,
        standard_day: v.standard_day,
        cap: v.daily_cap.map(Hours::at_least_zero),
        rounding: v.rounding.filter(|r| r.step > Hours::ZERO),
        rules,
        exceptions,
    }
}

fn outcome(o: &Outcome) -> CompiledOutcome {
    match o {
        Outcome::Skip => CompiledOutcome::Skip,
        Outcome::Hours {
            base,
            adjust,
            status,
        } => CompiledOutcome::Hours {
            base: match base {
                Base::Fixed { hours } => CompiledBase::Fixed(hours.at_least_zero()),
                Base::Punches { breaks } => CompiledBase::Punches(
                    breaks
                        .iter()
                        .map(|b| (i64::from(b.from.seconds()), i64::from(b.to.seconds())))
                        .collect(),
                ),
            },
            adjust: adjust.iter().map(adjustment).collect(),
            status: *status,
        },
    }
}

fn adjustment(a: &Adjustment) -> CompiledAdjustment {
    match a {
        Adjustment::Penalty { table, checks } => {
            let mut compiled = [Hours::ZERO; 7];
            for (result, hours) in table {
                compiled[result.index()] = hours.at_least_zero();
            }
            CompiledAdjustment::Penalty {
                table: compiled,
                on_duty: matches!(checks, Checks::Both | Checks::OnDuty),
                off_duty: matches!(checks, Checks::Both | Checks::OffDuty),
            }
        }
        Adjustment::Approvals {
            op,
            kinds,
            leave_types,
        } => CompiledAdjustment::Approvals {
            op: *op,
            kinds: kinds_mask(kinds),
            leave_types: leave_types.clone(),
        },
    }
}

fn exception(e: &Exception) -> CompiledException {
    let mut penalties = [None; 7];
    for (result, hours) in &e.penalties {
        penalties[result.index()] = Some(hours.at_least_zero());
    }
    CompiledException {
        people: e.people.clone(),
        titles: e.titles.clone(),
        departments: e.departments.clone(),
        penalties,
    }
}
