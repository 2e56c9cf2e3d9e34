//! The caller's own account: who am I, log in, log out, change password.

use super::AppError;
use hourbridge_domain::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The logged-in user as the UI needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub must_change_password: bool,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginOutcome {
    pub must_change_password: bool,
}

/// The current user, or `None` when nobody is logged in.
#[server(endpoint = "account/me")]
pub async fn who_am_i() -> Result<Option<Me>, AppError> {
    use super::guard;
    guard::respond(async {
        let call = guard::call().await?;
        let Some(user) = guard::current_user(&call).await? else {
            return Ok(None);
        };
        let tz = hourbridge_core::services::org_settings::time_zone(&call.state.db).await?;
        Ok(Some(Me {
            username: user.username.as_str().to_owned(),
            display_name: user.display_name,
            role: user.role,
            must_change_password: user.must_change_password,
            time_zone: tz.as_str().to_owned(),
        }))
    })
    .await
}

#[server(endpoint = "account/login")]
pub async fn log_in(username: String, password: String) -> Result<LoginOutcome, AppError> {
    use super::guard;
    use hourbridge_core::services::auth;
    guard::respond(async move {
        let call = guard::call().await?;
        let done = auth::log_in(&call.state, &call.origin, &username, &password).await?;
        call.session
            .log_in(done.session)
            .await
            .map_err(guard::internal)?;
        Ok(LoginOutcome {
            must_change_password: done.user.must_change_password,
        })
    })
    .await
}

#[server(endpoint = "account/logout")]
pub async fn log_out() -> Result<(), AppError> {
    use super::guard;
    guard::respond(async {
        let call = guard::call().await?;
        if let Some(user) = guard::current_user(&call).await? {
            let actor = hourbridge_core::services::Actor::from(&user);
            hourbridge_core::services::auth::log_out(&call.state, &actor, &call.origin).await?;
        }
        call.session.log_out().await.map_err(guard::internal)?;
        Ok(())
    })
    .await
}

#[server(endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use super::guard;
    guard::respond(async move {
        let auth = guard::signed_in().await?;
        let epoch = hourbridge_core::services::auth::change_own_password(
            &auth.call.state,
            &auth.actor,
            &auth.call.origin,
            &current_password,
            &new_password,
            &confirm_password,
        )
        .await?;
        auth.call
            .session
            .refresh_epoch(epoch)
            .await
            .map_err(guard::internal)?;
        Ok(())
    })
    .await
}
