//! The rule model: what an admin draws in the browser, stored as JSON.
//!
//! A [`RuleBook`] holds versions ([`RuleSet`]), each effective from a date:
//! a day is evaluated with the version of the latest effective-from date on
//! or before it, so a new version never changes a day before its date.
//!
//! Within a version the rules are ordered and the **first rule whose
//! conditions all hold decides the day**. Its outcome is either "skip the
//! day" (no worklog) or hours: a base (fixed hours or the actual punch times
//! minus breaks) followed by adjustments in order (a per-result penalty
//! table; approval hours added or subtracted). The running total never goes
//! below zero. Then the version's daily cap applies, then its rounding.
//!
//! Exceptions (例外规则) name people, job titles or departments; for them
//! they override entries of every penalty table (e.g. lateness costs
//! nothing) and/or exempt them from named rules.
//!
//! JSON shape (see `data/seed-standard.json` for a whole version):
//!
//! ```json
//! {"id": "trip", "name": "出差/外出满一天",
//!  "when": [{"if": "day_type", "any_of": ["workday", "makeup_workday"]},
//!           {"if": "approval", "kinds": ["business_trip", "outing"], "compare": ">=", "hours": 8}],
//!  "then": {"do": "hours", "base": {"from": "fixed", "hours": 8},
//!           "adjust": [{"by": "approvals", "op": "add", "kinds": ["overtime"]}],
//!           "status": "trip"}}
//! ```

mod amend;
mod outcome;
mod status;
mod validate;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::RulesError;
use crate::hours::Hours;
use crate::model::{ApprovalKind, DayType, TimeResult};

pub use amend::check_amendment;
pub use outcome::{
    Adjustment, Base, Break, Checks, ClockTime, Op, Outcome, PenaltyTable, Rounding, RoundingMode,
};
pub use status::Status;
pub use validate::{MAX_ADJUSTMENTS, MAX_CONDITIONS, MAX_EXCEPTIONS, MAX_RULES, MAX_VERSIONS};

/// Every version of an organisation's rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleBook {
    /// The versions, in any order (each has its own effective-from date).
    pub versions: Vec<RuleSet>,
}

impl RuleBook {
    /// Reads a rule book from JSON. A single version (an object with
    /// `effective_from` and `rules`) is accepted as a book of one version.
    pub fn from_json(json: &str) -> Result<RuleBook, RulesError> {
        let value: serde_json::Value = serde_json::from_str(json)?;
        if value.get("versions").is_some() {
            Ok(serde_json::from_value(value)?)
        } else {
            Ok(RuleBook {
                versions: vec![serde_json::from_value(value)?],
            })
        }
    }

    /// Pretty JSON, as the editor stores it.
    pub fn to_json(&self) -> Result<String, RulesError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Every problem of every version, or `Ok`.
    pub fn validate(&self) -> Result<(), RulesError> {
        let errors = validate::book(self);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(RulesError::Invalid(errors))
        }
    }

    /// The version in force on `date`: the latest effective-from date on or
    /// before it.
    pub fn version_for(&self, date: NaiveDate) -> Option<&RuleSet> {
        self.versions
            .iter()
            .filter(|v| v.effective_from <= date)
            .max_by_key(|v| v.effective_from)
    }
}

/// One version of the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    /// The first local date this version decides.
    pub effective_from: NaiveDate,
    /// A label for people (`seed-standard`).
    #[serde(default)]
    pub name: String,
    /// A standard working day (8 h); "worked" means at least this much.
    pub standard_day: Hours,
    /// The most hours one day can give, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_cap: Option<Hours>,
    /// How the day's hours are rounded, after the cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
    /// The leave types rules may name (DingTalk's leave-type names). A rule
    /// naming any other is refused, so a typo cannot silently never match.
    #[serde(default)]
    pub leave_types: Vec<String>,
    /// Ordered: the first rule whose conditions all hold decides the day.
    pub rules: Vec<Rule>,
    /// Exceptions for named people, titles or departments (例外规则).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,
}

/// One rule: conditions and an outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// A stable id (exceptions refer to it; explanations show it).
    pub id: String,
    /// What the admin calls it.
    #[serde(default)]
    pub name: String,
    /// All must hold (an empty list always holds).
    #[serde(default)]
    pub when: Vec<Condition>,
    /// What the rule does. Optional only so that an unfinished rule can be
    /// reported at its field; a rule book with a rule without an outcome is
    /// refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then: Option<Outcome>,
}

