//! The man-hour records the simulator holds, and the answers kept for
//! `X-IDEM-UUID`s (in one place, so that checking a key and writing happen
//! under one lock).

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;

/// One man-hour record (实际工时).
#[derive(Debug, Clone, PartialEq)]
pub struct ManHourRecord {
    pub id: i64,
    pub project_key: String,
    pub work_item_id: i64,
    pub work_item_type_key: String,
    pub work_item_name: String,
    /// `work_item` unless the caller named another resource.
    pub resource_type: String,
    pub resource_id: String,
    /// Whose hours they are (the caller's `X-USER-KEY`).
    pub work_user_key: String,
    /// The day's midnight in China, ms since the epoch.
    pub work_date: i64,
    pub work_time: f64,
    pub work_description: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ManHourRecord {
    /// The record's day in China.
    pub fn day(&self) -> Option<NaiveDate> {
        china_day(self.work_date)
    }
}

/// The day a millisecond timestamp falls on in China (UTC+8).
pub fn china_day(ms: i64) -> Option<NaiveDate> {
    let zone = FixedOffset::east_opt(8 * 3600)?;
    DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&zone).date_naive())
}

/// An answer kept for an idempotency key.
#[derive(Debug, Clone)]
struct Kept {
    fingerprint: String,
    answer: Value,
    at: Instant,
}

/// What a key says about a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Replay {
    /// Not seen within the window: carry the request out.
    New,
    /// Seen with the same request: this was the answer.
    Same(Value),
    /// Seen with another request.
    Conflict,
}

#[derive(Debug)]
pub struct Store {
    next_id: i64,
    records: BTreeMap<i64, ManHourRecord>,
    kept: HashMap<String, Kept>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            next_id: 7_300_000_001,
            records: BTreeMap::new(),
            kept: HashMap::new(),
        }
    }
}

impl Store {
    pub fn insert(&mut self, mut record: ManHourRecord) -> ManHourRecord {
        record.id = self.next_id;
        self.next_id += 1;
        self.records.insert(record.id, record.clone());
        record
    }

    pub fn get(&self, id: i64) -> Option<&ManHourRecord> {
        self.records.get(&id)
    }

    pub fn replace(&mut self, record: ManHourRecord) {
        self.records.insert(record.id, record);
    }

    pub fn remove(&mut self, id: i64) -> Option<ManHourRecord> {
        self.records.remove(&id)
    }

    /// Every record, by id.
    pub fn all(&self) -> impl Iterator<Item = &ManHourRecord> {
        self.records.values()
    }

    /// The records of one work item, by id.
    pub fn of_item(&self, work_item_id: i64) -> impl Iterator<Item = &ManHourRecord> {
        self.records
            .values()
            .filter(move |r| r.work_item_id == work_item_id)
    }

    /// Hours `user_key` has on `day` (any work item), leaving out `except`.
    pub fn hours_on(&self, user_key: &str, day: NaiveDate, except: Option<i64>) -> f64 {
        self.records
            .values()
            .filter(|r| r.work_user_key == user_key && r.day() == Some(day) && Some(r.id) != except)
            .map(|r| r.work_time)
            .sum()
    }

    /// What `key` says about a request with `fingerprint`, within `window`.
    pub fn replay(
        &mut self,
        key: &str,
        fingerprint: &str,
        window: Duration,
        now: Instant,
    ) -> Replay {
        self.kept
            .retain(|_, kept| now.saturating_duration_since(kept.at) < window);
        match self.kept.get(key) {
            None => Replay::New,
            Some(kept) if kept.fingerprint == fingerprint => Replay::Same(kept.answer.clone()),
            Some(_) => Replay::Conflict,
        }
    }

    /// Keeps the answer to a request carried out under `key`.
    pub fn keep(&mut self, key: &str, fingerprint: &str, answer: Value, now: Instant) {
        self.kept.insert(
            key.to_owned(),
            Kept {
                fingerprint: fingerprint.to_owned(),
                answer,
                at: now,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_key_answers_its_request_again_within_the_window_only() {
        let mut store = Store::default();
        let now = Instant::now();
        let day = Duration::from_secs(86_400);
        assert_eq!(store.replay("k", "a", day, now), Replay::New);
        store.keep("k", "a", json!({"data": [1]}), now);
        assert_eq!(
            store.replay("k", "a", day, now),
            Replay::Same(json!({"data": [1]}))
        );
        assert_eq!(store.replay("k", "b", day, now), Replay::Conflict);
        assert_eq!(
            store.replay("k", "a", day, now + day),
            Replay::New,
            "the window is over"
        );
    }

    #[test]
    fn hours_are_summed_per_person_and_day() {
        let mut store = Store::default();
        let record = |user: &str, date: i64, hours: f64| ManHourRecord {
            id: 0,
            project_key: "pk".into(),
            work_item_id: 1,
            work_item_type_key: "task".into(),
            work_item_name: "t".into(),
            resource_type: "work_item".into(),
            resource_id: "1".into(),
            work_user_key: user.into(),
            work_date: date,
            work_time: hours,
            work_description: String::new(),
            created_at: 0,
            updated_at: 0,
        };
        // 2024-03-01 00:00 +08:00.
        let first = store.insert(record("u1", 1_709_222_400_000, 7.5));
        store.insert(record("u1", 1_709_222_400_000, 1.0));
        store.insert(record("u2", 1_709_222_400_000, 3.0));
        store.insert(record("u1", 1_709_308_800_000, 8.0));
        let day = NaiveDate::from_ymd_opt(2024, 3, 1).expect("date");
        assert_eq!(first.day(), Some(day));
        assert_eq!(store.hours_on("u1", day, None), 8.5);
        assert_eq!(store.hours_on("u1", day, Some(first.id)), 1.0);
        assert_eq!(store.of_item(1).count(), 4);
    }
}
