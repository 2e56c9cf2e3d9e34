//! Field mappings per PM connection (admins only): read and save.

use super::AppError;
use hourbridge_domain::target::TargetKind;
use hourbridge_rules::allocation::AllocationPlan;
use hourbridge_rules::mapping::MappingBook;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// What the mappings page opens with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappingView {
    /// Every PM connection, `(id, name)`.
    pub connections: Vec<(String, String)>,
    /// The connection shown (the first when none was asked for).
    pub selected: Option<String>,
    pub kind: Option<TargetKind>,
    /// The saved revision (`None`: the default mapping, never saved).
    pub revision: Option<i64>,
    pub saved_by: Option<String>,
    pub book: Option<MappingBook>,
    /// The organisation's local date today.
    pub today: String,
    /// How the connection splits a day over projects (default: nothing set).
    pub allocation: AllocationPlan,
    pub allocation_revision: Option<i64>,
    /// DingTalk departments for department defaults, `(id, name)`.
    pub departments: Vec<(i64, String)>,
}

#[server(endpoint = "mappings/get")]
pub async fn get_mapping(
    #[server(default)] connection_id: String,
) -> Result<MappingView, AppError> {
    use super::guard;
    use hourbridge_core::services::{mappings, org_settings, pm_connections};
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::Mappings).await?;
        let state = &auth.call.state;
        let connections: Vec<(String, String)> = pm_connections::list(state)
            .await?
            .into_iter()
            .map(|c| (c.id.as_str().to_owned(), c.name))
            .collect();
        let selected = connections
            .iter()
            .find(|(id, _)| *id == connection_id)
            .or_else(|| connections.first())
            .map(|(id, _)| id.clone());
        let tz = org_settings::time_zone(&state.db).await?;
        let zone: chrono_tz::Tz = tz.as_str().parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let today = chrono::Utc::now()
            .with_timezone(&zone)
            .date_naive()
            .to_string();
        let Some(id) = selected.clone() else {
            return Ok(MappingView {
                connections,
                selected,
                kind: None,
                revision: None,
                saved_by: None,
                book: None,
                today,
                allocation: AllocationPlan::default(),
                allocation_revision: None,
                departments: Vec::new(),
            });
        };
        let mapping = mappings::get(state, &id).await?;
        let allocation = mappings::allocation(state, &id).await?;
        let departments = hourbridge_core::db::directory::all_departments(&state.db)
            .await
            .map_err(hourbridge_core::CoreError::from)?
            .into_iter()
            .map(|d| (d.dept_id, d.name))
            .collect();
        Ok(MappingView {
            connections,
            selected,
            kind: Some(mapping.kind),
            revision: mapping.saved.as_ref().map(|s| s.revision),
            saved_by: mapping.saved.as_ref().map(|s| s.saved_by.clone()),
            book: Some(mapping.book),
            today,
            allocation_revision: allocation.as_ref().map(|a| a.revision),
            allocation: allocation.map(|a| a.doc).unwrap_or_default(),
            departments,
        })
    })
    .await
}

/// Saves the connection's mapping as the revision after `based_on`.
#[server(endpoint = "mappings/save", input = Json)]
pub async fn save_mapping(
    connection_id: String,
    based_on: Option<i64>,
    book: MappingBook,
) -> Result<i64, AppError> {
    use super::guard;
    use hourbridge_core::services::mappings;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::Mappings).await?;
        let call = &auth.call;
        Ok(mappings::save(
            &call.state,
            &auth.actor,
            &call.origin,
            &connection_id,
            based_on,
            &book,
        )
        .await?)
    })
    .await
}

/// Saves the connection's allocation plan as the revision after `based_on`.
#[server(endpoint = "mappings/save-allocation", input = Json)]
pub async fn save_allocation(
    connection_id: String,
    based_on: Option<i64>,
    plan: AllocationPlan,
) -> Result<i64, AppError> {
    use super::guard;
    use hourbridge_core::services::mappings;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::Mappings).await?;
        let call = &auth.call;
        Ok(mappings::save_allocation(
            &call.state,
            &auth.actor,
            &call.origin,
            &connection_id,
            based_on,
            &plan,
        )
        .await?)
    })
    .await
}
