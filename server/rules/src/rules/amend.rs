//! Saving a changed rule book without rewriting frozen days.
//!
//! Days up to a frozen date (a locked month, or the last synced day) must keep
//! their hours. A day is decided by the version in force on it, so a change is
//! safe when every version that starts on or before the frozen date is kept
//! exactly as it was, and every new version starts after it.

use chrono::NaiveDate;

use crate::error::{FieldError, Problem, RulesError};

use super::RuleBook;

/// Checks that `new` may replace `old` when days up to `frozen_through`
/// (inclusive) must not change: `new` must be valid, keep every version of
/// `old` starting on or before that date unchanged, and start any other
/// version after it. Without a frozen date, only validity is checked.
pub fn check_amendment(
    old: &RuleBook,
    new: &RuleBook,
    frozen_through: Option<NaiveDate>,
) -> Result<(), RulesError> {
    new.validate()?;
    let Some(frozen) = frozen_through else {
        return Ok(());
    };
    let mut errors = Vec::new();
    for old_version in old.versions.iter().filter(|v| v.effective_from <= frozen) {
        let kept = new
            .versions
            .iter()
            .position(|v| v.effective_from == old_version.effective_from);
        match kept {
            Some(i) if new.versions[i] == *old_version => {}
            Some(i) => errors.push(FieldError::new(
                format!("versions[{i}]"),
                Problem::FrozenVersionChanged,
            )),
            None => errors.push(FieldError::with_detail(
                "versions",
                Problem::FrozenVersionChanged,
                old_version.effective_from.to_string(),
            )),
        }
    }
    for (i, v) in new.versions.iter().enumerate() {
        let existed = old
            .versions
            .iter()
            .any(|o| o.effective_from == v.effective_from);
        if !existed && v.effective_from <= frozen {
            errors.push(FieldError::new(
                format!("versions[{i}].effective_from"),
                Problem::StartsInFrozenPeriod,
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(RulesError::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn problems(r: Result<(), RulesError>) -> Vec<(String, Problem)> {
        match r {
            Ok(()) => vec![],
            Err(e) => e
                .field_errors()
                .iter()
                .map(|f| (f.path.clone(), f.problem))
                .collect(),
        }
    }

    #[test]
    fn a_new_version_after_the_frozen_date_is_accepted() {
        let old = seed::seed_standard().unwrap();
        let mut new = old.clone();
        let mut next = new.versions[0].clone();
        next.effective_from = date("2026-04-01");
        next.daily_cap = None;
        new.versions.push(next);
        assert_eq!(
            problems(check_amendment(&old, &new, Some(date("2026-03-31")))),
            vec![]
        );
    }

    #[test]
    fn editing_a_version_that_covers_frozen_days_is_refused() {
        let old = seed::seed_standard().unwrap();
        let mut new = old.clone();
        new.versions[0].daily_cap = None;
        assert_eq!(
            problems(check_amendment(&old, &new, Some(date("2026-03-31")))),
            vec![("versions[0]".into(), Problem::FrozenVersionChanged)]
        );
        // Without frozen days the same edit is fine.
        assert_eq!(problems(check_amendment(&old, &new, None)), vec![]);
    }

    #[test]
    fn a_version_starting_inside_the_frozen_period_is_refused() {
        let old = seed::seed_standard().unwrap();
        let mut new = old.clone();
        let mut next = new.versions[0].clone();
        next.effective_from = date("2026-03-15");
        new.versions.push(next);
        assert_eq!(
            problems(check_amendment(&old, &new, Some(date("2026-03-31")))),
            vec![(
                "versions[1].effective_from".into(),
                Problem::StartsInFrozenPeriod
            )]
        );
    }

    #[test]
    fn removing_a_frozen_version_is_refused() {
        let old = seed::seed_standard().unwrap();
        let mut new = old.clone();
        new.versions[0].effective_from = date("2026-04-01");
        let p = problems(check_amendment(&old, &new, Some(date("2026-03-31"))));
        assert_eq!(p, vec![("versions".into(), Problem::FrozenVersionChanged)]);
    }
}
