//! Server side of every server function: who is calling, may they, and how
//! an error becomes an HTTP status.

use super::AppError;
use hourbridge_core::services::{Actor, Origin};
use hourbridge_core::session::AppSession;
use hourbridge_core::{AppState, CoreError};
use hourbridge_domain::role::Area;
use hourbridge_domain::user::User;
use leptos::prelude::*;

/// What a server function works with once the caller is known.
pub struct Call {
    pub state: AppState,
    pub session: AppSession,
    pub origin: Origin,
}

/// An authorised caller.
pub struct Authorized {
    pub call: Call,
    pub user: User,
    pub actor: Actor,
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Invalid(fields) => AppError::Invalid { fields },
            CoreError::DocumentInvalid(problems) => AppError::DocumentInvalid { problems },
            CoreError::Conflict { saved_by, revision } => AppError::Conflict { saved_by, revision },
            CoreError::InvalidCredentials => AppError::InvalidCredentials,
            CoreError::Throttled { retry_after_secs } => AppError::Throttled { retry_after_secs },
            CoreError::NotFound => AppError::NotFound,
            CoreError::Forbidden => AppError::Forbidden,
            CoreError::Upstream(message) => AppError::Upstream { message },
            other => internal(other),
        }
    }
}

/// Logs an unexpected failure and answers a reference the admin can find in the log.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
    tracing::error!(%reference, error = %e, "server function failed");
    AppError::Internal { reference }
}

/// Reads the request's state, session and origin.
pub async fn call() -> Result<Call, AppError> {
    let state =
        use_context::<AppState>().ok_or_else(|| internal("AppState missing from context"))?;
    let session = leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(internal)?;
    let origin = leptos_axum::extract::<axum::Extension<Origin>>()
        .await
        .map(|axum::Extension(o)| o)
        .unwrap_or_default();
    Ok(Call {
        state,
        session: AppSession(session),
        origin,
    })
}

/// The logged-in user, if the session is still valid.
pub async fn current_user(call: &Call) -> Result<Option<User>, AppError> {
    let Some(auth) = call.session.auth().await.map_err(internal)? else {
        return Ok(None);
    };
    let user = hourbridge_core::services::auth::session_user(&call.state, &auth).await?;
    if user.is_none() {
        // The account was deactivated or its password reset: this login is over.
        call.session.forget_auth().await.map_err(internal)?;
    }
    Ok(user)
}

/// Any logged-in user, even one who still has to change their password.
pub async fn signed_in() -> Result<Authorized, AppError> {
    let call = call().await?;
    let user = current_user(&call)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let actor = Actor::from(&user);
    Ok(Authorized { call, user, actor })
}

/// A logged-in user whose role may use `area`.
pub async fn require(area: Area) -> Result<Authorized, AppError> {
    let auth = signed_in().await?;
    if auth.user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    if !auth.user.role.can(area) {
        tracing::warn!(user = %auth.user.username.as_str(), ?area, "refused: role may not use this area");
        return Err(AppError::Forbidden);
    }
    Ok(auth)
}

/// An administrator or HR user: the reconciliation report, its fixes and
/// the manual corrections. A project manager's role has the area too, but
/// may not use it before it is narrowed to their own projects (see
/// [`super::access::may_open`]).
pub async fn require_reconciliation() -> Result<Authorized, AppError> {
    let auth = require(Area::Reconciliation).await?;
    if !super::access::may_open(auth.user.role, Area::Reconciliation) {
        tracing::warn!(user = %auth.user.username.as_str(), "refused: the reconciliation is for administrators and HR");
        return Err(AppError::Forbidden);
    }
    Ok(auth)
}

/// Runs a server function body and turns its error into the matching HTTP status.
pub async fn respond<T>(
    body: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = body.await;
    if let Err(e) = &result {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            let status = axum::http::StatusCode::from_u16(e.status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            res.set_status(status);
            if let AppError::Throttled { retry_after_secs } = e {
                if let Ok(v) = axum::http::HeaderValue::from_str(&retry_after_secs.to_string()) {
                    res.insert_header(axum::http::header::RETRY_AFTER, v);
                }
            }
        }
    }
    result
}
