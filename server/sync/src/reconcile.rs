//! Comparing what a target holds with what HourBridge computed and
//! recorded, pure:
//!
//! - [`day`]: one person-day's findings for the reconciliation page —
//!   lines missing on the target, worklogs carrying the same external id
//!   twice, hours changed on the target, HourBridge worklogs no longer
//!   computed, and hours logged (by hand and by HourBridge) above the hours
//!   attended;
//! - [`repairs`]: how to bring the ledger in line with the target before a
//!   push, so that the push restores what was deleted or changed by hand
//!   and removes duplicates, instead of trusting a stale ledger.

use std::collections::BTreeMap;

use hourbridge_pm::{ExternalId, Worklog};
use serde::{Deserialize, Serialize};

use crate::push_plan::{Desired, LedgerEntry, LedgerState};

/// Something the reconciliation page shows about a person-day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// A computed line the target does not hold.
    Missing { external_id: ExternalId },
    /// Several worklogs carry one external id.
    Duplicated {
        external_id: ExternalId,
        count: usize,
    },
    /// The target holds other minutes than computed.
    Different {
        external_id: ExternalId,
        computed: u32,
        held: u32,
    },
    /// A worklog of HourBridge's that is no longer computed.
    Extra { external_id: ExternalId },
    /// More minutes logged than attended.
    OverLogged { attended: u32, logged: u32 },
}

impl Finding {
    /// A stable code for filters and the CSV.
    pub fn code(&self) -> &'static str {
        match self {
            Finding::Missing { .. } => "missing",
            Finding::Duplicated { .. } => "duplicated",
            Finding::Different { .. } => "different",
            Finding::Extra { .. } => "extra",
            Finding::OverLogged { .. } => "over_logged",
        }
    }
}

/// One person-day compared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayReport {
    /// Minutes HourBridge computed (its lines).
    pub computed: u32,
    /// Minutes the target holds in HourBridge's worklogs.
    pub by_hourbridge: u32,
    /// Minutes the target holds in worklogs logged by hand.
    pub by_hand: u32,
    pub findings: Vec<Finding>,
}

fn sum(minutes: impl Iterator<Item = u32>) -> u32 {
    minutes.fold(0u32, u32::saturating_add)
}

/// Compares one person-day: the computed `lines`, the target's `held`
/// worklogs of the person that day (HourBridge's and by hand), and the
/// attended minutes (none: not computed).
pub fn day(lines: &[Desired], held: &[Worklog], attended: Option<u32>) -> DayReport {
    let mut ours: BTreeMap<&ExternalId, Vec<&Worklog>> = BTreeMap::new();
    let mut by_hand = Vec::new();
    for w in held {
        match &w.external_id {
            Some(id) => ours.entry(id).or_default().push(w),
            None => by_hand.push(w),
        }
    }
    let mut findings = Vec::new();
    for line in lines {
        match ours.get(&line.external_id).map(Vec::as_slice) {
            None | Some([]) => findings.push(Finding::Missing {
                external_id: line.external_id.clone(),
            }),
            Some([one]) if one.minutes != line.minutes => findings.push(Finding::Different {
                external_id: line.external_id.clone(),
                computed: line.minutes,
                held: one.minutes,
            }),
            Some([_]) => {}
            Some(many) => findings.push(Finding::Duplicated {
                external_id: line.external_id.clone(),
                count: many.len(),
            }),
        }
    }
    for (id, worklogs) in &ours {
        if !lines.iter().any(|l| &l.external_id == *id) {
            findings.push(Finding::Extra {
                external_id: (*id).clone(),
            });
            if worklogs.len() > 1 {
                findings.push(Finding::Duplicated {
                    external_id: (*id).clone(),
                    count: worklogs.len(),
                });
            }
        }
    }
    let by_hourbridge = sum(ours.values().flatten().map(|w| w.minutes));
    let by_hand = sum(by_hand.iter().map(|w| w.minutes));
    let logged = by_hourbridge.saturating_add(by_hand);
    if let Some(attended) = attended {
        if logged > attended {
            findings.push(Finding::OverLogged { attended, logged });
        }
    }
    DayReport {
        computed: sum(lines.iter().map(|l| l.minutes)),
        by_hourbridge,
        by_hand,
        findings,
    }
}

