//! `POST /timesheets` (create; with `id`, update) and
//! `POST /timesheets/delete_timesheets`, with TAPD's rules: one record per
//! (entity, spentdate, owner); the owner a member of the workspace; an
//! update changes `timespent`, `timeremain` and `memo` only; a delete lists
//! what was deleted and what failed, and answers status 1 either way.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::common::lock;
use crate::tapd::auth::Caller;
use crate::tapd::data::{EntityType, Workspace};
use crate::tapd::error::{success, TapdError, TapdResult};
use crate::tapd::input::Input;
use crate::tapd::render;
use crate::tapd::state::{now, today, TapdState};
use crate::tapd::store::Timesheet;

/// At most this many `cost_ids` per delete.
const MAX_DELETE: usize = 100;

fn hours(input: &Input, name: &str, zero_ok: bool) -> TapdResult<Option<String>> {
    let Some(text) = input.get(name) else {
        return Ok(None);
    };
    match text.parse::<f64>() {
        Ok(h) if h.is_finite() && (h > 0.0 || (zero_ok && h == 0.0)) => Ok(Some(text.to_owned())),
        _ if zero_ok => Err(TapdError::invalid(format!(
            "{name} must be a number not below 0"
        ))),
        _ => Err(TapdError::invalid(format!(
            "{name} must be a number greater than 0"
        ))),
    }
}

fn entity_type(input: &Input) -> TapdResult<EntityType> {
    EntityType::parse(input.required("entity_type")?)
        .ok_or_else(|| TapdError::invalid("entity_type must be story, task or bug"))
}

fn memo(input: &Input) -> Option<String> {
    input.raw("memo").map(str::to_owned)
}

pub async fn save(
    State(state): State<Arc<TapdState>>,
    caller: Caller,
    input: Input,
) -> TapdResult<Json<Value>> {
    let workspace = caller.workspace(&state, &input)?;
    let written = match input.get("id") {
        Some(id) => update(&state, workspace, id, &input)?,
        None => create(&state, &caller, workspace, &input)?,
    };
    if let Some(remain) = &written.timeremain {
        lock(&state.remain).insert(written.entity_id.clone(), remain.clone());
    }
    state.count_write();
    Ok(success(json!({ "Timesheet": render::timesheet(&written) })))
}

fn create(
    state: &TapdState,
    caller: &Caller,
    workspace: &Workspace,
    input: &Input,
) -> TapdResult<Timesheet> {
    let kind = entity_type(input)?;
    let entity_id = input.required("entity_id")?;
    let item = state
        .directory
        .item(entity_id)
        .filter(|i| i.kind == kind && i.workspace_id == workspace.id)
        .ok_or_else(|| {
            TapdError::not_found(format!(
                "{} {entity_id} does not exist in workspace {}",
                kind.as_str(),
                workspace.id
            ))
        })?;
    let timespent = hours(input, "timespent", false)?
        .ok_or_else(|| TapdError::invalid("missing parameter: timespent"))?;
    let timeremain = hours(input, "timeremain", true)?;
    let owner = input.required("owner")?;
    if !workspace.has_member(owner) {
        return Err(TapdError::invalid(format!(
            "owner {owner} is not a member of workspace {}",
            workspace.id
        )));
    }
    let spentdate = match input.get("spentdate") {
        None => today(),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| TapdError::invalid("spentdate must be a date (YYYY-MM-DD)"))?,
    };
    let creator = caller
        .account(state)
        .map(|a| a.api_user.clone())
        .unwrap_or_default();
    let at = now();
    let mut store = lock(&state.timesheets);
    if let Some(existing) = store.by_key(kind, &item.id, spentdate, owner) {
        // The wording is unconfirmed; TAPD's documentation only says that one
        // record per entity, date and owner is allowed.
        return Err(TapdError::invalid(format!(
            "timesheet {} of {owner} on {} {} for {spentdate} already exists: only one record per entity, date and owner is allowed, update it instead",
            existing.id,
            kind.as_str(),
            item.id,
        )));
    }
    Ok(store.insert(Timesheet {
        id: String::new(),
        workspace_id: workspace.id.clone(),
        entity_type: kind,
        entity_id: item.id.clone(),
        timespent,
        timeremain,
        spentdate,
        owner: owner.to_owned(),
        creator,
        memo: memo(input),
        created: at,
        modified: at,
        is_delete: false,
    }))
}

fn update(
    state: &TapdState,
    workspace: &Workspace,
    id: &str,
    input: &Input,
) -> TapdResult<Timesheet> {
    let timespent = hours(input, "timespent", false)?;
    let timeremain = hours(input, "timeremain", true)?;
    let memo = memo(input);
    let mut store = lock(&state.timesheets);
    let live = store
        .get(id)
        .is_some_and(|t| t.workspace_id == workspace.id && !t.is_delete);
    if !live {
        return Err(TapdError::not_found(format!(
            "timesheet {id} does not exist in workspace {}",
            workspace.id
        )));
    }
    let at = now();
    store
        .update(id, |t| {
            if let Some(h) = timespent {
                t.timespent = h;
            }
            if timeremain.is_some() {
                t.timeremain = timeremain;
            }
            if memo.is_some() {
                t.memo = memo;
            }
            t.modified = at;
        })
        .ok_or_else(|| TapdError::not_found(format!("timesheet {id} does not exist")))
}

pub async fn delete(
    State(state): State<Arc<TapdState>>,
    caller: Caller,
    input: Input,
) -> TapdResult<Json<Value>> {
    let workspace = caller.workspace(&state, &input)?;
    let kind = entity_type(&input)?;
    let entity_id = input.required("entity_id")?;
    let ids = input.all("cost_ids");
    if ids.is_empty() {
        return Err(TapdError::invalid("missing parameter: cost_ids"));
    }
    if ids.len() > MAX_DELETE {
        return Err(TapdError::invalid(format!(
            "at most {MAX_DELETE} cost_ids per call"
        )));
    }
    let mut deleted = Vec::new();
    let mut failed: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let at = now();
    let mut store = lock(&state.timesheets);
    for id in ids {
        let record = store
            .get(id)
            .filter(|t| t.workspace_id == workspace.id && !t.is_delete)
            .map(|t| (t.entity_type, t.entity_id.clone()));
        let reason = match record {
            Some((k, e)) if k == kind && e == entity_id => {
                store.delete(id, at);
                deleted.push(id);
                continue;
            }
            Some(_) => format!(
                "the record does not belong to the specified entity (entity_type:{}, entity_id:{entity_id})",
                kind.as_str()
            ),
            None => format!(" the record does not exist in workspace {}", workspace.id),
        };
        failed.entry(reason).or_default().push(id);
    }
    drop(store);
    if !deleted.is_empty() {
        state.count_write();
    }
    // PHP's empty arrays: `[]` for an empty success or failure list.
    let success_group = if deleted.is_empty() {
        json!([])
    } else {
        json!({"cost_ids": deleted, "msg": "delete success"})
    };
    let failed_groups: Vec<Value> = failed
        .into_iter()
        .map(|(msg, ids)| json!({"cost_ids": ids, "msg": msg}))
        .collect();
    Ok(success(json!({
        "msg": "delete completed",
        "data": {"success": success_group, "failed": failed_groups},
    })))
}
