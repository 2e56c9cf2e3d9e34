//! Who is who: each DingTalk person matched to a user of a PM connection,
//! automatically (`hourbridge_domain::matching`) or by an administrator.

use std::collections::HashMap;

use super::{audit, Actor, Origin};
use crate::clock::now_ms;
use crate::db::directory as people_table;
use crate::db::pm_connections::{self as table, PmUserRecord};
use crate::{AppState, CoreError};
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::matching::{
    match_people, Account, AccountView, Decisions, MatchPage, MatchRow, MatchStatus, Outcome,
    Person, MATCH_PAGE_SIZE,
};
use hourbridge_domain::{ConnectionId, FieldError, Problem};

/// Which rows the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    /// Ambiguous or unmatched: a person must decide.
    NeedsDecision,
}

fn view(u: &PmUserRecord) -> AccountView {
    AccountView {
        id: u.user_id.clone(),
        name: u.name.clone(),
        email: u.email.clone(),
        login: u.login.clone(),
    }
}

/// Every active DingTalk person, as matching sees them.
async fn active_people(state: &AppState) -> Result<Vec<Person>, CoreError> {
    Ok(people_table::all_active(&state.db)
        .await?
        .into_iter()
        .map(|p| Person {
            userid: p.userid,
            name: p.name,
            email: p.email,
            mobile: p.mobile,
            job_number: p.job_number,
        })
        .collect())
}

/// Every person's outcome against one PM connection, and its users.
async fn outcomes(
    state: &AppState,
    pm_id: &str,
    people: &[Person],
) -> Result<(Vec<PmUserRecord>, HashMap<String, Outcome>), CoreError> {
    let users = table::users(&state.db, pm_id).await?;
    let accounts: Vec<Account> = users
        .iter()
        .filter(|u| u.active)
        .map(|u| Account {
            id: u.user_id.clone(),
            login: u.login.clone(),
            name: u.name.clone(),
            email: u.email.clone(),
            mobile: u.mobile.clone(),
        })
        .collect();
    let decisions: Decisions = table::decisions(&state.db, pm_id)
        .await?
        .into_iter()
        .map(|d| (d.userid, d.pm_user_id))
        .collect();
    let outcomes = match_people(people, &accounts, &decisions)
        .into_iter()
        .collect();
    Ok((users, outcomes))
}

