//! The synced DingTalk directory (admins and HR).

use super::AppError;
use hourbridge_domain::directory::PeoplePage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The people page: which connections there are, and one page of people
/// of the selected one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleView {
    /// (id, name) of every connection.
    pub connections: Vec<(String, String)>,
    pub selected: Option<String>,
    pub page: Option<PeoplePage>,
}

#[server(endpoint = "people/list")]
pub async fn list_people(
    #[server(default)] connection_id: String,
    #[server(default)] status: String,
    #[server(default)] search: String,
    #[server(default)] page: u64,
) -> Result<PeopleView, AppError> {
    use super::guard;
    use hourbridge_domain::directory::PeopleStatus;
    use hourbridge_domain::{role::Area, ConnectionId, FieldError, Problem};
    guard::respond(async move {
        let auth = guard::require(Area::People).await?;
        let state = &auth.call.state;
        let status = match status.as_str() {
            "" | "all" => PeopleStatus::All,
            "active" => PeopleStatus::Active,
            "left" => PeopleStatus::Left,
            _ => {
                return Err(AppError::invalid(FieldError::new(
                    "status",
                    Problem::InvalidChoice,
                )))
            }
        };
        let connections: Vec<(String, String)> =
            hourbridge_core::services::connections::list(state)
                .await?
                .into_iter()
                .map(|c| (c.id.as_str().to_owned(), c.name))
                .collect();
        let selected = if connection_id.is_empty() {
            connections.first().map(|c| c.0.clone())
        } else if connections.iter().any(|c| c.0 == connection_id) {
            Some(connection_id)
        } else {
            return Err(AppError::NotFound);
        };
        let page = match &selected {
            Some(id) => Some(
                hourbridge_core::services::directory::people(
                    state,
                    &ConnectionId::new(id.clone()),
                    status,
                    &search,
                    page,
                )
                .await?,
            ),
            None => None,
        };
        Ok(PeopleView {
            connections,
            selected,
            page,
        })
    })
    .await
}

#[server(endpoint = "people/sync")]
pub async fn sync_people(connection_id: String) -> Result<(u64, u64), AppError> {
    use super::guard;
    use hourbridge_domain::{role::Area, ConnectionId};
    guard::respond(async move {
        let auth = guard::require(Area::Connections).await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::directory::sync(
            &call.state,
            Some(&auth.actor),
            &call.origin,
            &ConnectionId::new(connection_id),
        )
        .await?)
    })
    .await
}
