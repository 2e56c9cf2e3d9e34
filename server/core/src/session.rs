//! Sessions: a typed wrapper over `tower_sessions::Session`, and the store
//! that keeps them in the database (SQLite or PostgreSQL).

use crate::db::Db;
use async_trait::async_trait;
use hourbridge_domain::UserId;
use serde::{Deserialize, Serialize};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions::Session;
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

const KEY_AUTH: &str = "auth";
const KEY_CSRF: &str = "csrf";

/// Who is logged in on this session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    pub user_id: UserId,
    /// The user's session epoch at login; a newer epoch in the database ends this session.
    pub epoch: i64,
}

#[derive(Debug, thiserror::Error)]
#[error("session storage: {0}")]
pub struct SessionError(#[from] tower_sessions::session::Error);

/// The application's view of a session.
#[derive(Clone, Debug)]
pub struct AppSession(pub Session);

impl AppSession {
    pub async fn auth(&self) -> Result<Option<SessionAuth>, SessionError> {
        Ok(self.0.get(KEY_AUTH).await?)
    }

    /// Starts an authenticated session under a new id, with a new CSRF token.
    pub async fn log_in(&self, auth: SessionAuth) -> Result<(), SessionError> {
        self.0.cycle_id().await?;
        self.0.insert(KEY_AUTH, auth).await?;
        self.0.insert(KEY_CSRF, new_token()).await?;
        Ok(())
    }

    /// Keeps the session but records the user's new epoch (after their own password change).
    pub async fn refresh_epoch(&self, epoch: i64) -> Result<(), SessionError> {
        if let Some(mut auth) = self.auth().await? {
            auth.epoch = epoch;
            self.0.cycle_id().await?;
            self.0.insert(KEY_AUTH, auth).await?;
        }
        Ok(())
    }

    /// Drops the login but keeps the session (and its CSRF token), for a
    /// session whose user was deactivated or had their password reset.
    pub async fn forget_auth(&self) -> Result<(), SessionError> {
        self.0.remove::<SessionAuth>(KEY_AUTH).await?;
        Ok(())
    }

    pub async fn log_out(&self) -> Result<(), SessionError> {
        self.0.flush().await?;
        Ok(())
    }

    /// The session's CSRF token, created on first use.
    pub async fn csrf_token(&self) -> Result<String, SessionError> {
        if let Some(token) = self.0.get::<String>(KEY_CSRF).await? {
            return Ok(token);
        }
        let token = new_token();
        self.0.insert(KEY_CSRF, &token).await?;
        Ok(token)
    }

    /// Compares in constant time; no token in the session never matches.
    pub async fn csrf_matches(&self, presented: &str) -> Result<bool, SessionError> {
        use subtle::ConstantTimeEq;
        Ok(match self.0.get::<String>(KEY_CSRF).await? {
            Some(token) => token.as_bytes().ct_eq(presented.as_bytes()).into(),
            None => false,
        })
    }
}

fn new_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Sessions kept in the application's own database.
#[derive(Clone, Debug)]
pub enum DbSessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl DbSessionStore {
    pub async fn open(db: &Db) -> Result<Self, sqlx::Error> {
        Ok(match db {
            Db::Sqlite(pool) => {
                let store = SqliteStore::new(pool.clone());
                store.migrate().await?;
                DbSessionStore::Sqlite(store)
            }
            Db::Postgres(pool) => {
                let store = PostgresStore::new(pool.clone());
                store.migrate().await?;
                DbSessionStore::Postgres(store)
            }
        })
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.create(record).await,
            DbSessionStore::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.save(record).await,
            DbSessionStore::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            DbSessionStore::Sqlite(s) => s.load(id).await,
            DbSessionStore::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.delete(id).await,
            DbSessionStore::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.delete_expired().await,
            DbSessionStore::Postgres(s) => s.delete_expired().await,
        }
    }
}

impl AppSession {
    /// The token if the session has one (does not create it).
    pub async fn current_csrf_token(&self) -> Result<Option<String>, SessionError> {
        Ok(self.0.get::<String>(KEY_CSRF).await?)
    }
}
