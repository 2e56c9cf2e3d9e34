//! TAPD's JSON for workspaces, members, items and timesheets: every value a
//! string, list items wrapped (`{"Task":{…}}`).

use chrono::NaiveDateTime;
use serde_json::{json, Value};

use super::data::{Member, WorkItem, Workspace, SEED_TIME};
use super::store::Timesheet;

pub fn time(t: &NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

pub fn workspace(w: &Workspace, company_id: &str) -> Value {
    json!({
        "id": w.id, "name": w.name, "pretty_name": w.id, "description": "",
        "status": w.status, "parent_id": company_id, "category": "project",
        "secrecy": "0", "created": SEED_TIME, "creator_id": "0", "creator": "HourBridge 模拟",
        "begin_date": null, "end_date": null, "member_count": w.members.len(),
    })
}

/// The company itself, as `/workspaces/projects` lists it beside its projects.
pub fn company(company_id: &str, name: &str) -> Value {
    json!({
        "id": company_id, "name": name, "pretty_name": company_id, "description": "",
        "status": "normal", "parent_id": "0", "category": "organization",
        "secrecy": "0", "created": SEED_TIME, "creator_id": "0", "creator": "",
        "begin_date": null, "end_date": null,
    })
}

/// A member: by default `user` and `role_id` only; `fields` adds `user_id`,
/// `name`, `email`, `real_join_time`.
pub fn member(m: &Member, fields: Option<&str>) -> Value {
    let all = json!({
        "user": m.nick, "user_id": m.user_id, "role_id": [m.role_id],
        "name": m.name, "email": m.email, "real_join_time": SEED_TIME,
    });
    let wanted: Vec<&str> = match fields {
        Some(f) => f.split(',').map(str::trim).collect(),
        None => vec!["user", "role_id"],
    };
    match all {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| wanted.contains(&k.as_str()))
                .collect(),
        ),
        other => other,
    }
}

pub fn item(i: &WorkItem, remain: &str) -> Value {
    let mut out = json!({
        "id": i.id, "name": i.name, "description": null, "workspace_id": i.workspace_id,
        "creator": "HourBridge 模拟", "created": SEED_TIME, "modified": SEED_TIME,
        "status": i.status, "owner": i.owner, "cc": "", "begin": null, "due": null,
        "priority": "", "priority_label": "", "iteration_id": "0", "progress": "0",
        "completed": null, "effort": i.effort, "effort_completed": "0", "exceed": "0",
        "remain": remain, "label": null,
    });
    if let (super::data::EntityType::Bug, Some(map)) = (i.kind, out.as_object_mut()) {
        // Bugs name their handler `current_owner` and have a `title`.
        if let Some(owner) = map.remove("owner") {
            map.insert("current_owner".into(), owner);
        }
        if let Some(name) = map.remove("name") {
            map.insert("title".into(), name);
        }
    }
    out
}

pub fn timesheet(t: &Timesheet) -> Value {
    let mut out = json!({
        "id": t.id, "entity_type": t.entity_type.as_str(), "entity_id": t.entity_id,
        "timespent": t.timespent, "spentdate": t.spentdate.format("%Y-%m-%d").to_string(),
        "owner": t.owner, "created": time(&t.created), "modified": time(&t.modified),
        "workspace_id": t.workspace_id, "memo": t.memo,
        "is_delete": if t.is_delete { "1" } else { "0" },
        "workflow_step": "", "relation_type": "entity",
    });
    if let (Some(remain), Some(map)) = (&t.timeremain, out.as_object_mut()) {
        map.insert("timeremain".into(), json!(remain));
    }
    out
}
