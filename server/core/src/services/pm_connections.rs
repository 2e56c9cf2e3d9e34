//! Project-management connections: add, edit, disable, test, read their
//! users, and the connector each one talks through.

use std::sync::Arc;

use super::{audit, Actor, Origin};
use crate::clock::{new_id, now_ms};
use crate::db::pm_connections::{self as table, PmConnectionRow, PmUserRecord};
use crate::secrets::Keyring;
use crate::{AppState, CoreError};
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::pm_connection::RecordAs;
use hourbridge_domain::pm_connection::{
    capabilities, PmConnectionForm, PmConnectionInput, PmConnectionSummary, PmSettings,
    PmTestOutcome,
};
use hourbridge_domain::target::TargetKind;
use hourbridge_domain::ConnectionId;
use hourbridge_pm::feishu::{FeishuConfig, FeishuProject};
use hourbridge_pm::jira::{Auth, Flavour, Jira, JiraConfig};
use hourbridge_pm::redmine::{OnBehalf, Redmine, RedmineConfig};
use hourbridge_pm::tapd::{Tapd, TapdConfig};
use hourbridge_pm::zentao::{self, Zentao, ZentaoConfig};
use hourbridge_pm::{PmError, Target};

fn secret_context(id: &str) -> String {
    format!("pm_connection:{id}:secret")
}

fn open_secret(keyring: &Keyring, row: &PmConnectionRow) -> Result<String, CoreError> {
    keyring
        .open(&secret_context(&row.id), &row.secret_sealed)
        .map_err(|e| {
            CoreError::internal(
                &format!("opening the secret of PM connection {}", row.id),
                e,
            )
        })
}

fn settings_of(row: &PmConnectionRow) -> PmSettings {
    serde_json::from_str(&row.settings).unwrap_or_default()
}

fn kind_of(row: &PmConnectionRow) -> Result<TargetKind, CoreError> {
    TargetKind::parse(&row.kind).ok_or_else(|| {
        CoreError::internal(
            "reading a PM connection",
            format!("unknown kind {}", row.kind),
        )
    })
}

fn summarize(row: &PmConnectionRow) -> Result<PmConnectionSummary, CoreError> {
    let kind = kind_of(row)?;
    let settings = settings_of(row);
    Ok(PmConnectionSummary {
        id: ConnectionId::new(row.id.clone()),
        name: row.name.clone(),
        kind,
        base_url: row.base_url.clone(),
        username: row.username.clone(),
        capabilities: capabilities(kind, &settings),
        settings,
        enabled: row.enabled,
        last_test_at: row.last_test_at,
        last_test_ok: row.last_test_ok,
        last_test_detail: row.last_test_detail.clone(),
    })
}

fn settings_json(settings: &PmSettings) -> Result<String, CoreError> {
    serde_json::to_string(settings).map_err(|e| CoreError::internal("saving PM settings", e))
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    form: &PmConnectionForm,
) -> Result<PmConnectionSummary, CoreError> {
    let input = PmConnectionInput::parse(form, true).map_err(CoreError::Invalid)?;
    let id = new_id();
    let now = now_ms();
    let row = PmConnectionRow {
        secret_sealed: state.keyring.seal(
            &secret_context(&id),
            input.secret.as_deref().unwrap_or_default(),
        ),
        id,
        name: input.name.clone(),
        kind: input.kind.as_str().to_owned(),
        base_url: input.base_url.clone(),
        username: input.username.clone(),
        settings: settings_json(&input.settings)?,
        enabled: true,
        last_test_at: None,
        last_test_ok: None,
        last_test_detail: None,
        last_users_sync_at: None,
        created_at: now,
        updated_at: now,
    };
    table::insert(&state.db, &row).await?;
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::ConnectionCreated,
        Some(&input.name),
        Some(&format!("{} {}", input.kind.label(), input.base_url)),
    )
    .await?;
    summarize(&row)
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &ConnectionId,
    form: &PmConnectionForm,
) -> Result<PmConnectionSummary, CoreError> {
    let mut row = table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    let input = PmConnectionInput::parse(form, false).map_err(CoreError::Invalid)?;
    row.name = input.name.clone();
    row.kind = input.kind.as_str().to_owned();
    row.base_url = input.base_url.clone();
    row.username = input.username.clone();
    row.settings = settings_json(&input.settings)?;
    if let Some(secret) = &input.secret {
        row.secret_sealed = state.keyring.seal(&secret_context(&row.id), secret);
    }
    row.updated_at = now_ms();
    table::update(&state.db, &row).await?;
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::ConnectionUpdated,
        Some(&input.name),
        None,
    )
    .await?;
    summarize(&row)
}

pub async fn set_enabled(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &ConnectionId,
    enabled: bool,
) -> Result<PmConnectionSummary, CoreError> {
    let row = table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    table::set_enabled(&state.db, id.as_str(), enabled, now_ms()).await?;
    let action = if enabled {
        AuditAction::ConnectionEnabled
    } else {
        AuditAction::ConnectionDisabled
    };
    audit::record(
        &state.db,
        Some(actor),
        origin,
        action,
        Some(&row.name),
        None,
    )
    .await?;
    summarize(&PmConnectionRow { enabled, ..row })
}

