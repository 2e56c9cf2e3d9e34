//! Attendance: punch results, raw punches, leave, one person-day in full,
//! and the holiday calendar. These calls count against the monthly quota.
//!
//! The single-batch methods take at most one batch (the limits in
//! [`crate::plan::Limits`]); the `*_for` methods split users and windows
//! themselves and run a few batches at once.

use chrono::{NaiveDate, NaiveDateTime};
use futures::stream::{self, StreamExt, TryStreamExt};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeSet;

use super::{Api, DingTalkClient, Family};
use crate::model::{
    day_start_ms, format_day, LeaveStatus, PunchDetail, PunchResult, UserDay, UserHolidays,
};
use crate::plan::DayWindow;
use crate::wire::{lenient, UpstreamError};

const LIST: Api = Api {
    path: "/attendance/list",
    family: Family::Old,
    billable: true,
};
const LIST_RECORD: Api = Api {
    path: "/attendance/listRecord",
    family: Family::Old,
    billable: true,
};
const LEAVE_STATUS: Api = Api {
    path: "/topapi/attendance/getleavestatus",
    family: Family::Old,
    billable: true,
};
const UPDATE_DATA: Api = Api {
    path: "/topapi/attendance/getupdatedata",
    family: Family::Old,
    billable: true,
};
const HOLIDAYS: Api = Api {
    path: "/v1.0/attendance/holidays",
    family: Family::New,
    billable: true,
};

const MAX_PAGES: usize = 10_000;

#[derive(Deserialize)]
struct ResultPage {
    #[serde(rename = "hasMore", default, deserialize_with = "lenient::bool")]
    has_more: bool,
    #[serde(default)]
    recordresult: Vec<PunchResult>,
}

#[derive(Deserialize)]
struct RecordAnswer {
    #[serde(default)]
    recordresult: Vec<PunchDetail>,
}

#[derive(Deserialize)]
struct LeaveAnswer {
    result: LeavePage,
}

#[derive(Deserialize)]
struct LeavePage {
    #[serde(default, deserialize_with = "lenient::bool")]
    has_more: bool,
    #[serde(default)]
    leave_status: Vec<LeaveStatus>,
}

#[derive(Deserialize)]
struct DayAnswer {
    result: UserDay,
}

#[derive(Deserialize)]
struct HolidayAnswer {
    #[serde(default)]
    result: Vec<UserHolidays>,
}

fn too_many(what: &str, got: usize, limit: usize) -> UpstreamError {
    UpstreamError::Rejected {
        code: "client".into(),
        message: format!("{what}: {got} given, at most {limit} per call"),
    }
}

fn endless(path: &str) -> UpstreamError {
    UpstreamError::Malformed {
        path: path.into(),
        detail: "the answer says there is more, but the page was empty or never ends".into(),
        snippet: String::new(),
    }
}