/// A correction of the ledger (or of the target) found by reading it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repair {
    /// The ledger says written, the target has no such worklog (deleted by
    /// hand): record it as deleted, so that the push writes it again.
    Gone(LedgerEntry),
    /// The target holds the worklog with other minutes (changed by hand):
    /// record what it holds, so that the push changes it back.
    Changed(LedgerEntry),
    /// The target holds one of HourBridge's worklogs the ledger does not
    /// know as written (a write recorded as pending, or made before the
    /// ledger): record it, so that the push keeps, changes or deletes it.
    Found(LedgerEntry),
    /// Worklogs carrying an external id beyond the one kept: delete them.
    Duplicates { keep: String, delete: Vec<Worklog> },
}

/// What to correct so that the ledger describes `held` — every worklog
/// of the target carrying an external id, over the scope of `ledger`.
pub fn repairs(ledger: &[LedgerEntry], held: &[Worklog]) -> Vec<Repair> {
    let mut on_target: BTreeMap<&ExternalId, Vec<&Worklog>> = BTreeMap::new();
    for w in held {
        if let Some(id) = &w.external_id {
            on_target.entry(id).or_default().push(w);
        }
    }
    let recorded: BTreeMap<&ExternalId, &LedgerEntry> =
        ledger.iter().map(|e| (&e.external_id, e)).collect();
    let mut out = Vec::new();
    for entry in ledger {
        if let LedgerState::Written { .. } = entry.state {
            if !on_target.contains_key(&entry.external_id) {
                out.push(Repair::Gone(LedgerEntry {
                    state: LedgerState::Deleted,
                    ..entry.clone()
                }));
            }
        }
    }
    for (id, worklogs) in &on_target {
        let entry = recorded.get(id).copied();
        // Keep the worklog the ledger names, else the oldest (lowest id).
        let mut sorted = worklogs.clone();
        sorted.sort_by(|a, b| natural(&a.id).cmp(&natural(&b.id)));
        let named = entry.and_then(|e| match &e.state {
            LedgerState::Written { worklog_id } => {
                sorted.iter().find(|w| &w.id == worklog_id).copied()
            }
            _ => None,
        });
        let Some(keep) = named.or_else(|| sorted.first().copied()) else {
            continue;
        };
        if sorted.len() > 1 {
            out.push(Repair::Duplicates {
                keep: keep.id.clone(),
                delete: sorted
                    .iter()
                    .filter(|w| w.id != keep.id)
                    .map(|w| (*w).clone())
                    .collect(),
            });
        }
        let written = LedgerState::Written {
            worklog_id: keep.id.clone(),
        };
        match entry {
            Some(e) if e.state == written && e.minutes == keep.minutes => {}
            Some(e) if e.state == written => out.push(Repair::Changed(LedgerEntry {
                minutes: keep.minutes,
                ..e.clone()
            })),
            Some(e) => out.push(Repair::Found(LedgerEntry {
                minutes: keep.minutes,
                state: written,
                ..e.clone()
            })),
            None => out.push(Repair::Found(LedgerEntry {
                external_id: (*id).clone(),
                item: keep.item.clone(),
                date: keep.date,
                minutes: keep.minutes,
                comment: keep.comment.clone(),
                state: written,
            })),
        }
    }
    out
}

