//! Property tests: the engine's promises over generated rule books and days.
//!
//! - hours are never negative and never above the version's cap;
//! - the profiled and the direct evaluation agree, and so does the trace;
//! - a version with a later effective-from date leaves earlier days alone;
//! - allocation lines always add up to the day;
//! - nothing panics on any input, valid or not (rule books, days, JSON).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use proptest::sample::select;

use hourbridge_rules::allocation::{allocate, Basis, LoggedHours, OpenTask, Percent, Share};
use hourbridge_rules::golden::CaseFile;
use hourbridge_rules::rules::{
    Adjustment, Base, Break, Checks, ClockTime, Compare, Condition, Exception, Op, Outcome,
    Rounding, RoundingMode, Rule, RuleSet, Test,
};
use hourbridge_rules::{
    ApprovalKind, DayApproval, DayAttendance, DayType, Engine, Hours, Person, PunchTime, RuleBook,
    Status, TimeResult,
};

const LEAVE_TYPES: [&str; 3] = ["病假", "事假", "年假"];

fn base_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()
}

fn date(offset: u32) -> NaiveDate {
    base_date()
        .checked_add_days(Days::new(u64::from(offset)))
        .unwrap_or_default()
}

/// Quarter hours in `lo..hi` (in quarters).
fn quarters(lo: i64, hi: i64) -> impl Strategy<Value = Hours> {
    (lo..hi).prop_map(|q| Hours::from_minutes(q * 15))
}

/// Knobs for how wild generated values are.
#[derive(Clone, Copy)]
struct Wild {
    /// Allow invalid values (negative, empty, unknown, zero step…).
    invalid: bool,
}

fn condition(w: Wild) -> impl Strategy<Value = Condition> {
    let min = usize::from(!w.invalid);
    let neg = if w.invalid { -8 } else { 0 };
    let leave = if w.invalid {
        select(vec!["病假", "事假", "年假", "婚嫁"])
    } else {
        select(LEAVE_TYPES.to_vec())
    };
    let test = prop_oneof![
        prop::collection::vec(select(DayType::ALL.to_vec()), min..3)
            .prop_map(|any_of| Test::DayType { any_of }),
        prop::collection::vec(select(TimeResult::ALL.to_vec()), min..3)
            .prop_map(|any_of| Test::OnDuty { any_of }),
        prop::collection::vec(select(TimeResult::ALL.to_vec()), min..3)
            .prop_map(|any_of| Test::OffDuty { any_of }),
        (
            prop::collection::vec(select(ApprovalKind::ALL.to_vec()), min..3),
            prop::collection::vec(leave, 0..2),
            select(vec![
                Compare::AtLeast,
                Compare::Above,
                Compare::AtMost,
                Compare::Below,
                Compare::Equal
            ]),
            quarters(neg, 48),
        )
            .prop_map(move |(mut kinds, leave_types, compare, hours)| {
                if !leave_types.is_empty() && !w.invalid && !kinds.contains(&ApprovalKind::Leave) {
                    kinds.push(ApprovalKind::Leave);
                }
                Test::Approval {
                    kinds,
                    leave_types: leave_types.into_iter().map(str::to_owned).collect(),
                    compare,
                    hours,
                }
            }),
        prop::collection::vec(0..5i64, min..3).prop_map(|any_of| Test::Department { any_of }),
        prop::collection::vec(select(vec!["a", "b"]), min..3).prop_map(|t| Test::Title {
            any_of: t.into_iter().map(str::to_owned).collect()
        }),
        prop::collection::vec(select(vec!["u0", "u1", "u2"]), min..3).prop_map(|t| Test::Person {
            any_of: t.into_iter().map(str::to_owned).collect()
        }),
    ];
    (test, any::<bool>()).prop_map(|(test, not)| Condition { test, not })
}

fn penalty_table(w: Wild) -> impl Strategy<Value = BTreeMap<TimeResult, Hours>> {
    let neg = if w.invalid { -8 } else { 0 };
    prop::collection::btree_map(select(TimeResult::ALL.to_vec()), quarters(neg, 40), 0..5)
}

