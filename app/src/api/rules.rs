//! The rule book (admins only): read, save, start from seed-standard, and
//! preview a draft over stored attendance.

use super::AppError;
use hourbridge_domain::preview::{Preview, PreviewQuery};
use hourbridge_rules::RuleBook;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// What the rules page opens with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesView {
    /// The saved revision (`None`: no rules yet).
    pub revision: Option<i64>,
    pub book: Option<RuleBook>,
    pub saved_by: Option<String>,
    pub saved_at: Option<i64>,
    /// The organisation's local date today (`YYYY-MM-DD`).
    pub today: String,
    /// Departments for the preview, `(id, name)`.
    pub departments: Vec<(i64, String)>,
    /// PM connections for the preview's worklog lines, `(id, name)`.
    pub pm_connections: Vec<(String, String)>,
    /// Some active people for the preview's picker, `(userid, name)`.
    pub people: Vec<(String, String)>,
}

#[server(endpoint = "rules/get")]
pub async fn get_rules() -> Result<RulesView, AppError> {
    use super::guard;
    use hourbridge_core::db::directory;
    use hourbridge_core::services::{org_settings, pm_connections, rules};
    use hourbridge_domain::role::Area;
    guard::respond(async {
        let auth = guard::require(Area::Rules).await?;
        let state = &auth.call.state;
        let stored = rules::rule_book(&state.db).await?;
        let tz = org_settings::time_zone(&state.db).await?;
        let zone: chrono_tz::Tz = tz.as_str().parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let today = chrono::Utc::now().with_timezone(&zone).date_naive();
        let departments = directory::all_departments(&state.db)
            .await
            .map_err(hourbridge_core::CoreError::from)?
            .into_iter()
            .map(|d| (d.dept_id, d.name))
            .collect();
        let people = directory::all_active(&state.db)
            .await
            .map_err(hourbridge_core::CoreError::from)?
            .into_iter()
            .take(500)
            .map(|p| (p.userid, p.name))
            .collect();
        let pm_connections = pm_connections::list(state)
            .await?
            .into_iter()
            .map(|c| (c.id.as_str().to_owned(), c.name))
            .collect();
        Ok(RulesView {
            revision: stored.as_ref().map(|s| s.revision),
            saved_by: stored.as_ref().map(|s| s.saved_by.clone()),
            saved_at: stored.as_ref().map(|s| s.saved_at),
            book: stored.map(|s| s.doc),
            today: today.to_string(),
            departments,
            pm_connections,
            people,
        })
    })
    .await
}

/// Saves the book as the revision after `based_on`; answers the new
/// revision, or every problem at its path (nothing saved).
#[server(endpoint = "rules/save", input = Json)]
pub async fn save_rules(based_on: Option<i64>, book: RuleBook) -> Result<i64, AppError> {
    use super::guard;
    use hourbridge_core::services::sync::recompute;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::Rules).await?;
        let call = &auth.call;
        // Saved, and the days it changes are recomputed on every pair.
        let (revision, _runs) =
            recompute::save_rules(&call.state, &auth.actor, &call.origin, based_on, &book).await?;
        Ok(revision)
    })
    .await
}

/// Starts from seed-standard, effective from `effective_from` (`YYYY-MM-DD`).
#[server(endpoint = "rules/seed-standard")]
pub async fn start_from_seed_standard(effective_from: String) -> Result<i64, AppError> {
    use super::guard;
    use hourbridge_core::services::rules;
    use hourbridge_domain::{role::Area, FieldError, Problem};
    guard::respond(async move {
        let auth = guard::require(Area::Rules).await?;
        let date = chrono::NaiveDate::parse_from_str(effective_from.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid(FieldError::new("effective_from", Problem::Required)))?;
        let call = &auth.call;
        Ok(
            rules::start_from_seed_standard(&call.state.db, &auth.actor, &call.origin, date)
                .await?,
        )
    })
    .await
}

/// Evaluates the draft `book` for `query`, explained in `lang` (`zh`/`en`).
#[server(endpoint = "rules/preview", input = Json)]
pub async fn preview_rules(
    book: RuleBook,
    query: PreviewQuery,
    lang: String,
) -> Result<Preview, AppError> {
    use super::guard;
    use hourbridge_core::services::preview;
    use hourbridge_domain::role::Area;
    use hourbridge_rules::Lang;
    guard::respond(async move {
        let auth = guard::require(Area::Rules).await?;
        let lang = if lang == "en" { Lang::En } else { Lang::Zh };
        Ok(preview::preview(&auth.call.state, &book, &query, lang).await?)
    })
    .await
}
