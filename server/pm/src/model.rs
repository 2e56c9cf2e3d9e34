//! What the connectors read and write, the same for every system. Ids are
//! the system's own, as text (Jira `"10010"`, TAPD's 19-digit strings).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ExternalId;
pub use hourbridge_domain::target::TargetKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    /// Jira key, Redmine identifier, ZenTao code; else the id.
    pub key: String,
    pub name: String,
}

/// A user of the PM system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PmUser {
    /// What worklogs name the user by: Jira `accountId` / DC `name`, Redmine
    /// id, ZenTao account, TAPD nick, Feishu user_key.
    pub id: String,
    pub login: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub active: bool,
}

/// A task or issue hours can be logged on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub item: ItemRef,
    pub title: String,
    pub assignee: Option<String>,
    pub status: String,
}

/// Where hours land: a project, and the task/issue in it when the system
/// logs on tasks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ItemRef {
    pub project: String,
    /// Jira issue key, Redmine issue id, ZenTao task id, TAPD
    /// `task:<id>`/`story:<id>`/`bug:<id>`, Feishu `<type_key>:<id>`.
    pub task: Option<String>,
}

impl ItemRef {
    /// The part of an external id that names the item.
    pub fn id_part(&self) -> String {
        match &self.task {
            Some(task) => task.clone(),
            None => format!("project-{}", self.project),
        }
    }
}

/// A worklog to write: `minutes` of `person`'s work on `item` on `date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWorklog {
    /// The PM user the hours belong to ([`PmUser::id`]).
    pub person: String,
    pub item: ItemRef,
    pub date: NaiveDate,
    pub minutes: u32,
    pub comment: String,
    pub external_id: ExternalId,
}

/// A worklog as the system holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worklog {
    pub id: String,
    pub item: ItemRef,
    /// Whose hours they are, when the system says.
    pub person: Option<String>,
    pub date: NaiveDate,
    pub minutes: u32,
    pub comment: String,
    /// HourBridge's id, when the worklog carries one.
    pub external_id: Option<ExternalId>,
}

/// How to find a written worklog again for an update or delete.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorklogRef {
    pub id: String,
    pub item: ItemRef,
}

impl From<&Worklog> for WorklogRef {
    fn from(w: &Worklog) -> Self {
        WorklogRef {
            id: w.id.clone(),
            item: w.item.clone(),
        }
    }
}

/// Worklogs to list for reconciliation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorklogQuery {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Only these people ([`PmUser::id`]); empty = all the account may see.
    pub people: Vec<String>,
    /// Only these items; empty = every item the system can search.
    pub items: Vec<ItemRef>,
}

/// What "Test connection" shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestReport {
    /// The account HourBridge acts as.
    pub account: String,
    pub projects: Vec<Project>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_without_a_task_is_named_by_its_project() {
        let project_only = ItemRef {
            project: "11".into(),
            task: None,
        };
        assert_eq!(project_only.id_part(), "project-11");
        let task = ItemRef {
            project: "EX".into(),
            task: Some("EX-1".into()),
        };
        assert_eq!(task.id_part(), "EX-1");
    }
}
