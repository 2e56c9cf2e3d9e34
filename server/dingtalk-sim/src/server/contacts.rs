//! Directory calls (`/topapi/v2/department/*`, `/topapi/v2/user/*`,
//! `/topapi/user/listid`). Quota-exempt.

use serde_json::{json, Value};

use super::envelope::{error, success, Answer, Family, OrAnswer};
use super::params::Params;
use super::state::AppState;
use crate::calendar::midnight_ms;
use crate::company::{Person, ROOT_DEPT};

const FAMILY: Family = Family::TopApi;
/// `user/list` page size bounds.
pub const USER_PAGE_MAX: i64 = 100;

type Reply = Result<Answer, Answer>;

fn dept_not_found() -> Answer {
    error(FAMILY, 60003, "部门不存在")
}

fn existing_dept(state: &AppState, dept_id: i64) -> Result<i64, Answer> {
    state
        .company
        .department(dept_id)
        .map(|d| d.dept_id)
        .ok_or_else(dept_not_found)
}

pub fn listsub(state: &AppState, params: &Params) -> Reply {
    let dept_id = params
        .i64("dept_id")
        .or_answer(FAMILY)?
        .unwrap_or(ROOT_DEPT);
    let dept_id = existing_dept(state, dept_id)?;
    let children: Vec<Value> = state
        .company
        .child_departments(dept_id)
        .iter()
        .map(|d| {
            json!({
                "dept_id": d.dept_id,
                "name": d.name,
                "parent_id": d.parent_id,
                "create_dept_group": true,
                "auto_add_user": true,
            })
        })
        .collect();
    Ok(success(FAMILY, json!({"result": children})))
}

/// `/topapi/v2/department/get`: one department (the root's name is the
/// organisation's).
pub fn department_get(state: &AppState, params: &Params) -> Reply {
    let dept_id = existing_dept(state, params.require_i64("dept_id").or_answer(FAMILY)?)?;
    let dept = state
        .company
        .department(dept_id)
        .ok_or_else(dept_not_found)?;
    let mut result = json!({
        "dept_id": dept.dept_id,
        "name": dept.name,
        "create_dept_group": true,
        "auto_add_user": true,
    });
    if dept.dept_id != ROOT_DEPT {
        result["parent_id"] = json!(dept.parent_id);
    }
    Ok(success(FAMILY, json!({ "result": result })))
}

pub fn listsubid(state: &AppState, params: &Params) -> Reply {
    let dept_id = existing_dept(state, params.require_i64("dept_id").or_answer(FAMILY)?)?;
    let ids: Vec<i64> = state
        .company
        .child_departments(dept_id)
        .iter()
        .map(|d| d.dept_id)
        .collect();
    Ok(success(FAMILY, json!({"result": {"dept_id_list": ids}})))
}

pub fn user_listid(state: &AppState, params: &Params) -> Reply {
    let dept_id = existing_dept(state, params.require_i64("dept_id").or_answer(FAMILY)?)?;
    let ids: Vec<&str> = state
        .company
        .department_people(dept_id)
        .iter()
        .map(|p| p.userid.as_str())
        .collect();
    Ok(success(FAMILY, json!({"result": {"userid_list": ids}})))
}

/// The `user/list` fields of a person.
fn user_json(state: &AppState, person: &Person) -> Value {
    json!({
        "userid": person.userid,
        "unionid": person.unionid,
        "name": person.name,
        "mobile": person.mobile,
        "state_code": "86",
        "email": person.email,
        "org_email": person.email,
        "job_number": person.job_number,
        "title": person.title,
        "dept_id_list": person.dept_id_list,
        "dept_order": person.index,
        "hired_date": midnight_ms(person.hired_date),
        "active": state.company.in_directory(person),
        "admin": person.boss,
        "boss": person.boss,
        "leader": false,
        "exclusive_account": false,
        "hide_mobile": false,
    })
}

pub fn user_list(state: &AppState, params: &Params) -> Reply {
    let bad = |name: &str| error(FAMILY, 40035, &format!("不合法的参数 {name}"));
    let dept_id = params.i64("dept_id").map_err(|_| bad("dept_id"))?;
    let cursor = params.i64("cursor").map_err(|_| bad("cursor"))?;
    let size = params.i64("size").map_err(|_| bad("size"))?;
    let dept_id = dept_id.ok_or_else(|| bad("dept_id"))?;
    let cursor = cursor.filter(|c| *c >= 0).ok_or_else(|| bad("cursor"))?;
    let size = size
        .filter(|s| (1..=USER_PAGE_MAX).contains(s))
        .ok_or_else(|| bad("size"))?;
    let dept_id = existing_dept(state, dept_id)?;
    let people = state.company.department_people(dept_id);
    let start = usize::try_from(cursor).unwrap_or(usize::MAX);
    let end = start.saturating_add(size as usize);
    let list: Vec<Value> = people
        .iter()
        .skip(start)
        .take(size as usize)
        .map(|p| user_json(state, p))
        .collect();
    let has_more = end < people.len();
    let mut result = json!({"has_more": has_more, "list": list});
    if has_more {
        result["next_cursor"] = json!(end);
    }
    Ok(success(FAMILY, json!({"result": result})))
}

pub fn user_get(state: &AppState, params: &Params) -> Reply {
    let userid = params.require_string("userid").or_answer(FAMILY)?;
    let person = state
        .company
        .person(&userid)
        .filter(|p| state.company.in_directory(p))
        .ok_or_else(|| error(FAMILY, 60121, "找不到该用户"))?;
    let mut user = user_json(state, person);
    let boss = state.company.people().iter().find(|p| p.boss);
    if let (Some(boss), false) = (boss, person.boss) {
        user["manager_userid"] = json!(boss.userid);
    }
    user["real_authed"] = json!(true);
    user["senior"] = json!(false);
    user["dept_order_list"] = person
        .dept_id_list
        .iter()
        .map(|d| json!({"dept_id": d, "order": person.index}))
        .collect();
    user["leader_in_dept"] = person
        .dept_id_list
        .iter()
        .map(|d| json!({"dept_id": d, "leader": false}))
        .collect();
    user["role_list"] = json!([]);
    user["union_emp_ext"] = json!({});
    Ok(success(FAMILY, json!({"result": user})))
}
