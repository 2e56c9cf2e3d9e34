//! Jira Cloud (REST v3) and Jira Data Center (REST v2).
//!
//! Jira cannot log work on behalf of another user: every worklog is the
//! connection account's, and the person is named in the comment. The
//! external id lives in a worklog property (`hourbridge`) and in the
//! comment's `[hb:…]` marker.

mod format;
mod wire;

use async_trait::async_trait;
use chrono::{FixedOffset, NaiveDate};
use reqwest::Method;
use serde_json::{json, Value};
use std::fmt;
use std::time::Duration;

use crate::http::{Answer, Call, Http, Pace, RetryPolicy};
use crate::{
    ExternalId, ItemRef, NewWorklog, PmError, PmUser, Project, Target, TargetKind, Task,
    TestReport, UserQuery, Worklog, WorklogQuery, WorklogRef,
};

const SYSTEM: &str = "Jira";
/// UTC+8, the default organisation offset.
const CHINA: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};
/// The worklog property that carries HourBridge's id.
pub const PROPERTY: &str = "hourbridge";
const PAGE: u32 = 100;
/// Guard against a server whose paging never ends.
const MAX_PAGES: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// REST v3, users by `accountId`, comments in ADF.
    Cloud,
    /// REST v2, users by `name`, comments as text.
    DataCenter,
}

