//! The synced DingTalk directory: storing a pull, and the people page.

use std::collections::HashMap;

use super::{audit, connections, Actor, Origin};
use crate::clock::now_ms;
use crate::db::connections as connection_table;
use crate::db::directory::{self as table, DepartmentRecord, PersonRecord};
use crate::{AppState, CoreError};
use hourbridge_dingtalk::{Directory, UpstreamError};
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::directory::{
    DepartmentRow, PeoplePage, PeopleStatus, PersonRow, PEOPLE_PAGE_SIZE,
};
use hourbridge_domain::ConnectionId;

/// Stores a pulled directory: departments replaced, people upserted, the
/// people no longer listed marked as left.
pub async fn store(
    state: &AppState,
    connection_id: &str,
    directory: &Directory,
    at_ms: i64,
) -> Result<(), CoreError> {
    let departments: Vec<DepartmentRecord> = directory
        .departments
        .iter()
        .map(|d| DepartmentRecord {
            dept_id: d.dept_id,
            name: d.name.clone(),
            parent_id: d.parent_id,
        })
        .collect();
    let people: Vec<PersonRecord> = directory
        .users
        .iter()
        .map(|u| PersonRecord {
            userid: u.userid.clone(),
            name: u.name.clone(),
            title: u.title.clone(),
            email: u.email.clone().or_else(|| u.org_email.clone()),
            mobile: u.mobile.clone(),
            job_number: u.job_number.clone(),
            dept_ids: u
                .dept_id_list
                .iter()
                .map(|n| n.0.to_string())
                .collect::<Vec<_>>()
                .join(","),
            active: u.active.unwrap_or(true),
            hired_at: u.hired_date,
        })
        .collect();
    table::replace(&state.db, connection_id, &departments, &people, at_ms).await?;
    Ok(())
}

/// Pulls the directory through the connection's shared client, counts the
/// calls, and stores it when the pull succeeded. The outer error is ours
/// (database); the inner one is DingTalk's.
pub async fn pull(
    state: &AppState,
    connection_id: &str,
    at_ms: i64,
) -> Result<Result<Directory, UpstreamError>, CoreError> {
    let client = connections::client(state, connection_id).await?;
    let pulled = client.directory().await;
    connections::flush_calls(state, connection_id, &client).await?;
    if let Ok(directory) = &pulled {
        store(state, connection_id, directory, at_ms).await?;
    }
    Ok(pulled)
}

/// Pulls and stores the directory now.
pub async fn sync(
    state: &AppState,
    actor: Option<&Actor>,
    origin: &Origin,
    id: &ConnectionId,
) -> Result<(u64, u64), CoreError> {
    let row = connection_table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    let directory = pull(state, id.as_str(), now_ms())
        .await?
        .map_err(|e| CoreError::Upstream(connections::describe(&e)))?;
    let counts = (
        directory.departments.len() as u64,
        directory.users.len() as u64,
    );
    audit::record(
        &state.db,
        actor,
        origin,
        AuditAction::DirectorySynced,
        Some(&row.name),
        Some(&format!("{} departments · {} people", counts.0, counts.1)),
    )
    .await?;
    Ok(counts)
}

/// One page (from 1) of a connection's people.
pub async fn people(
    state: &AppState,
    id: &ConnectionId,
    status: PeopleStatus,
    search: &str,
    page: u64,
) -> Result<PeoplePage, CoreError> {
    let row = connection_table::get(&state.db, id.as_str())
        .await?
        .ok_or(CoreError::NotFound)?;
    let departments = table::departments(&state.db, id.as_str()).await?;
    let names: HashMap<i64, &str> = departments
        .iter()
        .map(|d| (d.dept_id, d.name.as_str()))
        .collect();
    let active = match status {
        PeopleStatus::All => None,
        PeopleStatus::Active => Some(true),
        PeopleStatus::Left => Some(false),
    };
    let page = page.max(1);
    let search: String = search.trim().chars().take(100).collect();
    let (records, matching) = table::page(
        &state.db,
        id.as_str(),
        active,
        &search,
        PEOPLE_PAGE_SIZE as i64,
        ((page - 1) * PEOPLE_PAGE_SIZE) as i64,
    )
    .await?;
    let (total, active_count) = table::counts(&state.db, id.as_str()).await?;
    let mut per_department: HashMap<i64, u64> = HashMap::new();
    for list in table::active_dept_ids(&state.db, id.as_str()).await? {
        for dept in list.split(',').filter_map(|s| s.parse::<i64>().ok()) {
            *per_department.entry(dept).or_default() += 1;
        }
    }
    let people = records
        .into_iter()
        .map(|p| {
            let ids: Vec<i64> = p
                .dept_ids
                .split(',')
                .filter_map(|s| s.parse().ok())
                .collect();
            PersonRow {
                departments: ids
                    .iter()
                    .map(|id| {
                        names
                            .get(id)
                            .map_or_else(|| format!("#{id}"), |n| (*n).to_owned())
                    })
                    .collect(),
                userid: p.userid,
                name: p.name,
                title: p.title,
                email: p.email,
                job_number: p.job_number,
                active: p.active,
            }
        })
        .collect();
    Ok(PeoplePage {
        people,
        matching: matching.max(0) as u64,
        page,
        total: total.max(0) as u64,
        active: active_count.max(0) as u64,
        left: (total - active_count).max(0) as u64,
        departments: departments
            .iter()
            .map(|d| DepartmentRow {
                dept_id: d.dept_id,
                name: d.name.clone(),
                parent_id: d.parent_id,
                people: per_department.get(&d.dept_id).copied().unwrap_or(0),
            })
            .collect(),
        last_sync_ms: row.last_directory_sync_at,
    })
}
