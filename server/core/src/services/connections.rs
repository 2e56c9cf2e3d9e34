//! DingTalk connections: create, edit, enable/disable, test, list with the
//! month's call usage; the shared client per connection; the directory sync.

use chrono::{Datelike, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use super::{audit, Actor, Origin};
use crate::clock::{new_id, now_ms};
use crate::db::connections::{self as table, ConnectionRow};
use crate::db::{dingtalk_calls, directory as people_table};
use crate::secrets::Keyring;
use crate::{AppState, CoreError};
use hourbridge_dingtalk::callback_crypto;
use hourbridge_dingtalk::client::ApiCount;
use hourbridge_dingtalk::model::CHINA;
use hourbridge_dingtalk::plan::{self, Limits, Workload};
use hourbridge_dingtalk::robot::{RobotSender, RobotWebhook};
use hourbridge_dingtalk::{ClientConfig, DingTalkClient, UpstreamError};
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::connection::{
    CallbackCredentials, ConnectionForm, ConnectionInput, ConnectionSummary, CreatedConnection,
    TestOutcome,
};
use hourbridge_domain::{ConnectionId, FieldError, Problem};

/// The clients in use, one per connection, so that every task of a
/// connection shares its token, rate limiter and call meter, and the group
/// robot's 20-a-minute pacing.
#[derive(Default)]
pub struct ClientRegistry {
    clients: Mutex<HashMap<String, Arc<DingTalkClient>>>,
    robots: Mutex<HashMap<String, Arc<RobotSender>>>,
}

impl std::fmt::Debug for ClientRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientRegistry").finish_non_exhaustive()
    }
}

fn shared<T>(
    map: &Mutex<HashMap<String, Arc<T>>>,
    id: &str,
    make: Option<Arc<T>>,
) -> Option<Arc<T>> {
    let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
    match make {
        Some(value) => Some(map.entry(id.to_owned()).or_insert(value).clone()),
        None => map.get(id).cloned(),
    }
}

impl ClientRegistry {
    fn get(&self, id: &str) -> Option<Arc<DingTalkClient>> {
        shared(&self.clients, id, None)
    }

    fn put(&self, id: &str, client: Arc<DingTalkClient>) -> Arc<DingTalkClient> {
        shared(&self.clients, id, Some(client.clone())).unwrap_or(client)
    }

    /// Drops the client and robot after an edit (new secret, new base URL,
    /// new QPS, new webhook).
    fn forget(&self, id: &str) -> Option<Arc<DingTalkClient>> {
        self.robots
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
        self.clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id)
    }
}

/// Where each secret of a connection lives, for sealing.
pub fn secret_context(id: &str, field: &str) -> String {
    format!("dingtalk_connection:{id}:{field}")
}

/// `YYYY-MM` of now in China time: DingTalk's quota month.
pub fn quota_month() -> String {
    let now = Utc::now().with_timezone(&CHINA);
    format!("{:04}-{:02}", now.year(), now.month())
}

pub fn callback_path(id: &str) -> String {
    format!("/callbacks/dingtalk/{id}")
}

fn callback_url(state: &AppState, id: &str) -> String {
    format!(
        "{}{}",
        state.settings.public_url.trim_end_matches('/'),
        callback_path(id)
    )
}

