//! Between the planner's types and the stored rows: ledger entries and
//! computed lines read back, the entries a write records, and the key,
//! date and reason code of an action.

use chrono::NaiveDate;
use hourbridge_pm::{ExternalId, ItemRef, PmError};
use hourbridge_sync::{Action, Desired, LedgerEntry, LedgerState};

use super::ItemFailure;
use crate::db::worklog_ledger::{LedgerRecord, LineRecord};

/// A stored ledger entry as the planner reads it.
pub fn entry_of(r: &LedgerRecord) -> Option<LedgerEntry> {
    let state = match (r.state.as_str(), &r.worklog_id) {
        ("pending", _) => LedgerState::Pending,
        ("written", Some(id)) => LedgerState::Written {
            worklog_id: id.clone(),
        },
        _ => LedgerState::Deleted,
    };
    Some(LedgerEntry {
        external_id: ExternalId::parse(&r.external_id)?,
        item: ItemRef {
            project: r.project.clone(),
            task: r.task.clone(),
        },
        date: NaiveDate::parse_from_str(&r.work_date, "%Y-%m-%d").ok()?,
        minutes: u32::try_from(r.minutes).ok()?,
        comment: r.comment.clone(),
        state,
    })
}

/// A stored computed line as the planner reads it.
pub fn desired_of(l: &LineRecord) -> Option<Desired> {
    Some(Desired {
        external_id: ExternalId::parse(&l.external_id)?,
        person: l.pm_user.clone(),
        item: ItemRef {
            project: l.project.clone(),
            task: l.task.clone(),
        },
        date: NaiveDate::parse_from_str(&l.work_date, "%Y-%m-%d").ok()?,
        minutes: u32::try_from(l.minutes).ok()?,
        comment: l.comment.clone(),
    })
}

pub(super) fn database(e: impl std::fmt::Display) -> ItemFailure {
    ItemFailure {
        error: PmError::Unreachable {
            system: "HourBridge database",
            detail: e.to_string(),
        },
        attempts: 1,
    }
}

pub(super) fn pending(d: &Desired) -> LedgerEntry {
    LedgerEntry {
        external_id: d.external_id.clone(),
        item: d.item.clone(),
        date: d.date,
        minutes: d.minutes,
        comment: d.comment.clone(),
        state: LedgerState::Pending,
    }
}

pub(super) fn written_entry(d: &Desired, worklog_id: String) -> LedgerEntry {
    LedgerEntry {
        state: LedgerState::Written { worklog_id },
        ..pending(d)
    }
}

pub(super) fn key_of(action: &Action) -> ExternalId {
    match action {
        Action::Create(d)
        | Action::Update { desired: d, .. }
        | Action::Replace { desired: d, .. } => d.external_id.clone(),
        Action::Resolve { entry, .. } | Action::Delete { entry, .. } => entry.external_id.clone(),
        Action::Refuse { external_id, .. } => external_id.clone(),
    }
}

pub(super) fn date_of(action: &Action) -> Option<NaiveDate> {
    match action {
        Action::Create(d)
        | Action::Update { desired: d, .. }
        | Action::Replace { desired: d, .. } => Some(d.date),
        Action::Resolve { entry, .. } | Action::Delete { entry, .. } => Some(entry.date),
        Action::Refuse { external_id, .. } => external_id
            .as_str()
            .split(':')
            .nth(2)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
    }
}

/// The stored reason code of a failed write.
pub fn reason_of(error: &PmError) -> &'static str {
    match error {
        PmError::Unsupported { .. } => "target_cannot_change",
        PmError::Rejected { status, .. } if *status >= 500 => "server_error",
        other => other.reason(),
    }
}
