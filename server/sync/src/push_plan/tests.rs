use super::*;
use hourbridge_pm::TargetKind;
use proptest::prelude::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn item(task: &str) -> ItemRef {
    ItemRef {
        project: "EX".into(),
        task: Some(task.into()),
    }
}

fn line(person: &str, d: u32, task: &str, minutes: u32) -> Desired {
    Desired {
        external_id: ExternalId::new(person, day(d), task),
        person: format!("pm-{person}"),
        item: item(task),
        date: day(d),
        minutes,
        comment: format!("考勤同步 {}", day(d)),
    }
}

fn written(d: &Desired, worklog_id: &str) -> LedgerEntry {
    LedgerEntry {
        external_id: d.external_id.clone(),
        item: d.item.clone(),
        date: d.date,
        minutes: d.minutes,
        comment: d.comment.clone(),
        state: LedgerState::Written {
            worklog_id: worklog_id.into(),
        },
    }
}

fn jira() -> Capabilities {
    Capabilities::of(TargetKind::JiraCloud)
}

fn zentao() -> Capabilities {
    Capabilities::of(TargetKind::Zentao)
}

#[test]
fn new_lines_are_created_and_lines_in_place_left_alone() {
    let a = line("u1", 2, "EX-1", 480);
    let b = line("u2", 2, "EX-1", 240);
    let actions = plan(&[a.clone(), b.clone()], &[written(&a, "10001")], jira());
    assert_eq!(actions, vec![Action::Create(b)]);
}

#[test]
fn a_changed_line_is_updated_where_the_system_can_edit() {
    let before = line("u1", 2, "EX-1", 480);
    let after = Desired {
        minutes: 420,
        ..before.clone()
    };
    let actions = plan(
        std::slice::from_ref(&after),
        &[written(&before, "10001")],
        jira(),
    );
    assert_eq!(
        actions,
        vec![Action::Update {
            worklog_id: "10001".into(),
            desired: after
        }]
    );
}

#[test]
fn a_line_no_longer_computed_is_deleted() {
    let gone = line("u1", 3, "EX-2", 60);
    let entry = written(&gone, "10002");
    let actions = plan(&[], std::slice::from_ref(&entry), jira());
    assert_eq!(
        actions,
        vec![Action::Delete {
            entry,
            worklog_id: "10002".into()
        }]
    );
}

#[test]
fn an_interrupted_write_is_resolved_by_reading_back_never_written_again() {
    let a = line("u1", 2, "EX-1", 480);
    let pending = LedgerEntry {
        state: LedgerState::Pending,
        ..written(&a, "")
    };
    let actions = plan(
        std::slice::from_ref(&a),
        std::slice::from_ref(&pending),
        jira(),
    );
    assert_eq!(
        actions,
        vec![Action::Resolve {
            entry: pending.clone(),
            then: Some(a)
        }]
    );
    // Not wanted any more: still resolved first (it may exist), then removed.
    let actions = plan(&[], std::slice::from_ref(&pending), jira());
    assert_eq!(
        actions,
        vec![Action::Resolve {
            entry: pending,
            then: None
        }]
    );
}

#[test]
fn a_deleted_entry_is_written_again_when_the_line_comes_back() {
    let a = line("u1", 2, "EX-1", 480);
    let deleted = LedgerEntry {
        state: LedgerState::Deleted,
        ..written(&a, "")
    };
    assert_eq!(
        plan(
            std::slice::from_ref(&a),
            std::slice::from_ref(&deleted),
            jira()
        ),
        vec![Action::Create(a)]
    );
    assert_eq!(plan(&[], &[deleted], jira()), vec![]);
}

#[test]
fn a_system_that_cannot_edit_or_delete_refuses_with_a_reason() {
    // ZenTao: no update, no delete over the API.
    let before = line("u1", 2, "101", 480);
    let after = Desired {
        minutes: 240,
        ..before.clone()
    };
    let caps = zentao();
    assert!(!caps.update && !caps.delete);
    let actions = plan(std::slice::from_ref(&after), &[written(&before, "7")], caps);
    assert_eq!(
        actions,
        vec![Action::Refuse {
            external_id: after.external_id.clone(),
            reason: Refusal::CannotChange
        }]
    );
    let actions = plan(&[], &[written(&before, "7")], caps);
    assert!(
        matches!(
            &actions[..],
            [Action::Refuse {
                reason: Refusal::CannotDelete,
                ..
            }]
        ),
        "{actions:?}"
    );
    assert_eq!(Refusal::CannotDelete.code(), "target_cannot_delete");
}

