//! First start: an empty database gets an administrator with a one-time password.

use super::{audit, Origin};
use crate::clock::{new_id, now_ms};
use crate::db::users;
use crate::password::generate_password;
use crate::{AppState, CoreError};
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::Role;

pub const FIRST_ADMIN: &str = "admin";

/// The login to print once, when a first administrator was created.
#[derive(Clone, PartialEq, Eq)]
pub struct FirstAdmin {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for FirstAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FirstAdmin")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// Creates the first administrator when there is no user at all.
/// Safe to call on every start and from several instances at once.
pub async fn ensure_admin(state: &AppState) -> Result<Option<FirstAdmin>, CoreError> {
    if users::count(&state.db).await? > 0 {
        return Ok(None);
    }
    let password = generate_password();
    let hash = state.hasher.hash(password.clone()).await?;
    let inserted = users::insert(
        &state.db,
        users::NewUserRow {
            id: &new_id(),
            username: FIRST_ADMIN,
            display_name: "Administrator",
            role: Role::Admin,
            password_hash: &hash,
            must_change_password: true,
            now_ms: now_ms(),
        },
    )
    .await;
    match inserted {
        // Another instance created it first.
        Err(e) if crate::db::is_unique_violation(&e) => return Ok(None),
        other => other?,
    }
    audit::record(
        &state.db,
        None,
        &Origin::default(),
        AuditAction::AdminBootstrapped,
        Some(FIRST_ADMIN),
        None,
    )
    .await?;
    Ok(Some(FirstAdmin {
        username: FIRST_ADMIN.to_owned(),
        password,
    }))
}
