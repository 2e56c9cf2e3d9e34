//! TAPD open API (`https://api.tapd.cn` or a private deployment), with the
//! company's API account over HTTP Basic.
//!
//! - Projects are the company's workspaces; users are the company's members,
//!   named by their nick (what TAPD's `owner` fields hold).
//! - Hours go on a story, task or bug as a timesheet (花费工时) whose
//!   `owner` is the person: the company API account may write for anyone.
//! - TAPD keeps one timesheet per (item, day, owner): a create refused
//!   because that record exists becomes an update of it when it carries the
//!   same `[hb:…]` marker, so a retry never adds hours twice. A record
//!   someone typed in by hand is left alone (the create fails, saying so).
//! - The remaining estimate (`timeremain`) is never sent: HourBridge does not
//!   know it, and sending 0 would zero the task's remaining work.

mod config;
mod envelope;
mod hours;
mod item;
mod reconcile;
mod timesheets;
mod wire;

use async_trait::async_trait;
use chrono::NaiveDate;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::http::{Answer, Call, Http};
use crate::{
    ExternalId, ItemRef, NewWorklog, PmError, PmUser, Project, Target, TargetKind, Task,
    TestReport, UserQuery, Worklog, WorklogQuery, WorklogRef,
};

pub use config::{TapdConfig, DEFAULT_CALLS_PER_SECOND, MAX_ROWS_PER_QUERY};
pub use item::{Entity, EntityType};

const SYSTEM: &str = "TAPD";
/// Rows asked for per page (TAPD's maximum).
const PAGE: usize = 200;
/// Task statuses that are still open (TAPD's fixed task workflow:
/// 未开始, 进行中; `done` is 已完成).
const OPEN_TASKS: &str = "open|progressing";
/// Story statuses that are still open in TAPD's default story workflow
/// (规划中, 实现中; `resolved` 已实现 and `rejected` 已拒绝 are not).
/// Stories in a workspace's own workflow states (`status_3`…) are not
/// listed.
const OPEN_STORIES: &str = "planning|developing";

#[derive(Debug)]
pub struct Tapd {
    http: Http,
    config: TapdConfig,
}

/// Rows of one paged list, and whether TAPD's depth limit cut it short.
struct Pages<R> {
    rows: Vec<R>,
    cut: bool,
}

/// The first nick of an `owner` list (`"alice;bob;"` → `alice`).
fn first_owner(owners: &str) -> Option<String> {
    owners
        .split([';', ','])
        .map(str::trim)
        .find(|o| !o.is_empty())
        .map(str::to_owned)
}

fn user(m: wire::Member) -> PmUser {
    PmUser {
        name: if m.name.trim().is_empty() {
            m.user.clone()
        } else {
            m.name.trim().to_owned()
        },
        login: Some(m.user.clone()),
        email: Some(m.email.trim().to_owned()).filter(|e| !e.is_empty()),
        id: m.user,
        mobile: None,
        active: true,
    }
}

impl Tapd {
    pub fn new(config: TapdConfig) -> Result<Self, PmError> {
        let http = Http::new(SYSTEM, config.timeout, config.retry)?.paced(config.pace);
        Ok(Tapd { http, config })
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        repeatable: bool,
    ) -> Result<Answer, PmError> {
        let call = Call {
            method,
            url: format!("{}{path}", self.config.base_url),
            query,
            body,
            repeatable,
        };
        self.http
            .call(
                call,
                |request| {
                    request.basic_auth(&self.config.api_user, Some(&self.config.api_password))
                },
                envelope::failure,
            )
            .await
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, PmError> {
        let answer = self.send(Method::GET, path, query, None, true).await?;
        envelope::data(&answer)
    }

    async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &Value,
        repeatable: bool,
    ) -> Result<T, PmError> {
        let answer = self
            .send(Method::POST, path, &[], Some(body), repeatable)
            .await?;
        envelope::data(&answer)
    }

    /// Every page of a list: `limit=200&page=N` until a page has fewer rows,
    /// or until TAPD's depth limit (then `cut`).
    async fn pages<R: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Pages<R>, PmError> {
        let last_page = (self.config.max_rows_per_query / PAGE).max(1);
        let mut rows = Vec::new();
        for page in 1..=last_page {
            let mut q = query.to_vec();
            q.push(("limit", PAGE.to_string()));
            q.push(("page", page.to_string()));
            let got: Vec<R> = self.get(path, &q).await?;
            let full = got.len() >= PAGE;
            rows.extend(got);
            if !full {
                return Ok(Pages { rows, cut: false });
            }
        }
        Ok(Pages { rows, cut: true })
    }

    /// Open items of one kind in a workspace.
    async fn open_items<R: DeserializeOwned>(
        &self,
        path: &str,
        workspace: &str,
        statuses: &str,
    ) -> Result<Vec<R>, PmError> {
        let query = [
            ("workspace_id", workspace.to_owned()),
            ("status", statuses.to_owned()),
            ("fields", "id,name,owner,status".to_owned()),
            ("order", "id asc".to_owned()),
        ];
        let pages = self.pages(path, &query).await?;
        if pages.cut {
            tracing::warn!(
                workspace,
                path,
                rows = pages.rows.len(),
                "TAPD lists no more open items than this; the rest are not offered"
            );
        }
        Ok(pages.rows)
    }

