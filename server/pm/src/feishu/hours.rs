//! Man-hour records (实际工时) on a work item: create, list, update, delete.
//!
//! * Create: `POST /open_api/{project_key}/work_item/{type}/{id}/work_hour_record`
//!   as the person (`X-USER-KEY`), one day (`work_begin_date = work_end_date`
//!   = the day's midnight in China, ms), `include_holidays: true` so that a
//!   weekend day is recorded too, hours as text, the description ending in
//!   the `[hb:…]` marker, and an `X-IDEM-UUID` derived from the write.
//! * List: `POST /open_api/work_item/man_hour/records`, page by page.
//! * Update: `PUT` on the same path (`working_hour_records: [{id, …}]`).
//! * Delete: `DELETE` on the same path (`working_hour_record_ids`).

use reqwest::Method;
use serde_json::{json, Value};

use super::client::Request;
use super::units::{day_of_ms, day_start_ms, hours_text, idem_key, minutes_of};
use super::{wire, work_item, FeishuProject, SYSTEM};
use crate::{ExternalId, ItemRef, NewWorklog, PmError, Worklog, WorklogRef};

/// Records per page of the list.
const RECORDS_PER_PAGE: i64 = 50;
const MAX_PAGES: i64 = 10_000;
/// The longest description kept (unconfirmed limit), marker included.
const MAX_DESCRIPTION_CHARS: usize = 1000;
/// How often a create may find its earlier twin deleted and write again.
const MAX_REWRITES: usize = 5;

/// The comment with its marker, cut so that the marker survives.
fn description(w: &NewWorklog) -> String {
    let marker = w.external_id.marker();
    let room = MAX_DESCRIPTION_CHARS.saturating_sub(marker.chars().count() + 1);
    let text: String = w.comment.chars().take(room).collect();
    w.external_id.tag(&text)
}

