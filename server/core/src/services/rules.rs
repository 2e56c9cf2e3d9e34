//! The organisation's rule book: read, save a new revision (validated, and
//! never changing a version whose days are frozen), and start from
//! seed-standard with one click.

use chrono::NaiveDate;
use hourbridge_domain::audit::AuditAction;
use hourbridge_rules::rules::check_amendment;
use hourbridge_rules::{seed, RuleBook};

use super::documents::{self, Stored};
use super::{audit, Actor, Origin};
use crate::db::rule_documents::DocKind;
use crate::db::Db;
use crate::CoreError;

/// The rule book is organisation-wide.
const SCOPE: &str = "";

/// The rule book as last saved, if any.
pub async fn rule_book(db: &Db) -> Result<Option<Stored<RuleBook>>, CoreError> {
    documents::load(db, DocKind::Rules, SCOPE).await
}

/// The last day whose hours must not change any more. Nothing is frozen
/// until the sync engine records synced days and HR locks months; then
/// this returns the later of the two.
async fn frozen_through(_db: &Db) -> Result<Option<NaiveDate>, CoreError> {
    Ok(None)
}

/// Saves `book` as the next revision after `based_on`. Every problem is
/// reported at its path; a refused book changes nothing.
pub async fn save_rule_book(
    db: &Db,
    actor: &Actor,
    origin: &Origin,
    based_on: Option<i64>,
    book: &RuleBook,
) -> Result<i64, CoreError> {
    let old = rule_book(db).await?.map(|s| s.doc).unwrap_or_default();
    check_amendment(&old, book, frozen_through(db).await?)?;
    let revision = documents::save(db, actor, DocKind::Rules, SCOPE, based_on, book).await?;
    let detail = summary(revision, book);
    audit::record(
        db,
        Some(actor),
        origin,
        AuditAction::RulesSaved,
        Some("rules"),
        Some(&detail),
    )
    .await?;
    Ok(revision)
}

/// Starts a new installation from seed-standard, effective from
/// `effective_from`. Refused once a rule book exists (edit that instead).
pub async fn start_from_seed_standard(
    db: &Db,
    actor: &Actor,
    origin: &Origin,
    effective_from: NaiveDate,
) -> Result<i64, CoreError> {
    if let Some(existing) = rule_book(db).await? {
        return Err(CoreError::Conflict {
            saved_by: existing.saved_by,
            revision: existing.revision,
        });
    }
    let book = seed::seed_standard_from(effective_from, &[])?;
    save_rule_book(db, actor, origin, None, &book).await
}

fn summary(revision: i64, book: &RuleBook) -> String {
    let mut versions: Vec<_> = book.versions.iter().collect();
    versions.sort_by_key(|v| v.effective_from);
    let described: Vec<String> = versions
        .iter()
        .map(|v| format!("{} ({} rules)", v.effective_from, v.rules.len()))
        .collect();
    format!(
        "revision {revision}: versions from {}",
        described.join(", ")
    )
}