    fn task(workspace: &str, kind: EntityType, i: wire::WorkItem) -> Task {
        let entity = Entity {
            workspace: workspace.to_owned(),
            kind,
            id: i.id,
        };
        Task {
            item: entity.item(),
            title: i.name,
            assignee: first_owner(&i.owner),
            status: i.status,
        }
    }

    async fn members(&self, only: Option<&str>) -> Result<Vec<wire::Member>, PmError> {
        let mut query = vec![
            ("workspace_id", self.config.company_id.clone()),
            ("fields", "user,user_id,name,email".to_owned()),
        ];
        if let Some(nick) = only {
            query.push(("user", nick.to_owned()));
        }
        let rows: Vec<wire::MemberRow> = self.get("/workspaces/users", &query).await?;
        Ok(rows.into_iter().map(|r| r.member).collect())
    }
}

#[async_trait]
impl Target for Tapd {
    fn kind(&self) -> TargetKind {
        TargetKind::Tapd
    }

    async fn test(&self) -> Result<TestReport, PmError> {
        let me: wire::TestAuth = self.get("/quickstart/testauth", &[]).await?;
        Ok(TestReport {
            account: if me.api_user.is_empty() {
                self.config.api_user.clone()
            } else {
                me.api_user
            },
            projects: self.projects().await?,
        })
    }

    /// The company's project workspaces, closed ones left out (the company
    /// itself and programmes are listed by TAPD too, and left out).
    async fn projects(&self) -> Result<Vec<Project>, PmError> {
        let rows: Vec<wire::WorkspaceRow> = self
            .get(
                "/workspaces/projects",
                &[("company_id", self.config.company_id.clone())],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| r.workspace)
            .filter(|w| matches!(w.category.as_str(), "" | "project" | "mini_project"))
            .filter(|w| w.status != "closed")
            .map(|w| Project {
                key: w.id.clone(),
                name: if w.name.is_empty() {
                    w.id.clone()
                } else {
                    w.name
                },
                id: w.id,
            })
            .collect())
    }

    /// The company's members (one call: TAPD does not page it).
    async fn users(&self) -> Result<Vec<PmUser>, PmError> {
        Ok(self.members(None).await?.into_iter().map(user).collect())
    }

    async fn find_users(&self, query: &UserQuery) -> Result<Vec<PmUser>, PmError> {
        let text = query.text();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let members = match query {
            UserQuery::Login(nick) if !nick.contains(',') => self.members(Some(text)).await?,
            _ => self.members(None).await?,
        };
        Ok(members
            .into_iter()
            .map(user)
            .filter(|u| match query {
                UserQuery::Email(_) => u
                    .email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(text)),
                UserQuery::Login(_) => u.id == text,
                UserQuery::Name(_) => u.name == text,
            })
            .collect())
    }

    /// Open tasks (`open|progressing`) and open stories
    /// (`planning|developing`) of a workspace; the assignee is the first
    /// owner.
    async fn open_tasks(&self, project: &Project) -> Result<Vec<Task>, PmError> {
        let workspace = item::workspace(&ItemRef {
            project: project.id.clone(),
            task: None,
        })?;
        let tasks: Vec<wire::TaskRow> = self.open_items("/tasks", &workspace, OPEN_TASKS).await?;
        let stories: Vec<wire::StoryRow> = self
            .open_items("/stories", &workspace, OPEN_STORIES)
            .await?;
        Ok(tasks
            .into_iter()
            .map(|r| Self::task(&workspace, EntityType::Task, r.item))
            .chain(
                stories
                    .into_iter()
                    .map(|r| Self::task(&workspace, EntityType::Story, r.item)),
            )
            .collect())
    }

    async fn create_worklog(&self, worklog: &NewWorklog) -> Result<Worklog, PmError> {
        self.create(worklog).await
    }

    async fn find_worklog(
        &self,
        item: &ItemRef,
        date: NaiveDate,
        external_id: &ExternalId,
    ) -> Result<Option<Worklog>, PmError> {
        self.find(item, date, external_id).await
    }

    async fn update_worklog(
        &self,
        existing: &WorklogRef,
        worklog: &NewWorklog,
    ) -> Result<Worklog, PmError> {
        self.update(existing, worklog).await
    }

    async fn delete_worklog(&self, existing: &WorklogRef) -> Result<(), PmError> {
        self.delete(existing).await
    }

    async fn worklogs(&self, query: &WorklogQuery) -> Result<Vec<Worklog>, PmError> {
        self.list(query).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_owner_is_the_assignee() {
        assert_eq!(first_owner("alice;bob;").as_deref(), Some("alice"));
        assert_eq!(first_owner(" ;bob").as_deref(), Some("bob"));
        assert_eq!(first_owner(""), None);
        assert_eq!(first_owner(";"), None);
    }
}
