//! Each PM connection's field mapping: read (the saved one, else the
//! system's default), and save a new revision — refused, with every problem
//! at its path, when a required field is left without a line or a transform
//! is wrong; the previous revision is kept.

use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::target::TargetKind;
use hourbridge_domain::ConnectionId;
use hourbridge_rules::allocation::AllocationPlan;
use hourbridge_rules::mapping::MappingBook;

use super::documents::{self, Stored};
use super::{audit, pm_connections, Actor, Origin};
use crate::db::rule_documents::DocKind;
use crate::{AppState, CoreError};

/// A connection's mapping as the editor opens it.
#[derive(Debug, Clone)]
pub struct MappingState {
    pub kind: TargetKind,
    /// The saved mapping, if any.
    pub saved: Option<Stored<MappingBook>>,
    /// What applies now: the saved mapping, else the system's default.
    pub book: MappingBook,
}

pub async fn get(state: &AppState, pm_id: &str) -> Result<MappingState, CoreError> {
    let summary = pm_connections::get(state, &ConnectionId::new(pm_id)).await?;
    let saved = documents::load::<MappingBook>(&state.db, DocKind::Mapping, pm_id).await?;
    let book = saved
        .as_ref()
        .map(|s| s.doc.clone())
        .unwrap_or_else(|| MappingBook::default_for(summary.kind));
    Ok(MappingState {
        kind: summary.kind,
        saved,
        book,
    })
}

/// Saves `book` as the next revision after `based_on` for connection `pm_id`.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    pm_id: &str,
    based_on: Option<i64>,
    book: &MappingBook,
) -> Result<i64, CoreError> {
    let summary = pm_connections::get(state, &ConnectionId::new(pm_id)).await?;
    book.validate(summary.kind)?;
    let revision =
        documents::save(&state.db, actor, DocKind::Mapping, pm_id, based_on, book).await?;
    let detail = format!(
        "{} revision {revision}: {} version(s), {} line(s) in the latest",
        summary.name,
        book.versions.len(),
        book.versions
            .iter()
            .max_by_key(|v| v.effective_from)
            .map_or(0, |v| v.lines.len()),
    );
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::MappingSaved,
        Some(pm_id),
        Some(&detail),
    )
    .await?;
    Ok(revision)
}

/// A connection's allocation plan as last saved, if any.
pub async fn allocation(
    state: &AppState,
    pm_id: &str,
) -> Result<Option<Stored<AllocationPlan>>, CoreError> {
    documents::load::<AllocationPlan>(&state.db, DocKind::Allocation, pm_id).await
}

/// Saves connection `pm_id`'s allocation plan as the revision after
/// `based_on`; refused with every problem at its path.
pub async fn save_allocation(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    pm_id: &str,
    based_on: Option<i64>,
    plan: &AllocationPlan,
) -> Result<i64, CoreError> {
    let summary = pm_connections::get(state, &ConnectionId::new(pm_id)).await?;
    plan.validate()?;
    let revision =
        documents::save(&state.db, actor, DocKind::Allocation, pm_id, based_on, plan).await?;
    let detail = format!(
        "{} allocation revision {revision}: {:?}, {} person share list(s), {} department default(s)",
        summary.name,
        plan.method,
        plan.shares.people.len(),
        plan.shares.departments.len(),
    );
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::MappingSaved,
        Some(pm_id),
        Some(&detail),
    )
    .await?;
    Ok(revision)
}