fn open(keyring: &Keyring, id: &str, field: &str, sealed: &str) -> Result<String, CoreError> {
    keyring
        .open(&secret_context(id, field), sealed)
        .map_err(|e| CoreError::internal(&format!("opening {field} of connection {id}"), e))
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    form: &ConnectionForm,
) -> Result<CreatedConnection, CoreError> {
    let input = ConnectionInput::parse(form, true).map_err(CoreError::Invalid)?;
    if table::app_key_taken(&state.db, &input.app_key, "").await? {
        return Err(FieldError::new("app_key", Problem::Taken).into());
    }
    let id = new_id();
    let token = callback_crypto::generate_token();
    let aes_key = callback_crypto::generate_encoding_aes_key();
    let k = &state.keyring;
    let now = now_ms();
    let row = ConnectionRow {
        id: id.clone(),
        name: input.name.clone(),
        corp_id: input.corp_id.clone(),
        app_key: input.app_key.clone(),
        app_secret_sealed: k.seal(
            &secret_context(&id, "app_secret"),
            input.app_secret.as_deref().unwrap_or_default(),
        ),
        agent_id: input.agent_id.clone(),
        oapi_base: input.oapi_base.clone(),
        api_base: input.api_base.clone(),
        qps: i64::from(input.qps),
        monthly_quota: input.monthly_quota as i64,
        enabled: true,
        callback_token_sealed: k.seal(&secret_context(&id, "callback_token"), &token),
        callback_aes_key_sealed: k.seal(&secret_context(&id, "callback_aes_key"), &aes_key),
        robot_webhook_sealed: input
            .robot_webhook
            .as_deref()
            .map(|v| k.seal(&secret_context(&id, "robot_webhook"), v)),
        robot_secret_sealed: input
            .robot_secret
            .as_deref()
            .map(|v| k.seal(&secret_context(&id, "robot_secret"), v)),
        last_test_at: None,
        last_test_ok: None,
        last_test_detail: None,
        last_directory_sync_at: None,
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
        Some(&format!("AppKey {}", input.app_key)),
    )
    .await?;
    Ok(CreatedConnection {
        summary: summarize(state, &row).await?,
        callback: CallbackCredentials {
            callback_url: callback_url(state, &id),
            token,
            aes_key,
        },
    })
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &ConnectionId,
    form: &ConnectionForm,
) -> Result<ConnectionSummary, CoreError> {
    let input = ConnectionInput::parse(form, false).map_err(CoreError::Invalid)?;
    let mut row = table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    if table::app_key_taken(&state.db, &input.app_key, id.as_str()).await? {
        return Err(FieldError::new("app_key", Problem::Taken).into());
    }
    let k = &state.keyring;
    let id = id.as_str();
    row.name = input.name.clone();
    row.corp_id = input.corp_id;
    row.app_key = input.app_key;
    if let Some(secret) = &input.app_secret {
        row.app_secret_sealed = k.seal(&secret_context(id, "app_secret"), secret);
    }
    row.agent_id = input.agent_id;
    row.oapi_base = input.oapi_base;
    row.api_base = input.api_base;
    row.qps = i64::from(input.qps);
    row.monthly_quota = input.monthly_quota as i64;
    if let Some(hook) = &input.robot_webhook {
        row.robot_webhook_sealed = Some(k.seal(&secret_context(id, "robot_webhook"), hook));
    }
    if let Some(secret) = &input.robot_secret {
        row.robot_secret_sealed = Some(k.seal(&secret_context(id, "robot_secret"), secret));
    }
    row.updated_at = now_ms();
    table::update(&state.db, &row).await?;
    if let Some(old) = state.dingtalk.forget(id) {
        flush_calls(state, id, &old).await?;
    }
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::ConnectionUpdated,
        Some(&input.name),
        None,
    )
    .await?;
    summarize(state, &row).await
}

pub async fn set_enabled(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &ConnectionId,
    enabled: bool,
) -> Result<ConnectionSummary, CoreError> {
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
    let row = table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    summarize(state, &row).await
}

pub async fn list(state: &AppState) -> Result<Vec<ConnectionSummary>, CoreError> {
    let rows = table::list(&state.db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(summarize(state, row).await?);
    }
    Ok(out)
}

pub async fn get(state: &AppState, id: &ConnectionId) -> Result<ConnectionSummary, CoreError> {
    let row = table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    summarize(state, &row).await
}

