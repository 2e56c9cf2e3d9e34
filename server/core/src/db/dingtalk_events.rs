//! Received callback events, replay guards and person-days to pull again.

use super::Db;
use crate::with_pool;

/// Remembers a (timestamp, nonce) pair; `false` when it was already seen.
pub async fn remember_nonce(
    db: &Db,
    connection_id: &str,
    stamp: &str,
    nonce: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO dingtalk_callback_nonces (connection_id, stamp, nonce, received_at) \
               VALUES ($1, $2, $3, $4) ON CONFLICT (connection_id, stamp, nonce) DO NOTHING";
    with_pool!(db, pool => sqlx::query(sql).bind(connection_id).bind(stamp).bind(nonce).bind(now_ms)
        .execute(pool).await.map(|r| r.rows_affected() == 1))
}

/// Forgets nonces older than the freshness window (they would be refused as stale anyway).
pub async fn prune_nonces(db: &Db, older_than_ms: i64) -> Result<u64, sqlx::Error> {
    let sql = "DELETE FROM dingtalk_callback_nonces WHERE received_at < $1";
    with_pool!(db, pool => sqlx::query(sql).bind(older_than_ms).execute(pool).await.map(|r| r.rows_affected()))
}

pub struct NewEvent<'a> {
    pub id: &'a str,
    pub connection_id: &'a str,
    pub event_key: &'a str,
    pub event_type: &'a str,
    pub received_at: i64,
    pub payload: &'a str,
    pub handling: &'a str,
}

/// Stores an event; `false` when the same event (by id) was stored before.
pub async fn insert(db: &Db, e: &NewEvent<'_>) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO dingtalk_events (id, connection_id, event_key, event_type, received_at, payload, handling) \
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (connection_id, event_key) DO NOTHING";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(e.id).bind(e.connection_id).bind(e.event_key).bind(e.event_type)
        .bind(e.received_at).bind(e.payload).bind(e.handling)
        .execute(pool).await.map(|r| r.rows_affected() == 1))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub event_type: String,
    pub handling: String,
    pub received_at: i64,
}

pub async fn recent(
    db: &Db,
    connection_id: &str,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    let sql =
        "SELECT event_type, handling, received_at FROM dingtalk_events WHERE connection_id = $1 \
               ORDER BY received_at DESC, id DESC LIMIT $2";
    with_pool!(db, pool => sqlx::query_as::<_, EventRow>(sql).bind(connection_id).bind(limit).fetch_all(pool).await)
}

/// Asks the sync engine to pull one person-day again.
pub async fn request_pull(
    db: &Db,
    connection_id: &str,
    userid: &str,
    work_date: &str,
    reason: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO dingtalk_pull_requests (connection_id, userid, work_date, reason, requested_at) \
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT (connection_id, userid, work_date) \
               DO UPDATE SET reason = excluded.reason, requested_at = excluded.requested_at";
    with_pool!(db, pool => sqlx::query(sql).bind(connection_id).bind(userid).bind(work_date).bind(reason).bind(now_ms)
        .execute(pool).await.map(|_| ()))
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PullRequest {
    pub userid: String,
    pub work_date: String,
    pub reason: String,
}

pub async fn pending_pulls(db: &Db, connection_id: &str) -> Result<Vec<PullRequest>, sqlx::Error> {
    let sql =
        "SELECT userid, work_date, reason FROM dingtalk_pull_requests WHERE connection_id = $1 \
               ORDER BY work_date, userid";
    with_pool!(db, pool => sqlx::query_as::<_, PullRequest>(sql).bind(connection_id).fetch_all(pool).await)
}
