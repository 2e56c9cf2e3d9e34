//! `GET /users/current.json` (401 anonymous), `GET /users.json`
//! (administrators only: 401 anonymous, 403 others), `GET /users/{id}.json`
//! (active users for anyone, the anonymous user too).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::json_id;
use crate::redmine::auth::Caller;
use crate::redmine::data::RedmineUser;
use crate::redmine::error::{RedmineError, RedmineResult};
use crate::redmine::paging::{Page, Params};
use crate::redmine::render::{self, Viewer};
use crate::redmine::state::RedmineState;

pub async fn current(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
) -> RedmineResult<Json<Value>> {
    caller.logged_in()?;
    let user = caller.user(&state).ok_or(RedmineError::NotFound)?;
    Ok(Json(
        json!({"user": render::user(user, viewer(&caller, user))}),
    ))
}

fn viewer(caller: &Caller, user: &RedmineUser) -> Viewer {
    if caller.admin {
        Viewer::Admin
    } else if caller.user_id == user.id {
        Viewer::Own
    } else {
        Viewer::Other
    }
}

/// Redmine's `User.like`: `name` is a case-insensitive substring of the
/// login or the e-mail, or each of its space-separated words is one of the
/// first or last name. "李雷" finds neither 雷 李 nor 李 雷; "李 雷" does.
fn name_matches(user: &RedmineUser, name: &str) -> bool {
    let needle = name.to_lowercase();
    let contains = |field: &str| field.to_lowercase().contains(&needle);
    if contains(&user.login) || contains(&user.mail) {
        return true;
    }
    let (first, last) = (user.firstname.to_lowercase(), user.lastname.to_lowercase());
    let mut words = needle.split_whitespace().peekable();
    words.peek().is_some() && words.all(|w| first.contains(w) || last.contains(w))
}

/// `status` default 1, empty = any; `name` as [`name_matches`].
fn matches(user: &RedmineUser, params: &Params) -> bool {
    let status_ok = match params.get("status") {
        None => user.status == 1,
        Some("") => true,
        Some(s) => s.trim().parse::<u8>().is_ok_and(|s| s == user.status),
    };
    let name_ok = match params.get("name").map(str::trim) {
        None | Some("") => true,
        Some(name) => name_matches(user, name),
    };
    status_ok && name_ok
}

pub async fn list(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    params: Params,
) -> RedmineResult<Json<Value>> {
    caller.logged_in()?;
    if !caller.admin {
        return Err(RedmineError::Forbidden);
    }
    let mut users: Vec<&RedmineUser> = state
        .directory
        .users
        .iter()
        .filter(|u| matches(u, &params))
        .collect();
    users.sort_by(|a, b| a.login.cmp(&b.login));
    let items = users.into_iter().map(render::listed_user).collect();
    Ok(Json(Page::from_params(&params).envelope("users", items)))
}

pub async fn one(
    State(state): State<Arc<RedmineState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> RedmineResult<Json<Value>> {
    let id = if id == "current.json" {
        caller.logged_in()?;
        caller.user_id
    } else {
        json_id(&id)?
    };
    let user = state.directory.user(id).ok_or(RedmineError::NotFound)?;
    // Others (the anonymous user too) see active users only.
    if !caller.admin && !user.is_active() && user.id != caller.user_id {
        return Err(RedmineError::NotFound);
    }
    Ok(Json(
        json!({"user": render::user(user, viewer(&caller, user))}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn names_match_word_by_word_as_redmine_does() {
        let user = RedmineUser {
            id: 5,
            login: "lilei".into(),
            firstname: "雷".into(),
            lastname: "李".into(),
            mail: "Lilei@corp.example".into(),
            admin: false,
            status: 1,
            api_key: None,
            created_on: Utc::now(),
            dingtalk_userid: None,
        };
        assert!(name_matches(&user, "LILEI@corp"));
        assert!(name_matches(&user, "李 雷") && name_matches(&user, "雷"));
        assert!(
            !name_matches(&user, "李雷"),
            "no space: neither name holds it"
        );
        assert!(!name_matches(&user, "李 王"));
    }
}
