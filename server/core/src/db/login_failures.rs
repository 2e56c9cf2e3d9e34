//! Failed logins of the last window, per login name and per client address.

use super::Db;
use crate::with_pool;
use hourbridge_domain::login_throttle::RecentFailures;

pub async fn record(
    db: &Db,
    id: &str,
    username: &str,
    ip: &str,
    at_secs: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO login_failures (id, username, ip, at_secs) VALUES ($1, $2, $3, $4)";
    with_pool!(db, pool => sqlx::query(sql).bind(id).bind(username).bind(ip).bind(at_secs).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn recent(
    db: &Db,
    username: &str,
    ip: &str,
    since_secs: i64,
) -> Result<RecentFailures, sqlx::Error> {
    let by_user = "SELECT at_secs FROM login_failures WHERE username = $1 AND at_secs > $2";
    let by_ip = "SELECT at_secs FROM login_failures WHERE ip = $1 AND at_secs > $2";
    let (for_account, for_address) = with_pool!(db, pool => (
        sqlx::query_scalar::<_, i64>(by_user).bind(username).bind(since_secs).fetch_all(pool).await?,
        sqlx::query_scalar::<_, i64>(by_ip).bind(ip).bind(since_secs).fetch_all(pool).await?,
    ));
    Ok(RecentFailures {
        for_account,
        for_address,
    })
}

/// A successful login clears the account's failures.
pub async fn clear_account(db: &Db, username: &str) -> Result<(), sqlx::Error> {
    with_pool!(db, pool => sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Forgets failures older than the window (run now and then).
pub async fn prune(db: &Db, before_secs: i64) -> Result<u64, sqlx::Error> {
    let done = with_pool!(db, pool => sqlx::query("DELETE FROM login_failures WHERE at_secs <= $1").bind(before_secs).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(done)
}
