//! `GET /tasks`, `/stories`, `/bugs` and their `/count`: `workspace_id`
//! (required), `id` (`a,b`), `status` (`a|b`), `owner` (bugs:
//! `current_owner`; substring, as TAPD's fuzzy match), `name` (substring),
//! `order=id asc|desc` (default newest first), `limit`/`page`, `fields`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::tapd::auth::Caller;
use crate::tapd::data::{EntityType, WorkItem};
use crate::tapd::error::{success, TapdResult};
use crate::tapd::input::Input;
use crate::tapd::query::{ids, one_of, order, pick, Page};
use crate::tapd::render;
use crate::tapd::state::TapdState;

fn selected<'a>(
    state: &'a TapdState,
    caller: &Caller,
    input: &Input,
    kind: EntityType,
) -> TapdResult<Vec<&'a WorkItem>> {
    let workspace = caller.workspace(state, input)?;
    let id_filter = ids(input, "id");
    let statuses = one_of(input, "status");
    let owner_param = if kind == EntityType::Bug {
        "current_owner"
    } else {
        "owner"
    };
    let owner = input.get(owner_param);
    let name = input.get(if kind == EntityType::Bug {
        "title"
    } else {
        "name"
    });
    let mut items: Vec<&WorkItem> = state
        .directory
        .items
        .iter()
        .filter(|i| i.kind == kind && i.workspace_id == workspace.id)
        .filter(|i| {
            id_filter
                .as_ref()
                .is_none_or(|ids| ids.contains(&i.id.as_str()))
        })
        .filter(|i| statuses.as_ref().is_none_or(|s| s.contains(&i.status)))
        .filter(|i| owner.is_none_or(|o| i.owner.contains(o)))
        .filter(|i| name.is_none_or(|n| i.name.contains(n)))
        .collect();
    // Ids of one workspace have one length: text order is number order.
    let ascending = order(input).is_some_and(|(field, desc)| field == "id" && !desc);
    if !ascending {
        items.reverse();
    }
    Ok(items)
}

async fn list(
    state: Arc<TapdState>,
    caller: Caller,
    input: Input,
    kind: EntityType,
) -> TapdResult<Json<Value>> {
    let items = selected(&state, &caller, &input, kind)?;
    let page = Page::from_input(&input, state.config.max_rows_per_query)?;
    let rows: Vec<Value> = page
        .window(items)
        .into_iter()
        .map(|i| {
            let remain = state.remain_of(&i.id).unwrap_or_default();
            json!({ kind.wrapper(): pick(render::item(i, &remain), &input) })
        })
        .collect();
    Ok(success(Value::Array(rows)))
}

async fn count(
    state: Arc<TapdState>,
    caller: Caller,
    input: Input,
    kind: EntityType,
) -> TapdResult<Json<Value>> {
    let n = selected(&state, &caller, &input, kind)?.len();
    Ok(success(json!({ "count": n })))
}

pub async fn tasks(
    State(s): State<Arc<TapdState>>,
    c: Caller,
    i: Input,
) -> TapdResult<Json<Value>> {
    list(s, c, i, EntityType::Task).await
}

pub async fn tasks_count(
    State(s): State<Arc<TapdState>>,
    c: Caller,
    i: Input,
) -> TapdResult<Json<Value>> {
    count(s, c, i, EntityType::Task).await
}

pub async fn stories(
    State(s): State<Arc<TapdState>>,
    c: Caller,
    i: Input,
) -> TapdResult<Json<Value>> {
    list(s, c, i, EntityType::Story).await
}

pub async fn stories_count(
    State(s): State<Arc<TapdState>>,
    c: Caller,
    i: Input,
) -> TapdResult<Json<Value>> {
    count(s, c, i, EntityType::Story).await
}

pub async fn bugs(State(s): State<Arc<TapdState>>, c: Caller, i: Input) -> TapdResult<Json<Value>> {
    list(s, c, i, EntityType::Bug).await
}

pub async fn bugs_count(
    State(s): State<Arc<TapdState>>,
    c: Caller,
    i: Input,
) -> TapdResult<Json<Value>> {
    count(s, c, i, EntityType::Bug).await
}
