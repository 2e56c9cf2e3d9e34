//! Reading the audit log (admins only).

use super::AppError;
use hourbridge_domain::audit::AuditAction;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: String,
    /// In the organisation's time zone, `YYYY-MM-DD HH:MM:SS`.
    pub at_local: String,
    pub actor: Option<String>,
    pub action: AuditAction,
    pub target: Option<String>,
    pub detail: Option<String>,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPageDto {
    pub rows: Vec<AuditRow>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub time_zone: String,
}

/// One page (from 1), newest first; `action` empty for all.
#[server(endpoint = "audit/page")]
pub async fn audit_page(page: i64, action: String) -> Result<AuditPageDto, AppError> {
    use super::guard;
    use hourbridge_core::services::{audit, org_settings};
    use hourbridge_domain::{role::Area, FieldError, Problem};
    guard::respond(async move {
        let auth = guard::require(Area::AuditLog).await?;
        let db = &auth.call.state.db;
        let filter = match action.trim() {
            "" => None,
            name => Some(name.parse::<AuditAction>().map_err(|_| {
                AppError::invalid(FieldError::new("action", Problem::InvalidChoice))
            })?),
        };
        let tz = org_settings::time_zone(db).await?;
        let found = audit::page(db, filter, page).await?;
        let pages = ((found.total + found.page_size - 1) / found.page_size).max(1);
        let rows = found
            .entries
            .into_iter()
            .map(|e| AuditRow {
                at_local: local_time(e.at_ms, tz.tz()),
                id: e.id,
                actor: e.actor,
                action: e.action,
                target: e.target,
                detail: e.detail,
                ip: e.ip,
            })
            .collect();
        Ok(AuditPageDto {
            rows,
            page: found.page,
            pages,
            total: found.total,
            time_zone: tz.as_str().to_owned(),
        })
    })
    .await
}

#[cfg(feature = "ssr")]
fn local_time(at_ms: i64, tz: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp_millis(at_ms)
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}
