//! Logging in and out, and changing one's own password.

use super::{audit, Actor, Origin};
use crate::clock::{new_id, now_ms, now_secs};
use crate::db::{login_failures, users};
use crate::session::SessionAuth;
use crate::{AppState, CoreError};
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::login_throttle::ThrottleDecision;
use hourbridge_domain::user::{NewPassword, User, Username, PASSWORD_MAX};
use hourbridge_domain::{FieldError, Problem};

/// What a successful login yields: the user and the session to start.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub user: User,
    pub session: SessionAuth,
}

/// Key under which failures of an unparseable login name are counted.
fn throttle_key(raw: &str) -> String {
    raw.trim().to_lowercase().chars().take(64).collect()
}

/// Checks a login. Unknown names, deactivated accounts and wrong passwords
/// all answer `InvalidCredentials` after the same argon2 work.
pub async fn log_in(
    state: &AppState,
    origin: &Origin,
    username: &str,
    password: &str,
) -> Result<LoggedIn, CoreError> {
    let db = &state.db;
    let mut problems = Vec::new();
    if username.trim().is_empty() {
        problems.push(FieldError::new("username", Problem::Required));
    }
    if password.is_empty() {
        problems.push(FieldError::new("password", Problem::Required));
    }
    if username.len() > hourbridge_domain::field::MAX_FIELD_BYTES {
        problems.push(FieldError::new("username", Problem::TooLong));
    }
    if password.chars().count() > PASSWORD_MAX {
        problems.push(FieldError::new("password", Problem::TooLong));
    }
    if !problems.is_empty() {
        return Err(CoreError::Invalid(problems));
    }

    let key = throttle_key(username);
    let ip = origin.ip.clone().unwrap_or_else(|| "unknown".into());
    let now = now_secs();
    let policy = state.settings.throttle;
    let recent = login_failures::recent(db, &key, &ip, policy.window_start(now)).await?;
    if let ThrottleDecision::Wait { retry_after_secs } = policy.decide(now, &recent) {
        audit::record(
            db,
            None,
            origin,
            AuditAction::LoginThrottled,
            Some(&key),
            None,
        )
        .await?;
        return Err(CoreError::Throttled { retry_after_secs });
    }

    let found = match Username::parse("username", username) {
        Ok(name) => users::credentials_by_username(db, name.as_str()).await?,
        Err(_) => None,
    };
    let (stored_hash, candidate) = match found {
        Some(c) if c.user.active => (Some(c.password_hash.clone()), Some(c)),
        _ => (None, None),
    };
    let ok = state
        .hasher
        .verify(password.to_owned(), stored_hash)
        .await?;
    match candidate {
        Some(c) if ok => {
            login_failures::clear_account(db, &key).await?;
            let actor = Actor::from(&c.user);
            audit::record(db, Some(&actor), origin, AuditAction::Login, None, None).await?;
            Ok(LoggedIn {
                session: SessionAuth {
                    user_id: c.user.id.clone(),
                    epoch: c.session_epoch,
                },
                user: c.user,
            })
        }
        _ => {
            login_failures::record(db, &new_id(), &key, &ip, now).await?;
            audit::record(db, None, origin, AuditAction::LoginFailed, Some(&key), None).await?;
            // Say at once when this failure used up the last try.
            let mut recent = recent;
            recent.for_account.push(now);
            recent.for_address.push(now);
            match policy.decide(now, &recent) {
                ThrottleDecision::Wait { retry_after_secs } => {
                    Err(CoreError::Throttled { retry_after_secs })
                }
                ThrottleDecision::Allow => Err(CoreError::InvalidCredentials),
            }
        }
    }
}

/// Forgets failed logins that no longer count (run periodically).
pub async fn prune_login_failures(state: &AppState) -> Result<u64, CoreError> {
    let before = state.settings.throttle.window_start(now_secs());
    Ok(login_failures::prune(&state.db, before).await?)
}

/// The user behind a session, if the session is still valid: the account
/// exists, is active, and no password reset or deactivation happened since.
pub async fn session_user(state: &AppState, auth: &SessionAuth) -> Result<Option<User>, CoreError> {
    Ok(users::credentials_by_id(&state.db, &auth.user_id)
        .await?
        .filter(|c| c.user.active && c.session_epoch == auth.epoch)
        .map(|c| c.user))
}

pub async fn log_out(state: &AppState, actor: &Actor, origin: &Origin) -> Result<(), CoreError> {
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::Logout,
        None,
        None,
    )
    .await
}

/// Changes the caller's own password; answers the new session epoch.
pub async fn change_own_password(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<i64, CoreError> {
    let db = &state.db;
    let creds = users::credentials_by_id(db, &actor.id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let mut problems = Vec::new();
    if current.is_empty() {
        problems.push(FieldError::new("current_password", Problem::Required));
    }
    let new_password = NewPassword::parse("new_password", new, &creds.user.username)
        .map_err(|e| problems.push(e))
        .ok();
    if new_password.is_some() && new != confirm {
        problems.push(FieldError::new("confirm_password", Problem::Mismatch));
    }
    if new_password.is_some() && new == current {
        problems.push(FieldError::new("new_password", Problem::SameAsOld));
    }
    if !problems.is_empty() {
        return Err(CoreError::Invalid(problems));
    }
    if current.chars().count() > PASSWORD_MAX
        || !state
            .hasher
            .verify(current.to_owned(), Some(creds.password_hash))
            .await?
    {
        return Err(FieldError::new("current_password", Problem::WrongPassword).into());
    }
    let Some(new_password) = new_password else {
        return Err(CoreError::Internal("validated password missing".into()));
    };
    let hash = state.hasher.hash(new_password.expose().to_owned()).await?;
    users::set_password(db, &actor.id, &hash, false, now_ms()).await?;
    audit::record(
        db,
        Some(actor),
        origin,
        AuditAction::PasswordChanged,
        Some(&actor.username),
        None,
    )
    .await?;
    Ok(creds.session_epoch + 1)
}
