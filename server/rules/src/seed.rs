//! Seed-standard: the rule set of the golden cases' README, shipped as data
//! (`data/seed-standard.json`) in the ordinary rule model, so that a new
//! installation can start from it with one click and edit it like any other.
//!
//! In short: rest days and statutory holidays count only approved overtime;
//! on a working day full-day sick leave skips the day, other full-day leave
//! gives 0, a full-day trip or outing gives 8 h plus overtime, no punch at
//! all (or absenteeism and no OffDuty punch) gives 0, and otherwise 8 h minus
//! the punch penalties (Late/SeriousLate/Early 1 h, NotSigned/Absenteeism
//! 4 h), minus leave, plus overtime; capped at 12 h and rounded down to the
//! half hour. Job titles whose lateness and early leave are waived are added
//! as an exception.

use chrono::NaiveDate;

use crate::error::RulesError;
use crate::hours::Hours;
use crate::model::TimeResult;
use crate::rules::{Exception, RuleBook};

/// The seed-standard version as JSON, effective from 2000-01-01.
pub const SEED_STANDARD_JSON: &str = include_str!("../data/seed-standard.json");

/// The id of the exception [`seed_standard_from`] adds for waived titles.
pub const EXCEPTION_TITLES_ID: &str = "exception-titles";

/// Seed-standard as shipped (effective from 2000-01-01, no exception).
pub fn seed_standard() -> Result<RuleBook, RulesError> {
    RuleBook::from_json(SEED_STANDARD_JSON)
}

/// Seed-standard effective from `effective_from`, with an exception waiving
/// lateness and early leave (Late, SeriousLate, Early cost 0) for
/// `exception_titles` when there are any.
pub fn seed_standard_from(
    effective_from: NaiveDate,
    exception_titles: &[String],
) -> Result<RuleBook, RulesError> {
    let mut book = seed_standard()?;
    for version in &mut book.versions {
        version.effective_from = effective_from;
        if !exception_titles.is_empty() {
            version.exceptions.push(Exception {
                id: EXCEPTION_TITLES_ID.to_owned(),
                name: "例外职位：迟到早退不扣工时".to_owned(),
                people: Vec::new(),
                titles: exception_titles.to_vec(),
                departments: Vec::new(),
                penalties: [TimeResult::Late, TimeResult::SeriousLate, TimeResult::Early]
                    .into_iter()
                    .map(|r| (r, Hours::ZERO))
                    .collect(),
                exempt_from: Vec::new(),
            });
        }
    }
    Ok(book)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_seed_is_valid() {
        let book = seed_standard().unwrap();
        book.validate().unwrap();
        assert_eq!(book.versions.len(), 1);
        assert_eq!(book.versions[0].name, "seed-standard");
        assert_eq!(book.versions[0].rules.len(), 6);
    }

    #[test]
    fn exception_titles_become_an_exception() {
        let day: NaiveDate = "2026-01-01".parse().unwrap();
        let book = seed_standard_from(day, &["外勤工程师".to_owned()]).unwrap();
        book.validate().unwrap();
        let v = &book.versions[0];
        assert_eq!(v.effective_from, day);
        assert_eq!(v.exceptions.len(), 1);
        assert_eq!(v.exceptions[0].penalties.len(), 3);
        let none = seed_standard_from(day, &[]).unwrap();
        assert!(none.versions[0].exceptions.is_empty());
    }

    #[test]
    fn the_seed_round_trips_through_json() {
        let book = seed_standard().unwrap();
        let again = RuleBook::from_json(&book.to_json().unwrap()).unwrap();
        assert_eq!(book, again);
    }
}
