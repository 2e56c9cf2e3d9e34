//! `GET /timesheets` and `GET /timesheets/count`: `workspace_id`
//! (required), `id` (`a,b`), `entity_type` (`a|b`), `entity_id` (`a,b`),
//! `owner` (exact, `a|b`), `spentdate` (`a~b`, `<a`, `>a`, a date),
//! `is_delete` (`1`: only deleted records; default live ones), `order`
//! (`id`, `created`, `modified`, `spentdate`; default newest id first),
//! `limit`/`page`, `fields`. `include_parent_story_timesheet` is accepted
//! (no story has a parent here).

use std::cmp::Ordering;
use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::common::lock;
use crate::tapd::auth::Caller;
use crate::tapd::error::{success, TapdResult};
use crate::tapd::input::Input;
use crate::tapd::query::{ids, one_of, order, pick, Dates, Page};
use crate::tapd::render;
use crate::tapd::state::TapdState;
use crate::tapd::store::Timesheet;

/// Numeric order of long ids (all digits).
fn by_id(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn selected(state: &TapdState, caller: &Caller, input: &Input) -> TapdResult<Vec<Timesheet>> {
    let workspace = caller.workspace(state, input)?;
    let id_filter = ids(input, "id");
    let types = one_of(input, "entity_type");
    let entities = ids(input, "entity_id");
    let owners = one_of(input, "owner");
    let dates = Dates::from_input(input, "spentdate")?;
    let deleted = input.get("is_delete") == Some("1");
    let mut rows: Vec<Timesheet> = lock(&state.timesheets)
        .all()
        .filter(|t| t.workspace_id == workspace.id && t.is_delete == deleted)
        .filter(|t| {
            id_filter
                .as_ref()
                .is_none_or(|ids| ids.contains(&t.id.as_str()))
        })
        .filter(|t| {
            types
                .as_ref()
                .is_none_or(|ts| ts.contains(&t.entity_type.as_str()))
        })
        .filter(|t| {
            entities
                .as_ref()
                .is_none_or(|es| es.contains(&t.entity_id.as_str()))
        })
        .filter(|t| {
            owners
                .as_ref()
                .is_none_or(|os| os.contains(&t.owner.as_str()))
        })
        .filter(|t| dates.is_none_or(|d| d.matches(t.spentdate)))
        .cloned()
        .collect();
    let (field, descending) = order(input).unwrap_or_else(|| ("id".to_owned(), true));
    rows.sort_by(|a, b| {
        let primary = match field.as_str() {
            "created" => a.created.cmp(&b.created),
            "modified" => a.modified.cmp(&b.modified),
            "spentdate" => a.spentdate.cmp(&b.spentdate),
            _ => Ordering::Equal,
        };
        primary.then_with(|| by_id(&a.id, &b.id))
    });
    if descending {
        rows.reverse();
    }
    Ok(rows)
}

pub async fn list(
    State(state): State<Arc<TapdState>>,
    caller: Caller,
    input: Input,
) -> TapdResult<Json<Value>> {
    let rows = selected(&state, &caller, &input)?;
    let page = Page::from_input(&input, state.config.max_rows_per_query)?;
    let rows: Vec<Value> = page
        .window(rows)
        .iter()
        .map(|t| json!({ "Timesheet": pick(render::timesheet(t), &input) }))
        .collect();
    Ok(success(Value::Array(rows)))
}

pub async fn count(
    State(state): State<Arc<TapdState>>,
    caller: Caller,
    input: Input,
) -> TapdResult<Json<Value>> {
    let n = selected(&state, &caller, &input)?.len();
    Ok(success(json!({ "count": n })))
}
