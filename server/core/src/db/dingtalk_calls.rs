//! Monthly call counters per connection and API (`dingtalk_call_counts`).

use super::Db;
use crate::with_pool;

/// Adds to this month's counters for one API.
pub async fn add(
    db: &Db,
    connection_id: &str,
    month: &str,
    api: &str,
    billable: i64,
    throttled: i64,
    failed: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO dingtalk_call_counts (connection_id, month, api, billable, throttled, failed) \
               VALUES ($1, $2, $3, $4, $5, $6) \
               ON CONFLICT (connection_id, month, api) DO UPDATE SET \
               billable = dingtalk_call_counts.billable + excluded.billable, \
               throttled = dingtalk_call_counts.throttled + excluded.throttled, \
               failed = dingtalk_call_counts.failed + excluded.failed";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(connection_id)
        .bind(month)
        .bind(api)
        .bind(billable)
        .bind(throttled)
        .bind(failed)
        .execute(pool)
        .await
        .map(|_| ()))
}

/// Billable calls of one connection in one month, all APIs.
pub async fn billable_in_month(
    db: &Db,
    connection_id: &str,
    month: &str,
) -> Result<i64, sqlx::Error> {
    let sql = "SELECT CAST(COALESCE(SUM(billable), 0) AS BIGINT) FROM dingtalk_call_counts WHERE connection_id = $1 AND month = $2";
    let total: Option<i64> = with_pool!(db, pool => sqlx::query_scalar(sql).bind(connection_id).bind(month).fetch_one(pool).await)?;
    Ok(total.unwrap_or(0))
}