fn record_path(project_key: &str, kind: &str, id: i64) -> String {
    format!("/open_api/{project_key}/work_item/{kind}/{id}/work_hour_record")
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn worklog(item: &ItemRef, r: wire::ManHourRecord) -> Result<Worklog, PmError> {
    let date = day_of_ms(r.work_date).ok_or_else(|| PmError::Malformed {
        system: SYSTEM,
        path: "data[].work_date".into(),
        detail: format!("not a millisecond timestamp: {}", r.work_date),
        snippet: String::new(),
    })?;
    let comment = r.work_description.unwrap_or_default();
    Ok(Worklog {
        id: r.id.to_string(),
        item: item.clone(),
        person: r.work_user_key.filter(|k| !k.is_empty()),
        date,
        minutes: minutes_of(r.work_time),
        external_id: ExternalId::find_in(&comment),
        comment,
    })
}

impl FeishuProject {
    /// Every record on the item's work item.
    async fn raw_records(&self, item: &ItemRef) -> Result<Vec<wire::ManHourRecord>, PmError> {
        let (kind, id) = work_item(item)?;
        let operator = self.config.operator_user_key.as_str();
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let body = json!({
                "project_key": item.project,
                "work_item_type_key": kind,
                "work_item_id": id,
                "page_num": page,
                "page_size": RECORDS_PER_PAGE,
            });
            let got: wire::Paged<wire::ManHourRecord> = self
                .client
                .read(&Request::post(
                    "/open_api/work_item/man_hour/records".into(),
                    &body,
                    Some(operator),
                ))
                .await?;
            let count = got.data.len();
            out.extend(got.data);
            let total = got
                .pagination
                .and_then(|p| p.total)
                .unwrap_or(out.len() as i64);
            if count == 0 || out.len() as i64 >= total {
                break;
            }
        }
        Ok(out)
    }

    /// Every record on the item, as worklogs.
    pub(super) async fn records(&self, item: &ItemRef) -> Result<Vec<Worklog>, PmError> {
        self.raw_records(item)
            .await?
            .into_iter()
            .map(|r| worklog(item, r))
            .collect()
    }

    /// One create call with the given idempotency key.
    async fn post_record(
        &self,
        w: &NewWorklog,
        body: &Value,
        idem: &str,
    ) -> Result<wire::ManHourRecord, PmError> {
        let (kind, id) = work_item(&w.item)?;
        let request = Request {
            method: Method::POST,
            path: record_path(&w.item.project, kind, id),
            query: &[],
            body: Some(body),
            user_key: Some(&w.person),
            idem: Some(idem),
        };
        let created: wire::Paged<wire::ManHourRecord> = self.client.read(&request).await?;
        created
            .data
            .into_iter()
            .next()
            .ok_or_else(|| PmError::Rejected {
                system: SYSTEM,
                status: 200,
                message: format!("no record was created for {} (a day off?)", w.date),
            })
    }

    pub(super) async fn create_record(&self, w: &NewWorklog) -> Result<Worklog, PmError> {
        work_item(&w.item)?;
        let hours = hours_text(w.minutes);
        let text = description(w);
        let day = day_start_ms(w.date);
        let body = json!({
            "work_begin_date": day,
            "work_end_date": day,
            "include_holidays": true,
            "working_hour_records": [{"work_time": hours, "work_description": text}],
        });
        let mut parts = vec![
            "create".to_owned(),
            w.item.project.clone(),
            w.person.clone(),
            w.external_id.as_str().to_owned(),
            hours.clone(),
            text.clone(),
        ];
        for _ in 0..=MAX_REWRITES {
            let started = now_ms();
            let key = idem_key(&parts.iter().map(String::as_str).collect::<Vec<_>>());
            let record = self.post_record(w, &body, &key).await?;
            // A record made no later than this call began may be the answer
            // to an earlier write with the same key (Feishu answers it again
            // without writing): fine while it exists; if it was deleted
            // since, the write is made again under a key naming the lost
            // record. (A fresh record within the same millisecond only
            // costs a look.)
            let replayed = record.created_at.is_some_and(|at| at <= started);
            if !replayed {
                return worklog(&w.item, record);
            }
            let id = record.id.to_string();
            let still_there = self
                .raw_records(&w.item)
                .await?
                .iter()
                .any(|r| r.id == record.id);
            if still_there {
                return worklog(&w.item, record);
            }
            tracing::info!(system = SYSTEM, record = %id, "an earlier twin of this write was deleted, writing again");
            parts.push(format!("after:{id}"));
        }
        Err(PmError::Rejected {
            system: SYSTEM,
            status: 200,
            message: "the record was deleted again after each write".into(),
        })
    }

    pub(super) async fn update_record(
        &self,
        existing: &WorklogRef,
        w: &NewWorklog,
    ) -> Result<Worklog, PmError> {
        let (kind, item_id) = work_item(&existing.item)?;
        let not_found = || PmError::NotFound {
            system: SYSTEM,
            message: format!(
                "no man-hour record {} on {}",
                existing.id,
                existing.item.id_part()
            ),
        };
        let record_id: i64 = existing.id.trim().parse().map_err(|_| not_found())?;
        let current = self
            .raw_records(&existing.item)
            .await?
            .into_iter()
            .find(|r| r.id == record_id)
            .ok_or_else(not_found)?;
        let mut before = worklog(&existing.item, current.clone())?;
        if before.date != w.date {
            return Err(PmError::Rejected {
                system: SYSTEM,
                status: 0,
                message: format!(
                    "a man-hour record cannot move from {} to {}: delete it and write a new one",
                    before.date, w.date
                ),
            });
        }
        if before.person.as_ref().is_some_and(|p| p != &w.person) {
            return Err(PmError::Rejected {
                system: SYSTEM,
                status: 0,
                message: "a man-hour record cannot be given to another person".into(),
            });
        }
        let hours = hours_text(w.minutes);
        let text = description(w);
        let body = json!({
            "working_hour_records": [{"id": record_id, "work_time": hours, "work_description": text}],
        });
        // Keyed on the record's last change too, so that setting it back to
        // an earlier value later is a new write, not an answer repeated.
        let key = current.updated_at.map(|at| {
            idem_key(&[
                "update",
                &existing.item.project,
                &existing.id,
                &at.to_string(),
                &hours,
                &text,
            ])
        });
        let request = Request {
            method: Method::PUT,
            path: record_path(&existing.item.project, kind, item_id),
            query: &[],
            body: Some(&body),
            user_key: Some(&w.person),
            idem: key.as_deref(),
        };
        self.client.call(&request).await?;
        before.minutes = minutes_of(hours.parse().unwrap_or(0.0));
        before.external_id = ExternalId::find_in(&text);
        before.comment = text;
        Ok(before)
    }

    pub(super) async fn delete_record(&self, existing: &WorklogRef) -> Result<(), PmError> {
        let (kind, item_id) = work_item(&existing.item)?;
        let Ok(record_id) = existing.id.trim().parse::<i64>() else {
            // Not an id Feishu gives: no such record to delete.
            return Ok(());
        };
        let body = json!({ "working_hour_record_ids": [record_id] });
        let request = Request {
            method: Method::DELETE,
            path: record_path(&existing.item.project, kind, item_id),
            query: &[],
            body: Some(&body),
            user_key: Some(&self.config.operator_user_key),
            idem: None,
        };
        match self.client.call(&request).await {
            // An unknown record (or work item) is as good as deleted.
            Ok(_) | Err(PmError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_long_description_keeps_its_marker() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let item = ItemRef {
            project: "pk".into(),
            task: Some("story:7".into()),
        };
        let w = NewWorklog {
            person: "70".into(),
            external_id: ExternalId::new("u1", date, &item.id_part()),
            item,
            date,
            minutes: 60,
            comment: "长".repeat(3000),
        };
        let text = description(&w);
        assert!(text.chars().count() <= MAX_DESCRIPTION_CHARS);
        assert_eq!(ExternalId::find_in(&text), Some(w.external_id));
    }

    #[test]
    fn a_record_reads_as_a_worklog_on_its_day_in_china() {
        let item = ItemRef {
            project: "pk".into(),
            task: Some("task:9".into()),
        };
        let r: wire::ManHourRecord = serde_json::from_str(
            r#"{"id":12,"work_time":7.5,"work_user_key":"70","work_date":1709222400000,
                "work_description":"出勤折算 [hb:u1:2024-03-01:task_9]"}"#,
        )
        .expect("json");
        let w = worklog(&item, r).expect("worklog");
        assert_eq!(w.id, "12");
        assert_eq!(w.date, NaiveDate::from_ymd_opt(2024, 3, 1).expect("date"));
        assert_eq!(w.minutes, 450);
        assert_eq!(w.person.as_deref(), Some("70"));
        assert_eq!(
            w.external_id.map(|e| e.as_str().to_owned()).as_deref(),
            Some("hb:u1:2024-03-01:task_9")
        );
    }
}
