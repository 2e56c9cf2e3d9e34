//! DingTalk connections (admins only): list, add, edit, enable/disable, test.
//! Secrets are write-only: they go to the server and never come back.

use super::AppError;
use hourbridge_domain::connection::{ConnectionSummary, CreatedConnection, TestOutcome};
use leptos::prelude::*;

#[server(endpoint = "connections/list")]
pub async fn list_connections() -> Result<Vec<ConnectionSummary>, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async {
        let auth = guard::require(Area::Connections).await?;
        Ok(hourbridge_core::services::connections::list(&auth.call.state).await?)
    })
    .await
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "connections/create")]
pub async fn create_connection(
    name: String,
    corp_id: String,
    app_key: String,
    app_secret: String,
    #[server(default)] agent_id: String,
    #[server(default)] oapi_base: String,
    #[server(default)] api_base: String,
    #[server(default)] qps: String,
    #[server(default)] monthly_quota: String,
    #[server(default)] robot_webhook: String,
    #[server(default)] robot_secret: String,
) -> Result<CreatedConnection, AppError> {
    use super::guard;
    use hourbridge_domain::connection::ConnectionForm;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::Connections).await?;
        let form = ConnectionForm {
            name,
            corp_id,
            app_key,
            app_secret,
            agent_id,
            oapi_base,
            api_base,
            qps,
            monthly_quota,
            robot_webhook,
            robot_secret,
        };
        let call = &auth.call;
        Ok(hourbridge_core::services::connections::create(
            &call.state,
            &auth.actor,
            &call.origin,
            &form,
        )
        .await?)
    })
    .await
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "connections/update")]
pub async fn update_connection(
    id: String,
    name: String,
    corp_id: String,
    app_key: String,
    #[server(default)] app_secret: String,
    #[server(default)] agent_id: String,
    #[server(default)] oapi_base: String,
    #[server(default)] api_base: String,
    #[server(default)] qps: String,
    #[server(default)] monthly_quota: String,
    #[server(default)] robot_webhook: String,
    #[server(default)] robot_secret: String,
) -> Result<ConnectionSummary, AppError> {
    use super::guard;
    use hourbridge_domain::connection::ConnectionForm;
    use hourbridge_domain::{role::Area, ConnectionId};
    guard::respond(async move {
        let auth = guard::require(Area::Connections).await?;
        let form = ConnectionForm {
            name,
            corp_id,
            app_key,
            app_secret,
            agent_id,
            oapi_base,
            api_base,
            qps,
            monthly_quota,
            robot_webhook,
            robot_secret,
        };
        let call = &auth.call;
        Ok(hourbridge_core::services::connections::update(
            &call.state,
            &auth.actor,
            &call.origin,
            &ConnectionId::new(id),
            &form,
        )
        .await?)
    })
    .await
}

#[server(endpoint = "connections/enabled")]
pub async fn set_connection_enabled(
    id: String,
    enabled: bool,
) -> Result<ConnectionSummary, AppError> {
    use super::guard;
    use hourbridge_domain::{role::Area, ConnectionId};
    guard::respond(async move {
        let auth = guard::require(Area::Connections).await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::connections::set_enabled(
            &call.state,
            &auth.actor,
            &call.origin,
            &ConnectionId::new(id),
            enabled,
        )
        .await?)
    })
    .await
}

#[server(endpoint = "connections/test")]
pub async fn test_connection(id: String) -> Result<TestOutcome, AppError> {
    use super::guard;
    use hourbridge_domain::{role::Area, ConnectionId};
    guard::respond(async move {
        let auth = guard::require(Area::Connections).await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::connections::test(
            &call.state,
            &auth.actor,
            &call.origin,
            &ConnectionId::new(id),
        )
        .await?)
    })
    .await
}

/// What an attendance pull stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PullSummary {
    pub people: u64,
    pub results: u64,
    pub forms: u64,
    pub billable_calls: u64,
}

/// Pulls punch results, leave and approval forms of `first..=last`
/// (`YYYY-MM-DD`, at most 31 days) for everyone in the directory.
#[server(endpoint = "connections/pull-attendance")]
pub async fn pull_attendance(
    id: String,
    first: String,
    last: String,
) -> Result<PullSummary, AppError> {
    use super::guard;
    use hourbridge_core::services::attendance;
    use hourbridge_domain::{role::Area, FieldError, Problem};
    guard::respond(async move {
        let auth = guard::require(Area::Connections).await?;
        let state = &auth.call.state;
        let date = |field: &str, raw: &str| {
            chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
                .map_err(|_| AppError::invalid(FieldError::new(field, Problem::Required)))
        };
        let (first, last) = (date("first", &first)?, date("last", &last)?);
        if !(0..31).contains(&(last - first).num_days()) {
            return Err(AppError::invalid(FieldError::new(
                "last",
                Problem::OutOfRange,
            )));
        }
        let report = attendance::pull(state, &id, first, last).await?;
        Ok(PullSummary {
            people: report.people as u64,
            results: report.results as u64,
            forms: report.forms as u64,
            billable_calls: report.billable(),
        })
    })
    .await
}