impl DingTalkClient {
    /// Runs `call` for every (batch of ≤ `batch_size` users, window), a few
    /// at once, and answers the pages in completion order.
    async fn per_batch<'a, T, F, Fut>(
        &self,
        user_ids: &'a [String],
        batch_size: usize,
        windows: &[DayWindow],
        call: F,
    ) -> Result<Vec<Vec<T>>, UpstreamError>
    where
        F: Fn(&'a [String], DayWindow) -> Fut,
        Fut: std::future::Future<Output = Result<Vec<T>, UpstreamError>>,
    {
        let batches: Vec<(&[String], DayWindow)> = user_ids
            .chunks(batch_size.max(1))
            .flat_map(|batch| windows.iter().map(move |w| (batch, *w)))
            .collect();
        // The calls are made (not yet run) up front: a stream holding the
        // closure over borrowed batches would keep the caller's future from
        // being provably `Send` (rustc's higher-ranked closure inference).
        let calls: Vec<Fut> = batches
            .into_iter()
            .map(|(batch, window)| call(batch, window))
            .collect();
        stream::iter(calls)
            .buffer_unordered(self.config.concurrency.max(1))
            .try_collect()
            .await
    }

    /// Punch results of ≤ 50 users over one window of ≤ 7 days, all pages.
    pub async fn punch_results(
        &self,
        user_ids: &[String],
        window: DayWindow,
    ) -> Result<Vec<PunchResult>, UpstreamError> {
        let limits = self.config.limits;
        if user_ids.len() > limits.attendance_users {
            return Err(too_many("users", user_ids.len(), limits.attendance_users));
        }
        if window.days() > limits.attendance_days {
            return Err(too_many(
                "days",
                window.days() as usize,
                limits.attendance_days as usize,
            ));
        }
        if user_ids.is_empty() {
            return Ok(Vec::new());
        }
        let page_size = limits.attendance_page;
        let mut offset = 0usize;
        let mut out = Vec::new();
        for _ in 0..MAX_PAGES {
            let body = json!({
                "workDateFrom": format_day(window.first),
                "workDateTo": format_day(window.last),
                "userIdList": user_ids,
                "offset": offset,
                "limit": page_size,
                "isI18n": false,
            });
            let page: ResultPage = self.call(LIST, &body).await?;
            let got = page.recordresult.len();
            out.extend(page.recordresult);
            if !page.has_more {
                return Ok(out);
            }
            if got == 0 {
                return Err(endless("hasMore"));
            }
            offset += page_size;
        }
        Err(endless("hasMore"))
    }

    /// Punch results of any number of users over the given windows, each
    /// result once (by `id`).
    pub async fn punch_results_for(
        &self,
        user_ids: &[String],
        windows: &[DayWindow],
    ) -> Result<Vec<PunchResult>, UpstreamError> {
        let pages = self
            .per_batch(
                user_ids,
                self.config.limits.attendance_users,
                windows,
                |b, w| self.punch_results(b, w),
            )
            .await?;
        let mut seen = BTreeSet::new();
        let mut out: Vec<PunchResult> = pages
            .into_iter()
            .flatten()
            .filter(|r| seen.insert(r.id))
            .collect();
        out.sort_by(|a, b| (&a.user_id, a.work_date, a.id).cmp(&(&b.user_id, b.work_date, b.id)));
        Ok(out)
    }

    /// Raw punches of ≤ 50 users between two local times ≤ 7 days apart.
    pub async fn punch_details(
        &self,
        user_ids: &[String],
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<Vec<PunchDetail>, UpstreamError> {
        let limits = self.config.limits;
        if user_ids.len() > limits.record_users {
            return Err(too_many("users", user_ids.len(), limits.record_users));
        }
        if user_ids.is_empty() {
            return Ok(Vec::new());
        }
        let body = json!({
            "userIds": user_ids,
            "checkDateFrom": from.format("%Y-%m-%d %H:%M:%S").to_string(),
            "checkDateTo": to.format("%Y-%m-%d %H:%M:%S").to_string(),
            "isI18n": false,
        });
        let answer: RecordAnswer = self.call(LIST_RECORD, &body).await?;
        Ok(answer.recordresult)
    }

    /// Leave entries of ≤ 100 users in one window of ≤ 180 days, all pages.
    pub async fn leave_status(
        &self,
        user_ids: &[String],
        window: DayWindow,
    ) -> Result<Vec<LeaveStatus>, UpstreamError> {
        let limits = self.config.limits;
        if user_ids.len() > limits.leave_users {
            return Err(too_many("users", user_ids.len(), limits.leave_users));
        }
        if window.days() > limits.leave_days {
            return Err(too_many(
                "days",
                window.days() as usize,
                limits.leave_days as usize,
            ));
        }
        if user_ids.is_empty() {
            return Ok(Vec::new());
        }
        let end = window
            .last
            .succ_opt()
            .map_or(i64::MAX, |next| day_start_ms(next) - 1);
        let mut offset = 0usize;
        let mut out = Vec::new();
        for _ in 0..MAX_PAGES {
            let body = json!({
                "userid_list": user_ids.join(","),
                "start_time": day_start_ms(window.first),
                "end_time": end,
                "offset": offset,
                "size": limits.leave_page,
            });
            let answer: LeaveAnswer = self.call(LEAVE_STATUS, &body).await?;
            let got = answer.result.leave_status.len();
            out.extend(answer.result.leave_status);
            if !answer.result.has_more {
                return Ok(out);
            }
            if got == 0 {
                return Err(endless("result.has_more"));
            }
            offset += limits.leave_page;
        }
        Err(endless("result.has_more"))
    }

    /// Leave entries of any number of users over `first..=last`.
    pub async fn leave_status_for(
        &self,
        user_ids: &[String],
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<LeaveStatus>, UpstreamError> {
        let limits = self.config.limits;
        let windows = crate::plan::windows(first, last, limits.leave_days);
        let pages = self
            .per_batch(user_ids, limits.leave_users, &windows, |b, w| {
                self.leave_status(b, w)
            })
            .await?;
        let mut out: Vec<LeaveStatus> = pages.into_iter().flatten().collect();
        out.sort_by(|a, b| (&a.userid, a.start_time).cmp(&(&b.userid, b.start_time)));
        out.dedup();
        Ok(out)
    }

    /// One person-day in full: results, punches and finished approval forms.
    pub async fn user_day(&self, user_id: &str, day: NaiveDate) -> Result<UserDay, UpstreamError> {
        let body = json!({ "userid": user_id, "work_date": format_day(day) });
        let answer: DayAnswer = self.call(UPDATE_DATA, &body).await?;
        Ok(answer.result)
    }

    /// Holidays, rest days and make-up workdays of ≤ 50 users.
    pub async fn holidays(
        &self,
        user_ids: &[String],
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<UserHolidays>, UpstreamError> {
        let limits = self.config.limits;
        if user_ids.len() > limits.holiday_users {
            return Err(too_many("users", user_ids.len(), limits.holiday_users));
        }
        let end = last
            .succ_opt()
            .map_or(i64::MAX, |next| day_start_ms(next) - 1);
        let body = json!({
            "userIds": user_ids,
            "workDateFrom": day_start_ms(first),
            "workDateTo": end,
        });
        let answer: HolidayAnswer = self.call(HOLIDAYS, &body).await?;
        Ok(answer.result)
    }
}
