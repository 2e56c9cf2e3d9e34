//! Feishu Project (飞书项目 / Meego) open API: a plugin's token
//! (`X-PLUGIN-TOKEN`), acting as a user (`X-USER-KEY`), man-hour records
//! ("actual work hours", 实际工时) on work items.
//!
//! Hours are written as the person (their `user_key` in `X-USER-KEY`) with an
//! idempotency key (`X-IDEM-UUID`) derived from HourBridge's external id, so a
//! write sent twice lands once; the `[hb:…]` marker at the end of the
//! description finds it again. Work items are named `<type_key>:<id>`;
//! records are listed per work item only (there is no search by date).
//!
//! Sources: the official Go SDK `larksuite/project-oapi-sdk-golang` (paths,
//! bodies, answers, token handling); error codes the SDK does not list are
//! described in [`codes`] (unconfirmed ones marked so).

mod client;
pub mod codes;
mod directory;
mod hours;
mod items;
mod token;
mod units;
mod wire;

use async_trait::async_trait;
use chrono::NaiveDate;
use std::fmt;
use std::time::Duration;

use crate::http::{Pace, RetryPolicy};
use crate::{
    ExternalId, ItemRef, NewWorklog, PmError, PmUser, Project, Target, TargetKind, Task,
    TestReport, UserQuery, Worklog, WorklogQuery, WorklogRef,
};
use client::Client;

pub use units::ORG_OFFSET_SECS;

const SYSTEM: &str = "Feishu Project";

/// What a Feishu Project connection needs.
#[derive(Clone)]
pub struct FeishuConfig {
    /// `https://project.feishu.cn` (or a private deployment), no trailing `/`.
    pub base_url: String,
    /// The plugin's id (`MII_…`), from the developer platform.
    pub plugin_id: String,
    pub plugin_secret: String,
    /// The space (`project_key`) whose work items hours are logged on.
    pub project_key: String,
    /// The user HourBridge reads as (`X-USER-KEY`), also for the connection
    /// test and for deletes; a space administrator is the right choice.
    pub operator_user_key: String,
    /// Work item types offered as tasks (`type_key`s), by default `story`
    /// and `task`. (Bugs are `issue` in most spaces.)
    pub work_item_types: Vec<String>,
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// Client-side pacing: Feishu limits each plugin token (about 15 calls
    /// a second per third-party notes; unconfirmed).
    pub pace: Option<Pace>,
}

/// HourBridge's default pace for a Feishu Project connection.
pub const DEFAULT_CALLS_PER_SECOND: u32 = 15;

impl fmt::Debug for FeishuConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FeishuConfig")
            .field("base_url", &self.base_url)
            .field("plugin_id", &self.plugin_id)
            .field("plugin_secret", &"[redacted]")
            .field("project_key", &self.project_key)
            .field("operator_user_key", &self.operator_user_key)
            .field("work_item_types", &self.work_item_types)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl FeishuConfig {
    pub fn new(
        base_url: &str,
        plugin_id: &str,
        plugin_secret: &str,
        project_key: &str,
        operator_user_key: &str,
    ) -> Self {
        FeishuConfig {
            base_url: base_url.trim().trim_end_matches('/').to_owned(),
            plugin_id: plugin_id.trim().to_owned(),
            plugin_secret: plugin_secret.trim().to_owned(),
            project_key: project_key.trim().to_owned(),
            operator_user_key: operator_user_key.trim().to_owned(),
            work_item_types: vec!["story".to_owned(), "task".to_owned()],
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            pace: Pace::per_second(DEFAULT_CALLS_PER_SECOND),
        }
    }
}

/// A connection to one Feishu Project space.
#[derive(Debug)]
pub struct FeishuProject {
    client: Client,
    config: FeishuConfig,
}

impl FeishuProject {
    pub fn new(config: FeishuConfig) -> Result<Self, PmError> {
        let missing = [
            ("base_url", &config.base_url),
            ("plugin_id", &config.plugin_id),
            ("plugin_secret", &config.plugin_secret),
            ("project_key", &config.project_key),
            ("operator_user_key", &config.operator_user_key),
        ]
        .into_iter()
        .filter(|(_, value)| value.trim().is_empty())
        .map(|(name, _)| name)
        .collect::<Vec<_>>();
        if !missing.is_empty() {
            return Err(PmError::Rejected {
                system: SYSTEM,
                status: 0,
                message: format!("the connection lacks {}", missing.join(", ")),
            });
        }
        let client = Client::new(
            &config.base_url,
            &config.plugin_id,
            &config.plugin_secret,
            config.timeout,
            config.retry,
            config.pace,
        )?;
        Ok(FeishuProject { client, config })
    }
}