/// Worklog ids compare as numbers when they are numbers.
fn natural(id: &str) -> (usize, &str) {
    (id.len(), id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use hourbridge_pm::ItemRef;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
    }

    fn item(task: &str) -> ItemRef {
        ItemRef {
            project: "EX".into(),
            task: Some(task.into()),
        }
    }

    fn ext(task: &str) -> ExternalId {
        ExternalId::new("u1", date(), task)
    }

    fn line(task: &str, minutes: u32) -> Desired {
        Desired {
            external_id: ext(task),
            person: "acc".into(),
            item: item(task),
            date: date(),
            minutes,
            comment: "c".into(),
        }
    }

    fn worklog(id: &str, task: &str, minutes: u32, ours: bool) -> Worklog {
        Worklog {
            id: id.into(),
            item: item(task),
            person: Some("acc".into()),
            date: date(),
            minutes,
            comment: "c".into(),
            external_id: ours.then(|| ext(task)),
        }
    }

    fn entry(task: &str, minutes: u32, state: LedgerState) -> LedgerEntry {
        LedgerEntry {
            external_id: ext(task),
            item: item(task),
            date: date(),
            minutes,
            comment: "c".into(),
            state,
        }
    }

    fn written(id: &str) -> LedgerState {
        LedgerState::Written {
            worklog_id: id.into(),
        }
    }

    #[test]
    fn a_day_in_line_has_no_findings() {
        let report = day(
            &[line("EX-1", 300), line("EX-2", 180)],
            &[
                worklog("1", "EX-1", 300, true),
                worklog("2", "EX-2", 180, true),
            ],
            Some(480),
        );
        assert!(report.findings.is_empty(), "{report:?}");
        assert_eq!(
            (report.computed, report.by_hourbridge, report.by_hand),
            (480, 480, 0)
        );
    }

    #[test]
    fn missing_different_duplicated_extra_and_over_logged_are_named() {
        let report = day(
            &[line("EX-1", 300), line("EX-2", 180), line("EX-3", 60)],
            &[
                worklog("1", "EX-1", 240, true),
                worklog("2", "EX-2", 180, true),
                worklog("3", "EX-2", 180, true),
                worklog("4", "EX-9", 30, true),
                worklog("5", "EX-5", 120, false),
            ],
            Some(540),
        );
        let codes: Vec<_> = report.findings.iter().map(Finding::code).collect();
        assert_eq!(
            codes,
            vec!["different", "duplicated", "missing", "extra", "over_logged"]
        );
        assert_eq!(report.by_hand, 120);
        assert_eq!(report.by_hourbridge, 240 + 360 + 30);
        assert!(report.findings.contains(&Finding::OverLogged {
            attended: 540,
            logged: 750
        }));
    }

    #[test]
    fn hand_logged_hours_alone_can_be_over_attendance() {
        let report = day(&[], &[worklog("7", "EX-5", 600, false)], Some(480));
        assert_eq!(report.findings.len(), 1);
        assert_eq!(report.findings[0].code(), "over_logged");
        // Not computed: nothing to compare with.
        assert!(day(&[], &[worklog("7", "EX-5", 600, false)], None)
            .findings
            .is_empty());
    }

    #[test]
    fn repairs_bring_the_ledger_to_what_the_target_holds() {
        let ledger = [
            entry("EX-1", 300, written("1")),
            entry("EX-2", 180, written("2")),
            entry("EX-3", 60, LedgerState::Pending),
            entry("EX-4", 60, written("4")),
        ];
        let held = [
            worklog("1", "EX-1", 300, true),
            worklog("2", "EX-2", 120, true),
            worklog("3", "EX-3", 60, true),
            worklog("12", "EX-1", 300, true),
            worklog("9", "EX-9", 30, true),
            worklog("10", "EX-5", 30, false),
        ];
        let fixes = repairs(&ledger, &held);
        assert!(fixes.contains(&Repair::Gone(entry("EX-4", 60, LedgerState::Deleted))));
        assert!(fixes.contains(&Repair::Changed(entry("EX-2", 120, written("2")))));
        assert!(fixes.contains(&Repair::Found(entry("EX-3", 60, written("3")))));
        assert!(fixes.contains(&Repair::Found(entry("EX-9", 30, written("9")))));
        assert!(fixes.contains(&Repair::Duplicates {
            keep: "1".into(),
            delete: vec![worklog("12", "EX-1", 300, true)],
        }));
        assert_eq!(fixes.len(), 5, "{fixes:#?}");
    }

    #[test]
    fn a_ledger_in_line_needs_no_repair_and_the_oldest_duplicate_is_kept() {
        let ledger = [entry("EX-1", 300, written("1"))];
        assert!(repairs(&ledger, &[worklog("1", "EX-1", 300, true)]).is_empty());
        let fixes = repairs(
            &[],
            &[
                worklog("10", "EX-1", 300, true),
                worklog("9", "EX-1", 300, true),
            ],
        );
        assert_eq!(
            fixes[0],
            Repair::Duplicates {
                keep: "9".into(),
                delete: vec![worklog("10", "EX-1", 300, true)],
            }
        );
    }
}
