//! ZenTao (禅道) RESTful API v1 (`/api.php/v1`, `Token` header).
//!
//! ZenTao records an effort (工时) under the account whose token made the
//! call: HourBridge either logs in as each person ([`RecordAs::PersonalAccount`])
//! or records under the connection's account and names the person in the
//! work text ([`RecordAs::ConnectionAccount`]). Efforts live on tasks only,
//! carry no external id (the `[hb:…]` marker goes into the work text), and
//! cannot be edited or deleted over the API: HourBridge's own ledger is the
//! guard against writing twice.
//!
//! - [`config`]: the connection and how hours are recorded;
//! - `client`: tokens, the one re-login after a 401, paging;
//! - `effort`: the record body, the task's remaining hours, efforts as worklogs;
//! - `people`, `tasks`: users, projects, executions and tasks;
//! - `wire`: ZenTao's loosely typed JSON.

mod client;
pub mod config;
mod effort;
mod failure;
mod people;
mod tasks;
mod tokens;
mod wire;

use async_trait::async_trait;
use chrono::NaiveDate;
use reqwest::Method;

use crate::http::Http;
use crate::{
    Capabilities, ExternalId, ItemRef, NewWorklog, OnBehalfOf, PmError, PmUser, Project, Target,
    TargetKind, Task, TestReport, UserQuery, Worklog, WorklogQuery, WorklogRef,
};

use client::{Client, Login, Request};
pub use config::{RecordAs, ZentaoConfig};

const SYSTEM: &str = "ZenTao";

/// A connection to one ZenTao.
#[derive(Debug)]
pub struct Zentao {
    config: ZentaoConfig,
    client: Client,
    people: people::People,
}

impl Zentao {
    pub fn new(config: ZentaoConfig) -> Result<Self, PmError> {
        if config.account.trim().is_empty() {
            return Err(PmError::Auth {
                system: SYSTEM,
                message: "no account given".into(),
            });
        }
        let http = Http::new(SYSTEM, config.timeout, config.retry)?;
        let client = Client::new(http, config.api_root());
        Ok(Zentao {
            config,
            client,
            people: people::People::default(),
        })
    }

