//! The timesheets the simulator holds. Deleting marks a record
//! (`is_delete`), as TAPD does: it can still be listed with `is_delete=1`.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};

use super::data::{long_id, EntityType};

/// One timesheet (花费工时).
#[derive(Debug, Clone, PartialEq)]
pub struct Timesheet {
    /// `"10"` + workspace id + 9-digit short id.
    pub id: String,
    pub workspace_id: String,
    pub entity_type: EntityType,
    pub entity_id: String,
    /// Hours as sent (validated as a number > 0).
    pub timespent: String,
    /// Remaining hours, when a write sent them.
    pub timeremain: Option<String>,
    pub spentdate: NaiveDate,
    /// Whose hours (a member's nick).
    pub owner: String,
    /// The API account that wrote it.
    pub creator: String,
    pub memo: Option<String>,
    /// China time.
    pub created: NaiveDateTime,
    pub modified: NaiveDateTime,
    pub is_delete: bool,
}

#[derive(Debug)]
pub struct TimesheetStore {
    next_short: u64,
    /// By creation order (which is id order within a workspace).
    records: BTreeMap<u64, Timesheet>,
    by_id: BTreeMap<String, u64>,
    /// Live records by (entity, day, owner).
    by_key: HashMap<Key, u64>,
}

type Key = (EntityType, String, NaiveDate, String);

fn key(t: &Timesheet) -> Key {
    (
        t.entity_type,
        t.entity_id.clone(),
        t.spentdate,
        t.owner.clone(),
    )
}

impl Default for TimesheetStore {
    fn default() -> Self {
        Self {
            next_short: 1_100_001,
            records: BTreeMap::new(),
            by_id: BTreeMap::new(),
            by_key: HashMap::new(),
        }
    }
}

impl TimesheetStore {
    /// Stores a new record, giving it the next id of its workspace.
    pub fn insert(&mut self, mut record: Timesheet) -> Timesheet {
        let seq = self.next_short;
        self.next_short += 1;
        record.id = long_id("10", &record.workspace_id, seq);
        self.by_id.insert(record.id.clone(), seq);
        if !record.is_delete {
            self.by_key.insert(key(&record), seq);
        }
        self.records.insert(seq, record.clone());
        record
    }

    pub fn get(&self, id: &str) -> Option<&Timesheet> {
        self.by_id.get(id).and_then(|seq| self.records.get(seq))
    }

    /// Changes hours, remaining hours and memo (what an update may change).
    pub fn update(&mut self, id: &str, change: impl FnOnce(&mut Timesheet)) -> Option<Timesheet> {
        let seq = *self.by_id.get(id)?;
        let record = self.records.get_mut(&seq)?;
        let before = key(record);
        change(record);
        debug_assert_eq!(before, key(record), "an update keeps the key");
        Some(record.clone())
    }

    /// Marks a live record deleted; false when there is none.
    pub fn delete(&mut self, id: &str, at: NaiveDateTime) -> bool {
        let Some(seq) = self.by_id.get(id).copied() else {
            return false;
        };
        let Some(record) = self.records.get_mut(&seq).filter(|r| !r.is_delete) else {
            return false;
        };
        record.is_delete = true;
        record.modified = at;
        let k = key(record);
        self.by_key.remove(&k);
        true
    }

    /// Every record, deleted ones included, oldest first.
    pub fn all(&self) -> impl Iterator<Item = &Timesheet> {
        self.records.values()
    }

    /// The live record holding (entity, day, owner), if any.
    pub fn by_key(
        &self,
        entity_type: EntityType,
        entity_id: &str,
        day: NaiveDate,
        owner: &str,
    ) -> Option<&Timesheet> {
        let seq = self
            .by_key
            .get(&(entity_type, entity_id.to_owned(), day, owner.to_owned()))?;
        self.records.get(seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(day: u32) -> Timesheet {
        let at = NaiveDate::from_ymd_opt(2026, 3, 2)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("time");
        Timesheet {
            id: String::new(),
            workspace_id: "41000001".into(),
            entity_type: EntityType::Task,
            entity_id: "1141000001001000001".into(),
            timespent: "7.5".into(),
            timeremain: None,
            spentdate: NaiveDate::from_ymd_opt(2026, 3, day).expect("day"),
            owner: "alice".into(),
            creator: "api".into(),
            memo: None,
            created: at,
            modified: at,
            is_delete: false,
        }
    }

    #[test]
    fn one_live_record_per_key_and_deleted_ones_kept() {
        let mut store = TimesheetStore::default();
        let a = store.insert(record(2));
        assert_eq!(a.id, "1041000001001100001");
        let day = a.spentdate;
        let found = store.by_key(EntityType::Task, &a.entity_id, day, "alice");
        assert_eq!(found.map(|t| t.id.as_str()), Some(a.id.as_str()));
        assert!(store.delete(&a.id, a.created));
        assert!(!store.delete(&a.id, a.created), "already deleted");
        assert!(store
            .by_key(EntityType::Task, &a.entity_id, day, "alice")
            .is_none());
        assert_eq!(store.all().count(), 1);
        assert!(store.get(&a.id).is_some_and(|t| t.is_delete));
    }
}
