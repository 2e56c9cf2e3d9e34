//! Loading and saving the documents admins draw (rule book, mappings,
//! allocation plans, calendar edits): every save is a new revision, made
//! only from the revision the editor started from, so that two admins
//! editing at once cannot overwrite each other unnoticed.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Actor;
use crate::clock::now_ms;
use crate::db::rule_documents::{self as table, DocKind};
use crate::db::{is_unique_violation, Db};
use crate::CoreError;

/// A document as last saved.
#[derive(Debug, Clone)]
pub struct Stored<T> {
    pub revision: i64,
    pub doc: T,
    pub saved_by: String,
    pub saved_at: i64,
}

/// The latest revision of a document, if it was ever saved.
pub async fn load<T: DeserializeOwned>(
    db: &Db,
    kind: DocKind,
    scope: &str,
) -> Result<Option<Stored<T>>, CoreError> {
    let Some(row) = table::latest(db, kind, scope).await? else {
        return Ok(None);
    };
    let doc = serde_json::from_str(&row.body).map_err(|e| {
        CoreError::internal(
            &format!(
                "stored {} revision {} is unreadable",
                kind.as_str(),
                row.revision
            ),
            e,
        )
    })?;
    Ok(Some(Stored {
        revision: row.revision,
        doc,
        saved_by: row.saved_by,
        saved_at: row.saved_at,
    }))
}

/// Saves `doc` as the next revision after `based_on` (`None`: the document
/// is new). Refused with [`CoreError::Conflict`] when another revision was
/// saved in the meantime. Returns the new revision.
pub async fn save<T: Serialize>(
    db: &Db,
    actor: &Actor,
    kind: DocKind,
    scope: &str,
    based_on: Option<i64>,
    doc: &T,
) -> Result<i64, CoreError> {
    let latest = table::latest(db, kind, scope).await?;
    let current = latest.as_ref().map(|r| r.revision);
    if current != based_on {
        return Err(conflict(latest));
    }
    let body = serde_json::to_string(doc).map_err(|e| CoreError::internal("document", e))?;
    let revision = current.unwrap_or(0) + 1;
    match table::insert(db, kind, scope, revision, &body, &actor.username, now_ms()).await {
        Ok(()) => Ok(revision),
        Err(e) if is_unique_violation(&e) => Err(conflict(table::latest(db, kind, scope).await?)),
        Err(e) => Err(e.into()),
    }
}

fn conflict(latest: Option<table::DocRow>) -> CoreError {
    match latest {
        Some(row) => CoreError::Conflict {
            saved_by: row.saved_by,
            revision: row.revision,
        },
        None => CoreError::NotFound,
    }
}
