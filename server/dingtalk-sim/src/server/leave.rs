//! `/topapi/attendance/getleavestatus` and `/topapi/attendance/vacation/type/list`.

use serde_json::json;

use super::envelope::{invalid, success, Answer, Family, OrAnswer};
use super::params::{dedup, Params};
use super::state::AppState;

/// Users per `getleavestatus` call.
pub const MAX_LEAVE_USERS: usize = 100;
/// Longest `getleavestatus` window.
pub const MAX_LEAVE_WINDOW_MS: i64 = 180 * 24 * 3_600_000;
/// `getleavestatus` page size.
pub const MAX_LEAVE_PAGE: i64 = 20;

const F: Family = Family::TopApi;
type Reply = Result<Answer, Answer>;

pub fn leave_status(state: &AppState, params: &Params) -> Reply {
    let users = dedup(params.require_string_list("userid_list").or_answer(F)?);
    if users.is_empty() || users.len() > MAX_LEAVE_USERS {
        return Err(invalid(F, "userid_list"));
    }
    let start = params.require_i64("start_time").or_answer(F)?;
    let end = params.require_i64("end_time").or_answer(F)?;
    if end < start || end.saturating_sub(start) > MAX_LEAVE_WINDOW_MS {
        return Err(invalid(F, "time range"));
    }
    let offset = params.i64("offset").or_answer(F)?.unwrap_or(0);
    let size = params.i64("size").or_answer(F)?.unwrap_or(MAX_LEAVE_PAGE);
    if offset < 0 || !(1..=MAX_LEAVE_PAGE).contains(&size) {
        return Err(invalid(F, "offset/size"));
    }
    let all = state.company.leave_status(&users, start, end);
    let from = usize::try_from(offset).unwrap_or(usize::MAX);
    let page: Vec<_> = all.iter().skip(from).take(size as usize).collect();
    let has_more = from.saturating_add(size as usize) < all.len();
    Ok(success(
        F,
        json!({"success": true, "result": {"has_more": has_more, "leave_status": page}}),
    ))
}

pub fn vacation_types(state: &AppState, _params: &Params) -> Reply {
    Ok(success(
        F,
        json!({"success": true, "result": state.company.leave_types()}),
    ))
}
