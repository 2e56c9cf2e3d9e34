//! Administering accounts: create, change role, reset password, (de)activate.

use super::{audit, Actor, Origin};
use crate::clock::{new_id, now_ms};
use crate::db::{is_unique_violation, users, Db};
use crate::password::generate_password;
use crate::{AppState, CoreError};
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::user::{parse_role, NewUser, User};
use hourbridge_domain::{FieldError, Problem, Role, UserId};

pub async fn list(db: &Db) -> Result<Vec<User>, CoreError> {
    Ok(users::list(db).await?)
}

/// Creates an account; the user must choose their own password at first login.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    input: NewUser,
) -> Result<User, CoreError> {
    let db = &state.db;
    let id = new_id();
    let hash = state
        .hasher
        .hash(input.password.expose().to_owned())
        .await?;
    let inserted = users::insert(
        db,
        users::NewUserRow {
            id: &id,
            username: input.username.as_str(),
            display_name: input.display_name.as_str(),
            role: input.role,
            password_hash: &hash,
            must_change_password: true,
            now_ms: now_ms(),
        },
    )
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => {
            return Err(FieldError::new("username", Problem::Taken).into());
        }
        other => other?,
    }
    let detail = format!("role={}", input.role);
    audit::record(
        db,
        Some(actor),
        origin,
        AuditAction::UserCreated,
        Some(input.username.as_str()),
        Some(&detail),
    )
    .await?;
    users::find(db, &UserId::new(id))
        .await?
        .ok_or(CoreError::NotFound)
}

async fn target(db: &Db, id: &UserId) -> Result<User, CoreError> {
    users::find(db, id).await?.ok_or(CoreError::NotFound)
}

/// Refuses a change that would leave no active administrator.
async fn keep_an_admin(db: &Db, user: &User, field: &str) -> Result<(), CoreError> {
    if user.role == Role::Admin && user.active && users::count_active_admins(db).await? <= 1 {
        return Err(FieldError::new(field, Problem::LastAdmin).into());
    }
    Ok(())
}

pub async fn set_role(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &UserId,
    role: &str,
) -> Result<User, CoreError> {
    let db = &state.db;
    let role: Role = parse_role("role", role)?;
    let user = target(db, id).await?;
    if user.role == role {
        return Ok(user);
    }
    if user.role == Role::Admin {
        keep_an_admin(db, &user, "role").await?;
    }
    users::set_role(db, id, role, now_ms()).await?;
    let detail = format!("{} -> {}", user.role, role);
    audit::record(
        db,
        Some(actor),
        origin,
        AuditAction::UserRoleChanged,
        Some(user.username.as_str()),
        Some(&detail),
    )
    .await?;
    target(db, id).await
}

/// Sets a new random password, ends the user's sessions, and answers the
/// user and the password to hand over; they must change it at next login.
pub async fn reset_password(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &UserId,
) -> Result<(User, String), CoreError> {
    let db = &state.db;
    let user = target(db, id).await?;
    let password = generate_password();
    let hash = state.hasher.hash(password.clone()).await?;
    users::set_password(db, id, &hash, true, now_ms()).await?;
    audit::record(
        db,
        Some(actor),
        origin,
        AuditAction::UserPasswordReset,
        Some(user.username.as_str()),
        None,
    )
    .await?;
    Ok((user, password))
}

pub async fn set_active(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &UserId,
    active: bool,
) -> Result<User, CoreError> {
    let db = &state.db;
    let user = target(db, id).await?;
    if user.active == active {
        return Ok(user);
    }
    if !active {
        if user.id == actor.id {
            return Err(FieldError::new("active", Problem::OwnAccount).into());
        }
        keep_an_admin(db, &user, "active").await?;
    }
    users::set_active(db, id, active, now_ms()).await?;
    let action = if active {
        AuditAction::UserReactivated
    } else {
        AuditAction::UserDeactivated
    };
    audit::record(
        db,
        Some(actor),
        origin,
        action,
        Some(user.username.as_str()),
        None,
    )
    .await?;
    target(db, id).await
}
