//! `rule_documents`: the rule book, field mappings, allocation plans and
//! calendar edits as JSON, one row per saved revision (never updated).

use super::Db;
use crate::with_pool;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Rules,
    Mapping,
    Allocation,
    Calendar,
    /// A DingTalk connection's holiday API answers (scope: the connection).
    DingTalkHolidays,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Rules => "rules",
            DocKind::Mapping => "mapping",
            DocKind::Allocation => "allocation",
            DocKind::Calendar => "calendar",
            DocKind::DingTalkHolidays => "dingtalk_holidays",
        }
    }
}

/// One saved revision.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocRow {
    pub revision: i64,
    pub body: String,
    pub saved_by: String,
    pub saved_at: i64,
}

/// The latest revision of a document, if it was ever saved.
pub async fn latest(db: &Db, kind: DocKind, scope: &str) -> Result<Option<DocRow>, sqlx::Error> {
    let sql = "SELECT revision, body, saved_by, saved_at FROM rule_documents \
               WHERE kind = $1 AND scope = $2 ORDER BY revision DESC LIMIT 1";
    with_pool!(db, pool => sqlx::query_as::<_, DocRow>(sql)
        .bind(kind.as_str()).bind(scope).fetch_optional(pool).await)
}

/// The latest revision of every document of a kind, by scope.
pub async fn latest_of_kind(db: &Db, kind: DocKind) -> Result<Vec<(String, DocRow)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Scoped {
        scope: String,
        revision: i64,
        body: String,
        saved_by: String,
        saved_at: i64,
    }
    let sql = "SELECT d.scope, d.revision, d.body, d.saved_by, d.saved_at FROM rule_documents d \
               WHERE d.kind = $1 AND d.revision = \
               (SELECT MAX(revision) FROM rule_documents m WHERE m.kind = d.kind AND m.scope = d.scope) \
               ORDER BY d.scope";
    let rows = with_pool!(db, pool => sqlx::query_as::<_, Scoped>(sql)
        .bind(kind.as_str()).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let row = DocRow {
                revision: r.revision,
                body: r.body,
                saved_by: r.saved_by,
                saved_at: r.saved_at,
            };
            (r.scope, row)
        })
        .collect())
}

/// Adds `revision`. Two saves racing for the same revision: the second
/// fails with a unique violation (see [`super::is_unique_violation`]).
pub async fn insert(
    db: &Db,
    kind: DocKind,
    scope: &str,
    revision: i64,
    body: &str,
    saved_by: &str,
    saved_at: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO rule_documents (kind, scope, revision, body, saved_by, saved_at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(kind.as_str()).bind(scope).bind(revision).bind(body).bind(saved_by).bind(saved_at)
        .execute(pool).await.map(|_| ()))
}
