//! Organisation settings (admins only).

use super::AppError;
use leptos::prelude::*;

#[server(endpoint = "settings/time-zone")]
pub async fn set_time_zone(time_zone: String) -> Result<String, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::Settings).await?;
        let call = &auth.call;
        let tz = hourbridge_core::services::org_settings::set_time_zone(
            &call.state.db,
            &auth.actor,
            &call.origin,
            &time_zone,
        )
        .await?;
        Ok(tz.as_str().to_owned())
    })
    .await
}
