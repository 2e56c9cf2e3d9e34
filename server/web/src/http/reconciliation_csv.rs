//! `GET /api/sync/reconciliation.csv`: the reconciliation page's rows as a
//! CSV file, for administrators and HR (the session cookie of the pages).
//! Bad filters answer 422 with the fields, as the page's own calls do.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hourbridge_core::services::{auth, sync::reconcile};
use hourbridge_core::session::AppSession;
use hourbridge_core::{AppState, CoreError};
use hourbridge_domain::sync::ReconQuery;
use hourbridge_domain::Role;
use serde::Deserialize;
use tower_sessions::Session;

use super::errors::json_error;

#[derive(Debug, Deserialize)]
pub struct CsvQuery {
    pair_id: String,
    first: String,
    last: String,
    department: Option<i64>,
    /// Userids or names, comma-separated.
    people: Option<String>,
    finding: Option<String>,
    all: Option<bool>,
}

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<CsvQuery>,
) -> Response {
    let session = AppSession(session);
    let user = match session.auth().await {
        Ok(Some(a)) => auth::session_user(&state, &a).await.ok().flatten(),
        _ => None,
    };
    match user {
        None => return json_error(StatusCode::UNAUTHORIZED, "unauthorized", "log in first"),
        Some(u) if !matches!(u.role, Role::Admin | Role::Hr) || u.must_change_password => {
            return json_error(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only administrators and HR download the reconciliation",
            )
        }
        Some(_) => {}
    }
    let recon = ReconQuery {
        pair_id: query.pair_id,
        first: query.first,
        last: query.last,
        department: query.department,
        people: query
            .people
            .unwrap_or_default()
            .split([',', '，'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
        finding: query.finding,
        all: query.all.unwrap_or(false),
    };
    let report = match reconcile::report(&state, &recon).await {
        Ok(report) => report,
        Err(CoreError::Invalid(fields)) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({"error": "invalid", "fields": fields})),
            )
                .into_response()
        }
        Err(CoreError::Upstream(message)) => {
            return json_error(StatusCode::BAD_GATEWAY, "upstream", &message)
        }
        Err(e) => {
            tracing::error!(error = %e, "reconciliation CSV failed");
            return json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal server error",
            );
        }
    };
    match reconcile::csv(&report) {
        Ok(bytes) => {
            let name = format!(
                "attachment; filename=\"reconciliation-{}-{}.csv\"",
                recon.first.trim(),
                recon.last.trim()
            );
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, name),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "reconciliation CSV failed");
            json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal server error",
            )
        }
    }
}
