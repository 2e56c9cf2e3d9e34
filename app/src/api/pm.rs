//! Project-management connections (admins only): list, add, edit,
//! enable/disable, test, read users. The secret is write-only.

use super::AppError;
use hourbridge_domain::pm_connection::{PmConnectionSummary, PmTestOutcome};
use leptos::prelude::*;

#[server(endpoint = "pm/list")]
pub async fn list_pm_connections() -> Result<Vec<PmConnectionSummary>, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async {
        let auth = guard::require(Area::Connections).await?;
        Ok(hourbridge_core::services::pm_connections::list(&auth.call.state).await?)
    })
    .await
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "pm/save")]
pub async fn save_pm_connection(
    #[server(default)] id: String,
    name: String,
    kind: String,
    base_url: String,
    #[server(default)] username: String,
    #[server(default)] secret: String,
    #[server(default)] activity_id: String,
    #[server(default)] external_id_field: String,
    #[server(default)] switch_user: String,
    #[server(default)] space: String,
    #[server(default)] operator: String,
    #[server(default)] record_as: String,
) -> Result<PmConnectionSummary, AppError> {
    use super::guard;
    use hourbridge_core::services::pm_connections;
    use hourbridge_domain::pm_connection::PmConnectionForm;
    use hourbridge_domain::{role::Area, ConnectionId};
    guard::respond(async move {
        let auth = guard::require(Area::Connections).await?;
        let form = PmConnectionForm {
            name,
            kind,
            base_url,
            username,
            secret,
            activity_id,
            external_id_field,
            switch_user,
            space,
            operator,
            record_as,
        };
        let call = &auth.call;
        Ok(if id.is_empty() {
            pm_connections::create(&call.state, &auth.actor, &call.origin, &form).await?
        } else {
            pm_connections::update(
                &call.state,
                &auth.actor,
                &call.origin,
                &ConnectionId::new(id),
                &form,
            )
            .await?
        })
    })
    .await
}

#[server(endpoint = "pm/enabled")]
pub async fn set_pm_connection_enabled(
    id: String,
    enabled: bool,
) -> Result<PmConnectionSummary, AppError> {
    use super::guard;
    use hourbridge_domain::{role::Area, ConnectionId};
    guard::respond(async move {
        let auth = guard::require(Area::Connections).await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::pm_connections::set_enabled(
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

#[server(endpoint = "pm/test")]
pub async fn test_pm_connection(id: String) -> Result<PmTestOutcome, AppError> {
    use super::guard;
    use hourbridge_domain::{role::Area, ConnectionId};
    guard::respond(async move {
        let auth = guard::require(Area::Connections).await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::pm_connections::test(
            &call.state,
            &auth.actor,
            &call.origin,
            &ConnectionId::new(id),
        )
        .await?)
    })
    .await
}
