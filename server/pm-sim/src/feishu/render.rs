//! Feishu Project's JSON for users (`UserBasicInfo`), spaces (`Project`),
//! work items (`WorkItemInfo`) and man-hour records (`ManHourRecord`), with
//! the field names of the official Go SDK.

use serde_json::{json, Value};

use super::data::{FeishuUser, Pattern, Space, WorkItem};
use super::store::ManHourRecord;

pub fn user(u: &FeishuUser) -> Value {
    json!({
        "user_id": u.user_id,
        "user_key": u.user_key,
        "username": u.username,
        "email": u.email,
        "avatar_url": "",
        "name_cn": u.name_cn,
        "name_en": u.name_en,
        "name": {"zh_cn": u.name_cn, "en_us": u.name_en, "default": u.name_cn},
        "out_id": u.out_id,
        "status": u.status,
    })
}

pub fn space(s: &Space) -> Value {
    json!({
        "project_key": s.project_key,
        "name": s.name,
        "simple_name": s.simple_name,
        "administrators": s.administrators,
    })
}

pub fn work_item(w: &WorkItem, simple_name: &str) -> Value {
    let mut fields = vec![json!({
        "field_key": "role_owners",
        "field_type_key": "role_owners",
        "field_alias": "",
        "field_value": w.role_owners.iter().map(|(role, owners)| json!({
            "role": role,
            "owners": if owners.is_empty() { Value::Null } else { json!(owners) },
        })).collect::<Vec<_>>(),
    })];
    fields.push(json!({
        "field_key": "aborted",
        "field_type_key": "aborted",
        "field_alias": "",
        "field_value": {"is_aborted": w.aborted, "reason": if w.aborted { "需求取消" } else { "" }},
    }));
    if w.pattern == Pattern::State {
        fields.push(json!({
            "field_key": "owner",
            "field_type_key": "user",
            "field_alias": "",
            "field_value": w.owner.clone().unwrap_or_default(),
        }));
    }
    let current_nodes: Vec<Value> = if w.pattern == Pattern::Node && !w.archived {
        vec![
            json!({"id": w.state_key, "name": "开发中", "owners": w.node_owners, "milestone": false}),
        ]
    } else {
        Vec::new()
    };
    json!({
        "id": w.id,
        "name": w.name,
        "work_item_type_key": w.type_key,
        "project_key": w.project_key,
        "simple_name": simple_name,
        "template_type": w.type_key,
        "pattern": match w.pattern { Pattern::Node => "Node", Pattern::State => "State" },
        "sub_stage": w.state_key,
        "current_nodes": current_nodes,
        "created_by": w.created_by,
        "updated_by": w.created_by,
        "created_at": w.created_at,
        "updated_at": w.created_at,
        "fields": fields,
        "work_item_status": {
            "state_key": w.state_key,
            "is_archived_state": w.archived,
            "is_init_state": false,
            "updated_at": w.created_at,
            "updated_by": w.created_by,
        },
    })
}

pub fn record(r: &ManHourRecord) -> Value {
    json!({
        "id": r.id,
        "related_work_item_id": r.work_item_id,
        "related_work_item_type_key": r.work_item_type_key,
        "related_work_item_name": r.work_item_name,
        "resource_type": r.resource_type,
        "resource_id": r.resource_id,
        "resource_name": r.work_item_name,
        "work_description": r.work_description,
        "work_time": r.work_time,
        "work_user_key": r.work_user_key,
        "work_date": r.work_date,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
    })
}
