//! The tasks' current state and the efforts recorded on them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::data::Task;

/// One effort (`zt_effort` row).
#[derive(Debug, Clone, PartialEq)]
pub struct Effort {
    pub id: u64,
    /// `task`.
    pub object_type: &'static str,
    pub object_id: u64,
    pub project: u64,
    pub execution: u64,
    /// Whose hours: always the account that recorded them.
    pub account: String,
    pub work: String,
    pub date: NaiveDate,
    /// Hours, two decimals.
    pub consumed: f64,
    pub left: f64,
    /// Soft delete (`deleted = '1'`), as the web page's delete does.
    pub deleted: bool,
    pub recorded_at: DateTime<Utc>,
}

/// One row of a record request, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub date: NaiveDate,
    pub consumed: f64,
    pub left: f64,
    pub work: String,
}

#[derive(Debug)]
pub struct Store {
    tasks: BTreeMap<u64, Task>,
    efforts: BTreeMap<u64, Effort>,
    next_effort: u64,
}

fn round2(hours: f64) -> f64 {
    (hours * 100.0).round() / 100.0
}

impl Store {
    pub fn new(tasks: &[Task]) -> Self {
        Store {
            tasks: tasks.iter().map(|t| (t.id, t.clone())).collect(),
            efforts: BTreeMap::new(),
            next_effort: 1,
        }
    }

    pub fn task(&self, id: u64) -> Option<&Task> {
        self.tasks.get(&id)
    }

    /// The tasks of an execution, in id order.
    pub fn tasks_of(&self, execution: u64) -> Vec<&Task> {
        self.tasks
            .values()
            .filter(|t| t.execution == execution)
            .collect()
    }

    /// Every effort on a task (deleted ones too, flagged).
    pub fn efforts_on(&self, task: u64) -> Vec<&Effort> {
        self.efforts
            .values()
            .filter(|e| e.object_type == "task" && e.object_id == task)
            .collect()
    }

    pub fn efforts(&self) -> impl Iterator<Item = &Effort> {
        self.efforts.values()
    }

    /// Records `rows` as `account` on task `id` and answers the task: its
    /// consumed hours grow, its remaining hours become the last row's, and
    /// its status follows (`left` 0 finishes an open task, hours on a
    /// waiting or finished one with some left make it ongoing).
    pub fn record(
        &mut self,
        id: u64,
        account: &str,
        rows: &[Record],
        now: DateTime<Utc>,
    ) -> Option<Task> {
        let task = self.tasks.get_mut(&id)?;
        for row in rows {
            let effort = Effort {
                id: self.next_effort,
                object_type: "task",
                object_id: task.id,
                project: task.project,
                execution: task.execution,
                account: account.to_owned(),
                work: row.work.clone(),
                date: row.date,
                consumed: round2(row.consumed),
                left: round2(row.left),
                deleted: false,
                recorded_at: now,
            };
            self.next_effort += 1;
            task.consumed = round2(task.consumed + effort.consumed);
            task.left = effort.left;
            self.efforts.insert(effort.id, effort);
        }
        if rows.is_empty() {
            return Some(task.clone());
        }
        if task.left <= 0.0 && matches!(task.status, "wait" | "doing" | "pause") {
            task.status = "done";
            task.finished_by = account.to_owned();
            task.assigned_to = task.opened_by.clone();
        } else if task.left > 0.0 && matches!(task.status, "wait" | "done" | "pause") {
            task.status = "doing";
            task.finished_by.clear();
        }
        Some(task.clone())
    }

    /// Soft-deletes an effort (the web page's delete) and takes its hours
    /// off the task. `false` when there is no such live effort.
    pub fn delete(&mut self, effort_id: u64) -> bool {
        let Some(effort) = self.efforts.get_mut(&effort_id).filter(|e| !e.deleted) else {
            return false;
        };
        effort.deleted = true;
        if let Some(task) = self.tasks.get_mut(&effort.object_id) {
            task.consumed = round2((task.consumed - effort.consumed).max(0.0));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn task(status: &'static str, left: f64) -> Task {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        Task {
            id: 7,
            project: 1,
            execution: 2,
            name: "接口联调".into(),
            status,
            estimate: left,
            consumed: 0.0,
            left,
            assigned_to: "alice".into(),
            opened_by: "hourbridge".into(),
            finished_by: String::new(),
            team: Vec::new(),
            deadline: day,
            opened_date: Utc.timestamp_opt(0, 0).single().expect("time"),
        }
    }

    fn row(consumed: f64, left: f64) -> Record {
        Record {
            date: NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
            consumed,
            left,
            work: "x".into(),
        }
    }

    #[test]
    fn recorded_hours_move_the_task_along() {
        let now = Utc::now();
        let mut store = Store::new(&[task("wait", 8.0)]);
        let after = store
            .record(7, "alice", &[row(3.0, 5.0)], now)
            .expect("task");
        assert_eq!(
            (after.consumed, after.left, after.status),
            (3.0, 5.0, "doing")
        );
        let done = store
            .record(7, "alice", &[row(5.0, 0.0)], now)
            .expect("task");
        assert_eq!(
            (done.consumed, done.status, done.assigned_to.as_str()),
            (8.0, "done", "hourbridge")
        );
        assert_eq!(store.efforts_on(7).len(), 2);
        assert!(store.delete(1));
        assert!(!store.delete(1), "already deleted");
        assert_eq!(store.task(7).map(|t| t.consumed), Some(5.0));
        assert_eq!(store.efforts_on(7).iter().filter(|e| e.deleted).count(), 1);
    }
}