/// One condition, possibly negated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// What is tested.
    #[serde(flatten)]
    pub test: Test,
    /// Holds when the test does not.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl From<Test> for Condition {
    fn from(test: Test) -> Self {
        Condition { test, not: false }
    }
}

/// What a condition tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "if", rename_all = "snake_case")]
pub enum Test {
    /// The day's type is one of these.
    DayType { any_of: Vec<DayType> },
    /// The OnDuty result is one of these.
    OnDuty { any_of: Vec<TimeResult> },
    /// The OffDuty result is one of these.
    OffDuty { any_of: Vec<TimeResult> },
    /// The day's hours of approvals of these kinds (leave restricted to
    /// `leave_types` when given) compare to `hours`.
    Approval {
        kinds: Vec<ApprovalKind>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        leave_types: Vec<String>,
        compare: Compare,
        hours: Hours,
    },
    /// The person is in one of these departments.
    Department { any_of: Vec<i64> },
    /// The person's job title is one of these.
    Title { any_of: Vec<String> },
    /// The person is one of these (DingTalk userids).
    Person { any_of: Vec<String> },
}

/// A comparison of hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Compare {
    /// `≥`
    #[serde(rename = ">=")]
    AtLeast,
    /// `>`
    #[serde(rename = ">")]
    Above,
    /// `≤`
    #[serde(rename = "<=")]
    AtMost,
    /// `<`
    #[serde(rename = "<")]
    Below,
    /// `=`
    #[serde(rename = "=")]
    Equal,
}

impl Compare {
    /// `left <op> right`.
    pub fn holds(self, left: Hours, right: Hours) -> bool {
        match self {
            Compare::AtLeast => left >= right,
            Compare::Above => left > right,
            Compare::AtMost => left <= right,
            Compare::Below => left < right,
            Compare::Equal => left == right,
        }
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Compare::AtLeast => "≥",
            Compare::Above => ">",
            Compare::AtMost => "≤",
            Compare::Below => "<",
            Compare::Equal => "=",
        }
    }
}

/// An exception (例外规则): who it is for, and what changes for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exception {
    /// A stable id.
    pub id: String,
    /// What the admin calls it.
    #[serde(default)]
    pub name: String,
    /// DingTalk userids it covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<String>,
    /// Job titles it covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<String>,
    /// Departments it covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<i64>,
    /// Entries that replace those of every penalty table for these people
    /// (`{"Late": 0}` waives lateness). The first listed exception wins.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub penalties: PenaltyTable,
    /// Ids of rules that never apply to these people.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_from: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(x: &str) -> Hours {
        Hours::parse_decimal(x).unwrap()
    }

    #[test]
    fn conditions_read_and_write_as_flat_objects() {
        let json = r#"{"if":"approval","kinds":["leave"],"leave_types":["病假"],"compare":">=","hours":8,"not":true}"#;
        let c: Condition = serde_json::from_str(json).unwrap();
        assert!(c.not);
        assert_eq!(
            c.test,
            Test::Approval {
                kinds: vec![ApprovalKind::Leave],
                leave_types: vec!["病假".into()],
                compare: Compare::AtLeast,
                hours: h("8"),
            }
        );
        assert_eq!(serde_json::to_string(&c).unwrap(), json);
        let c: Condition =
            serde_json::from_str(r#"{"if":"on_duty","any_of":["Late","SeriousLate"]}"#).unwrap();
        assert!(!c.not);
    }

    #[test]
    fn the_version_in_force_is_the_latest_started() {
        let v = |d: &str| RuleSet {
            effective_from: d.parse().unwrap(),
            name: d.into(),
            standard_day: h("8"),
            daily_cap: None,
            rounding: None,
            leave_types: vec![],
            rules: vec![],
            exceptions: vec![],
        };
        let book = RuleBook {
            versions: vec![v("2026-03-01"), v("2026-01-01")],
        };
        let on = |d: &str| {
            book.version_for(d.parse().unwrap())
                .map(|v| v.name.as_str())
        };
        assert_eq!(on("2025-12-31"), None);
        assert_eq!(on("2026-01-01"), Some("2026-01-01"));
        assert_eq!(on("2026-02-28"), Some("2026-01-01"));
        assert_eq!(on("2026-03-01"), Some("2026-03-01"));
    }

    #[test]
    fn a_single_version_reads_as_a_book() {
        let json = r#"{"effective_from":"2026-01-01","standard_day":8,"rules":[]}"#;
        let book = RuleBook::from_json(json).unwrap();
        assert_eq!(book.versions.len(), 1);
        assert!(RuleBook::from_json("[1,2]").is_err());
    }
}
