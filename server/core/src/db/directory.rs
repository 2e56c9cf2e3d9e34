//! The synced directory: `departments` and `people`.

use super::Db;
use crate::with_pool;

#[derive(Debug, Clone)]
pub struct DepartmentRecord {
    pub dept_id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRecord {
    pub userid: String,
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub job_number: Option<String>,
    pub dept_ids: String,
    pub active: bool,
    pub hired_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DepartmentCount {
    pub dept_id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
}

/// Replaces the directory with a fresh pull in one transaction: departments
/// are replaced, people upserted, and people no longer listed marked as left
/// (never deleted: their hours stay theirs).
pub async fn replace(
    db: &Db,
    connection_id: &str,
    departments: &[DepartmentRecord],
    people: &[PersonRecord],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    with_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query("DELETE FROM departments WHERE connection_id = $1")
            .bind(connection_id)
            .execute(&mut *tx)
            .await?;
        for d in departments {
            sqlx::query(
                "INSERT INTO departments (connection_id, dept_id, name, parent_id, synced_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(connection_id)
            .bind(d.dept_id)
            .bind(&d.name)
            .bind(d.parent_id)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        }
        for p in people {
            sqlx::query(
                "INSERT INTO people (connection_id, userid, name, title, email, mobile, job_number, \
                 dept_ids, active, hired_at, left_at, synced_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11) \
                 ON CONFLICT (connection_id, userid) DO UPDATE SET name = excluded.name, \
                 title = excluded.title, email = excluded.email, mobile = excluded.mobile, \
                 job_number = excluded.job_number, dept_ids = excluded.dept_ids, \
                 active = excluded.active, hired_at = excluded.hired_at, left_at = NULL, \
                 synced_at = excluded.synced_at",
            )
            .bind(connection_id)
            .bind(&p.userid)
            .bind(&p.name)
            .bind(&p.title)
            .bind(&p.email)
            .bind(&p.mobile)
            .bind(&p.job_number)
            .bind(&p.dept_ids)
            .bind(p.active)
            .bind(p.hired_at)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE people SET active = FALSE, left_at = $2 \
             WHERE connection_id = $1 AND synced_at < $2 AND left_at IS NULL",
        )
        .bind(connection_id)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE dingtalk_connections SET last_directory_sync_at = $2 WHERE id = $1")
            .bind(connection_id)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })
}

/// Marks people as having left (a `user_leave_org` event).
pub async fn mark_left(
    db: &Db,
    connection_id: &str,
    userid: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE people SET active = FALSE, left_at = $3 WHERE connection_id = $1 AND userid = $2 AND left_at IS NULL";
    with_pool!(db, pool => sqlx::query(sql).bind(connection_id).bind(userid).bind(now_ms).execute(pool).await.map(|r| r.rows_affected() == 1))
}

pub async fn departments(
    db: &Db,
    connection_id: &str,
) -> Result<Vec<DepartmentCount>, sqlx::Error> {
    let sql = "SELECT dept_id, name, parent_id FROM departments WHERE connection_id = $1 ORDER BY dept_id";
    with_pool!(db, pool => sqlx::query_as::<_, DepartmentCount>(sql).bind(connection_id).fetch_all(pool).await)
}

/// (all, active) people of a connection.
pub async fn counts(db: &Db, connection_id: &str) -> Result<(i64, i64), sqlx::Error> {
    let sql =
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN active THEN 1 ELSE 0 END), 0) AS BIGINT) \
               FROM people WHERE connection_id = $1";
    with_pool!(db, pool => sqlx::query_as::<_, (i64, i64)>(sql).bind(connection_id).fetch_one(pool).await)
}

pub async fn department_total(db: &Db, connection_id: &str) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM departments WHERE connection_id = $1";
    with_pool!(db, pool => sqlx::query_scalar(sql).bind(connection_id).fetch_one(pool).await)
}

/// One page of people, filtered by status and a name/userid/email search.
pub async fn page(
    db: &Db,
    connection_id: &str,
    active: Option<bool>,
    search: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PersonRecord>, i64), sqlx::Error> {
    let pattern = format!("%{}%", search.replace(['%', '_'], ""));
    let filter = "connection_id = $1 AND ($2 = -1 OR (CASE WHEN active THEN 1 ELSE 0 END) = $2) \
                  AND (name LIKE $3 OR userid LIKE $3 OR COALESCE(email, '') LIKE $3)";
    let status: i64 = match active {
        None => -1,
        Some(true) => 1,
        Some(false) => 0,
    };
    let rows_sql = format!(
        "SELECT userid, name, title, email, mobile, job_number, dept_ids, active, hired_at \
         FROM people WHERE {filter} ORDER BY active DESC, name, userid LIMIT $4 OFFSET $5"
    );
    let count_sql = format!("SELECT COUNT(*) FROM people WHERE {filter}");
    let rows = with_pool!(db, pool => sqlx::query_as::<_, PersonRecord>(&rows_sql)
        .bind(connection_id).bind(status).bind(&pattern).bind(limit).bind(offset)
        .fetch_all(pool).await)?;
    let total: i64 = with_pool!(db, pool => sqlx::query_scalar(&count_sql)
        .bind(connection_id).bind(status).bind(&pattern)
        .fetch_one(pool).await)?;
    Ok((rows, total))
}

/// The department lists of every active person (for per-department counts).
pub async fn active_dept_ids(db: &Db, connection_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT dept_ids FROM people WHERE connection_id = $1 AND active";
    with_pool!(db, pool => sqlx::query_scalar(sql).bind(connection_id).fetch_all(pool).await)
}

/// Every active person of every DingTalk connection (for matching), by name.
pub async fn all_active(db: &Db) -> Result<Vec<PersonRecord>, sqlx::Error> {
    let sql = "SELECT userid, name, title, email, mobile, job_number, dept_ids, active, hired_at \
               FROM people WHERE active ORDER BY name, userid";
    with_pool!(db, pool => sqlx::query_as::<_, PersonRecord>(sql).fetch_all(pool).await)
}

/// Every department of every DingTalk connection, by id.
pub async fn all_departments(db: &Db) -> Result<Vec<DepartmentCount>, sqlx::Error> {
    let sql = "SELECT dept_id, name, parent_id FROM departments ORDER BY dept_id";
    with_pool!(db, pool => sqlx::query_as::<_, DepartmentCount>(sql).fetch_all(pool).await)
}

/// The people of one connection who were active on or after `since_ms`
/// (active now, or left since), by userid: whose hours a sync computes.
pub async fn people_since(
    db: &Db,
    connection_id: &str,
    since_ms: i64,
) -> Result<Vec<PersonRecord>, sqlx::Error> {
    let sql = "SELECT userid, name, title, email, mobile, job_number, dept_ids, active, hired_at \
               FROM people WHERE connection_id = $1 \
               AND (active OR (left_at IS NOT NULL AND left_at >= $2)) ORDER BY userid";
    with_pool!(db, pool => sqlx::query_as::<_, PersonRecord>(sql)
        .bind(connection_id).bind(since_ms).fetch_all(pool).await)
}
