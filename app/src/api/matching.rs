//! People matching (admins only): who each DingTalk person is in each
//! project system, and the decisions made by hand.

use super::AppError;
use hourbridge_domain::matching::{MatchPage, MatchStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The matching page: the PM connections, and one page of the selected one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchingView {
    /// (id, name) of every PM connection.
    pub connections: Vec<(String, String)>,
    pub selected: Option<String>,
    pub page: Option<MatchPage>,
    /// When the selected connection's users were last read.
    pub users_read_at: Option<i64>,
}

#[server(endpoint = "matching/page")]
pub async fn matching_page(
    #[server(default)] connection_id: String,
    #[server(default)] filter: String,
    #[server(default)] search: String,
    #[server(default)] page: u64,
) -> Result<MatchingView, AppError> {
    use super::guard;
    use hourbridge_core::services::matching::{self, Filter};
    use hourbridge_domain::{role::Area, ConnectionId, FieldError, Problem};
    guard::respond(async move {
        let auth = guard::require(Area::Matching).await?;
        let state = &auth.call.state;
        let filter = match filter.as_str() {
            "" | "all" => Filter::All,
            "needs_decision" => Filter::NeedsDecision,
            _ => {
                return Err(AppError::invalid(FieldError::new(
                    "filter",
                    Problem::InvalidChoice,
                )))
            }
        };
        let all = hourbridge_core::services::pm_connections::list(state).await?;
        let connections: Vec<(String, String)> = all
            .iter()
            .map(|c| (c.id.as_str().to_owned(), c.name.clone()))
            .collect();
        let selected = if connection_id.is_empty() {
            connections.first().map(|c| c.0.clone())
        } else if connections.iter().any(|c| c.0 == connection_id) {
            Some(connection_id)
        } else {
            return Err(AppError::NotFound);
        };
        let (page, users_read_at) = match &selected {
            Some(id) => {
                let id = ConnectionId::new(id.clone());
                let read_at =
                    hourbridge_core::services::pm_connections::users_read_at(state, &id).await?;
                (
                    Some(matching::page(state, &id, filter, &search, page).await?),
                    read_at,
                )
            }
            None => (None, None),
        };
        Ok(MatchingView {
            connections,
            selected,
            page,
            users_read_at,
        })
    })
    .await
}

/// `choice`: `account` (with `account`), `none` (no account there) or
/// `auto` (back to automatic matching).
#[server(endpoint = "matching/decide")]
pub async fn decide_match(
    connection_id: String,
    userid: String,
    choice: String,
    #[server(default)] account: String,
) -> Result<MatchStatus, AppError> {
    use super::guard;
    use hourbridge_core::services::matching::{self, Decision};
    use hourbridge_domain::{role::Area, ConnectionId, FieldError, Problem};
    guard::respond(async move {
        let auth = guard::require(Area::Matching).await?;
        let decision = match choice.as_str() {
            "account" if !account.is_empty() => Decision::Account(&account),
            "account" => {
                return Err(AppError::invalid(FieldError::new(
                    "account",
                    Problem::Required,
                )))
            }
            "none" => Decision::NoAccount,
            "auto" => Decision::Automatic,
            _ => {
                return Err(AppError::invalid(FieldError::new(
                    "choice",
                    Problem::InvalidChoice,
                )))
            }
        };
        let call = &auth.call;
        Ok(matching::decide(
            &call.state,
            &auth.actor,
            &call.origin,
            &ConnectionId::new(connection_id),
            &userid,
            decision,
        )
        .await?)
    })
    .await
}

/// Reads a PM connection's users now (needed before matching).
#[server(endpoint = "matching/read_users")]
pub async fn read_pm_users(connection_id: String) -> Result<u64, AppError> {
    use super::guard;
    use hourbridge_domain::{role::Area, ConnectionId};
    guard::respond(async move {
        let auth = guard::require(Area::Matching).await?;
        let call = &auth.call;
        Ok(hourbridge_core::services::pm_connections::sync_users(
            &call.state,
            Some(&auth.actor),
            &call.origin,
            &ConnectionId::new(connection_id),
        )
        .await?)
    })
    .await
}

/// People who need a decision, over every PM connection (navigation badge).
#[server(endpoint = "matching/count")]
pub async fn needs_decision_count() -> Result<u64, AppError> {
    use super::guard;
    use hourbridge_domain::role::Area;
    guard::respond(async {
        let auth = guard::require(Area::Matching).await?;
        Ok(hourbridge_core::services::matching::needs_decision(&auth.call.state).await?)
    })
    .await
}
