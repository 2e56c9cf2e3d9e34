//! Redmine 5.0's JSON for projects, users, issues, activities and time
//! entries (as the `*.api.rsb` views build them).

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::data::{
    Activity, Directory, Issue, Project, RedmineUser, ACTIVITIES, CUSTOM_FIELD_NAME,
};
use super::store::TimeEntry;

pub fn utc(time: &DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn named(id: u64, name: &str) -> Value {
    json!({"id": id, "name": name})
}

pub fn activity_ref(activity: &Activity) -> Value {
    named(activity.id, activity.name)
}

pub fn project(p: &Project, with_activities: bool) -> Value {
    let mut out = json!({
        "id": p.id, "name": p.name, "identifier": p.identifier, "description": "",
        "status": 1, "is_public": false, "inherit_members": false,
        "created_on": utc(&p.created_on), "updated_on": utc(&p.created_on),
    });
    if with_activities {
        if let Some(map) = out.as_object_mut() {
            let activities: Vec<Value> = ACTIVITIES
                .iter()
                .filter(|a| a.active)
                .map(activity_ref)
                .collect();
            map.insert("time_entry_activities".into(), Value::Array(activities));
        }
    }
    out
}

/// Who looks at a user, for what `users/show.api.rsb` includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// An administrator: everything, `status` too.
    Admin,
    /// The user themself: `admin`, `twofa_scheme`, `api_key`; `mail` hidden
    /// (every user keeps Redmine's default *Hide my email address*).
    Own,
    /// Anyone else (or nobody): no `mail`, `admin`, `twofa_scheme`, `api_key`.
    Other,
}

/// One user as `GET /users/{id}.json` (and `current`) shows them. No
/// `custom_fields`: there are no user custom fields.
pub fn user(u: &RedmineUser, viewer: Viewer) -> Value {
    let (admin, own) = (viewer == Viewer::Admin, viewer == Viewer::Own);
    let mut out = Map::new();
    out.insert("id".into(), json!(u.id));
    out.insert("login".into(), json!(u.login));
    if admin || own {
        out.insert("admin".into(), json!(u.admin));
    }
    out.insert("firstname".into(), json!(u.firstname));
    out.insert("lastname".into(), json!(u.lastname));
    if admin {
        out.insert("mail".into(), json!(u.mail));
    }
    out.insert("created_on".into(), json!(utc(&u.created_on)));
    out.insert("updated_on".into(), json!(utc(&u.created_on)));
    out.insert("last_login_on".into(), Value::Null);
    out.insert("passwd_changed_on".into(), Value::Null);
    if admin || own {
        out.insert("twofa_scheme".into(), Value::Null);
        out.insert("api_key".into(), json!(u.api_key));
    }
    if admin {
        out.insert("status".into(), json!(u.status));
    }
    Value::Object(out)
}

/// One user in `GET /users.json` (`users/index.api.rsb`): `admin` and
/// `mail`, but neither `status` nor `api_key`.
pub fn listed_user(u: &RedmineUser) -> Value {
    json!({
        "id": u.id, "login": u.login, "admin": u.admin,
        "firstname": u.firstname, "lastname": u.lastname, "mail": u.mail,
        "created_on": utc(&u.created_on), "updated_on": utc(&u.created_on),
        "last_login_on": null, "passwd_changed_on": null, "twofa_scheme": null,
    })
}

pub fn issue(i: &Issue, dir: &Directory, spent_hours: f64) -> Value {
    let project_name = dir
        .project_by_id(i.project_id)
        .map(|p| p.name.as_str())
        .unwrap_or("");
    let user_ref = |id: u64| {
        dir.user(id)
            .map(|u| named(u.id, &u.name()))
            .unwrap_or(Value::Null)
    };
    let mut out = json!({
        "id": i.id,
        "project": named(i.project_id, project_name),
        "tracker": {"id": 2, "name": "Task"},
        "status": {"id": i.status.id, "name": i.status.name, "is_closed": i.status.is_closed},
        "priority": {"id": 2, "name": "Normal"},
        "author": user_ref(i.author_id),
        "subject": i.subject,
        "description": "",
        "start_date": i.start_date.format("%Y-%m-%d").to_string(),
        "due_date": null,
        "done_ratio": if i.status.is_closed { 100 } else { 0 },
        "is_private": false,
        "estimated_hours": null,
        "total_estimated_hours": null,
        "spent_hours": spent_hours,
        "total_spent_hours": spent_hours,
        "created_on": utc(&i.created_on),
        "updated_on": utc(&i.created_on),
        "closed_on": if i.status.is_closed { json!(utc(&i.created_on)) } else { Value::Null },
    });
    if let (Some(id), Some(map)) = (i.assigned_to, out.as_object_mut()) {
        map.insert("assigned_to".into(), user_ref(id));
    }
    out
}

pub fn time_entry(e: &TimeEntry, dir: &Directory, custom_field_id: u64) -> Value {
    let project_name = dir
        .project_by_id(e.project_id)
        .map(|p| p.name.as_str())
        .unwrap_or("");
    let user_name = dir.user(e.user_id).map(|u| u.name()).unwrap_or_default();
    let activity_name = dir.activity(e.activity_id).map(|a| a.name).unwrap_or("");
    let mut out = Map::new();
    out.insert("id".into(), json!(e.id));
    out.insert("project".into(), named(e.project_id, project_name));
    if let Some(issue) = e.issue_id {
        out.insert("issue".into(), json!({ "id": issue }));
    }
    out.insert("user".into(), named(e.user_id, &user_name));
    out.insert("activity".into(), named(e.activity_id, activity_name));
    out.insert("hours".into(), json!(e.hours));
    out.insert("comments".into(), json!(e.comments));
    out.insert(
        "spent_on".into(),
        json!(e.spent_on.format("%Y-%m-%d").to_string()),
    );
    out.insert("created_on".into(), json!(utc(&e.created_on)));
    out.insert("updated_on".into(), json!(utc(&e.updated_on)));
    // `null` until a value is written.
    let value = e.custom_fields.get(&custom_field_id).cloned();
    out.insert(
        "custom_fields".into(),
        json!([{"id": custom_field_id, "name": CUSTOM_FIELD_NAME, "value": value}]),
    );
    Value::Object(out)
}