fn outcome(w: Wild) -> impl Strategy<Value = Outcome> {
    let neg = if w.invalid { -8 } else { 0 };
    let base = prop_oneof![
        quarters(neg, 48).prop_map(|hours| Base::Fixed { hours }),
        prop::collection::vec((0u32..96, 1u32..8), 0..3).prop_map(|bs| Base::Punches {
            breaks: bs
                .into_iter()
                .filter_map(|(from, len)| {
                    let from = ClockTime::hm(from / 4, (from % 4) * 15)?;
                    let end = from.seconds() + len * 900;
                    let to = ClockTime::hms(end / 3600, end / 60 % 60, 0)?;
                    Some(Break { from, to })
                })
                .collect(),
        }),
    ];
    let adjustment = prop_oneof![
        (
            penalty_table(w),
            select(vec![Checks::Both, Checks::OnDuty, Checks::OffDuty])
        )
            .prop_map(|(table, checks)| Adjustment::Penalty { table, checks }),
        (
            select(vec![Op::Add, Op::Subtract]),
            prop::collection::vec(select(ApprovalKind::ALL.to_vec()), 1..3),
            prop::collection::vec(select(LEAVE_TYPES.to_vec()), 0..2),
        )
            .prop_map(|(op, mut kinds, leave_types)| {
                if !leave_types.is_empty() && !kinds.contains(&ApprovalKind::Leave) {
                    kinds.push(ApprovalKind::Leave);
                }
                Adjustment::Approvals {
                    op,
                    kinds,
                    leave_types: leave_types.into_iter().map(str::to_owned).collect(),
                }
            }),
    ];
    let statuses: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|s| w.invalid || *s != Status::Skipped)
        .collect();
    prop_oneof![
        1 => Just(Outcome::Skip),
        6 => (base, prop::collection::vec(adjustment, 0..4), prop::option::of(select(statuses)))
            .prop_map(|(base, adjust, status)| Outcome::Hours { base, adjust, status }),
    ]
}

fn rules(w: Wild) -> impl Strategy<Value = Vec<Rule>> {
    let min = usize::from(!w.invalid);
    let then = if w.invalid {
        prop::option::weighted(0.9, outcome(w)).boxed()
    } else {
        outcome(w).prop_map(Some).boxed()
    };
    prop::collection::vec((prop::collection::vec(condition(w), 0..4), then), min..7).prop_map(
        |rs| {
            rs.into_iter()
                .enumerate()
                .map(|(i, (when, then))| Rule {
                    id: format!("r{i}"),
                    name: format!("rule {i}"),
                    when,
                    then,
                })
                .collect()
        },
    )
}

fn exceptions(w: Wild, rules: usize) -> impl Strategy<Value = Vec<Exception>> {
    let ids: Vec<String> = (0..rules.max(1)).map(|i| format!("r{i}")).collect();
    let exempt = if rules == 0 && !w.invalid {
        Just(Vec::new()).boxed()
    } else {
        prop::collection::vec(select(ids), 0..2).boxed()
    };
    prop::collection::vec(
        (
            prop::collection::vec(select(vec!["u0", "u1"]), 0..2),
            prop::collection::vec(select(vec!["a", "b"]), 0..2),
            prop::collection::vec(0..5i64, 0..2),
            penalty_table(w),
            exempt,
        ),
        0..3,
    )
    .prop_map(move |es| {
        es.into_iter()
            .enumerate()
            .filter_map(
                |(i, (people, titles, departments, penalties, exempt_from))| {
                    let named = !(people.is_empty() && titles.is_empty() && departments.is_empty());
                    let effect = !(penalties.is_empty() && exempt_from.is_empty());
                    let usable = named && effect;
                    if !w.invalid && !usable {
                        return None;
                    }
                    Some(Exception {
                        id: format!("e{i}"),
                        name: String::new(),
                        people: people.into_iter().map(str::to_owned).collect(),
                        titles: titles.into_iter().map(str::to_owned).collect(),
                        departments,
                        penalties,
                        exempt_from,
                    })
                },
            )
            .collect()
    })
}

fn version(w: Wild, effective_from: NaiveDate) -> impl Strategy<Value = RuleSet> {
    let step_lo = if w.invalid { -4 } else { 1 };
    let cap_lo = if w.invalid { -8 } else { 0 };
    (
        quarters(if w.invalid { -4 } else { 1 }, 48),
        prop::option::of(quarters(cap_lo, 60)),
        prop::option::of((
            select(vec![
                RoundingMode::Up,
                RoundingMode::Down,
                RoundingMode::Nearest,
            ]),
            quarters(step_lo, 9),
        )),
        rules(w),
    )
        .prop_flat_map(move |(standard_day, daily_cap, rounding, rules)| {
            let n = rules.len();
            (
                Just((standard_day, daily_cap, rounding, rules)),
                exceptions(w, n),
            )
        })
        .prop_map(
            move |((standard_day, daily_cap, rounding, rules), exceptions)| RuleSet {
                effective_from,
                name: String::new(),
                standard_day,
                daily_cap,
                rounding: rounding.map(|(mode, step)| Rounding { mode, step }),
                leave_types: LEAVE_TYPES.iter().map(|s| (*s).to_owned()).collect(),
                rules,
                exceptions,
            },
        )
}

