//! Organisation settings: the time zone dates are shown in.

use super::{audit, Actor, Origin};
use crate::clock::now_ms;
use crate::db::{settings, Db};
use crate::CoreError;
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::settings::OrgTimeZone;

pub async fn time_zone(db: &Db) -> Result<OrgTimeZone, CoreError> {
    Ok(settings::get(db, settings::ORG_TIME_ZONE)
        .await?
        .map(OrgTimeZone::from_trusted)
        .unwrap_or_default())
}

pub async fn set_time_zone(
    db: &Db,
    actor: &Actor,
    origin: &Origin,
    raw: &str,
) -> Result<OrgTimeZone, CoreError> {
    let tz = OrgTimeZone::parse("time_zone", raw)?;
    let before = time_zone(db).await?;
    if before == tz {
        return Ok(tz);
    }
    settings::put(db, settings::ORG_TIME_ZONE, tz.as_str(), now_ms()).await?;
    let detail = format!("time_zone: {} -> {}", before.as_str(), tz.as_str());
    audit::record(
        db,
        Some(actor),
        origin,
        AuditAction::SettingsChanged,
        Some("time_zone"),
        Some(&detail),
    )
    .await?;
    Ok(tz)
}