/// The connection's shared client, built on first use.
pub async fn client(state: &AppState, id: &str) -> Result<Arc<DingTalkClient>, CoreError> {
    if let Some(client) = state.dingtalk.get(id) {
        return Ok(client);
    }
    let row = table::get(&state.db, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let secret = open(&state.keyring, id, "app_secret", &row.app_secret_sealed)?;
    let mut config = ClientConfig::new(row.app_key.clone(), secret);
    config.oapi_base = row.oapi_base.clone();
    config.api_base = row.api_base.clone();
    config.qps_per_api = u32::try_from(row.qps).unwrap_or(20);
    let client = DingTalkClient::new(config)
        .map_err(|e| CoreError::internal("building the DingTalk client", e))?;
    Ok(state.dingtalk.put(id, Arc::new(client)))
}

/// The connection's group robot, when one is configured.
pub async fn robot(state: &AppState, id: &str) -> Result<Option<Arc<RobotSender>>, CoreError> {
    if let Some(robot) = shared(&state.dingtalk.robots, id, None) {
        return Ok(Some(robot));
    }
    let row = table::get(&state.db, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let Some(sealed) = &row.robot_webhook_sealed else {
        return Ok(None);
    };
    let url = open(&state.keyring, id, "robot_webhook", sealed)?;
    let secret = match &row.robot_secret_sealed {
        Some(sealed) => Some(open(&state.keyring, id, "robot_secret", sealed)?),
        None => None,
    };
    let robot = RobotSender::new(RobotWebhook { url, secret })
        .map_err(|e| CoreError::internal("building the robot sender", e))?;
    Ok(shared(&state.dingtalk.robots, id, Some(Arc::new(robot))))
}

/// Adds the client's counted calls to this month's stored counters and
/// answers what was added.
pub async fn flush_calls(
    state: &AppState,
    id: &str,
    client: &DingTalkClient,
) -> Result<BTreeMap<&'static str, ApiCount>, CoreError> {
    let month = quota_month();
    let counts = client.meter().take();
    for (api, count) in &counts {
        dingtalk_calls::add(
            &state.db,
            id,
            &month,
            api,
            count.billable as i64,
            count.throttled as i64,
            count.failed as i64,
        )
        .await?;
    }
    Ok(counts)
}

/// Pulls the directory to check the credentials and shows what DingTalk
/// answered: the organisation and its size, or DingTalk's own error text.
/// A successful test stores the directory it read.
pub async fn test(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    id: &ConnectionId,
) -> Result<TestOutcome, CoreError> {
    let row = table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    let at_ms = now_ms();
    let outcome = match super::directory::pull(state, id.as_str(), at_ms).await? {
        Ok(directory) => TestOutcome {
            ok: true,
            organisation: directory.organisation.clone(),
            departments: directory.departments.len() as u64,
            people: directory.users.len() as u64,
            error: None,
            at_ms,
        },
        Err(error) => TestOutcome {
            ok: false,
            organisation: None,
            departments: 0,
            people: 0,
            error: Some(describe(&error)),
            at_ms,
        },
    };
    let detail = match &outcome.error {
        None => format!(
            "{} · {} departments · {} people",
            outcome.organisation.as_deref().unwrap_or("?"),
            outcome.departments,
            outcome.people
        ),
        Some(e) => e.clone(),
    };
    table::record_test(&state.db, id.as_str(), at_ms, outcome.ok, &detail).await?;
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

/// DingTalk's error as the admin should read it: its own message first.
pub fn describe(error: &UpstreamError) -> String {
    match error {
        UpstreamError::Rejected { code, message } if !message.is_empty() => {
            format!("{message} (DingTalk {code})")
        }
        other => other.to_string(),
    }
}

async fn summarize(state: &AppState, row: &ConnectionRow) -> Result<ConnectionSummary, CoreError> {
    let month = quota_month();
    let mut used = dingtalk_calls::billable_in_month(&state.db, &row.id, &month).await? as u64;
    if let Some(client) = state.dingtalk.get(&row.id) {
        used += client.meter().billable();
    }
    let (people, _active) = people_table::counts(&state.db, &row.id).await?;
    let departments = people_table::department_total(&state.db, &row.id).await?;
    let forecast = forecast(
        used,
        people.max(0) as usize,
        row.monthly_quota.max(0) as u64,
    );
    let last_test = row.last_test_at.map(|at_ms| {
        let ok = row.last_test_ok.unwrap_or(false);
        TestOutcome {
            ok,
            organisation: None,
            departments: 0,
            people: 0,
            error: (!ok).then(|| row.last_test_detail.clone().unwrap_or_default()),
            at_ms,
        }
    });
    Ok(ConnectionSummary {
        id: ConnectionId::new(row.id.clone()),
        name: row.name.clone(),
        corp_id: row.corp_id.clone(),
        app_key: row.app_key.clone(),
        agent_id: row.agent_id.clone(),
        oapi_base: row.oapi_base.clone(),
        api_base: row.api_base.clone(),
        qps: u32::try_from(row.qps).unwrap_or(0),
        monthly_quota: row.monthly_quota.max(0) as u64,
        enabled: row.enabled,
        has_robot: row.robot_webhook_sealed.is_some(),
        callback_url: callback_url(state, &row.id),
        last_test,
        calls_this_month: used,
        forecast_this_month: forecast,
        people: people.max(0) as u64,
        departments: departments.max(0) as u64,
        last_directory_sync_ms: row.last_directory_sync_at,
    })
}

/// The month's forecast at the default schedule: one pull of the previous
/// working day every day for everyone in the directory.
fn forecast(used: u64, people: usize, quota: u64) -> u64 {
    let today = Utc::now().with_timezone(&CHINA).date_naive();
    let days_left = days_left_in_month(today);
    let one_day = plan::DayWindow {
        first: today,
        last: today,
    };
    let per_run = plan::estimate(
        &Limits::default(),
        &Workload::typical(people),
        &[one_day],
        |_| true,
    )
    .total();
    plan::forecast_month(used, days_left, per_run, quota).forecast
}

fn days_left_in_month(today: NaiveDate) -> u64 {
    let (y, m) = if today.month() == 12 {
        (today.year() + 1, 1)
    } else {
        (today.year(), today.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).map_or(0, |first_next| {
        (first_next - today).num_days().max(0) as u64
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_left_counts_today() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(days_left_in_month(d(2026, 11, 23)), 8);
        assert_eq!(days_left_in_month(d(2026, 12, 31)), 1);
        assert_eq!(days_left_in_month(d(2026, 2, 1)), 28);
    }

    #[test]
    fn refusals_lead_with_dingtalks_own_words() {
        let text = describe(&UpstreamError::Rejected {
            code: "40096".into(),
            message: "不合法的appKey或appSecret".into(),
        });
        assert_eq!(text, "不合法的appKey或appSecret (DingTalk 40096)");
    }
}
