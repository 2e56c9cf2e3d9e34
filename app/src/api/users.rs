//! Administering users (admins only).

use super::AppError;
use hourbridge_domain::user::User;
use leptos::prelude::*;

#[server(endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<User>, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async {
        let auth = guard::require(Area::Users).await?;
        Ok(hourbridge_core::services::users::list(&auth.call.state.db).await?)
    })
    .await
}

#[server(endpoint = "users/create")]
pub async fn create_user(
    username: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<User, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    use hourbridge_domain::user::NewUser;
    guard::respond(async move {
        let auth = guard::require(Area::Users).await?;
        let input = NewUser::parse(&username, &display_name, &role, &password)
            .map_err(|fields| AppError::Invalid { fields })?;
        let call = &auth.call;
        Ok(
            hourbridge_core::services::users::create(&call.state, &auth.actor, &call.origin, input)
                .await?,
        )
    })
    .await
}

#[server(endpoint = "users/role")]
pub async fn set_user_role(user_id: String, role: String) -> Result<User, AppError> {
    use super::guard;
    use hourbridge_domain::{role::Area, UserId};
    guard::respond(async move {
        let auth = guard::require(Area::Users).await?;
        let call = &auth.call;
        let id = UserId::new(user_id);
        Ok(hourbridge_core::services::users::set_role(
            &call.state,
            &auth.actor,
            &call.origin,
            &id,
            &role,
        )
        .await?)
    })
    .await
}

/// A new one-time password, to be handed to the user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PasswordReset {
    pub username: String,
    pub password: String,
}

#[server(endpoint = "users/reset-password")]
pub async fn reset_user_password(user_id: String) -> Result<PasswordReset, AppError> {
    use super::guard;
    use hourbridge_domain::{role::Area, UserId};
    guard::respond(async move {
        let auth = guard::require(Area::Users).await?;
        let call = &auth.call;
        let id = UserId::new(user_id);
        let (user, password) = hourbridge_core::services::users::reset_password(
            &call.state,
            &auth.actor,
            &call.origin,
            &id,
        )
        .await?;
        Ok(PasswordReset {
            username: user.username.as_str().to_owned(),
            password,
        })
    })
    .await
}

#[server(endpoint = "users/active")]
pub async fn set_user_active(user_id: String, active: bool) -> Result<User, AppError> {
    use super::guard;
    use hourbridge_domain::{role::Area, UserId};
    guard::respond(async move {
        let auth = guard::require(Area::Users).await?;
        let call = &auth.call;
        let id = UserId::new(user_id);
        Ok(hourbridge_core::services::users::set_active(
            &call.state,
            &auth.actor,
            &call.origin,
            &id,
            active,
        )
        .await?)
    })
    .await
}
