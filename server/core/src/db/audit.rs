//! The `audit_log` table. The application only ever inserts and reads it.

use super::Db;
use crate::with_pool;
use hourbridge_domain::audit::{AuditAction, AuditEntry};

pub struct NewAuditEntry<'a> {
    pub id: &'a str,
    pub at_ms: i64,
    pub actor_id: Option<&'a str>,
    pub actor: Option<&'a str>,
    pub action: AuditAction,
    pub target: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub ip: Option<&'a str>,
}

pub async fn insert(db: &Db, e: NewAuditEntry<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO audit_log (id, at_ms, actor_id, actor, action, target, detail, ip) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(e.id)
        .bind(e.at_ms)
        .bind(e.actor_id)
        .bind(e.actor)
        .bind(e.action.as_str())
        .bind(e.target)
        .bind(e.detail)
        .bind(e.ip)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: String,
    at_ms: i64,
    actor: Option<String>,
    action: String,
    target: Option<String>,
    detail: Option<String>,
    ip: Option<String>,
}

/// Newest first; `action` filters to one kind of entry.
pub async fn page(
    db: &Db,
    action: Option<AuditAction>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditEntry>, i64), sqlx::Error> {
    let filter = if action.is_some() {
        "WHERE action = $3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT id, at_ms, actor, action, target, detail, ip FROM audit_log {filter} \
         ORDER BY at_ms DESC, id DESC LIMIT $1 OFFSET $2"
    );
    let count_sql = if action.is_some() {
        "SELECT COUNT(*) FROM audit_log WHERE action = $1"
    } else {
        "SELECT COUNT(*) FROM audit_log"
    };
    let action_name = action.map(AuditAction::as_str);
    let (rows, total): (Vec<AuditRow>, i64) = with_pool!(db, pool => {
        let mut q = sqlx::query_as::<_, AuditRow>(&sql).bind(limit).bind(offset);
        let mut c = sqlx::query_scalar::<_, i64>(count_sql);
        if let Some(a) = action_name {
            q = q.bind(a);
            c = c.bind(a);
        }
        (q.fetch_all(pool).await?, c.fetch_one(pool).await?)
    });
    let entries = rows
        .into_iter()
        .map(|r| {
            let action = r
                .action
                .parse()
                .map_err(|e: String| sqlx::Error::Decode(e.into()))?;
            Ok(AuditEntry {
                id: r.id,
                at_ms: r.at_ms,
                actor: r.actor,
                action,
                target: r.target,
                detail: r.detail,
                ip: r.ip,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((entries, total))
}
