//! The JSON shapes of users, projects, issues and worklogs, per flavour.

use serde_json::{json, Map, Value};

use super::data::{Issue, JiraUser, Project, StatusCategory};
use super::state::JiraState;
use super::store::Worklog;
use super::time::{format_started, format_time_spent, format_utc};
use super::Api;

pub fn user(state: &JiraState, api: Api, user: &JiraUser) -> Value {
    let base = state.api_base(api);
    match api {
        Api::Cloud => json!({
            "self": format!("{base}/user?accountId={}", user.account_id),
            "accountId": user.account_id,
            "accountType": "atlassian",
            "emailAddress": user.email,
            "displayName": user.display_name,
            "active": user.active,
            "timeZone": "Asia/Shanghai",
            "locale": "zh_CN",
        }),
        Api::DataCenter => json!({
            "self": format!("{base}/user?username={}", user.name),
            "key": user.key,
            "name": user.name,
            "emailAddress": user.email,
            "displayName": user.display_name,
            "active": user.active,
            "timeZone": "Asia/Shanghai",
        }),
    }
}

pub fn project(state: &JiraState, api: Api, project: &Project) -> Value {
    json!({
        "self": format!("{}/project/{}", state.api_base(api), project.id),
        "id": project.id.to_string(),
        "key": project.key,
        "name": project.name,
        "projectTypeKey": "software",
        "simplified": false,
        "style": "classic",
        "isPrivate": false,
    })
}

/// Which issue fields to render: `None` = all navigable ones.
pub fn issue(state: &JiraState, api: Api, issue: &Issue, fields: Option<&[String]>) -> Value {
    let wanted = |name: &str| fields.is_none_or(|f| f.iter().any(|x| x == name));
    let mut out = Map::new();
    let dir = &state.directory;
    if wanted("summary") {
        out.insert("summary".into(), json!(issue.summary));
    }
    if wanted("status") {
        let (id, key, name) = StatusCategory::of(issue.status).id_key_name();
        out.insert(
            "status".into(),
            json!({"name": issue.status,
                   "statusCategory": {"id": id, "key": key, "name": name}}),
        );
    }
    if wanted("assignee") {
        let assignee = issue
            .assignee
            .and_then(|i| dir.users.get(i))
            .map(|u| user(state, api, u))
            .unwrap_or(Value::Null);
        out.insert("assignee".into(), assignee);
    }
    if wanted("project") {
        if let Some(p) = dir.project_of(issue) {
            out.insert("project".into(), project(state, api, p));
        }
    }
    if wanted("issuetype") {
        out.insert(
            "issuetype".into(),
            json!({"name": "Task", "subtask": false}),
        );
    }
    if wanted("timetracking") {
        out.insert("timetracking".into(), json!({}));
    }
    json!({
        "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
        "id": issue.id.to_string(),
        "self": format!("{}/issue/{}", state.api_base(api), issue.id),
        "key": issue.key,
        "fields": out,
    })
}

pub fn worklog(state: &JiraState, api: Api, worklog: &Worklog, with_properties: bool) -> Value {
    let person = |account_id: &str| {
        state
            .directory
            .user_by_account_id(account_id)
            .map(|(_, u)| user(state, api, u))
            .unwrap_or(Value::Null)
    };
    let mut out = json!({
        "self": format!("{}/issue/{}/worklog/{}", state.api_base(api), worklog.issue_id, worklog.id),
        "author": person(&worklog.author),
        "updateAuthor": person(&worklog.update_author),
        "created": format_utc(&worklog.created),
        "updated": format_utc(&worklog.updated),
        "started": format_started(&worklog.started),
        "timeSpent": format_time_spent(worklog.time_spent_seconds),
        "timeSpentSeconds": worklog.time_spent_seconds,
        "id": worklog.id.to_string(),
        "issueId": worklog.issue_id.to_string(),
    });
    if let (Some(comment), Some(map)) = (&worklog.comment, out.as_object_mut()) {
        let value = match api {
            Api::Cloud => comment.adf(),
            Api::DataCenter => json!(comment.text()),
        };
        map.insert("comment".into(), value);
    }
    if with_properties {
        if let Some(map) = out.as_object_mut() {
            map.insert("properties".into(), properties(worklog));
        }
    }
    out
}

pub fn properties(worklog: &Worklog) -> Value {
    Value::Array(
        worklog
            .properties
            .iter()
            .map(|(key, value)| json!({"key": key, "value": value}))
            .collect(),
    )
}