/// The work item an item names: `(type_key, id)` from `<type_key>:<id>`.
fn work_item(item: &ItemRef) -> Result<(&str, i64), PmError> {
    let Some(task) = item.task.as_deref() else {
        return Err(PmError::Unsupported {
            system: SYSTEM,
            what: "log hours on a space without a work item".into(),
        });
    };
    task.split_once(':')
        .and_then(|(kind, id)| Some((kind, id.trim().parse::<i64>().ok()?)))
        .filter(|(kind, _)| !kind.trim().is_empty())
        .ok_or_else(|| PmError::Rejected {
            system: SYSTEM,
            status: 0,
            message: format!("a work item is named `<type_key>:<id>`, not `{task}`"),
        })
}

#[async_trait]
impl Target for FeishuProject {
    fn kind(&self) -> TargetKind {
        TargetKind::FeishuProject
    }

    async fn test(&self) -> Result<TestReport, PmError> {
        self.client.token().await?;
        let projects = self.projects().await?;
        let operator = self.operator().await?;
        Ok(TestReport {
            account: operator,
            projects,
        })
    }

    async fn projects(&self) -> Result<Vec<Project>, PmError> {
        self.spaces().await
    }

    async fn users(&self) -> Result<Vec<PmUser>, PmError> {
        let keys = self.member_keys(&self.config.project_key).await?;
        self.user_details(&keys).await
    }

    async fn find_users(&self, query: &UserQuery) -> Result<Vec<PmUser>, PmError> {
        let text = query.text();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        match query {
            UserQuery::Email(email) => self.users_by_email(email.trim()).await,
            UserQuery::Login(login) => Ok(self
                .users()
                .await?
                .into_iter()
                .filter(|u| {
                    u.login
                        .as_deref()
                        .is_some_and(|l| l.eq_ignore_ascii_case(login.trim()))
                })
                .collect()),
            UserQuery::Name(name) => Ok(self
                .users()
                .await?
                .into_iter()
                .filter(|u| u.name == name.trim())
                .collect()),
        }
    }

    async fn open_tasks(&self, project: &Project) -> Result<Vec<Task>, PmError> {
        self.open_work_items(&project.id).await
    }

    async fn create_worklog(&self, worklog: &NewWorklog) -> Result<Worklog, PmError> {
        self.create_record(worklog).await
    }

    async fn find_worklog(
        &self,
        item: &ItemRef,
        date: NaiveDate,
        external_id: &ExternalId,
    ) -> Result<Option<Worklog>, PmError> {
        Ok(self
            .records(item)
            .await?
            .into_iter()
            .find(|w| w.date == date && w.external_id.as_ref() == Some(external_id)))
    }

    async fn update_worklog(
        &self,
        existing: &WorklogRef,
        worklog: &NewWorklog,
    ) -> Result<Worklog, PmError> {
        self.update_record(existing, worklog).await
    }

    async fn delete_worklog(&self, existing: &WorklogRef) -> Result<(), PmError> {
        self.delete_record(existing).await
    }

    async fn worklogs(&self, query: &WorklogQuery) -> Result<Vec<Worklog>, PmError> {
        let items: Vec<ItemRef> = if query.items.is_empty() {
            self.open_work_items(&self.config.project_key)
                .await?
                .into_iter()
                .map(|t| t.item)
                .collect()
        } else {
            query
                .items
                .iter()
                .filter(|i| i.task.is_some())
                .cloned()
                .collect()
        };
        let mut out = Vec::new();
        for item in &items {
            for w in self.records(item).await? {
                let in_range = query.first <= w.date && w.date <= query.last;
                let by_person = query.people.is_empty()
                    || w.person.as_ref().is_some_and(|p| query.people.contains(p));
                if in_range && by_person {
                    out.push(w);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_never_shows_in_debug() {
        let config = FeishuConfig::new(
            "https://project.feishu.cn/",
            "MII_1",
            "s3cr3t",
            "60acd5610444ba031b503055",
            "7000000000000000001",
        );
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cr3t"));
        assert!(shown.contains("[redacted]"));
        assert_eq!(config.base_url, "https://project.feishu.cn");
        assert_eq!(config.work_item_types, ["story", "task"]);
    }

    #[test]
    fn work_items_are_named_by_type_and_id() {
        let item = |task: Option<&str>| ItemRef {
            project: "pk".into(),
            task: task.map(str::to_owned),
        };
        assert_eq!(work_item(&item(Some("story:42"))).ok(), Some(("story", 42)));
        assert_eq!(
            work_item(&item(None)).err().map(|e| e.reason()),
            Some("unsupported")
        );
        assert_eq!(
            work_item(&item(Some("42"))).err().map(|e| e.reason()),
            Some("rejected")
        );
        assert_eq!(
            work_item(&item(Some("story:x"))).err().map(|e| e.reason()),
            Some("rejected")
        );
    }

    #[test]
    fn a_connection_without_credentials_is_refused() {
        let config = FeishuConfig::new("https://project.feishu.cn", "MII_1", " ", "pk", "");
        let error = FeishuProject::new(config).expect_err("incomplete");
        assert!(error
            .to_string()
            .contains("plugin_secret, operator_user_key"));
    }
}