#[derive(Clone)]
pub enum Auth {
    /// Cloud: e-mail + API token; Data Center: login + password.
    Basic { user: String, secret: String },
    /// Data Center personal access token.
    Bearer(String),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Basic { user, .. } => write!(f, "Basic({user}, [redacted])"),
            Auth::Bearer(_) => f.write_str("Bearer([redacted])"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct JiraConfig {
    /// `https://corp.atlassian.net` or `https://jira.corp/jira` (no trailing `/`).
    pub base_url: String,
    pub flavour: Flavour,
    pub auth: Auth,
    /// Offset of the organisation's time zone (worklogs start at 09:00 there).
    pub offset: FixedOffset,
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// Client-side pacing. Jira Cloud's limits are cost-based and
    /// unpublished; 20 calls a second keeps concurrent writers from running
    /// into `429`s on a default site (the simulator's default limit).
    pub pace: Option<Pace>,
}

/// HourBridge's default pace for a Jira connection.
pub const DEFAULT_CALLS_PER_SECOND: u32 = 20;

impl JiraConfig {
    pub fn new(base_url: &str, flavour: Flavour, auth: Auth) -> Self {
        JiraConfig {
            base_url: base_url.trim_end_matches('/').to_owned(),
            flavour,
            auth,
            offset: CHINA,
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            pace: Pace::per_second(DEFAULT_CALLS_PER_SECOND),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Jira {
    http: Http,
    config: JiraConfig,
}

/// Maps a non-success answer to a reason, in Jira's own words.
fn failure(answer: &Answer) -> PmError {
    let body: wire::ErrorBody = serde_json::from_slice(&answer.body).unwrap_or_default();
    let mut message = body.text();
    if message.is_empty() {
        message = crate::http::snippet(&answer.body);
    }
    if message.is_empty() {
        message = answer.status.to_string();
    }
    match answer.status.as_u16() {
        401 => PmError::Auth {
            system: SYSTEM,
            message,
        },
        404 => PmError::NotFound {
            system: SYSTEM,
            message,
        },
        status => PmError::Rejected {
            system: SYSTEM,
            status,
            message,
        },
    }
}

impl Jira {
    pub fn new(config: JiraConfig) -> Result<Self, PmError> {
        let http = Http::new(SYSTEM, config.timeout, config.retry)?.paced(config.pace);
        Ok(Jira { http, config })
    }

    fn api(&self, path: &str) -> String {
        let version = match self.config.flavour {
            Flavour::Cloud => 3,
            Flavour::DataCenter => 2,
        };
        format!("{}/rest/api/{version}{path}", self.config.base_url)
    }

    /// One call; `repeatable` when sending it twice cannot do harm.
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        repeatable: bool,
    ) -> Result<Answer, PmError> {
        let call = Call {
            method,
            url: self.api(path),
            query,
            body,
            repeatable,
        };
        self.http
            .call(
                call,
                |request| match &self.config.auth {
                    Auth::Basic { user, secret } => request.basic_auth(user, Some(secret)),
                    Auth::Bearer(token) => request.bearer_auth(token),
                },
                failure,
            )
            .await
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, PmError> {
        self.call(Method::GET, path, query, None, true)
            .await?
            .json(SYSTEM)
    }

    fn user(&self, u: wire::User) -> Option<PmUser> {
        let id = match self.config.flavour {
            Flavour::Cloud => u.account_id.clone()?,
            Flavour::DataCenter => u.name.clone().or_else(|| u.key.clone())?,
        };
        Some(PmUser {
            login: u.name.clone(),
            name: u.display_name.clone().unwrap_or_else(|| id.clone()),
            email: u.email_address.clone(),
            mobile: None,
            active: u.active,
            id,
        })
    }

    fn comment(&self, text: &str) -> Value {
        match self.config.flavour {
            Flavour::Cloud => format::adf(text),
            Flavour::DataCenter => Value::String(text.to_owned()),
        }
    }

    fn worklog_body(&self, w: &NewWorklog) -> Value {
        json!({
            "started": format::started(w.date, self.config.offset),
            "timeSpentSeconds": u64::from(w.minutes) * 60,
            "comment": self.comment(&w.external_id.tag(&w.comment)),
            "properties": [{
                "key": PROPERTY,
                "value": {"externalId": w.external_id.as_str()},
            }],
        })
    }

    fn worklog(&self, item: &ItemRef, w: wire::Worklog) -> Result<Worklog, PmError> {
        let date = format::started_date(&w.started, self.config.offset).ok_or_else(|| {
            PmError::Malformed {
                system: SYSTEM,
                path: "started".into(),
                detail: format!("not a Jira time: {}", w.started),
                snippet: String::new(),
            }
        })?;
        let comment = format::comment_text(&w.comment);
        let from_property = w
            .properties
            .iter()
            .find(|p| p.key == PROPERTY)
            .and_then(|p| p.value.get("externalId"))
            .and_then(Value::as_str)
            .and_then(ExternalId::parse);
        Ok(Worklog {
            id: w.id,
            item: item.clone(),
            person: w.author.and_then(|a| self.user(a)).map(|u| u.id),
            date,
            minutes: u32::try_from(w.time_spent_seconds / 60).unwrap_or(u32::MAX),
            external_id: from_property.or_else(|| ExternalId::find_in(&comment)),
            comment,
        })
    }

    fn issue_of(item: &ItemRef) -> Result<&str, PmError> {
        item.task.as_deref().ok_or_else(|| PmError::Unsupported {
            system: SYSTEM,
            what: "log work on a project without an issue".into(),
        })
    }

    /// Worklogs of one issue started on `first..=last`, all pages.
    async fn issue_worklogs(
        &self,
        item: &ItemRef,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<Worklog>, PmError> {
        let issue = Self::issue_of(item)?;
        let (Some((after, _)), Some((_, before))) = (
            format::day_bounds_ms(first, self.config.offset),
            format::day_bounds_ms(last, self.config.offset),
        ) else {
            return Ok(Vec::new());
        };
        let path = format!("/issue/{issue}/worklog");
        let mut out = Vec::new();
        let mut start = 0u64;
        for _ in 0..MAX_PAGES {
            let page: wire::OffsetPage<wire::Worklog> = self
                .get(
                    &path,
                    &[
                        ("startedAfter", (after - 1).to_string()),
                        ("startedBefore", (before + 1).to_string()),
                        ("startAt", start.to_string()),
                        ("maxResults", "5000".into()),
                        ("expand", "properties".into()),
                    ],
                )
                .await?;
            let got = page.items.len() as u64;
            for w in page.items {
                let w = self.worklog(item, w)?;
                if first <= w.date && w.date <= last {
                    out.push(w);
                }
            }
            start = page.start_at + got;
            let total = page.total.unwrap_or(start);
            if got == 0 || start >= total {
                break;
            }
        }
        Ok(out)
    }

    /// Issues matching `jql`, all pages, in the flavour's paging style.
    async fn search(&self, jql: &str, fields: &[&str]) -> Result<Vec<wire::Issue>, PmError> {
        let mut out = Vec::new();
        match self.config.flavour {
            Flavour::Cloud => {
                let mut token: Option<String> = None;
                for _ in 0..MAX_PAGES {
                    let body = json!({
                        "jql": jql,
                        "fields": fields,
                        "maxResults": PAGE,
                        "nextPageToken": token,
                    });
                    let page: wire::TokenPage = self
                        .call(Method::POST, "/search/jql", &[], Some(&body), true)
                        .await?
                        .json(SYSTEM)?;
                    out.extend(page.issues);
                    match page.next_page_token {
                        Some(next)
                            if page.is_last != Some(true) && Some(&next) != token.as_ref() =>
                        {
                            token = Some(next)
                        }
                        _ => break,
                    }
                }
            }
            Flavour::DataCenter => {
                let mut start = 0u64;
                for _ in 0..MAX_PAGES {
                    let page: wire::OffsetPage<wire::Issue> = self
                        .get(
                            "/search",
                            &[
                                ("jql", jql.to_owned()),
                                ("fields", fields.join(",")),
                                ("startAt", start.to_string()),
                                ("maxResults", PAGE.to_string()),
                            ],
                        )
                        .await?;
                    let got = page.items.len() as u64;
                    out.extend(page.items);
                    start = page.start_at + got;
                    if got == 0 || start >= page.total.unwrap_or(start) {
                        break;
                    }
                }
            }
        }
        Ok(out)
    }
}

/// A JQL string literal.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[async_trait]
impl Target for Jira {
    fn kind(&self) -> TargetKind {
        match self.config.flavour {
            Flavour::Cloud => TargetKind::JiraCloud,
            Flavour::DataCenter => TargetKind::JiraDataCenter,
        }
    }

    async fn test(&self) -> Result<TestReport, PmError> {
        let me: wire::User = self.get("/myself", &[]).await?;
        let account = me
            .display_name
            .clone()
            .or(me.email_address.clone())
            .or(me.name.clone())
            .unwrap_or_default();
        // An account that may not log work anywhere would fail every write:
        // say so now, in the test, rather than on the first sync.
        let held: wire::MyPermissions = self
            .get(
                "/mypermissions",
                &[("permissions", "WORK_ON_ISSUES".to_owned())],
            )
            .await?;
        let may_work = held
            .permissions
            .get("WORK_ON_ISSUES")
            .is_some_and(|p| p.have_permission);
        if !may_work {
            return Err(PmError::Auth {
                system: SYSTEM,
                message: format!(
                    "{account} may not log work in any project: grant it Jira's \"Work on issues\" permission"
                ),
            });
        }
        Ok(TestReport {
            account,
            projects: self.projects().await?,
        })
    }

    async fn projects(&self) -> Result<Vec<Project>, PmError> {
        let list: Vec<wire::Project> = match self.config.flavour {
            Flavour::DataCenter => self.get("/project", &[]).await?,
            Flavour::Cloud => {
                let mut out = Vec::new();
                for _ in 0..MAX_PAGES {
                    let page: wire::ProjectPage = self
                        .get(
                            "/project/search",
                            &[
                                ("startAt", out.len().to_string()),
                                ("maxResults", PAGE.to_string()),
                            ],
                        )
                        .await?;
                    let got = page.values.len();
                    out.extend(page.values);
                    let done = page.is_last.unwrap_or(got == 0)
                        || got == 0
                        || page.total.is_some_and(|t| out.len() as u64 >= t);
                    if done {
                        break;
                    }
                }
                out
            }
        };
        Ok(list
            .into_iter()
            .map(|p| Project {
                id: p.id,
                key: p.key,
                name: p.name,
            })
            .collect())
    }

    async fn users(&self) -> Result<Vec<PmUser>, PmError> {
        let mut out = Vec::new();
        let (path, query_key, query_value) = match self.config.flavour {
            Flavour::Cloud => ("/users/search", None, String::new()),
            // "." matches every login on Data Center's user search.
            Flavour::DataCenter => ("/user/search", Some("username"), ".".to_owned()),
        };
        let mut start = 0usize;
        for _ in 0..MAX_PAGES {
            let mut query = vec![
                ("startAt", start.to_string()),
                ("maxResults", "1000".to_owned()),
            ];
            if let Some(key) = query_key {
                query.push((key, query_value.clone()));
            }
            let page: Vec<wire::User> = self.get(path, &query).await?;
            let got = page.len();
            out.extend(page.into_iter().filter_map(|u| self.user(u)));
            start += got;
            if got < 1000 {
                break;
            }
        }
        Ok(out)
    }

    async fn find_users(&self, query: &UserQuery) -> Result<Vec<PmUser>, PmError> {
        let text = query.text();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let (path, param) = match self.config.flavour {
            Flavour::Cloud => ("/user/search", "query"),
            Flavour::DataCenter => ("/user/search", "username"),
        };
        let found: Vec<wire::User> = self
            .get(
                path,
                &[(param, text.to_owned()), ("maxResults", "100".into())],
            )
            .await?;
        let same = |a: &Option<String>| a.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(text));
        Ok(found
            .into_iter()
            .filter(|u| match query {
                UserQuery::Email(_) => same(&u.email_address),
                UserQuery::Login(_) => same(&u.name),
                UserQuery::Name(_) => u.display_name.as_deref() == Some(text),
            })
            .filter_map(|u| self.user(u))
            .collect())
    }

    async fn open_tasks(&self, project: &Project) -> Result<Vec<Task>, PmError> {
        let jql = format!(
            "project = {} AND statusCategory != Done ORDER BY key",
            quoted(&project.key)
        );
        let issues = self
            .search(&jql, &["summary", "assignee", "status"])
            .await?;
        Ok(issues
            .into_iter()
            .map(|i| Task {
                item: ItemRef {
                    project: project.key.clone(),
                    task: Some(i.key),
                },
                title: i.fields.summary,
                assignee: i.fields.assignee.and_then(|a| self.user(a)).map(|u| u.id),
                status: i.fields.status.map(|s| s.name).unwrap_or_default(),
            })
            .collect())
    }

    async fn create_worklog(&self, worklog: &NewWorklog) -> Result<Worklog, PmError> {
        let issue = Self::issue_of(&worklog.item)?;
        let body = self.worklog_body(worklog);
        let answer = self
            .call(
                Method::POST,
                &format!("/issue/{issue}/worklog"),
                &[
                    ("adjustEstimate", "leave".into()),
                    ("notifyUsers", "false".into()),
                    ("expand", "properties".into()),
                ],
                Some(&body),
                false,
            )
            .await?;
        self.worklog(&worklog.item, answer.json(SYSTEM)?)
    }

    async fn find_worklog(
        &self,
        item: &ItemRef,
        date: NaiveDate,
        external_id: &ExternalId,
    ) -> Result<Option<Worklog>, PmError> {
        Ok(self
            .issue_worklogs(item, date, date)
            .await?
            .into_iter()
            .find(|w| w.external_id.as_ref() == Some(external_id)))
    }

    async fn update_worklog(
        &self,
        existing: &WorklogRef,
        worklog: &NewWorklog,
    ) -> Result<Worklog, PmError> {
        let issue = Self::issue_of(&existing.item)?;
        let body = self.worklog_body(worklog);
        let answer = self
            .call(
                Method::PUT,
                &format!("/issue/{issue}/worklog/{}", existing.id),
                &[
                    ("adjustEstimate", "leave".into()),
                    ("notifyUsers", "false".into()),
                    ("expand", "properties".into()),
                ],
                Some(&body),
                true,
            )
            .await?;
        self.worklog(&existing.item, answer.json(SYSTEM)?)
    }

    async fn delete_worklog(&self, existing: &WorklogRef) -> Result<(), PmError> {
        let issue = Self::issue_of(&existing.item)?;
        let result = self
            .call(
                Method::DELETE,
                &format!("/issue/{issue}/worklog/{}", existing.id),
                &[
                    ("adjustEstimate", "leave".into()),
                    ("notifyUsers", "false".into()),
                ],
                None,
                true,
            )
            .await;
        match result {
            // Already gone (a repeated delete): the goal holds.
            Ok(_) | Err(PmError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn worklogs(&self, query: &WorklogQuery) -> Result<Vec<Worklog>, PmError> {
        let items: Vec<ItemRef> = if query.items.is_empty() {
            let jql = format!(
                "worklogDate >= {} AND worklogDate <= {} ORDER BY key",
                quoted(&query.first.format("%Y-%m-%d").to_string()),
                quoted(&query.last.format("%Y-%m-%d").to_string())
            );
            self.search(&jql, &["summary"])
                .await?
                .into_iter()
                .map(|i| ItemRef {
                    project: i.key.split('-').next().unwrap_or_default().to_owned(),
                    task: Some(i.key),
                })
                .collect()
        } else {
            query.items.clone()
        };
        let mut out = Vec::new();
        for item in &items {
            out.extend(
                self.issue_worklogs(item, query.first, query.last)
                    .await?
                    .into_iter()
                    .filter(|w| {
                        query.people.is_empty()
                            || w.person.as_ref().is_some_and(|p| query.people.contains(p))
                    }),
            );
        }
        Ok(out)
    }
}