pub async fn list(state: &AppState) -> Result<Vec<PmConnectionSummary>, CoreError> {
    table::list(&state.db)
        .await?
        .iter()
        .map(summarize)
        .collect()
}

pub async fn get(state: &AppState, id: &ConnectionId) -> Result<PmConnectionSummary, CoreError> {
    let row = table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    summarize(&row)
}

/// When the connection's users were last read.
pub async fn users_read_at(state: &AppState, id: &ConnectionId) -> Result<Option<i64>, CoreError> {
    let row = table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    Ok(row.last_users_sync_at)
}

/// The connector for a connection, built from its stored settings.
pub async fn target(state: &AppState, id: &str) -> Result<Arc<dyn Target>, CoreError> {
    let row = table::get(&state.db, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let secret = open_secret(&state.keyring, &row)?;
    let settings = settings_of(&row);
    let upstream = |e: PmError| CoreError::Upstream(e.to_string());
    let target: Arc<dyn Target> = match kind_of(&row)? {
        kind @ (TargetKind::JiraCloud | TargetKind::JiraDataCenter) => {
            let flavour = if kind == TargetKind::JiraCloud {
                Flavour::Cloud
            } else {
                Flavour::DataCenter
            };
            let auth = if row.username.is_empty() {
                Auth::Bearer(secret)
            } else {
                Auth::Basic {
                    user: row.username.clone(),
                    secret,
                }
            };
            Arc::new(Jira::new(JiraConfig::new(&row.base_url, flavour, auth)).map_err(upstream)?)
        }
        TargetKind::Redmine => {
            let mut config = RedmineConfig::new(&row.base_url, &secret);
            config.activity_id = settings.activity_id;
            config.external_id_field = settings.external_id_field;
            if settings.switch_user {
                config.on_behalf = OnBehalf::SwitchUser;
            }
            Arc::new(Redmine::new(config).map_err(upstream)?)
        }
        TargetKind::Zentao => {
            let mut config = ZentaoConfig::new(&row.base_url, &row.username, &secret);
            config.record_as = match settings.record_as {
                RecordAs::ConnectionAccount => zentao::RecordAs::ConnectionAccount,
                RecordAs::PersonalAccount => zentao::RecordAs::PersonalAccount,
            };
            Arc::new(Zentao::new(config).map_err(upstream)?)
        }
        TargetKind::Tapd => {
            let company = settings.space.clone().unwrap_or_default();
            let config = TapdConfig::new(&row.base_url, &row.username, &secret, &company);
            Arc::new(Tapd::new(config).map_err(upstream)?)
        }
        TargetKind::FeishuProject => {
            let config = FeishuConfig::new(
                &row.base_url,
                &row.username,
                &secret,
                settings.space.as_deref().unwrap_or_default(),
                settings.operator.as_deref().unwrap_or_default(),
            );
            Arc::new(FeishuProject::new(config).map_err(upstream)?)
        }
    };
    Ok(target)
}

/// Checks the credentials and lists the projects, or shows the exact error.
pub async fn test(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &ConnectionId,
) -> Result<PmTestOutcome, CoreError> {
    let row = table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    let outcome = match target(state, id.as_str()).await {
        Ok(target) => match target.test().await {
            Ok(report) => PmTestOutcome {
                ok: true,
                account: Some(report.account),
                projects: report.projects.into_iter().map(|p| p.name).collect(),
                error: None,
            },
            Err(e) => PmTestOutcome {
                ok: false,
                account: None,
                projects: Vec::new(),
                error: Some(e.to_string()),
            },
        },
        Err(CoreError::Upstream(reason)) => PmTestOutcome {
            ok: false,
            account: None,
            projects: Vec::new(),
            error: Some(reason),
        },
        Err(other) => return Err(other),
    };
    let detail = match &outcome.error {
        Some(error) => error.clone(),
        None => format!("{} projects", outcome.projects.len()),
    };
    table::record_test(&state.db, id.as_str(), outcome.ok, &detail, now_ms()).await?;
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::ConnectionTested,
        Some(&row.name),
        Some(&detail),
    )
    .await?;
    Ok(outcome)
}

/// Reads the connection's users and stores them for matching.
pub async fn sync_users(
    state: &AppState,
    actor: Option<&Actor>,
    origin: &Origin,
    id: &ConnectionId,
) -> Result<u64, CoreError> {
    let row = table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    let target = target(state, id.as_str()).await?;
    let users = target
        .users()
        .await
        .map_err(|e| CoreError::Upstream(e.to_string()))?;
    let records: Vec<PmUserRecord> = users
        .into_iter()
        .map(|u| PmUserRecord {
            user_id: u.id,
            login: u.login,
            name: u.name,
            email: u.email,
            mobile: u.mobile,
            active: u.active,
        })
        .collect();
    table::replace_users(&state.db, id.as_str(), &records, now_ms()).await?;
    audit::record(
        &state.db,
        actor,
        origin,
        AuditAction::PmUsersSynced,
        Some(&row.name),
        Some(&format!("{} users", records.len())),
    )
    .await?;
    Ok(records.len() as u64)
}
