//! The time entries the simulator holds.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

/// One time entry.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeEntry {
    pub id: u64,
    pub project_id: u64,
    pub issue_id: Option<u64>,
    /// Whose time it is.
    pub user_id: u64,
    /// Who logged it (the caller, after any switch-user).
    pub author_id: u64,
    pub activity_id: u64,
    /// Rounded to two decimals.
    pub hours: f64,
    /// `None` until a `comments` is sent (Redmine answers `null`).
    pub comments: Option<String>,
    pub spent_on: NaiveDate,
    /// Custom field id → value (absent: never set, answered as `null`).
    pub custom_fields: BTreeMap<u64, String>,
    pub created_on: DateTime<Utc>,
    pub updated_on: DateTime<Utc>,
}

#[derive(Debug)]
pub struct TimeEntryStore {
    next_id: u64,
    entries: BTreeMap<u64, TimeEntry>,
}

impl Default for TimeEntryStore {
    fn default() -> Self {
        Self {
            next_id: 1,
            entries: BTreeMap::new(),
        }
    }
}

impl TimeEntryStore {
    /// Stores a new entry, giving it the next id.
    pub fn insert(&mut self, mut entry: TimeEntry) -> TimeEntry {
        entry.id = self.next_id;
        self.next_id += 1;
        self.entries.insert(entry.id, entry.clone());
        entry
    }

    pub fn get(&self, id: u64) -> Option<&TimeEntry> {
        self.entries.get(&id)
    }

    pub fn replace(&mut self, entry: TimeEntry) {
        self.entries.insert(entry.id, entry);
    }

    pub fn remove(&mut self, id: u64) -> Option<TimeEntry> {
        self.entries.remove(&id)
    }

    /// Every entry, by id.
    pub fn all(&self) -> impl Iterator<Item = &TimeEntry> {
        self.entries.values()
    }

    /// Hours `user_id` has on `day`, leaving out entry `except`.
    pub fn hours_on(&self, user_id: u64, day: NaiveDate, except: Option<u64>) -> f64 {
        self.entries
            .values()
            .filter(|e| e.user_id == user_id && e.spent_on == day && Some(e.id) != except)
            .map(|e| e.hours)
            .sum()
    }
}
