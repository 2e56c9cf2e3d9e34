//! ZenTao's JSON for users, projects, executions, tasks and efforts.
//! Datetimes are UTC (`2024-01-02T01:00:00Z`, the API's default
//! `timeFormat=utc`), dates `YYYY-MM-DD`; effort numbers are strings
//! (`"7.50"`), as `zt_effort` rows come out of PHP.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Map, Value};

use super::config::ZentaoVersion;
use super::data::{Directory, Execution, Project, Task, ZentaoUser};
use super::store::Effort;

pub fn utc(time: &DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn day(date: &NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A user of the list: `id,dept,account,realname,role,pinyin,email`, plus
/// the fields named in `fileds` (ZenTao's spelling).
pub fn listed_user(u: &ZentaoUser, extra: &[&str]) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(u.id));
    out.insert("dept".into(), json!(u.dept));
    out.insert("account".into(), json!(u.account));
    out.insert("realname".into(), json!(u.realname));
    out.insert(
        "role".into(),
        json!(if u.dingtalk_userid.is_some() {
            "dev"
        } else {
            ""
        }),
    );
    out.insert("pinyin".into(), json!(""));
    out.insert("email".into(), json!(u.email));
    for field in extra {
        match field.trim() {
            "mobile" => out.insert("mobile".into(), json!(u.mobile)),
            "phone" | "weixin" | "dingding" | "qq" => out.insert(field.trim().into(), json!("")),
            _ => None,
        };
    }
    Value::Object(out)
}

/// `GET /users/{id}` and `GET /user`'s profile.
pub fn user_detail(u: &ZentaoUser) -> Value {
    json!({
        "id": u.id, "dept": u.dept, "account": u.account, "realname": u.realname,
        "role": if u.dingtalk_userid.is_some() { "dev" } else { "" }, "pinyin": "",
        "email": u.email, "mobile": u.mobile, "phone": "", "weixin": "", "dingding": "",
        "gender": "f", "type": "inside", "deleted": if u.deleted { "1" } else { "0" },
        "admin": u.sees_all && u.company_browse,
    })
}

/// A user-typed field: an object in 20+, the plain account in ≤ 18; an
/// empty or unknown account (`closed`) stays a plain string.
fn user_field(account: &str, directory: &Directory, version: ZentaoVersion) -> Value {
    match (version, directory.user(account)) {
        (ZentaoVersion::V20, Some(u)) if !account.is_empty() => json!({
            "id": u.id, "account": u.account, "avatar": "", "realname": u.realname,
        }),
        _ => json!(account),
    }
}

pub fn project(p: &Project) -> Value {
    json!({
        "id": p.id, "project": 0, "model": "scrum", "type": "project", "name": p.name,
        "code": p.code, "status": p.status, "begin": day(&p.begin), "end": day(&p.end),
        "PM": "", "acl": "private", "deleted": false, "progress": 0,
    })
}

pub fn execution(e: &Execution) -> Value {
    json!({
        "id": e.id, "project": e.project, "type": "sprint", "name": e.name,
        "status": e.status, "begin": day(&e.begin), "end": day(&e.end), "deleted": false,
    })
}

pub fn task(t: &Task, directory: &Directory, version: ZentaoVersion) -> Value {
    let mut out = json!({
        "id": t.id, "project": t.project, "parent": 0, "execution": t.execution,
        "module": 0, "story": 0, "name": t.name, "type": "devel", "pri": 3,
        "estimate": t.estimate, "consumed": t.consumed, "left": t.left,
        "deadline": day(&t.deadline), "status": t.status,
        "mode": if t.is_multi() { "multi" } else { "" },
        "openedBy": user_field(&t.opened_by, directory, version),
        "openedDate": utc(&t.opened_date),
        "assignedTo": user_field(&t.assigned_to, directory, version),
        "finishedBy": user_field(&t.finished_by, directory, version),
        "deleted": false,
        "progress": if t.consumed + t.left > 0.0 { (t.consumed / (t.consumed + t.left) * 100.0).round() } else { 0.0 },
    });
    if t.is_multi() {
        let team: Vec<Value> = t
            .team
            .iter()
            .map(|account| json!({"account": account, "task": t.id}))
            .collect();
        out["team"] = Value::Array(team);
    }
    out
}

pub fn effort(e: &Effort) -> Value {
    json!({
        "id": e.id.to_string(), "objectType": e.object_type, "objectID": e.object_id.to_string(),
        "product": ",0,", "project": e.project.to_string(), "execution": e.execution.to_string(),
        "account": e.account, "work": e.work, "vision": "rnd", "date": day(&e.date),
        "left": format!("{:.2}", e.left), "consumed": format!("{:.2}", e.consumed),
        "begin": "", "end": "", "extra": "", "order": "0",
        "deleted": if e.deleted { "1" } else { "0" },
    })
}

/// `{"effort":…}`: an array (20+) or an object keyed by effort id (≤ 18);
/// `{}` when there is none (the entry's `new stdclass()`).
pub fn effort_list(efforts: &[&Effort], version: ZentaoVersion) -> Value {
    if efforts.is_empty() {
        return json!({"effort": {}});
    }
    match version {
        ZentaoVersion::V20 => {
            json!({"effort": efforts.iter().map(|e| effort(e)).collect::<Vec<_>>()})
        }
        ZentaoVersion::V18 => {
            let keyed: Map<String, Value> = efforts
                .iter()
                .map(|e| (e.id.to_string(), effort(e)))
                .collect();
            json!({"effort": keyed})
        }
    }
}