    /// The connection's own account.
    fn connection(&self) -> Login<'_> {
        Login {
            account: &self.config.account,
            password: &self.config.password,
        }
    }

    /// Who records `person`'s hours, and whom the work text names.
    fn recorder<'a>(&'a self, person: &'a str) -> Result<(Login<'a>, Option<&'a str>), PmError> {
        let person = person.trim();
        match self.config.record_as {
            RecordAs::ConnectionAccount => {
                let naming = (!person.is_empty()
                    && !person.eq_ignore_ascii_case(&self.config.account))
                .then_some(person);
                Ok((self.connection(), naming))
            }
            RecordAs::PersonalAccount if person.eq_ignore_ascii_case(&self.config.account) => {
                Ok((self.connection(), None))
            }
            RecordAs::PersonalAccount => {
                let password = self
                    .config
                    .personal_passwords
                    .iter()
                    .find(|(account, _)| account.trim().eq_ignore_ascii_case(person))
                    .map(|(_, password)| password.as_str());
                match password {
                    Some(password) => Ok((
                        Login {
                            account: person,
                            password,
                        },
                        None,
                    )),
                    None => Err(PmError::Unsupported {
                        system: SYSTEM,
                        what: format!(
                            "record hours as {person}: ZenTao records effort only under the account that logs in, and no password is stored for {person}; add it to the connection's personal passwords, or record under the connection's account"
                        ),
                    }),
                }
            }
        }
    }

    /// The task id of an item (ZenTao records effort on tasks only).
    fn task_id(item: &ItemRef) -> Result<u64, PmError> {
        match &item.task {
            Some(task) => tasks::numeric(task),
            None => Err(PmError::Unsupported {
                system: SYSTEM,
                what: format!(
                    "record hours on project {} itself: ZenTao records effort on tasks only; choose a task",
                    item.project
                ),
            }),
        }
    }

    /// The efforts recorded on a task, deleted ones left out.
    async fn efforts(&self, login: Login<'_>, task_id: u64) -> Result<Vec<wire::Effort>, PmError> {
        let answer = self
            .client
            .call(
                login,
                Request::get(&format!("/tasks/{task_id}/estimate"), &[]),
            )
            .await?;
        let list: wire::EffortList = answer.json(SYSTEM)?;
        let efforts = list
            .efforts()
            .map_err(|(path, detail)| PmError::Malformed {
                system: SYSTEM,
                path,
                detail,
                snippet: crate::http::snippet(&answer.body),
            })?;
        Ok(efforts.into_iter().filter(|e| !e.deleted).collect())
    }

    /// The newest live effort on the item's task, on `date`, carrying
    /// `external_id` (and recorded by `account`, when given).
    async fn find_effort(
        &self,
        login: Login<'_>,
        item: &ItemRef,
        date: NaiveDate,
        external_id: &ExternalId,
        account: Option<&str>,
    ) -> Result<Option<Worklog>, PmError> {
        let task_id = Self::task_id(item)?;
        let mut found: Option<Worklog> = None;
        let mut newest = 0;
        for e in self.efforts(login, task_id).await? {
            if ExternalId::find_in(&e.work).as_ref() != Some(external_id)
                || account.is_some_and(|a| !a.eq_ignore_ascii_case(&e.account))
                || effort::day_of(&e)? != date
                || e.id < newest
            {
                continue;
            }
            newest = e.id;
            found = Some(effort::worklog(item, &e)?);
        }
        Ok(found)
    }

    /// Whether an effort belongs to one of `people` (empty: everyone):
    /// recorded by them, or recorded under the connection's account naming them.
    fn belongs(&self, e: &wire::Effort, people: &[String]) -> bool {
        if people.is_empty() {
            return true;
        }
        let by_connection = self.config.record_as == RecordAs::ConnectionAccount
            && e.account.eq_ignore_ascii_case(&self.config.account);
        let named = effort::named_person(&e.work);
        people.iter().any(|p| {
            p.eq_ignore_ascii_case(&e.account)
                || (by_connection && named.is_some_and(|n| n.eq_ignore_ascii_case(p)))
        })
    }

    /// The tasks to reconcile: the items given, else every task of every
    /// project that has hours on it.
    async fn items_to_read(&self, query: &WorklogQuery) -> Result<Vec<ItemRef>, PmError> {
        let mut items: Vec<ItemRef> = Vec::new();
        if query.items.is_empty() {
            for project in tasks::projects(&self.client, self.connection()).await? {
                for task in tasks::of_project(&self.client, self.connection(), &project.id).await? {
                    // A task listed with 0 consumed has no effort to read.
                    if task.consumed == Some(0.0) || task.is_parent() {
                        continue;
                    }
                    items.push(ItemRef {
                        project: project.id.clone(),
                        task: Some(task.id.to_string()),
                    });
                }
            }
        } else {
            // Items without a task hold no effort in ZenTao.
            items = query
                .items
                .iter()
                .filter(|i| i.task.is_some())
                .cloned()
                .collect();
        }
        let mut seen = std::collections::HashSet::new();
        items.retain(|i| seen.insert(i.task.clone()));
        Ok(items)
    }
}

#[async_trait]
impl Target for Zentao {
    fn kind(&self) -> TargetKind {
        TargetKind::Zentao
    }

    /// Recording under the connection's account names the person in the
    /// text only, as Jira does; personal accounts need each password.
    fn capabilities(&self) -> Capabilities {
        let mut capabilities = Capabilities::of(TargetKind::Zentao);
        capabilities.on_behalf_of = match self.config.record_as {
            RecordAs::PersonalAccount => OnBehalfOf::PersonalCredentials,
            RecordAs::ConnectionAccount => OnBehalfOf::AccountOnly,
        };
        capabilities
    }

