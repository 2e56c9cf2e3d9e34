//! The `users` table.

use super::Db;
use crate::with_pool;
use hourbridge_domain::user::{User, Username};
use hourbridge_domain::{Role, UserId};

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    username: String,
    display_name: String,
    role: String,
    active: bool,
    must_change_password: bool,
}

/// A user together with what is needed to authenticate them.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub session_epoch: i64,
}

#[derive(sqlx::FromRow)]
struct CredentialsRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
    session_epoch: i64,
}

const USER_COLUMNS: &str = "id, username, display_name, role, active, must_change_password";

impl TryFrom<UserRow> for User {
    type Error = sqlx::Error;

    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        let role: Role = row
            .role
            .parse()
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok(User {
            id: UserId::new(row.id),
            username: Username::from_trusted(row.username),
            display_name: row.display_name,
            role,
            active: row.active,
            must_change_password: row.must_change_password,
        })
    }
}

pub struct NewUserRow<'a> {
    pub id: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub now_ms: i64,
}

pub async fn insert(db: &Db, u: NewUserRow<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO users (id, username, display_name, role, password_hash, active, \
               must_change_password, session_epoch, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, TRUE, $6, 0, $7, $7)";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(u.id)
        .bind(u.username)
        .bind(u.display_name)
        .bind(u.role.as_str())
        .bind(u.password_hash)
        .bind(u.must_change_password)
        .bind(u.now_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    with_pool!(db, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users").fetch_one(pool).await)
}

pub async fn count_active_admins(db: &Db) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = TRUE";
    with_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await)
}

pub async fn list(db: &Db) -> Result<Vec<User>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
    let rows: Vec<UserRow> = with_pool!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
    rows.into_iter().map(User::try_from).collect()
}

pub async fn find(db: &Db, id: &UserId) -> Result<Option<User>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row: Option<UserRow> =
        with_pool!(db, pool => sqlx::query_as(&sql).bind(id.as_str()).fetch_optional(pool).await)?;
    row.map(User::try_from).transpose()
}

async fn credentials_where(
    db: &Db,
    column: &str,
    value: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, password_hash, session_epoch FROM users WHERE {column} = $1"
    );
    let row: Option<CredentialsRow> =
        with_pool!(db, pool => sqlx::query_as(&sql).bind(value).fetch_optional(pool).await)?;
    row.map(|r| {
        Ok(Credentials {
            user: User::try_from(r.user)?,
            password_hash: r.password_hash,
            session_epoch: r.session_epoch,
        })
    })
    .transpose()
}

pub async fn credentials_by_username(
    db: &Db,
    username: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    credentials_where(db, "username", username).await
}

pub async fn credentials_by_id(db: &Db, id: &UserId) -> Result<Option<Credentials>, sqlx::Error> {
    credentials_where(db, "id", id.as_str()).await
}

pub async fn set_role(db: &Db, id: &UserId, role: Role, now_ms: i64) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE users SET role = $1, updated_at = $2 WHERE id = $3";
    let done = with_pool!(db, pool => sqlx::query(sql).bind(role.as_str()).bind(now_ms).bind(id.as_str()).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Replaces the password hash and ends every session of the user (their epoch moves on).
pub async fn set_password(
    db: &Db,
    id: &UserId,
    password_hash: &str,
    must_change_password: bool,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE users SET password_hash = $1, must_change_password = $2, \
               session_epoch = session_epoch + 1, updated_at = $3 WHERE id = $4";
    let done = with_pool!(db, pool => sqlx::query(sql)
        .bind(password_hash)
        .bind(must_change_password)
        .bind(now_ms)
        .bind(id.as_str())
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Activates or deactivates an account; deactivation ends its sessions.
pub async fn set_active(
    db: &Db,
    id: &UserId,
    active: bool,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE users SET active = $1, session_epoch = session_epoch + 1, updated_at = $2 WHERE id = $3";
    let done = with_pool!(db, pool => sqlx::query(sql).bind(active).bind(now_ms).bind(id.as_str()).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
