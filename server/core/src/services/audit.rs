//! Appending to and reading the audit log.

use super::{Actor, Origin};
use crate::clock::{new_id, now_ms};
use crate::db::{audit as table, Db};
use crate::CoreError;
use hourbridge_domain::audit::{AuditAction, AuditEntry};

pub const PAGE_SIZE: i64 = 50;

/// Records an action. `actor` is `None` for anonymous events (e.g. failed logins).
pub async fn record(
    db: &Db,
    actor: Option<&Actor>,
    origin: &Origin,
    action: AuditAction,
    target: Option<&str>,
    detail: Option<&str>,
) -> Result<(), CoreError> {
    let id = new_id();
    table::insert(
        db,
        table::NewAuditEntry {
            id: &id,
            at_ms: now_ms(),
            actor_id: actor.map(|a| a.id.as_str()),
            actor: actor.map(|a| a.username.as_str()),
            action,
            target,
            detail,
            ip: origin.ip.as_deref(),
        },
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// One page (from 1) of entries, newest first.
pub async fn page(db: &Db, action: Option<AuditAction>, page: i64) -> Result<AuditPage, CoreError> {
    let page = page.max(1);
    let (entries, total) = table::page(db, action, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    Ok(AuditPage {
        entries,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}
