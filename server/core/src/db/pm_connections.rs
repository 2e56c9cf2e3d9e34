//! `pm_connections`, `pm_users` and `person_match_decisions`. The secret
//! column holds a sealed value; this module never sees plain secrets.

use super::Db;
use crate::with_pool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PmConnectionRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub base_url: String,
    pub username: String,
    pub secret_sealed: String,
    pub settings: String,
    pub enabled: bool,
    pub last_test_at: Option<i64>,
    pub last_test_ok: Option<bool>,
    pub last_test_detail: Option<String>,
    pub last_users_sync_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, kind, base_url, username, secret_sealed, settings, enabled, \
    last_test_at, last_test_ok, last_test_detail, last_users_sync_at, created_at, updated_at";

pub async fn insert(db: &Db, row: &PmConnectionRow) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO pm_connections ({COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    );
    with_pool!(db, pool => sqlx::query(&sql)
        .bind(&row.id).bind(&row.name).bind(&row.kind).bind(&row.base_url).bind(&row.username)
        .bind(&row.secret_sealed).bind(&row.settings).bind(row.enabled).bind(row.last_test_at)
        .bind(row.last_test_ok).bind(&row.last_test_detail).bind(row.last_users_sync_at)
        .bind(row.created_at).bind(row.updated_at)
        .execute(pool).await.map(|_| ()))
}

/// Saves the editable fields.
pub async fn update(db: &Db, row: &PmConnectionRow) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE pm_connections SET name = $2, kind = $3, base_url = $4, username = $5, \
               secret_sealed = $6, settings = $7, updated_at = $8 WHERE id = $1";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(&row.id).bind(&row.name).bind(&row.kind).bind(&row.base_url).bind(&row.username)
        .bind(&row.secret_sealed).bind(&row.settings).bind(row.updated_at)
        .execute(pool).await.map(|r| r.rows_affected() == 1))
}

pub async fn set_enabled(
    db: &Db,
    id: &str,
    enabled: bool,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE pm_connections SET enabled = $2, updated_at = $3 WHERE id = $1";
    with_pool!(db, pool => sqlx::query(sql).bind(id).bind(enabled).bind(now_ms)
        .execute(pool).await.map(|r| r.rows_affected() == 1))
}

pub async fn record_test(
    db: &Db,
    id: &str,
    ok: bool,
    detail: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE pm_connections SET last_test_at = $2, last_test_ok = $3, last_test_detail = $4 WHERE id = $1";
    with_pool!(db, pool => sqlx::query(sql).bind(id).bind(now_ms).bind(ok).bind(detail)
        .execute(pool).await.map(|_| ()))
}

pub async fn get(db: &Db, id: &str) -> Result<Option<PmConnectionRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM pm_connections WHERE id = $1");
    with_pool!(db, pool => sqlx::query_as::<_, PmConnectionRow>(&sql).bind(id).fetch_optional(pool).await)
}

pub async fn list(db: &Db) -> Result<Vec<PmConnectionRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM pm_connections ORDER BY created_at, id");
    with_pool!(db, pool => sqlx::query_as::<_, PmConnectionRow>(&sql).fetch_all(pool).await)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PmUserRecord {
    pub user_id: String,
    pub login: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub active: bool,
}

/// Replaces a connection's users with a fresh read, in one transaction.
pub async fn replace_users(
    db: &Db,
    connection_id: &str,
    users: &[PmUserRecord],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    with_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query("DELETE FROM pm_users WHERE connection_id = $1")
            .bind(connection_id).execute(&mut *tx).await?;
        for chunk in users.chunks(500) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO pm_users (connection_id, user_id, login, name, email, mobile, active, synced_at) ",
            );
            insert.push_values(chunk, |mut row, u| {
                row.push_bind(connection_id).push_bind(&u.user_id).push_bind(&u.login)
                    .push_bind(&u.name).push_bind(&u.email).push_bind(&u.mobile)
                    .push_bind(u.active).push_bind(now_ms);
            });
            // A user listed twice (some systems page unstably) keeps the last copy.
            insert.push(" ON CONFLICT (connection_id, user_id) DO UPDATE SET login = excluded.login, \
                          name = excluded.name, email = excluded.email, mobile = excluded.mobile, \
                          active = excluded.active");
            insert.build().execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE pm_connections SET last_users_sync_at = $2 WHERE id = $1")
            .bind(connection_id).bind(now_ms).execute(&mut *tx).await?;
        tx.commit().await
    })
}

pub async fn users(db: &Db, connection_id: &str) -> Result<Vec<PmUserRecord>, sqlx::Error> {
    let sql = "SELECT user_id, login, name, email, mobile, active FROM pm_users \
               WHERE connection_id = $1 ORDER BY name, user_id";
    with_pool!(db, pool => sqlx::query_as::<_, PmUserRecord>(sql).bind(connection_id).fetch_all(pool).await)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DecisionRecord {
    pub userid: String,
    pub pm_user_id: Option<String>,
}

pub async fn decisions(
    db: &Db,
    pm_connection_id: &str,
) -> Result<Vec<DecisionRecord>, sqlx::Error> {
    let sql = "SELECT userid, pm_user_id FROM person_match_decisions WHERE pm_connection_id = $1";
    with_pool!(db, pool => sqlx::query_as::<_, DecisionRecord>(sql).bind(pm_connection_id).fetch_all(pool).await)
}

pub async fn decide(
    db: &Db,
    pm_connection_id: &str,
    userid: &str,
    pm_user_id: Option<&str>,
    decided_by: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO person_match_decisions (pm_connection_id, userid, pm_user_id, decided_by, decided_at) \
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pm_connection_id, userid) DO UPDATE SET \
               pm_user_id = excluded.pm_user_id, decided_by = excluded.decided_by, decided_at = excluded.decided_at";
    with_pool!(db, pool => sqlx::query(sql).bind(pm_connection_id).bind(userid).bind(pm_user_id)
        .bind(decided_by).bind(now_ms).execute(pool).await.map(|_| ()))
}

/// Forgets a decision: matching is automatic again.
pub async fn undecide(db: &Db, pm_connection_id: &str, userid: &str) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM person_match_decisions WHERE pm_connection_id = $1 AND userid = $2";
    with_pool!(db, pool => sqlx::query(sql).bind(pm_connection_id).bind(userid)
        .execute(pool).await.map(|r| r.rows_affected() == 1))
}