fn book(w: Wild) -> impl Strategy<Value = RuleBook> {
    prop::collection::btree_set(0u32..700, 1..4).prop_flat_map(move |offsets: BTreeSet<u32>| {
        offsets
            .into_iter()
            .map(|o| version(w, date(o)))
            .collect::<Vec<_>>()
            .prop_map(|versions| RuleBook { versions })
    })
}

fn day(extreme: bool) -> impl Strategy<Value = DayAttendance> {
    let punch = if extreme {
        prop::option::of(any::<i32>().prop_map(PunchTime)).boxed()
    } else {
        prop::option::of((-7200i32..120_000).prop_map(PunchTime)).boxed()
    };
    let hours = if extreme {
        prop_oneof![
            quarters(-80, 200),
            any::<i64>().prop_map(Hours::from_seconds)
        ]
        .boxed()
    } else {
        quarters(0, 60).boxed()
    };
    let approval = (
        select(ApprovalKind::ALL.to_vec()),
        prop::option::of(select(vec!["病假", "事假", "年假", "婚嫁", ""])),
        hours,
    )
        .prop_map(|(kind, leave_type, hours)| DayApproval {
            kind,
            leave_type: leave_type.map(str::to_owned),
            hours,
            form_id: None,
        });
    let offsets = if extreme {
        (-800_000i64..800_000).boxed()
    } else {
        (-30i64..800).boxed()
    };
    (
        offsets,
        select(DayType::ALL.to_vec()),
        select(TimeResult::ALL.to_vec()),
        select(TimeResult::ALL.to_vec()),
        punch.clone(),
        punch,
        prop::collection::vec(approval, 0..4),
    )
        .prop_map(
            |(offset, day_type, on_duty, off_duty, on_duty_at, off_duty_at, approvals)| {
                let date = if offset >= 0 {
                    base_date().checked_add_days(Days::new(offset.unsigned_abs()))
                } else {
                    base_date().checked_sub_days(Days::new(offset.unsigned_abs()))
                };
                DayAttendance {
                    date: date.unwrap_or_default(),
                    day_type,
                    on_duty,
                    off_duty,
                    on_duty_at,
                    off_duty_at,
                    approvals,
                }
            },
        )
}

