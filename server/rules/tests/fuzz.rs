//! Robustness: nothing panics on any input.
//!
//! - (a) rule books: arbitrary JSON built from the rule model's own field
//!   names, and seed-standard with random mutations, go through
//!   `RuleBook::from_json` → `validate` → `Engine::new` → evaluation and
//!   explanations in both languages of arbitrary person-days;
//! - (b) mapping books: the same for `MappingBook` JSON (arbitrary, and the
//!   default mapping of every system mutated) → `validate` for every PM
//!   system → `CompiledMapping::new` → `apply` to arbitrary values;
//! - (c) arbitrary strings to the template compiler and the date-format
//!   checker.
//!
//! A check beside the properties makes sure the mutated documents reach
//! the engine and the compiled mapping often enough for this to mean
//! something.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::Value;

use hourbridge_rules::mapping::{
    target_fields, CompiledDateFormat, CompiledTemplate, Role, TargetKind,
};
use hourbridge_rules::seed::SEED_STANDARD_JSON;
use hourbridge_rules::{
    ApprovalKind, CompiledMapping, DayApproval, DayAttendance, DayType, Engine, Hours, Lang,
    MappingBook, Person, PunchTime, RuleBook, SourceField, SourceValues, TimeResult,
};

/// The rule model's field names (`|`-separated, as the other lists).
const RULE_KEYS: &str = "versions|effective_from|name|standard_day|daily_cap|rounding|mode|step|\
    leave_types|rules|id|when|then|if|any_of|not|kinds|compare|hours|do|base|from|\
    to|breaks|adjust|by|op|table|checks|status|exceptions|people|titles|departments|\
    penalties|exempt_from";

/// Values the rule model knows.
const RULE_WORDS: &str =
    "2000-01-01|2025-06-30|2026-03-02|day_type|on_duty|off_duty|approval|department|\
    title|person|workday|rest_day|statutory_holiday|makeup_workday|Normal|Late|\
    SeriousLate|Early|NotSigned|Absenteeism|Brandnew|leave|overtime|business_trip|\
    outing|hours|skip|fixed|punches|penalty|approvals|add|subtract|>=|>|<=|<|=|up|\
    down|nearest|both|worked|partial|absent|trip|rest|skipped|病假|年假|婚嫁|00:00|09:00|\
    12:00|23:59|24:00|25:61|1.25|-8|u0|u1|a|standard-workday|rest-day";

/// The mapping model's field names.
const MAPPING_KEYS: &str =
    "versions|effective_from|lines|target|source|transform|kind|format|template|\
    table|default|value";

/// Values the mapping model knows (source keys, target keys, transforms).
const MAPPING_WORDS: &str =
    "2000-01-01|2026-03-02|2026/03/02|person_name|userid|unionid|pm_user|job_title|\
    department|work_date|hours|day_hours|status|explanation|project|task|\
    approval_ids|issue|started|timeSpentSeconds|comment|project_id|issue_id|\
    spent_on|user_id|comments|date|consumed|account|work|entity_id|spentdate|\
    timespent|owner|memo|work_item_id|man_hour|user_key|description|date_format|\
    lookup|constant|%Y-%m-%d|%Y年%m月%d日|%H:%M|%Q|{work_date} {status}|{{{hours}}}|\
    {nope}|{|}|1.5|-1|25|";

/// A `|`-separated list.
fn list(words: &'static str) -> Vec<&'static str> {
    words.split('|').collect()
}

fn key(keys: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        9 => select(list(keys)).prop_map(str::to_owned),
        1 => "[a-z_]{0,8}",
    ]
}

