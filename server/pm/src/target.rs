//! The interface every PM connector implements. The simulators implement
//! the wire side of each system, never this trait, so tests exercise the
//! real connector code.

use async_trait::async_trait;

use chrono::NaiveDate;

use crate::{
    Capabilities, ExternalId, ItemRef, NewWorklog, PmError, PmUser, Project, TargetKind, Task,
    TestReport, Worklog, WorklogQuery, WorklogRef,
};

/// How to look a user up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserQuery {
    Email(String),
    Login(String),
    Name(String),
}

impl UserQuery {
    /// What is looked for, trimmed.
    pub fn text(&self) -> &str {
        match self {
            UserQuery::Email(t) | UserQuery::Login(t) | UserQuery::Name(t) => t.trim(),
        }
    }
}

#[async_trait]
pub trait Target: Send + Sync {
    fn kind(&self) -> TargetKind;

    fn capabilities(&self) -> Capabilities {
        Capabilities::of(self.kind())
    }

    /// Checks the credentials and lists the projects the account sees.
    async fn test(&self) -> Result<TestReport, PmError>;

    async fn projects(&self) -> Result<Vec<Project>, PmError>;

    /// Every user the account may see.
    async fn users(&self) -> Result<Vec<PmUser>, PmError>;

    /// Users matching exactly (the systems search by prefix or substring;
    /// connectors filter to exact matches).
    async fn find_users(&self, query: &UserQuery) -> Result<Vec<PmUser>, PmError>;

    /// Open tasks or issues of a project, with their assignees.
    async fn open_tasks(&self, project: &Project) -> Result<Vec<Task>, PmError>;

    /// Writes a worklog, carrying its external id where the system allows.
    /// One attempt: [`crate::write_once`] adds the retry that never
    /// duplicates.
    async fn create_worklog(&self, worklog: &NewWorklog) -> Result<Worklog, PmError>;

    /// The worklog carrying `external_id` on `item` and `date`, if the
    /// target holds one (used after a write whose answer was lost).
    async fn find_worklog(
        &self,
        item: &ItemRef,
        date: NaiveDate,
        external_id: &ExternalId,
    ) -> Result<Option<Worklog>, PmError>;

    async fn update_worklog(
        &self,
        existing: &WorklogRef,
        worklog: &NewWorklog,
    ) -> Result<Worklog, PmError>;

    async fn delete_worklog(&self, existing: &WorklogRef) -> Result<(), PmError>;

    /// Worklogs in a date range, for reconciliation.
    async fn worklogs(&self, query: &WorklogQuery) -> Result<Vec<Worklog>, PmError>;
}
