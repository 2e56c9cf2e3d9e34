//! The `settings` table: organisation-wide key/value settings.

use super::Db;
use crate::with_pool;

pub const ORG_TIME_ZONE: &str = "org_time_zone";

pub async fn get(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    with_pool!(db, pool => sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(pool)
        .await)
}

pub async fn put(db: &Db, key: &str, value: &str, now_ms: i64) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
               ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
    with_pool!(db, pool => sqlx::query(sql).bind(key).bind(value).bind(now_ms).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(())
}
