//! `sync_pairs`: which DingTalk connection feeds which PM connection, for
//! whom (the pilot scope, JSON) and when (the schedule, JSON).

use super::Db;
use crate::with_pool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PairRecord {
    pub id: String,
    pub name: String,
    pub dingtalk_connection_id: String,
    pub pm_connection_id: String,
    pub scope: String,
    pub schedule: String,
    pub enabled: bool,
    pub paused_reason: Option<String>,
    pub failure_streak: i64,
    pub pause_after_failures: i64,
    pub last_success_at: Option<i64>,
    pub last_scheduled_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, dingtalk_connection_id, pm_connection_id, scope, schedule, \
    enabled, paused_reason, failure_streak, pause_after_failures, last_success_at, \
    last_scheduled_at, created_at, updated_at";

pub async fn insert(db: &Db, p: &PairRecord) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO sync_pairs ({COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    );
    with_pool!(db, pool => sqlx::query(&sql)
        .bind(&p.id).bind(&p.name).bind(&p.dingtalk_connection_id).bind(&p.pm_connection_id)
        .bind(&p.scope).bind(&p.schedule).bind(p.enabled).bind(&p.paused_reason)
        .bind(p.failure_streak).bind(p.pause_after_failures).bind(p.last_success_at)
        .bind(p.last_scheduled_at).bind(p.created_at).bind(p.updated_at)
        .execute(pool).await.map(|_| ()))
}

/// Saves the editable fields.
pub async fn update(db: &Db, p: &PairRecord) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE sync_pairs SET name = $2, dingtalk_connection_id = $3, \
               pm_connection_id = $4, scope = $5, schedule = $6, pause_after_failures = $7, \
               updated_at = $8 WHERE id = $1";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(&p.id).bind(&p.name).bind(&p.dingtalk_connection_id).bind(&p.pm_connection_id)
        .bind(&p.scope).bind(&p.schedule).bind(p.pause_after_failures).bind(p.updated_at)
        .execute(pool).await.map(|r| r.rows_affected() == 1))
}

pub async fn get(db: &Db, id: &str) -> Result<Option<PairRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM sync_pairs WHERE id = $1");
    with_pool!(db, pool => sqlx::query_as::<_, PairRecord>(&sql).bind(id).fetch_optional(pool).await)
}

pub async fn all(db: &Db) -> Result<Vec<PairRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM sync_pairs ORDER BY name, id");
    with_pool!(db, pool => sqlx::query_as::<_, PairRecord>(&sql).fetch_all(pool).await)
}

/// Pauses (with a reason) or resumes (clearing the reason and the streak).
pub async fn set_paused(
    db: &Db,
    id: &str,
    reason: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE sync_pairs SET paused_reason = $2, updated_at = $3, \
               failure_streak = CASE WHEN $2 IS NULL THEN 0 ELSE failure_streak END WHERE id = $1";
    with_pool!(db, pool => sqlx::query(sql).bind(id).bind(reason).bind(now)
        .execute(pool).await.map(|r| r.rows_affected() == 1))
}

/// Records a scheduled trigger as queued, only if no other instance did it
/// first (`previous` is what this instance read).
pub async fn mark_scheduled(
    db: &Db,
    id: &str,
    previous: Option<i64>,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE sync_pairs SET last_scheduled_at = $3 WHERE id = $1 \
               AND COALESCE(last_scheduled_at, -1) = $2";
    with_pool!(db, pool => sqlx::query(sql).bind(id).bind(previous.unwrap_or(-1)).bind(at)
        .execute(pool).await.map(|r| r.rows_affected() == 1))
}

/// After a scheduled run: a success clears the streak, a failure adds one.
/// Answers the streak.
pub async fn record_scheduled_outcome(
    db: &Db,
    id: &str,
    succeeded: bool,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let sql = if succeeded {
        "UPDATE sync_pairs SET failure_streak = 0, last_success_at = $2 WHERE id = $1 \
         RETURNING failure_streak"
    } else {
        "UPDATE sync_pairs SET failure_streak = failure_streak + 1 WHERE id = $1 AND $2 = $2 \
         RETURNING failure_streak"
    };
    with_pool!(db, pool => sqlx::query_scalar(sql).bind(id).bind(at).fetch_one(pool).await)
}

/// Any run that succeeded sets the last success time.
pub async fn record_success(db: &Db, id: &str, at: i64) -> Result<(), sqlx::Error> {
    let sql = "UPDATE sync_pairs SET last_success_at = $2 WHERE id = $1";
    with_pool!(db, pool => sqlx::query(sql).bind(id).bind(at).execute(pool).await.map(|_| ()))
}