#[test]
fn a_system_that_can_delete_but_not_edit_replaces() {
    let before = line("u1", 2, "EX-1", 480);
    let after = Desired {
        comment: "新的备注".into(),
        ..before.clone()
    };
    let caps = Capabilities {
        update: false,
        delete: true,
        ..jira()
    };
    assert_eq!(
        plan(std::slice::from_ref(&after), &[written(&before, "9")], caps),
        vec![Action::Replace {
            worklog_id: "9".into(),
            desired: after
        }]
    );
}

/// Applies a plan to a simulated target (which keeps every copy written,
/// so a second write of a line shows) and ledger, as the push step does:
/// every interrupted write is found again on the target when resolved.
fn apply(
    actions: &[Action],
    target: &mut BTreeMap<ExternalId, Vec<Desired>>,
    ledger: &mut BTreeMap<ExternalId, LedgerEntry>,
) {
    let record = |ledger: &mut BTreeMap<ExternalId, LedgerEntry>, d: &Desired| {
        ledger.insert(
            d.external_id.clone(),
            LedgerEntry {
                external_id: d.external_id.clone(),
                item: d.item.clone(),
                date: d.date,
                minutes: d.minutes,
                comment: d.comment.clone(),
                state: LedgerState::Written {
                    worklog_id: d.external_id.to_string(),
                },
            },
        );
    };
    for a in actions {
        match a {
            Action::Create(d) => {
                target
                    .entry(d.external_id.clone())
                    .or_default()
                    .push(d.clone());
                record(ledger, d);
            }
            Action::Update { desired: d, .. } | Action::Replace { desired: d, .. } => {
                target.insert(d.external_id.clone(), vec![d.clone()]);
                record(ledger, d);
            }
            Action::Resolve { entry, then } => match then {
                // Found on the target: brought in line, not written again.
                Some(d) => {
                    target.insert(d.external_id.clone(), vec![d.clone()]);
                    record(ledger, d);
                }
                None => {
                    target.remove(&entry.external_id);
                    ledger.remove(&entry.external_id);
                }
            },
            Action::Delete { entry, .. } => {
                target.remove(&entry.external_id);
                if let Some(e) = ledger.get_mut(&entry.external_id) {
                    e.state = LedgerState::Deleted;
                }
            }
            Action::Refuse { .. } => {}
        }
    }
}

fn lines() -> impl Strategy<Value = Vec<Desired>> {
    proptest::collection::vec((0u8..6, 1u32..8, 0u8..3, 0u32..600), 0..20).prop_map(|raw| {
        let mut out: BTreeMap<ExternalId, Desired> = BTreeMap::new();
        for (p, d, t, m) in raw {
            let l = line(&format!("u{p}"), d, &format!("EX-{t}"), m);
            out.insert(l.external_id.clone(), l);
        }
        out.into_values().collect()
    })
}

proptest! {
    /// Whatever was written before (some writes interrupted before their
    /// record), one planned push leaves the target with exactly one copy of
    /// each computed line, and a second plan has nothing to do.
    #[test]
    fn one_push_makes_the_target_match_and_the_next_is_empty(before in lines(), after in lines(), interrupted in 0usize..4) {
        let mut target = BTreeMap::new();
        let mut ledger = BTreeMap::new();
        apply(&plan(&before, &[], jira()), &mut target, &mut ledger);
        // Some writes were interrupted after the target took them.
        for e in ledger.values_mut().take(interrupted) {
            e.state = LedgerState::Pending;
        }
        let entries: Vec<LedgerEntry> = ledger.values().cloned().collect();
        apply(&plan(&after, &entries, jira()), &mut target, &mut ledger);
        let expected: BTreeMap<ExternalId, Vec<Desired>> =
            after.iter().map(|d| (d.external_id.clone(), vec![d.clone()])).collect();
        prop_assert_eq!(&target, &expected);
        let entries: Vec<LedgerEntry> = ledger.values().cloned().collect();
        prop_assert!(plan(&after, &entries, jira()).is_empty());
    }
}