    async fn test(&self) -> Result<TestReport, PmError> {
        let me: wire::Me = self.client.get(self.connection(), "/user", &[]).await?;
        Ok(TestReport {
            account: me.profile.account,
            projects: self.projects().await?,
        })
    }

    async fn projects(&self) -> Result<Vec<Project>, PmError> {
        tasks::projects(&self.client, self.connection()).await
    }

    async fn users(&self) -> Result<Vec<PmUser>, PmError> {
        self.people.read(&self.client, self.connection()).await
    }

    async fn find_users(&self, query: &UserQuery) -> Result<Vec<PmUser>, PmError> {
        self.people
            .find(&self.client, self.connection(), query)
            .await
    }

    async fn open_tasks(&self, project: &Project) -> Result<Vec<Task>, PmError> {
        let all = tasks::of_project(&self.client, self.connection(), &project.id).await?;
        Ok(all
            .into_iter()
            .filter(|t| t.is_open() && !t.is_parent())
            .map(|t| Task {
                item: ItemRef {
                    project: project.id.clone(),
                    task: Some(t.id.to_string()),
                },
                title: t.name,
                assignee: t.assigned_to.account().map(str::to_owned),
                status: t.status,
            })
            .collect())
    }

    async fn create_worklog(&self, w: &NewWorklog) -> Result<Worklog, PmError> {
        let task_id = Self::task_id(&w.item)?;
        let (recorder, naming) = self.recorder(&w.person)?;
        let task: wire::Task = self
            .client
            .get(self.connection(), &format!("/tasks/{task_id}"), &[])
            .await?;
        let consumed = effort::hours(w.minutes);
        let left = effort::left_after(task.left, task.is_open(), consumed);
        let work = effort::work_text(w, naming);
        let body = effort::body(task_id, w.date, consumed, left, &work);
        let path = format!("/tasks/{task_id}/estimate");
        // Answered with the task, not the effort: the effort is read back.
        self.client
            .call(
                recorder,
                Request {
                    method: Method::POST,
                    path: &path,
                    query: &[],
                    body: Some(&body),
                    repeatable: false,
                },
            )
            .await?;
        self.find_effort(
            recorder,
            &w.item,
            w.date,
            &w.external_id,
            Some(recorder.account),
        )
        .await?
        .ok_or_else(|| PmError::Malformed {
            system: SYSTEM,
            path: format!("GET {path}"),
            detail: format!(
                "ZenTao accepted the effort but does not list it (looked for {} on {})",
                w.external_id.marker(),
                w.date
            ),
            snippet: String::new(),
        })
    }

    async fn find_worklog(
        &self,
        item: &ItemRef,
        date: NaiveDate,
        external_id: &ExternalId,
    ) -> Result<Option<Worklog>, PmError> {
        self.find_effort(self.connection(), item, date, external_id, None)
            .await
    }

    async fn update_worklog(&self, _: &WorklogRef, _: &NewWorklog) -> Result<Worklog, PmError> {
        Err(PmError::Unsupported {
            system: SYSTEM,
            what: "change a recorded effort: its REST API has no edit for efforts (only the web page, which needs a browser session); change it in ZenTao under the task's 工时".into(),
        })
    }

    async fn delete_worklog(&self, _: &WorklogRef) -> Result<(), PmError> {
        Err(PmError::Unsupported {
            system: SYSTEM,
            what: "delete a recorded effort: its REST API has no delete for efforts (only the web page, which needs a browser session); delete it in ZenTao under the task's 工时".into(),
        })
    }

    async fn worklogs(&self, query: &WorklogQuery) -> Result<Vec<Worklog>, PmError> {
        let mut out = Vec::new();
        for item in self.items_to_read(query).await? {
            let task_id = Self::task_id(&item)?;
            for e in self.efforts(self.connection(), task_id).await? {
                let day = effort::day_of(&e)?;
                if day < query.first || day > query.last || !self.belongs(&e, &query.people) {
                    continue;
                }
                out.push(effort::worklog(&item, &e)?);
            }
        }
        Ok(out)
    }
}
