//! The `dingtalk_connections` table. Secret columns hold sealed values
//! (see [`crate::secrets`]); this module never sees plain secrets.

use super::Db;
use crate::with_pool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConnectionRow {
    pub id: String,
    pub name: String,
    pub corp_id: String,
    pub app_key: String,
    pub app_secret_sealed: String,
    pub agent_id: String,
    pub oapi_base: String,
    pub api_base: String,
    pub qps: i64,
    pub monthly_quota: i64,
    pub enabled: bool,
    pub callback_token_sealed: String,
    pub callback_aes_key_sealed: String,
    pub robot_webhook_sealed: Option<String>,
    pub robot_secret_sealed: Option<String>,
    pub last_test_at: Option<i64>,
    pub last_test_ok: Option<bool>,
    pub last_test_detail: Option<String>,
    pub last_directory_sync_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, corp_id, app_key, app_secret_sealed, agent_id, oapi_base, api_base, \
    qps, monthly_quota, enabled, callback_token_sealed, callback_aes_key_sealed, robot_webhook_sealed, \
    robot_secret_sealed, last_test_at, last_test_ok, last_test_detail, last_directory_sync_at, \
    created_at, updated_at";

pub async fn insert(db: &Db, row: &ConnectionRow) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO dingtalk_connections ({COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
    );
    with_pool!(db, pool => sqlx::query(&sql)
        .bind(&row.id)
        .bind(&row.name)
        .bind(&row.corp_id)
        .bind(&row.app_key)
        .bind(&row.app_secret_sealed)
        .bind(&row.agent_id)
        .bind(&row.oapi_base)
        .bind(&row.api_base)
        .bind(row.qps)
        .bind(row.monthly_quota)
        .bind(row.enabled)
        .bind(&row.callback_token_sealed)
        .bind(&row.callback_aes_key_sealed)
        .bind(&row.robot_webhook_sealed)
        .bind(&row.robot_secret_sealed)
        .bind(row.last_test_at)
        .bind(row.last_test_ok)
        .bind(&row.last_test_detail)
        .bind(row.last_directory_sync_at)
        .bind(row.created_at)
        .bind(row.updated_at)
        .execute(pool)
        .await
        .map(|_| ()))
}

/// Saves the editable fields (name, ids, bases, limits, secrets, robot).
pub async fn update(db: &Db, row: &ConnectionRow) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE dingtalk_connections SET name = $2, corp_id = $3, app_key = $4, \
               app_secret_sealed = $5, agent_id = $6, oapi_base = $7, api_base = $8, qps = $9, \
               monthly_quota = $10, robot_webhook_sealed = $11, robot_secret_sealed = $12, \
               updated_at = $13 WHERE id = $1";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(&row.id)
        .bind(&row.name)
        .bind(&row.corp_id)
        .bind(&row.app_key)
        .bind(&row.app_secret_sealed)
        .bind(&row.agent_id)
        .bind(&row.oapi_base)
        .bind(&row.api_base)
        .bind(row.qps)
        .bind(row.monthly_quota)
        .bind(&row.robot_webhook_sealed)
        .bind(&row.robot_secret_sealed)
        .bind(row.updated_at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1))
}

pub async fn get(db: &Db, id: &str) -> Result<Option<ConnectionRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM dingtalk_connections WHERE id = $1");
    with_pool!(db, pool => sqlx::query_as::<_, ConnectionRow>(&sql).bind(id).fetch_optional(pool).await)
}

pub async fn list(db: &Db) -> Result<Vec<ConnectionRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM dingtalk_connections ORDER BY created_at, id");
    with_pool!(db, pool => sqlx::query_as::<_, ConnectionRow>(&sql).fetch_all(pool).await)
}

pub async fn app_key_taken(db: &Db, app_key: &str, except_id: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM dingtalk_connections WHERE app_key = $1 AND id <> $2";
    let n: i64 = with_pool!(db, pool => sqlx::query_scalar(sql).bind(app_key).bind(except_id).fetch_one(pool).await)?;
    Ok(n > 0)
}

pub async fn set_enabled(
    db: &Db,
    id: &str,
    enabled: bool,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE dingtalk_connections SET enabled = $2, updated_at = $3 WHERE id = $1";
    with_pool!(db, pool => sqlx::query(sql).bind(id).bind(enabled).bind(now_ms).execute(pool).await.map(|r| r.rows_affected() == 1))
}

pub async fn record_test(
    db: &Db,
    id: &str,
    at_ms: i64,
    ok: bool,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE dingtalk_connections SET last_test_at = $2, last_test_ok = $3, last_test_detail = $4 WHERE id = $1";
    with_pool!(db, pool => sqlx::query(sql).bind(id).bind(at_ms).bind(ok).bind(detail).execute(pool).await.map(|_| ()))
}

/// Replaces sealed secrets (after a master-key rotation).
pub async fn reseal(db: &Db, row: &ConnectionRow) -> Result<(), sqlx::Error> {
    let sql = "UPDATE dingtalk_connections SET app_secret_sealed = $2, callback_token_sealed = $3, \
               callback_aes_key_sealed = $4, robot_webhook_sealed = $5, robot_secret_sealed = $6 WHERE id = $1";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(&row.id)
        .bind(&row.app_secret_sealed)
        .bind(&row.callback_token_sealed)
        .bind(&row.callback_aes_key_sealed)
        .bind(&row.robot_webhook_sealed)
        .bind(&row.robot_secret_sealed)
        .execute(pool)
        .await
        .map(|_| ()))
}
