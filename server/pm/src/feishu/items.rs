//! Work items offered as tasks: `POST /open_api/{project_key}/work_item/filter`
//! for the configured types, page by page, keeping the open ones.
//!
//! "Open" (a choice; the filter has no such switch): the status is not an
//! archived (final) state and the item is not aborted (`aborted` field).
//! The assignee (a choice; each type has its own roles): the `owner` field,
//! else the first owner of the node in progress, else the first owner of the
//! first role that has one.

use serde_json::{json, Value};

use super::client::Request;
use super::wire;
use super::FeishuProject;
use crate::{ItemRef, PmError, Task};

/// Work items per page (the filter's maximum is 50, unconfirmed).
const ITEMS_PER_PAGE: i64 = 50;
const MAX_PAGES: i64 = 10_000;

fn field<'a>(item: &'a wire::WorkItem, key: &str) -> Option<&'a Value> {
    item.fields
        .iter()
        .find(|f| f.field_key == key)
        .map(|f| &f.field_value)
}

/// Whether hours may still be expected on the item.
fn is_open(item: &wire::WorkItem) -> bool {
    let archived = item
        .work_item_status
        .as_ref()
        .and_then(|s| s.is_archived_state)
        .unwrap_or(false);
    let aborted = field(item, "aborted")
        .and_then(|v| v.get("is_aborted"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    !archived && !aborted
}

/// Whom the item is assigned to (a user key).
fn assignee(item: &wire::WorkItem) -> Option<String> {
    let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    if let Some(owner) = field(item, "owner")
        .and_then(Value::as_str)
        .and_then(non_empty)
    {
        return Some(owner);
    }
    if let Some(owner) = item
        .current_nodes
        .iter()
        .flat_map(|n| n.owners.iter())
        .find_map(|o| non_empty(o))
    {
        return Some(owner);
    }
    field(item, "role_owners")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|role| role.get("owners").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .find_map(non_empty)
}

fn status(item: &wire::WorkItem) -> String {
    item.work_item_status
        .as_ref()
        .and_then(|s| s.state_key.clone())
        .or_else(|| item.sub_stage.clone())
        .unwrap_or_default()
}

impl FeishuProject {
    /// The open work items of the configured types in a space.
    pub(super) async fn open_work_items(&self, project_key: &str) -> Result<Vec<Task>, PmError> {
        let operator = self.config.operator_user_key.as_str();
        let path = format!("/open_api/{project_key}/work_item/filter");
        let mut tasks = Vec::new();
        let mut read = 0;
        for page in 1..=MAX_PAGES {
            let body = json!({
                "work_item_type_keys": self.config.work_item_types,
                "page_num": page,
                "page_size": ITEMS_PER_PAGE,
            });
            let got: wire::Paged<wire::WorkItem> = self
                .client
                .read(&Request::post(path.clone(), &body, Some(operator)))
                .await?;
            let count = got.data.len() as i64;
            read += count;
            for item in got.data.iter().filter(|i| is_open(i)) {
                tasks.push(Task {
                    item: ItemRef {
                        project: project_key.to_owned(),
                        task: Some(format!("{}:{}", item.work_item_type_key, item.id)),
                    },
                    title: item.name.clone(),
                    assignee: assignee(item),
                    status: status(item),
                });
            }
            let total = got.pagination.and_then(|p| p.total).unwrap_or(read);
            if count == 0 || read >= total {
                break;
            }
        }
        Ok(tasks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(json: &str) -> wire::WorkItem {
        let mut value: Value = serde_json::from_str(json).expect("json");
        value["work_item_type_key"] = json!("story");
        serde_json::from_value(value).expect("a work item")
    }

    #[test]
    fn the_owner_comes_from_the_field_the_node_or_the_roles() {
        let by_field = item(
            r#"{"id":1,"fields":[{"field_key":"owner","field_value":"u1"},
               {"field_key":"role_owners","field_value":[{"role":"rd","owners":["u9"]}]}]}"#,
        );
        assert_eq!(assignee(&by_field).as_deref(), Some("u1"));
        let by_node = item(
            r#"{"id":2,"current_nodes":[{"id":"doing","owners":["u2"]}],
               "fields":[{"field_key":"role_owners","field_value":[{"role":"pm","owners":null},{"role":"rd","owners":["u3"]}]}]}"#,
        );
        assert_eq!(assignee(&by_node).as_deref(), Some("u2"));
        let by_role = item(
            r#"{"id":3,"fields":[{"field_key":"role_owners","field_value":[{"role":"pm","owners":null},{"role":"rd","owners":["u3"]}]}]}"#,
        );
        assert_eq!(assignee(&by_role).as_deref(), Some("u3"));
        assert_eq!(assignee(&item(r#"{"id":4}"#)), None);
    }

    #[test]
    fn archived_and_aborted_items_are_not_open() {
        assert!(is_open(&item(
            r#"{"id":1,"work_item_status":{"state_key":"doing","is_archived_state":false}}"#
        )));
        assert!(!is_open(&item(
            r#"{"id":1,"work_item_status":{"state_key":"closed","is_archived_state":true}}"#
        )));
        assert!(!is_open(&item(
            r#"{"id":1,"fields":[{"field_key":"aborted","field_value":{"is_aborted":true,"reason":"取消"}}]}"#
        )));
        assert!(is_open(&item(r#"{"id":1}"#)));
    }
}
