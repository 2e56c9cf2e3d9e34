//! The organisation's directory: the department tree and its people.
//! Contacts APIs are exempt from the monthly quota.

use serde::Deserialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::{Api, DingTalkClient, Family};
use crate::model::{Department, Num, User};
use crate::wire::{lenient, UpstreamError};

const LIST_SUB: Api = Api {
    path: "/topapi/v2/department/listsub",
    family: Family::Old,
    billable: false,
};
const DEPARTMENT_GET: Api = Api {
    path: "/topapi/v2/department/get",
    family: Family::Old,
    billable: false,
};
const USER_LIST: Api = Api {
    path: "/topapi/v2/user/list",
    family: Family::Old,
    billable: false,
};

/// The root department's id.
pub const ROOT_DEPT: i64 = 1;
/// Users per `user/list` page (the API's maximum).
const USER_PAGE: i64 = 100;
/// A guard against a directory that never ends (a looping cursor or tree).
const MAX_DEPARTMENTS: usize = 100_000;
const MAX_PAGES: usize = 10_000;

#[derive(Deserialize)]
struct Answer<T> {
    result: T,
}

#[derive(Deserialize)]
struct UserPage {
    #[serde(default, deserialize_with = "lenient::bool")]
    has_more: bool,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    next_cursor: Option<i64>,
    #[serde(default)]
    list: Vec<User>,
}

/// The whole directory: departments (root first) and people, each person
/// once with every department they belong to.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// The root department's name: the organisation's name.
    pub organisation: Option<String>,
    pub departments: Vec<Department>,
    pub users: Vec<User>,
}

impl DingTalkClient {
    /// Direct sub-departments of `dept_id`.
    pub async fn sub_departments(&self, dept_id: i64) -> Result<Vec<Department>, UpstreamError> {
        let answer: Answer<Vec<Department>> =
            self.call(LIST_SUB, &json!({ "dept_id": dept_id })).await?;
        Ok(answer.result)
    }

    /// One department's details (used for the organisation's name).
    pub async fn department(&self, dept_id: i64) -> Result<Department, UpstreamError> {
        let answer: Answer<Department> = self
            .call(DEPARTMENT_GET, &json!({ "dept_id": dept_id }))
            .await?;
        Ok(answer.result)
    }

    /// Every department below the root, walked breadth-first.
    pub async fn departments(&self) -> Result<Vec<Department>, UpstreamError> {
        let mut seen = BTreeSet::from([ROOT_DEPT]);
        let mut queue = VecDeque::from([ROOT_DEPT]);
        let mut out = Vec::new();
        while let Some(parent) = queue.pop_front() {
            for dept in self.sub_departments(parent).await? {
                if seen.insert(dept.dept_id) {
                    queue.push_back(dept.dept_id);
                    out.push(dept);
                }
            }
            if out.len() > MAX_DEPARTMENTS {
                return Err(UpstreamError::Malformed {
                    path: "result".into(),
                    detail: format!("more than {MAX_DEPARTMENTS} departments"),
                    snippet: String::new(),
                });
            }
        }
        Ok(out)
    }

    /// People directly in `dept_id`, following the cursor to the end.
    pub async fn users_in(&self, dept_id: i64) -> Result<Vec<User>, UpstreamError> {
        let mut cursor = 0i64;
        let mut out = Vec::new();
        for _ in 0..MAX_PAGES {
            let body = json!({ "dept_id": dept_id, "cursor": cursor, "size": USER_PAGE });
            let page: Answer<UserPage> = self.call(USER_LIST, &body).await?;
            out.extend(page.result.list);
            if !page.result.has_more {
                return Ok(out);
            }
            match page.result.next_cursor {
                Some(next) if next > cursor => cursor = next,
                other => {
                    return Err(UpstreamError::Malformed {
                        path: "result.next_cursor".into(),
                        detail: format!(
                            "has_more is true but next_cursor is {other:?} after {cursor}"
                        ),
                        snippet: String::new(),
                    })
                }
            }
        }
        Err(UpstreamError::Malformed {
            path: "result.has_more".into(),
            detail: format!("still more after {MAX_PAGES} pages"),
            snippet: String::new(),
        })
    }

    /// The department tree and every person in it, de-duplicated by userid.
    pub async fn directory(&self) -> Result<Directory, UpstreamError> {
        let organisation = self.department(ROOT_DEPT).await.ok().map(|d| d.name);
        let departments = self.departments().await?;
        let mut users: BTreeMap<String, User> = BTreeMap::new();
        let ids = std::iter::once(ROOT_DEPT).chain(departments.iter().map(|d| d.dept_id));
        for dept_id in ids {
            for user in self.users_in(dept_id).await? {
                match users.get_mut(&user.userid) {
                    Some(known) => {
                        for id in user.dept_id_list {
                            if !known.dept_id_list.contains(&id) {
                                known.dept_id_list.push(id);
                            }
                        }
                    }
                    None => {
                        let mut user = user;
                        if user.dept_id_list.is_empty() {
                            user.dept_id_list.push(Num(dept_id));
                        }
                        users.insert(user.userid.clone(), user);
                    }
                }
            }
        }
        Ok(Directory {
            organisation,
            departments,
            users: users.into_values().collect(),
        })
    }
}
