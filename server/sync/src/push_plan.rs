//! What to do on the target so that it holds exactly the computed lines.
//!
//! Every worklog HourBridge writes is keyed by its [`ExternalId`] (person,
//! day, item) and recorded in the ledger twice: as **pending** before the
//! write, as **written** (with the target's worklog id) after it. A line
//! whose entry is still pending was interrupted between the two — the
//! write may or may not have happened — so it is **resolved** by looking
//! the worklog up on the target by its external id, never by writing again.
//!
//! For each external id in the scope:
//!
//! | ledger            | computed line            | action                       |
//! |-------------------|--------------------------|------------------------------|
//! | none / deleted    | present                  | create                       |
//! | pending           | any                      | resolve (read back first)    |
//! | written           | same minutes and comment | nothing                      |
//! | written           | different                | update (or replace, or fail) |
//! | written           | absent                   | delete (or fail)             |
//!
//! Systems that cannot edit worklogs (ZenTao) get a replacement — delete
//! then create — when they can delete, and otherwise the line fails with a
//! reason an admin can act on.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use hourbridge_pm::{Capabilities, ExternalId, ItemRef};
use serde::{Deserialize, Serialize};

/// One computed worklog line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desired {
    pub external_id: ExternalId,
    /// The PM user the hours belong to.
    pub person: String,
    pub item: ItemRef,
    pub date: NaiveDate,
    pub minutes: u32,
    pub comment: String,
}

/// Where a ledger entry stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LedgerState {
    /// Recorded before a write whose answer was never recorded.
    Pending,
    /// Written; the target's id for it.
    Written { worklog_id: String },
    /// Deleted from the target by HourBridge.
    Deleted,
}

/// What HourBridge recorded about one external id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub external_id: ExternalId,
    pub item: ItemRef,
    pub date: NaiveDate,
    pub minutes: u32,
    pub comment: String,
    pub state: LedgerState,
}

/// One step of a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Write a new worklog (record pending first).
    Create(Desired),
    /// An interrupted write: look the worklog up by its external id, record
    /// what is found, then create, update or delete as `then` says (with
    /// `None` meaning the line is no longer wanted).
    Resolve {
        entry: LedgerEntry,
        then: Option<Desired>,
    },
    /// Change a written worklog.
    Update {
        worklog_id: String,
        desired: Desired,
    },
    /// Delete the written worklog, then create the line anew (systems that
    /// cannot edit).
    Replace {
        worklog_id: String,
        desired: Desired,
    },
    /// Remove a written worklog that is no longer computed.
    Delete {
        entry: LedgerEntry,
        worklog_id: String,
    },
    /// The target cannot do what the line needs; the line fails with this
    /// reason (nothing is written).
    Refuse {
        external_id: ExternalId,
        reason: Refusal,
    },
}

/// Why a line cannot be brought in line on this system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The hours changed but the system can neither edit nor delete
    /// worklogs: someone must change it by hand.
    CannotChange,
    /// The line is no longer computed but the system cannot delete.
    CannotDelete,
}

impl Refusal {
    /// A stable reason code, stored with the failed item.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::CannotChange => "target_cannot_change",
            Refusal::CannotDelete => "target_cannot_delete",
        }
    }
}

/// The actions that make the target hold exactly `desired` for the scope
/// whose ledger entries are `ledger`, in a stable order (by external id).
/// Lines already in place give no action.
pub fn plan(
    desired: &[Desired],
    ledger: &[LedgerEntry],
    capabilities: Capabilities,
) -> Vec<Action> {
    let mut wanted: BTreeMap<&ExternalId, &Desired> = BTreeMap::new();
    for d in desired {
        wanted.insert(&d.external_id, d);
    }
    let recorded: BTreeMap<&ExternalId, &LedgerEntry> =
        ledger.iter().map(|e| (&e.external_id, e)).collect();
    let mut ids: Vec<&ExternalId> = wanted.keys().chain(recorded.keys()).copied().collect();
    ids.sort();
    ids.dedup();
    let mut actions = Vec::new();
    for id in ids {
        let want = wanted.get(id).copied();
        let entry = recorded.get(id).copied();
        if let Some(action) = decide(want, entry, capabilities) {
            actions.push(action);
        }
    }
    actions
}

fn decide(
    want: Option<&Desired>,
    entry: Option<&LedgerEntry>,
    capabilities: Capabilities,
) -> Option<Action> {
    match (entry.map(|e| &e.state), want) {
        (None | Some(LedgerState::Deleted), Some(d)) => Some(Action::Create(d.clone())),
        (None | Some(LedgerState::Deleted), None) => None,
        (Some(LedgerState::Pending), then) => entry.map(|e| Action::Resolve {
            entry: e.clone(),
            then: then.cloned(),
        }),
        (Some(LedgerState::Written { worklog_id }), Some(d)) => {
            let e = entry?;
            if e.minutes == d.minutes && e.comment == d.comment && e.item == d.item {
                None
            } else if capabilities.update && e.item == d.item {
                Some(Action::Update {
                    worklog_id: worklog_id.clone(),
                    desired: d.clone(),
                })
            } else if capabilities.delete {
                Some(Action::Replace {
                    worklog_id: worklog_id.clone(),
                    desired: d.clone(),
                })
            } else {
                Some(Action::Refuse {
                    external_id: d.external_id.clone(),
                    reason: Refusal::CannotChange,
                })
            }
        }
        (Some(LedgerState::Written { worklog_id }), None) => {
            let e = entry?;
            if capabilities.delete {
                Some(Action::Delete {
                    entry: e.clone(),
                    worklog_id: worklog_id.clone(),
                })
            } else {
                Some(Action::Refuse {
                    external_id: e.external_id.clone(),
                    reason: Refusal::CannotDelete,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests;