fn person() -> impl Strategy<Value = Person> {
    (
        select(vec!["u0", "u1", "u2", "u3"]),
        prop::option::of(select(vec!["a", "b", "c"])),
        prop::collection::vec(0..6i64, 0..3),
    )
        .prop_map(|(u, t, departments)| Person {
            userid: u.to_owned(),
            title: t.map(str::to_owned),
            departments,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn hours_are_never_negative_nor_above_the_cap(
        book in book(Wild { invalid: false }),
        days in prop::collection::vec(day(false), 1..8),
        person in person(),
    ) {
        let engine = Engine::new(&book);
        prop_assert!(engine.is_ok(), "generated book refused: {:?}", engine.err());
        let Ok(engine) = engine else { return Ok(()) };
        let profile = engine.profile(&person);
        for day in &days {
            let e = engine.evaluate_for(&person, day);
            prop_assert!(e.hours >= Hours::ZERO, "{:?}", e);
            if let Some(cap) = engine.version_for(day.date).and_then(|v| v.daily_cap) {
                prop_assert!(e.hours <= cap, "{:?} above cap {}", e, cap);
            }
            if e.status == Status::Skipped {
                prop_assert_eq!(e.hours, Hours::ZERO);
            }
            prop_assert_eq!(engine.evaluate_profiled(&profile, day), e);
            let trace = engine.explain(&person, day);
            prop_assert_eq!(trace.hours, e.hours);
            prop_assert_eq!(trace.status, e.status);
            prop_assert!(!trace.zh().is_empty() && !trace.en().is_empty());
        }
    }

    #[test]
    fn a_later_version_leaves_earlier_days_unchanged(
        book in book(Wild { invalid: false }),
        later in (0u32..800).prop_flat_map(|o| version(Wild { invalid: false }, date(o))),
        days in prop::collection::vec(day(false), 1..8),
        person in person(),
    ) {
        prop_assume!(book.versions.iter().all(|v| v.effective_from != later.effective_from));
        let cut = later.effective_from;
        let before = Engine::new(&book);
        let mut amended = book.clone();
        amended.versions.push(later);
        let after = Engine::new(&amended);
        prop_assert!(before.is_ok() && after.is_ok());
        let (Ok(before), Ok(after)) = (before, after) else { return Ok(()) };
        for day in days.iter().filter(|d| d.date < cut) {
            prop_assert_eq!(before.evaluate_for(&person, day), after.evaluate_for(&person, day));
        }
    }

    #[test]
    fn the_engine_never_panics_on_any_input(
        book in book(Wild { invalid: true }),
        days in prop::collection::vec(day(true), 1..6),
        person in person(),
    ) {
        if let Ok(engine) = Engine::new(&book) {
            for day in &days {
                let e = engine.evaluate_for(&person, day);
                prop_assert!(e.hours >= Hours::ZERO);
                let _ = engine.evaluate_profiled(&engine.profile(&person), day);
                let trace = engine.explain(&person, day);
                let _ = (trace.zh(), trace.en());
            }
        } else {
            // Refused books always say where.
            let errors = book.validate().err().map(|e| e.field_errors().len()).unwrap_or(0);
            prop_assert!(errors > 0);
        }
    }

    #[test]
    fn allocation_lines_add_up_to_the_day(
        day_seconds in 0i64..(24 * 3600),
        step_seconds in prop_oneof![Just(1i64), Just(900), Just(1800), Just(3600), 1i64..7200],
        weights in prop::collection::vec(0u32..10_000, 1..8),
        method in 0u8..3,
    ) {
        let day = Hours::from_seconds(day_seconds);
        let step = Hours::from_seconds(step_seconds);
        let shares: Vec<Share> = weights.iter().enumerate().map(|(i, w)| Share {
            project: format!("P{i}"), task: format!("T{i}"), percent: Percent(*w),
        }).collect();
        let tasks: Vec<OpenTask> = weights.iter().enumerate().flat_map(|(i, w)| {
            (0..(w % 4)).map(move |k| OpenTask { project: format!("P{i}"), task: format!("T{i}-{k}") })
        }).collect();
        let logged: Vec<LoggedHours> = weights.iter().enumerate().map(|(i, w)| LoggedHours {
            project: format!("P{}", i % 3), task: format!("T{i}"), hours: Hours::from_seconds(i64::from(*w)),
        }).collect();
        let (lines, weighs) = match method {
            0 => (allocate(day, step, Basis::Shares(&shares)), weights.iter().any(|w| *w > 0)),
            1 => (allocate(day, step, Basis::OpenTasks(&tasks)), !tasks.is_empty()),
            _ => (allocate(day, step, Basis::Logged(&logged)), weights.iter().any(|w| *w > 0)),
        };
        let total = lines.iter().fold(Hours::ZERO, |t, l| t.plus(l.hours));
        if weighs {
            prop_assert_eq!(total, day);
        } else {
            prop_assert!(lines.is_empty());
        }
        let mut off_step = 0;
        for l in &lines {
            prop_assert!(l.hours > Hours::ZERO);
            prop_assert!(!l.task.is_empty());
            if l.hours.seconds() % step_seconds != 0 {
                off_step += 1;
            }
        }
        prop_assert!(off_step <= 1, "only one line may hold the part below a step");
    }

    #[test]
    fn no_json_makes_the_loaders_panic(text in "\\PC{0,300}") {
        let _ = RuleBook::from_json(&text);
        let _ = CaseFile::from_json(&text);
        let _ = Hours::parse_decimal(&text);
        let _ = ClockTime::parse(&text);
    }

    #[test]
    fn hours_parse_exactly_from_two_decimals(whole in 0i64..100_000, hundredths in 0i64..100) {
        let text = format!("{whole}.{hundredths:02}");
        let parsed = Hours::parse_decimal(&text);
        prop_assert_eq!(parsed, Some(Hours::from_hundredths(whole * 100 + hundredths)));
        let json = serde_json::to_string(&parsed).unwrap_or_default();
        let back: Option<Hours> = serde_json::from_str(&json).unwrap_or(None);
        prop_assert_eq!(back, parsed);
    }
}