/// One page (from 1) of the matching page.
pub async fn page(
    state: &AppState,
    pm_id: &ConnectionId,
    filter: Filter,
    search: &str,
    page: u64,
) -> Result<MatchPage, CoreError> {
    table::get(&state.db, pm_id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    let people = active_people(state).await?;
    let (users, outcomes) = outcomes(state, pm_id.as_str(), &people).await?;
    let by_id: HashMap<&str, &PmUserRecord> =
        users.iter().map(|u| (u.user_id.as_str(), u)).collect();
    let account = |id: &str| by_id.get(id).map(|u| view(u));
    let search = search.trim().to_lowercase();
    let needs_decision = outcomes.values().filter(|o| o.needs_decision()).count() as u64;
    let rows: Vec<MatchRow> = people
        .iter()
        .filter_map(|p| {
            let outcome = outcomes.get(&p.userid)?;
            if filter == Filter::NeedsDecision && !outcome.needs_decision() {
                return None;
            }
            let found = search.is_empty()
                || p.name.to_lowercase().contains(&search)
                || p.userid.to_lowercase().contains(&search)
                || p.email
                    .as_deref()
                    .is_some_and(|e| e.to_lowercase().contains(&search));
            if !found {
                return None;
            }
            let (method, matched, candidates) = match outcome {
                Outcome::Matched { account: a, method } => (Some(*method), account(a), Vec::new()),
                Outcome::Ambiguous { method, candidates } => (
                    Some(*method),
                    None,
                    candidates.iter().filter_map(|c| account(c)).collect(),
                ),
                Outcome::Unmatched | Outcome::NoAccount => (None, None, Vec::new()),
            };
            Some(MatchRow {
                userid: p.userid.clone(),
                name: p.name.clone(),
                email: p.email.clone(),
                status: outcome.status(),
                method,
                account: matched,
                candidates,
            })
        })
        .collect();
    let page = page.max(1);
    let matching = rows.len() as u64;
    let rows = rows
        .into_iter()
        .skip(((page - 1) * MATCH_PAGE_SIZE) as usize)
        .take(MATCH_PAGE_SIZE as usize)
        .collect();
    Ok(MatchPage {
        rows,
        matching,
        page,
        people: people.len() as u64,
        needs_decision,
        accounts: users.iter().filter(|u| u.active).map(view).collect(),
    })
}

/// People who need a decision, over every enabled PM connection (the count
/// on the navigation).
pub async fn needs_decision(state: &AppState) -> Result<u64, CoreError> {
    let mut total = 0;
    let mut people = None;
    for connection in table::list(&state.db).await? {
        if connection.enabled && connection.last_users_sync_at.is_some() {
            // Read the directory once, and only when some connection needs it.
            let people = match &people {
                Some(people) => people,
                None => people.insert(active_people(state).await?),
            };
            let (_, outcomes) = outcomes(state, &connection.id, people).await?;
            total += outcomes.values().filter(|o| o.needs_decision()).count() as u64;
        }
    }
    Ok(total)
}

/// Decides by hand: a PM user, "has no account here", or back to
/// automatic matching.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    pm_id: &ConnectionId,
    userid: &str,
    decision: Decision<'_>,
) -> Result<MatchStatus, CoreError> {
    let connection = table::get(&state.db, pm_id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    let people = active_people(state).await?;
    let person = people
        .iter()
        .find(|p| p.userid == userid)
        .ok_or_else(|| CoreError::from(FieldError::new("userid", Problem::InvalidChoice)))?;
    let detail = match decision {
        Decision::Account(account) => {
            let users = table::users(&state.db, pm_id.as_str()).await?;
            let user = users
                .iter()
                .find(|u| u.user_id == account && u.active)
                .ok_or_else(|| {
                    CoreError::from(FieldError::new("account", Problem::InvalidChoice))
                })?;
            table::decide(
                &state.db,
                pm_id.as_str(),
                userid,
                Some(account),
                &actor.username,
                now_ms(),
            )
            .await?;
            format!("{} → {}", person.name, user.name)
        }
        Decision::NoAccount => {
            table::decide(
                &state.db,
                pm_id.as_str(),
                userid,
                None,
                &actor.username,
                now_ms(),
            )
            .await?;
            format!("{} → (no account)", person.name)
        }
        Decision::Automatic => {
            table::undecide(&state.db, pm_id.as_str(), userid).await?;
            format!("{} → (automatic)", person.name)
        }
    };
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::PersonMatchDecided,
        Some(&connection.name),
        Some(&detail),
    )
    .await?;
    let (_, outcomes) = outcomes(state, pm_id.as_str(), &people).await?;
    Ok(outcomes
        .get(userid)
        .map_or(MatchStatus::Unmatched, Outcome::status))
}

/// What an administrator chose for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'a> {
    Account(&'a str),
    NoAccount,
    Automatic,
}

/// The PM user each matched DingTalk person writes as on `pm_id`, by
/// userid (ambiguous, unmatched and "no account" people are left out).
pub async fn matched_accounts(
    state: &AppState,
    pm_id: &str,
) -> Result<HashMap<String, String>, CoreError> {
    let people = active_people(state).await?;
    let (_, outcomes) = outcomes(state, pm_id, &people).await?;
    Ok(outcomes
        .into_iter()
        .filter_map(|(userid, outcome)| match outcome {
            Outcome::Matched { account, .. } => Some((userid, account)),
            _ => None,
        })
        .collect())
}
