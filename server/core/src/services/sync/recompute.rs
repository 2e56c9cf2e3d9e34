//! Recomputation when the rules change: only the days on or after the
//! earliest version the save added, changed or removed, up to yesterday (a
//! year back at most), on every connection pair that runs by itself.
//! Locked months are left out once HR can lock them (issue 7).

use chrono::{Days, NaiveDate, Utc};
use hourbridge_domain::sync::{RunKind, RunTrigger, MAX_RUN_DAYS};
use hourbridge_rules::RuleBook;

use super::runs::{self, Request, RunScope};
use crate::db::sync_pairs;
use crate::services::{org_settings, rules, Actor, Origin};
use crate::{AppState, CoreError};

/// The first day whose hours `after` may decide differently from `before`:
/// the earliest effective date of a version added, changed or removed.
pub fn changed_from(before: &RuleBook, after: &RuleBook) -> Option<NaiveDate> {
    let same = |a: &hourbridge_rules::rules::RuleSet, b: &hourbridge_rules::rules::RuleSet| {
        serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
    };
    let changed = after.versions.iter().filter(|v| {
        !before
            .versions
            .iter()
            .any(|b| b.effective_from == v.effective_from && same(b, v))
    });
    let removed = before.versions.iter().filter(|b| {
        !after
            .versions
            .iter()
            .any(|v| v.effective_from == b.effective_from)
    });
    changed.chain(removed).map(|v| v.effective_from).min()
}

/// Saves the rule book (as [`rules::save_rule_book`]) and queues the
/// recomputation it calls for. Answers the revision and the runs queued.
pub async fn save_rules(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    based_on: Option<i64>,
    book: &RuleBook,
) -> Result<(i64, Vec<String>), CoreError> {
    let before = rules::rule_book(&state.db)
        .await?
        .map(|s| s.doc)
        .unwrap_or_default();
    let revision = rules::save_rule_book(&state.db, actor, origin, based_on, book).await?;
    let Some(from) = changed_from(&before, book) else {
        return Ok((revision, Vec::new()));
    };
    let tz = org_settings::time_zone(&state.db).await?.tz();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let Some(last) = today.checked_sub_days(Days::new(1)) else {
        return Ok((revision, Vec::new()));
    };
    let earliest = last
        .checked_sub_days(Days::new(u64::try_from(MAX_RUN_DAYS - 1).unwrap_or(365)))
        .unwrap_or(last);
    let first = from.max(earliest);
    if first > last {
        return Ok((revision, Vec::new()));
    }
    let mut queued = Vec::new();
    for pair in sync_pairs::all(&state.db).await? {
        if !pair.enabled || pair.paused_reason.is_some() {
            continue;
        }
        let run = runs::enqueue(
            state,
            Request {
                pair: &pair,
                kind: RunKind::Sync,
                trigger: RunTrigger::RulesChanged,
                first,
                last,
                scope: RunScope::default(),
                target_run: None,
                requested_by: Some(&actor.username),
            },
        )
        .await?;
        queued.push(run.id);
    }
    Ok((revision, queued))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(dates: &[(&str, u32)]) -> RuleBook {
        let seed = hourbridge_rules::seed::seed_standard().expect("seed");
        RuleBook {
            versions: dates
                .iter()
                .map(|(d, cap)| {
                    let mut v = seed.versions[0].clone();
                    v.effective_from = d.parse().expect("date");
                    v.name = format!("cap {cap}");
                    v
                })
                .collect(),
        }
    }

    #[test]
    fn the_earliest_added_changed_or_removed_version_decides() {
        let before = book(&[("2026-01-01", 8), ("2026-07-01", 8)]);
        assert_eq!(changed_from(&before, &before), None);
        let added = book(&[("2026-01-01", 8), ("2026-07-01", 8), ("2026-11-01", 8)]);
        assert_eq!(changed_from(&before, &added), "2026-11-01".parse().ok());
        let changed = book(&[("2026-01-01", 8), ("2026-07-01", 9)]);
        assert_eq!(changed_from(&before, &changed), "2026-07-01".parse().ok());
        let removed = book(&[("2026-01-01", 8)]);
        assert_eq!(changed_from(&before, &removed), "2026-07-01".parse().ok());
        assert_eq!(
            changed_from(&RuleBook::default(), &before),
            "2026-01-01".parse().ok()
        );
    }
}
