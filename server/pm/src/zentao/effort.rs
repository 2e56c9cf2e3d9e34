//! Efforts (工时): the body of `POST /tasks/{id}/estimate`, what remains
//! on the task afterwards, and efforts read back as worklogs.

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::{ExternalId, ItemRef, NewWorklog, PmError, Worklog};

use super::wire;
use super::SYSTEM;

/// `zt_effort.work` is `varchar(255)`, and ZenTao ≤ 18 checks the length
/// in bytes: the work text is kept within 255 bytes.
pub const MAX_WORK_BYTES: usize = 255;

/// Minutes as ZenTao's decimal hours (two decimals).
pub fn hours(minutes: u32) -> f64 {
    round2(f64::from(minutes) / 60.0)
}

fn round2(hours: f64) -> f64 {
    (hours * 100.0).round() / 100.0
}

pub fn minutes(hours: f64) -> u32 {
    let m = (hours * 60.0).round();
    if m.is_finite() && m > 0.0 {
        m.min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

/// What the task should have left after `consumed` hours are recorded.
///
/// ZenTao sets the task's remaining hours to the record's `left`, and a
/// `left` of 0 on a waiting, ongoing or paused task marks it done. HourBridge
/// records attendance, it does not finish people's tasks, so:
/// - the hours come off the remaining ones while some remain afterwards;
/// - otherwise the remaining hours are kept as they are;
/// - an open task with nothing left (never estimated) keeps as much again
///   as was just recorded, never 0;
/// - a task that is already done or closed keeps what ZenTao's own rule
///   gives (remaining minus recorded, not below 0).
pub fn left_after(task_left: Option<f64>, open: bool, consumed: f64) -> f64 {
    let current = task_left.unwrap_or(0.0).max(0.0);
    let after = round2(current - consumed);
    if !open {
        return after.max(0.0);
    }
    if after > 0.0 {
        after
    } else if current > 0.0 {
        round2(current)
    } else {
        consumed
    }
}

/// The work text: the comment, for whom (when recorded under the
/// connection's account), and the marker, within [`MAX_WORK_BYTES`].
pub fn work_text(w: &NewWorklog, for_person: Option<&str>) -> String {
    let marker = w.external_id.marker();
    let naming = for_person
        .map(|p| format!(" (for {p})"))
        .unwrap_or_default();
    let room = MAX_WORK_BYTES.saturating_sub(marker.len() + 1 + naming.len());
    let mut comment = w.comment.trim().to_owned();
    if comment.len() > room {
        let mut cut = room;
        while !comment.is_char_boundary(cut) {
            cut -= 1;
        }
        comment.truncate(cut);
    }
    let text = format!("{}{naming}", comment.trim_end());
    w.external_id.tag(text.trim())
}

/// The accounts named as `(for …)` in a work text.
pub fn named_person(work: &str) -> Option<&str> {
    let start = work
        .rfind(" (for ")
        .map(|i| i + " (for ".len())
        .or_else(|| work.starts_with("(for ").then_some("(for ".len()))?;
    let rest = &work[start..];
    let end = rest.find(')')?;
    Some(rest[..end].trim()).filter(|p| !p.is_empty())
}

/// The body of `POST /tasks/{id}/estimate`, readable by ZenTao 20+
/// (`date[]`) and ≤ 18 (`dates[]`, `id[]`): each ignores the other's keys.
pub fn body(task_id: u64, date: NaiveDate, consumed: f64, left: f64, work: &str) -> Value {
    let day = date.format("%Y-%m-%d").to_string();
    json!({
        "id": [0],
        "date": [day],
        "dates": [day],
        "consumed": [consumed],
        "left": [left],
        "work": [work],
        "objectType": "task",
        "objectID": task_id,
    })
}

/// The day of an effort (`YYYY-MM-DD`, possibly with a time after it).
pub fn day_of(effort: &wire::Effort) -> Result<NaiveDate, PmError> {
    let text = effort.date.trim();
    text.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .ok_or_else(|| PmError::Malformed {
            system: SYSTEM,
            path: format!("effort[id={}].date", effort.id),
            detail: format!("not a date: {text}"),
            snippet: String::new(),
        })
}

/// An effort on `item` as a worklog.
pub fn worklog(item: &ItemRef, effort: &wire::Effort) -> Result<Worklog, PmError> {
    Ok(Worklog {
        id: effort.id.to_string(),
        item: item.clone(),
        person: Some(effort.account.clone()).filter(|a| !a.is_empty()),
        date: day_of(effort)?,
        minutes: minutes(effort.consumed),
        comment: effort.work.clone(),
        external_id: ExternalId::find_in(&effort.work),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_worklog(comment: &str) -> NewWorklog {
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        NewWorklog {
            person: "alice".into(),
            item: ItemRef {
                project: "11".into(),
                task: Some("88".into()),
            },
            date,
            minutes: 450,
            comment: comment.into(),
            external_id: ExternalId::new("manager4561", date, "88"),
        }
    }

    #[test]
    fn hours_have_two_decimals() {
        assert_eq!(hours(450), 7.5);
        assert_eq!(hours(20), 0.33);
        assert_eq!(minutes(0.33), 20);
        assert_eq!(minutes(-1.0), 0);
    }

    #[test]
    fn recording_attendance_never_finishes_an_open_task() {
        assert_eq!(left_after(Some(16.0), true, 7.5), 8.5, "hours come off");
        assert_eq!(left_after(Some(4.0), true, 7.5), 4.0, "kept, not 0");
        assert_eq!(
            left_after(Some(7.5), true, 7.5),
            7.5,
            "exactly used up: kept"
        );
        assert_eq!(left_after(Some(0.0), true, 7.5), 7.5, "never estimated");
        assert_eq!(left_after(None, true, 2.0), 2.0);
        assert_eq!(
            left_after(Some(0.0), false, 7.5),
            0.0,
            "a done task stays done"
        );
        assert_eq!(left_after(Some(10.0), false, 7.5), 2.5);
    }

    #[test]
    fn the_work_text_names_the_person_and_keeps_its_marker() {
        let w = new_worklog("出勤折算");
        assert_eq!(
            work_text(&w, Some("alice")),
            "出勤折算 (for alice) [hb:manager4561:2026-03-02:88]"
        );
        assert_eq!(
            work_text(&w, None),
            "出勤折算 [hb:manager4561:2026-03-02:88]"
        );
        assert_eq!(named_person(&work_text(&w, Some("alice"))), Some("alice"));
        assert_eq!(named_person("出勤折算"), None);

        let long = new_worklog(&"长".repeat(200));
        let text = work_text(&long, Some("alice"));
        assert!(text.len() <= MAX_WORK_BYTES, "{}", text.len());
        assert_eq!(ExternalId::find_in(&text), Some(long.external_id.clone()));
        assert_eq!(named_person(&text), Some("alice"));
    }

    #[test]
    fn the_body_carries_both_versions_field_names() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let body = body(88, date, 7.5, 8.5, "x");
        assert_eq!(body["date"], json!(["2026-03-02"]));
        assert_eq!(body["dates"], json!(["2026-03-02"]));
        assert_eq!(body["id"], json!([0]));
        assert_eq!(body["consumed"], json!([7.5]));
        assert_eq!(body["left"], json!([8.5]));
    }
}