/// Arbitrary JSON whose keys are mostly the model's own.
fn json(keys: &'static str, words: &'static str) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-30i64..30).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-40i32..100).prop_map(|q| Value::from(f64::from(q) / 4.0)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        select(list(words)).prop_map(Value::from),
        select(list(keys)).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key(keys), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A change to one node of a document; each kind picks among the nodes it
/// fits, so that many mutants still read and some still validate.
#[derive(Debug, Clone)]
enum Mutation {
    /// A number becomes this one.
    Number(f64),
    /// A string becomes this word.
    Word(&'static str),
    /// A boolean flips.
    Flip,
    /// An array loses an element.
    RemoveElement,
    /// An array gets a copy of one of its elements.
    Repeat,
    /// An object loses a key.
    RemoveKey,
    /// Any node becomes this value.
    Replace(Value),
}

impl Mutation {
    fn fits(&self, v: &Value) -> bool {
        match (self, v) {
            (Mutation::Number(_), Value::Number(_))
            | (Mutation::Word(_), Value::String(_))
            | (Mutation::Flip, Value::Bool(_))
            | (Mutation::Replace(_), _) => true,
            (Mutation::RemoveElement | Mutation::Repeat, Value::Array(a)) => !a.is_empty(),
            (Mutation::RemoveKey, Value::Object(o)) => !o.is_empty(),
            _ => false,
        }
    }

    /// Applies to `v`, which it fits; `pick` chooses a child.
    fn apply(&self, v: &mut Value, pick: &Index) {
        match (self, v) {
            (Mutation::Number(n), v) => {
                *v = serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number);
            }
            (Mutation::Word(w), v) => *v = Value::from(*w),
            (Mutation::Flip, Value::Bool(b)) => *b = !*b,
            (Mutation::RemoveElement, Value::Array(a)) if !a.is_empty() => {
                a.remove(pick.index(a.len()));
            }
            (Mutation::Repeat, Value::Array(a)) if !a.is_empty() => {
                let copy = a[pick.index(a.len())].clone();
                a.push(copy);
            }
            (Mutation::RemoveKey, Value::Object(o)) => {
                if let Some(k) = o.keys().nth(pick.index(o.len().max(1))).cloned() {
                    o.remove(&k);
                }
            }
            (Mutation::Replace(new), v) => *v = new.clone(),
            _ => {}
        }
    }
}

fn mutations(
    keys: &'static str,
    words: &'static str,
) -> impl Strategy<Value = Vec<(Index, Index, Mutation)>> {
    let small = prop_oneof![
        select(list(words)).prop_map(Value::from),
        (-30i64..30).prop_map(Value::from),
        Just(Value::Null),
        Just(Value::Array(Vec::new())),
    ];
    let mutation = prop_oneof![
        4 => (-40i32..100).prop_map(|q| Mutation::Number(f64::from(q) / 4.0)),
        2 => select(list(words)).prop_map(Mutation::Word),
        1 => Just(Mutation::Flip),
        2 => Just(Mutation::RemoveElement),
        2 => Just(Mutation::Repeat),
        1 => Just(Mutation::RemoveKey),
        1 => small.prop_map(Mutation::Replace),
        1 => json(keys, words).prop_map(Mutation::Replace),
    ];
    let changes = prop_oneof![3 => 1usize..2, 1 => 2usize..4];
    changes.prop_flat_map(move |n| {
        prop::collection::vec((any::<Index>(), any::<Index>(), mutation.clone()), n)
    })
}

/// The nodes `m` fits, in pre-order.
fn count(v: &Value, m: &Mutation) -> usize {
    usize::from(m.fits(v))
        + match v {
            Value::Array(a) => a.iter().map(|c| count(c, m)).sum(),
            Value::Object(o) => o.values().map(|c| count(c, m)).sum(),
            _ => 0,
        }
}

/// Applies `m` to the `target`th node it fits (pre-order).
fn visit(v: &mut Value, target: usize, seen: &mut usize, m: &Mutation, pick: &Index) -> bool {
    if m.fits(v) {
        if *seen == target {
            m.apply(v, pick);
            return true;
        }
        *seen += 1;
    }
    match v {
        Value::Array(a) => a.iter_mut().any(|c| visit(c, target, seen, m, pick)),
        Value::Object(o) => o.values_mut().any(|c| visit(c, target, seen, m, pick)),
        _ => false,
    }
}

fn mutate(mut doc: Value, changes: &[(Index, Index, Mutation)]) -> String {
    for (at, pick, m) in changes {
        let n = count(&doc, m);
        if n > 0 {
            visit(&mut doc, at.index(n), &mut 0, m, pick);
        }
    }
    doc.to_string()
}

fn seed_json() -> Value {
    let version: Value = serde_json::from_str(SEED_STANDARD_JSON).unwrap_or(Value::Null);
    serde_json::json!({ "versions": [version] })
}

fn default_mapping_json(kind: TargetKind) -> Value {
    serde_json::to_value(MappingBook::default_for(kind)).unwrap_or(Value::Null)
}

fn date_around(offset: i64) -> NaiveDate {
    let base = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    let days = Days::new(offset.unsigned_abs());
    if offset >= 0 {
        base.checked_add_days(days)
    } else {
        base.checked_sub_days(days)
    }
    .unwrap_or(if offset >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        8 => (-10_000i64..3_000).prop_map(date_around),
        1 => any::<i64>().prop_map(date_around),
        1 => select(vec![NaiveDate::MIN, NaiveDate::MAX]),
    ]
}

fn any_hours() -> impl Strategy<Value = Hours> {
    prop_oneof![
        4 => (-8i64..60).prop_map(|q| Hours::from_minutes(q * 15)),
        1 => any::<i64>().prop_map(Hours::from_seconds),
    ]
}

fn person() -> impl Strategy<Value = Person> {
    (
        select(vec!["u0", "u1", ""]),
        prop::option::of(select(vec!["a", "外勤工程师", ""])),
        prop::collection::vec(any::<i64>(), 0..3),
    )
        .prop_map(|(u, title, departments)| Person {
            userid: u.to_owned(),
            title: title.map(str::to_owned),
            departments,
        })
}

fn day() -> impl Strategy<Value = DayAttendance> {
    let approval = (
        select(ApprovalKind::ALL.to_vec()),
        prop::option::of(select(vec!["病假", "事假", "年假", ""])),
        any_hours(),
    )
        .prop_map(|(kind, leave_type, hours)| DayApproval {
            kind,
            leave_type: leave_type.map(str::to_owned),
            hours,
            form_id: None,
        });
    (
        any_date(),
        select(DayType::ALL.to_vec()),
        select(TimeResult::ALL.to_vec()),
        select(TimeResult::ALL.to_vec()),
        prop::option::of(any::<i32>().prop_map(PunchTime)),
        prop::option::of((-7200i32..120_000).prop_map(PunchTime)),
        prop::collection::vec(approval, 0..4),
    )
        .prop_map(
            |(date, day_type, on_duty, off_duty, on_duty_at, off_duty_at, approvals)| {
                DayAttendance {
                    date,
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

/// How far a document got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reached {
    Refused,
    Read,
    Ran,
}

/// (a): reads, validates, compiles and runs a rule book.
fn exercise_rule_book(json: &str, days: &[(Person, DayAttendance)]) -> Reached {
    let Ok(book) = RuleBook::from_json(json) else {
        return Reached::Refused;
    };
    if let Err(e) = book.validate() {
        assert!(!e.field_errors().is_empty(), "a refusal says where");
        return Reached::Read;
    }
    let engine = match Engine::new(&book) {
        Ok(engine) => engine,
        Err(e) => panic!("a valid book was refused: {e}"),
    };
    for (person, day) in days {
        let e = engine.evaluate_for(person, day);
        assert!(e.hours >= Hours::ZERO, "{e:?}");
        assert_eq!(engine.evaluate_profiled(&engine.profile(person), day), e);
        let trace = engine.explain(person, day);
        assert_eq!(trace.hours, e.hours);
        assert!(!trace.render(Lang::Zh).is_empty() && !trace.render(Lang::En).is_empty());
    }
    Reached::Ran
}

/// Owned source values, lent out as [`SourceValues`].
#[derive(Debug, Clone)]
struct Values {
    texts: [String; 11],
    work_date: NaiveDate,
    hours: Hours,
    day_hours: Hours,
}

impl Values {
    fn lend(&self) -> SourceValues<'_> {
        let t = &self.texts;
        SourceValues {
            person_name: &t[0],
            userid: &t[1],
            unionid: &t[2],
            pm_user: &t[3],
            job_title: &t[4],
            department: &t[5],
            work_date: self.work_date,
            hours: self.hours,
            day_hours: self.day_hours,
            status: &t[6],
            explanation: &t[7],
            project: &t[8],
            task: &t[9],
            approval_ids: &t[10],
        }
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        select(list(MAPPING_WORDS)).prop_map(str::to_owned),
        "\\PC{0,10}",
        Just(String::new()),
    ]
}

fn values() -> impl Strategy<Value = Values> {
    (
        prop::array::uniform11(text()),
        any_date(),
        any_hours(),
        any_hours(),
    )
        .prop_map(|(texts, work_date, hours, day_hours)| Values {
            texts,
            work_date,
            hours,
            day_hours,
        })
}

/// (b): reads a mapping book, validates it for every system, compiles its
/// versions and applies them.
fn exercise_mapping(json: &str, values: &[Values]) -> Reached {
    let Ok(book) = MappingBook::from_json(json) else {
        return Reached::Refused;
    };
    let mut reached = Reached::Read;
    for kind in TargetKind::ALL {
        let valid = book.validate(kind).is_ok();
        for version in &book.versions {
            let compiled = CompiledMapping::new(version, kind);
            assert!(
                compiled.is_ok() || !valid,
                "a version of a valid book does not compile: {:?}",
                compiled.err()
            );
            let Ok(mapping) = compiled else { continue };
            reached = Reached::Ran;
            for v in values {
                let v = v.lend();
                let Ok(out) = mapping.apply(&v) else { continue };
                for f in target_fields(kind).iter().filter(|f| f.required) {
                    let filled = match f.role {
                        Role::Person => out.person.is_some(),
                        Role::Project => out.project.is_some(),
                        Role::Task => out.task.is_some(),
                        _ => true,
                    };
                    assert!(filled, "{kind:?}: required `{}` left empty", f.key);
                }
                if !mapping.uses(SourceField::Hours) && !mapping.uses(SourceField::DayHours) {
                    assert!(out.hours <= Hours::from_hours(24) && !out.hours.is_negative());
                }
            }
        }
    }
    reached
}

fn template_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z_ ]{0,6}",
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("{{".to_owned()),
        Just("}}".to_owned()),
        select(SourceField::ALL.to_vec()).prop_map(|f| format!("{{{}}}", f.key())),
        "\\PC{0,4}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2500))]

    #[test]
    fn arbitrary_rule_json_never_panics(
        doc in json(RULE_KEYS, RULE_WORDS),
        days in prop::collection::vec((person(), day()), 1..4),
    ) {
        exercise_rule_book(&doc.to_string(), &days);
        // The same document as a single version.
        let version = serde_json::json!({"effective_from": "2025-01-01", "standard_day": 8, "rules": doc});
        exercise_rule_book(&version.to_string(), &days);
    }

    #[test]
    fn mutated_seed_standard_never_panics(
        changes in mutations(RULE_KEYS, RULE_WORDS),
        days in prop::collection::vec((person(), day()), 1..5),
    ) {
        exercise_rule_book(&mutate(seed_json(), &changes), &days);
    }

    #[test]
    fn arbitrary_mapping_json_never_panics(
        doc in json(MAPPING_KEYS, MAPPING_WORDS),
        values in prop::collection::vec(values(), 1..3),
    ) {
        exercise_mapping(&doc.to_string(), &values);
        let book = serde_json::json!({"versions": [{"effective_from": "2026-01-01", "lines": doc}]});
        exercise_mapping(&book.to_string(), &values);
    }

    #[test]
    fn mutated_default_mappings_never_panic(
        kind in select(TargetKind::ALL.to_vec()),
        changes in mutations(MAPPING_KEYS, MAPPING_WORDS),
        values in prop::collection::vec(values(), 1..4),
    ) {
        exercise_mapping(&mutate(default_mapping_json(kind), &changes), &values);
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn templates_compile_or_say_why(text in template_text(), values in values()) {
        match CompiledTemplate::compile(&text) {
            Ok(t) => {
                let mut out = String::new();
                t.render(&values.lend(), &mut out);
            }
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }

    #[test]
    fn escaped_text_renders_as_itself(text in "\\PC{0,30}") {
        let escaped = text.replace('{', "{{").replace('}', "}}");
        let t = CompiledTemplate::compile(&escaped);
        prop_assert!(t.is_ok(), "{:?}", t.err());
        let mut out = String::new();
        if let Ok(t) = t {
            t.render(&SourceValues::default(), &mut out);
        }
        prop_assert_eq!(out, text);
    }

    #[test]
    fn date_formats_that_compile_write_every_date(
        format in prop_oneof!["[%a-zA-Z0-9:.#_+^ -]{0,16}", "\\PC{0,16}"],
        date in any_date(),
    ) {
        if let Some(f) = CompiledDateFormat::compile(&format) {
            let mut out = String::new();
            prop_assert!(f.write(date, &mut out).is_ok(), "{} on {}", format, date);
        }
    }
}

/// Draws `n` values of `strategy` (deterministically).
fn sample<S: Strategy>(strategy: S, n: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::deterministic();
    (0..n)
        .filter_map(|_| strategy.new_tree(&mut runner).ok().map(|t| t.current()))
        .collect()
}

#[test]
fn mutated_documents_often_reach_the_engine_and_the_mapping() {
    let days = sample((person(), day()), 3);
    let changes = sample(mutations(RULE_KEYS, RULE_WORDS), 200);
    let reached: Vec<Reached> = changes
        .iter()
        .map(|c| exercise_rule_book(&mutate(seed_json(), c), &days))
        .collect();
    let ran = reached.iter().filter(|r| **r == Reached::Ran).count();
    assert!(ran >= 40, "only {ran} of 200 mutated rule books ran");

    let values = sample(values(), 3);
    let changes = sample(mutations(MAPPING_KEYS, MAPPING_WORDS), 200);
    let ran = changes
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            let kind = TargetKind::ALL[i % TargetKind::ALL.len()];
            exercise_mapping(&mutate(default_mapping_json(kind), c), &values) == Reached::Ran
        })
        .count();
    assert!(ran >= 40, "only {ran} of 200 mutated mappings compiled");
}
