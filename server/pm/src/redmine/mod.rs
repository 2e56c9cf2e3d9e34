//! Redmine 5 (REST API, `.json` paths, `X-Redmine-API-Key`).
//!
//! Hours are written for the person with `user_id` (the account needs *Log
//! time for other users*) or, with an administrator's key, as the person with
//! `X-Redmine-Switch-User`. HourBridge's id goes into a time-entry custom
//! field when one is configured, and always into the comment's marker.

mod wire;

use async_trait::async_trait;
use chrono::NaiveDate;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::OnceCell;

use crate::http::{snippet, Answer, Call, Http, RetryPolicy};
use crate::{
    ExternalId, ItemRef, NewWorklog, PmError, PmUser, Project, Target, TargetKind, Task,
    TestReport, UserQuery, Worklog, WorklogQuery, WorklogRef,
};

const SYSTEM: &str = "Redmine";
const PAGE: u64 = 100;
const MAX_PAGES: usize = 10_000;
/// Redmine's limit on `comments`.
const MAX_COMMENT_CHARS: usize = 1024;

/// How a worklog is written for someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnBehalf {
    /// `user_id` in the entry (permission *Log time for other users*).
    UserId,
    /// `X-Redmine-Switch-User: <login>` (administrator key).
    SwitchUser,
}

#[derive(Clone)]
pub struct RedmineConfig {
    /// `https://redmine.corp` (no trailing `/`).
    pub base_url: String,
    pub api_key: String,
    pub on_behalf: OnBehalf,
    /// The activity for entries (`None`: Redmine's default activity).
    pub activity_id: Option<u64>,
    /// The time-entry custom field holding HourBridge's id, if an admin made one.
    pub external_id_field: Option<u64>,
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

impl fmt::Debug for RedmineConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedmineConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &"[redacted]")
            .field("on_behalf", &self.on_behalf)
            .field("activity_id", &self.activity_id)
            .field("external_id_field", &self.external_id_field)
            .finish()
    }
}

impl RedmineConfig {
    pub fn new(base_url: &str, api_key: &str) -> Self {
        RedmineConfig {
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key: api_key.to_owned(),
            on_behalf: OnBehalf::UserId,
            activity_id: None,
            external_id_field: None,
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

#[derive(Debug)]
pub struct Redmine {
    http: Http,
    config: RedmineConfig,
    /// user id → login, for `X-Redmine-Switch-User`.
    logins: Mutex<HashMap<String, String>>,
    /// The account, checked once before the first read: Redmine answers
    /// reads with an unknown key as the anonymous user (public projects,
    /// no entries) instead of refusing them.
    account: OnceCell<String>,
    /// The activity entries are written under, when none is configured.
    activity: OnceCell<u64>,
}

/// What a `403` means for the call that got it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Forbidden {
    /// `/users/current.json`: a valid key is refused only when the REST API is off.
    WhoAmI,
    /// `/users.json`: administrators only.
    Users,
    /// Anything else: the role lacks the permission.
    Permission,
}

fn failure(answer: &Answer, call: &str, forbidden: Forbidden) -> PmError {
    let listed: wire::Errors = serde_json::from_slice(&answer.body).unwrap_or_default();
    let mut message = listed.errors.join("; ");
    if message.is_empty() {
        message = snippet(&answer.body);
    }
    let status = answer.status.as_u16();
    match status {
        401 => PmError::Auth {
            system: SYSTEM,
            message: "Redmine does not know this API key (My account → API access key)".into(),
        },
        403 => PmError::Auth {
            system: SYSTEM,
            message: match forbidden {
                Forbidden::WhoAmI => "the REST API is not enabled (Administration → Settings → API → Enable REST web service)".into(),
                Forbidden::Users => "listing users needs an administrator's API key".into(),
                Forbidden::Permission => format!(
                    "the account's role may not do this ({call}): check Log spent time, Edit time logs and Log time for other users"
                ),
            },
        },
        404 => PmError::NotFound {
            system: SYSTEM,
            message: if message.is_empty() {
                format!("no such project, issue or entry ({call})")
            } else {
                message
            },
        },
        412 => PmError::Rejected {
            system: SYSTEM,
            status,
            message: "the person to log time as is unknown or locked".into(),
        },
        _ => PmError::Rejected {
            system: SYSTEM,
            status,
            message: if message.is_empty() {
                answer.status.to_string()
            } else {
                message
            },
        },
    }
}

/// Minutes as Redmine's decimal hours (two decimals).
fn hours(minutes: u32) -> f64 {
    (f64::from(minutes) / 60.0 * 100.0).round() / 100.0
}

fn minutes(hours: f64) -> u32 {
    let m = (hours * 60.0).round();
    if m.is_finite() && m > 0.0 {
        m.min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

/// The comment with its marker, cut to Redmine's 1024 characters so that
/// the marker survives.
fn comment(w: &NewWorklog) -> String {
    let marker = w.external_id.marker();
    let room = MAX_COMMENT_CHARS.saturating_sub(marker.chars().count() + 1);
    let text: String = w.comment.chars().take(room).collect();
    w.external_id.tag(&text)
}

fn display_name(u: &wire::User) -> String {
    let (first, last) = (u.firstname.trim(), u.lastname.trim());
    if is_cjk(first) || is_cjk(last) {
        format!("{last}{first}")
    } else {
        format!("{first} {last}").trim().to_owned()
    }
}

/// What to send as `/users.json?name=`. Redmine splits it into words and
/// wants each inside the first or last name, so a Chinese name written
/// without a space (`李雷` for last name 李, first name 雷) finds nobody:
/// its first character, inside the family name, is sent instead.
fn name_search(query: &UserQuery) -> String {
    let text = query.text();
    match query {
        UserQuery::Name(_) if is_cjk(text) && !text.contains(char::is_whitespace) => {
            text.chars().take(1).collect()
        }
        _ => text.to_owned(),
    }
}

fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

impl Redmine {
    pub fn new(config: RedmineConfig) -> Result<Self, PmError> {
        let http = Http::new(SYSTEM, config.timeout, config.retry)?;
        Ok(Redmine {
            http,
            config,
            logins: Mutex::new(HashMap::new()),
            account: OnceCell::new(),
            activity: OnceCell::new(),
        })
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        switch_user: Option<&str>,
        repeatable: bool,
    ) -> Result<Answer, PmError> {
        let call = Call {
            method,
            url: format!("{}{path}", self.config.base_url),
            query,
            body,
            repeatable,
        };
        let forbidden = match path {
            "/users/current.json" => Forbidden::WhoAmI,
            "/users.json" => Forbidden::Users,
            _ => Forbidden::Permission,
        };
        let described = format!("{} {path}", call.method);
        self.http
            .call(
                call,
                |request| {
                    let request = request.header("X-Redmine-API-Key", &self.config.api_key);
                    match switch_user {
                        Some(login) => request.header("X-Redmine-Switch-User", login),
                        None => request,
                    }
                },
                |answer| failure(answer, &described, forbidden),
            )
            .await
    }

    /// The account's login (or name), read once: every read goes through
    /// here first so that a wrong key fails instead of reading as anonymous.
    async fn account(&self) -> Result<&str, PmError> {
        self.account
            .get_or_try_init(|| async {
                #[derive(serde::Deserialize)]
                struct Current {
                    user: wire::User,
                }
                let me: Current = self
                    .call(Method::GET, "/users/current.json", &[], None, None, true)
                    .await?
                    .json(SYSTEM)?;
                Ok(me
                    .user
                    .login
                    .clone()
                    .unwrap_or_else(|| display_name(&me.user)))
            })
            .await
            .map(String::as_str)
    }

    /// The configured activity, else Redmine's default one. Redmine's own
    /// default data marks none as default: then every entry would be
    /// refused with "Activity cannot be blank", so the admin is told which
    /// to choose instead.
    async fn activity(&self) -> Result<u64, PmError> {
        if let Some(id) = self.config.activity_id {
            return Ok(id);
        }
        self.activity
            .get_or_try_init(|| async {
                let listed: wire::Activities = self
                    .call(
                        Method::GET,
                        "/enumerations/time_entry_activities.json",
                        &[],
                        None,
                        None,
                        true,
                    )
                    .await?
                    .json(SYSTEM)?;
                if let Some(default) = listed.time_entry_activities.iter().find(|a| a.is_default) {
                    return Ok(default.id);
                }
                let choices: Vec<String> = listed
                    .time_entry_activities
                    .iter()
                    .map(|a| format!("{} = {}", a.id, a.name))
                    .collect();
                Err(PmError::Rejected {
                    system: SYSTEM,
                    status: 422,
                    message: format!(
                        "Redmine has no default time-entry activity: enter an activity id in the connection ({}) or mark one as default under Administration → Enumerations",
                        if choices.is_empty() { "none is active".to_owned() } else { choices.join(", ") }
                    ),
                })
            })
            .await
            .copied()
    }

    /// Every page of a list.
    async fn list<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<T>, PmError> {
        self.account().await?;
        let mut out = Vec::new();
        for _ in 0..MAX_PAGES {
            let mut q = query.to_vec();
            q.push(("offset", out.len().to_string()));
            q.push(("limit", PAGE.to_string()));
            let page: wire::Page<T> = self
                .call(Method::GET, path, &q, None, None, true)
                .await?
                .json(SYSTEM)?;
            let got = page.items.len();
            out.extend(page.items);
            let total = page.total_count.unwrap_or(out.len() as u64);
            if got == 0 || out.len() as u64 >= total {
                break;
            }
        }
        Ok(out)
    }

    fn user(u: &wire::User) -> PmUser {
        PmUser {
            id: u.id.to_string(),
            login: u.login.clone(),
            name: display_name(u),
            email: u.mail.clone(),
            mobile: None,
            active: u.status.is_none_or(|s| s == 1),
        }
    }

    fn worklog(&self, e: wire::TimeEntry) -> Result<Worklog, PmError> {
        let date =
            NaiveDate::parse_from_str(&e.spent_on, "%Y-%m-%d").map_err(|_| PmError::Malformed {
                system: SYSTEM,
                path: "time_entry.spent_on".into(),
                detail: format!("not a date: {}", e.spent_on),
                snippet: String::new(),
            })?;
        let comment = e.comments.unwrap_or_default();
        let from_field = self.config.external_id_field.and_then(|field| {
            e.custom_fields
                .iter()
                .find(|c| c.id == field)
                .and_then(|c| c.value.as_str())
                .and_then(ExternalId::parse)
        });
        Ok(Worklog {
            id: e.id.to_string(),
            item: ItemRef {
                project: e.project.id.to_string(),
                task: e.issue.map(|i| i.id.to_string()),
            },
            person: e.user.map(|u| u.id.to_string()),
            date,
            minutes: minutes(e.hours),
            external_id: from_field.or_else(|| ExternalId::find_in(&comment)),
            comment,
        })
    }

    /// The login to switch to for `person` (a user id), from the cache or Redmine.
    async fn login_of(&self, person: &str) -> Result<String, PmError> {
        if let Some(login) = self
            .logins
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(person)
        {
            return Ok(login.clone());
        }
        #[derive(serde::Deserialize)]
        struct One {
            user: wire::User,
        }
        let one: One = self
            .call(
                Method::GET,
                &format!("/users/{person}.json"),
                &[],
                None,
                None,
                true,
            )
            .await?
            .json(SYSTEM)?;
        let login = one.user.login.ok_or_else(|| PmError::Rejected {
            system: SYSTEM,
            status: 200,
            message: format!("user {person} has no login to log time as"),
        })?;
        self.logins
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(person.to_owned(), login.clone());
        Ok(login)
    }

    async fn entry_body(&self, w: &NewWorklog) -> Result<Value, PmError> {
        let mut entry = json!({
            "spent_on": w.date.format("%Y-%m-%d").to_string(),
            "hours": hours(w.minutes),
            "comments": comment(w),
        });
        let number = |field: &str, text: &str| {
            text.parse::<u64>().map_err(|_| PmError::Rejected {
                system: SYSTEM,
                status: 400,
                message: format!("{field} must be a Redmine id, not {text}"),
            })
        };
        match &w.item.task {
            Some(issue) => entry["issue_id"] = json!(number("issue", issue)?),
            None => entry["project_id"] = json!(number("project", &w.item.project)?),
        }
        entry["activity_id"] = json!(self.activity().await?);
        if self.config.on_behalf == OnBehalf::UserId {
            entry["user_id"] = json!(number("person", &w.person)?);
        }
        if let Some(field) = self.config.external_id_field {
            entry["custom_fields"] = json!([{"id": field, "value": w.external_id.as_str()}]);
        }
        Ok(json!({ "time_entry": entry }))
    }

    async fn switch_user(&self, person: &str) -> Result<Option<String>, PmError> {
        match self.config.on_behalf {
            OnBehalf::SwitchUser => Ok(Some(self.login_of(person).await?)),
            OnBehalf::UserId => Ok(None),
        }
    }

    fn item_filter(item: &ItemRef) -> (&'static str, String) {
        match &item.task {
            Some(issue) => ("issue_id", issue.clone()),
            None => ("project_id", item.project.clone()),
        }
    }
}

#[async_trait]
impl Target for Redmine {
    fn kind(&self) -> TargetKind {
        TargetKind::Redmine
    }

    async fn test(&self) -> Result<TestReport, PmError> {
        let account = self.account().await?.to_owned();
        // Entries cannot be written without an activity: say so now.
        self.activity().await?;
        Ok(TestReport {
            account,
            projects: self.projects().await?,
        })
    }

    async fn projects(&self) -> Result<Vec<Project>, PmError> {
        let list: Vec<wire::Project> = self.list("/projects.json", &[]).await?;
        Ok(list
            .into_iter()
            .map(|p| Project {
                id: p.id.to_string(),
                key: if p.identifier.is_empty() {
                    p.id.to_string()
                } else {
                    p.identifier
                },
                name: p.name,
            })
            .collect())
    }

    async fn users(&self) -> Result<Vec<PmUser>, PmError> {
        let list: Vec<wire::User> = self.list("/users.json", &[("status", "1".into())]).await?;
        let mut logins = self.logins.lock().unwrap_or_else(|p| p.into_inner());
        for u in &list {
            if let Some(login) = &u.login {
                logins.insert(u.id.to_string(), login.clone());
            }
        }
        Ok(list.iter().map(Self::user).collect())
    }

    async fn find_users(&self, query: &UserQuery) -> Result<Vec<PmUser>, PmError> {
        let text = query.text();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        // `name` matches login or e-mail containing the text, or names
        // containing each of its words: keep exact matches only.
        let found: Vec<wire::User> = self
            .list(
                "/users.json",
                &[("name", name_search(query)), ("status", "1".into())],
            )
            .await?;
        let same = |a: &Option<String>| a.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(text));
        Ok(found
            .iter()
            .filter(|u| match query {
                UserQuery::Email(_) => same(&u.mail),
                UserQuery::Login(_) => same(&u.login),
                UserQuery::Name(_) => display_name(u) == text,
            })
            .map(Self::user)
            .collect())
    }

    async fn open_tasks(&self, project: &Project) -> Result<Vec<Task>, PmError> {
        let issues: Vec<wire::Issue> = self
            .list(
                "/issues.json",
                &[
                    ("project_id", project.id.clone()),
                    ("status_id", "open".into()),
                    ("sort", "id".into()),
                ],
            )
            .await?;
        Ok(issues
            .into_iter()
            .map(|i| Task {
                item: ItemRef {
                    project: i.project.id.to_string(),
                    task: Some(i.id.to_string()),
                },
                title: i.subject,
                assignee: i.assigned_to.map(|a| a.id.to_string()),
                status: i.status.map(|s| s.name).unwrap_or_default(),
            })
            .collect())
    }

    async fn create_worklog(&self, worklog: &NewWorklog) -> Result<Worklog, PmError> {
        let body = self.entry_body(worklog).await?;
        let switch = self.switch_user(&worklog.person).await?;
        let created: wire::OneEntry = self
            .call(
                Method::POST,
                "/time_entries.json",
                &[],
                Some(&body),
                switch.as_deref(),
                false,
            )
            .await?
            .json(SYSTEM)?;
        self.worklog(created.time_entry)
    }

    async fn find_worklog(
        &self,
        item: &ItemRef,
        date: NaiveDate,
        external_id: &ExternalId,
    ) -> Result<Option<Worklog>, PmError> {
        // Matched client-side: `cf_N=` works only when the field is a filter.
        let query = [
            Self::item_filter(item),
            ("spent_on", date.format("%Y-%m-%d").to_string()),
        ];
        let entries: Vec<wire::TimeEntry> = self.list("/time_entries.json", &query).await?;
        for entry in entries {
            let w = self.worklog(entry)?;
            if w.external_id.as_ref() == Some(external_id) {
                return Ok(Some(w));
            }
        }
        Ok(None)
    }

    async fn update_worklog(
        &self,
        existing: &WorklogRef,
        worklog: &NewWorklog,
    ) -> Result<Worklog, PmError> {
        let body = self.entry_body(worklog).await?;
        let path = format!("/time_entries/{}.json", existing.id);
        // Corrected with the connection's own key, never as the person:
        // Redmine's stock roles may not edit even their own entries, and
        // without `user_id` the entry keeps its person.
        self.call(Method::PUT, &path, &[], Some(&body), None, true)
            .await?;
        let now: wire::OneEntry = self
            .call(Method::GET, &path, &[], None, None, true)
            .await?
            .json(SYSTEM)?;
        self.worklog(now.time_entry)
    }

    async fn delete_worklog(&self, existing: &WorklogRef) -> Result<(), PmError> {
        let path = format!("/time_entries/{}.json", existing.id);
        match self
            .call(Method::DELETE, &path, &[], None, None, true)
            .await
        {
            Ok(_) | Err(PmError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn worklogs(&self, query: &WorklogQuery) -> Result<Vec<Worklog>, PmError> {
        let range = [
            ("from", query.first.format("%Y-%m-%d").to_string()),
            ("to", query.last.format("%Y-%m-%d").to_string()),
        ];
        let mut filters: Vec<Vec<(&str, String)>> = Vec::new();
        let items: Vec<Option<(&str, String)>> = if query.items.is_empty() {
            vec![None]
        } else {
            query
                .items
                .iter()
                .map(|i| Some(Self::item_filter(i)))
                .collect()
        };
        let people: Vec<Option<&String>> = if query.people.is_empty() {
            vec![None]
        } else {
            query.people.iter().map(Some).collect()
        };
        for item in &items {
            for person in &people {
                let mut q = range.to_vec();
                if let Some(item) = item {
                    q.push(item.clone());
                }
                if let Some(person) = person {
                    q.push(("user_id", (*person).clone()));
                }
                filters.push(q);
            }
        }
        let mut out = Vec::new();
        for q in filters {
            let entries: Vec<wire::TimeEntry> = self.list("/time_entries.json", &q).await?;
            for e in entries {
                out.push(self.worklog(e)?);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_hours_round_trip_at_two_decimals() {
        assert_eq!(hours(450), 7.5);
        assert_eq!(hours(20), 0.33);
        assert_eq!(minutes(0.33), 20);
        assert_eq!(minutes(7.5), 450);
        assert_eq!(minutes(-1.0), 0);
        assert_eq!(minutes(f64::NAN), 0);
    }

    #[test]
    fn chinese_names_read_family_name_first() {
        let user = |first: &str, last: &str| wire::User {
            id: 1,
            login: None,
            firstname: first.into(),
            lastname: last.into(),
            mail: None,
            status: None,
        };
        assert_eq!(display_name(&user("雷", "李")), "李雷");
        assert_eq!(display_name(&user("Alice", "Li")), "Alice Li");
    }

    #[test]
    fn a_chinese_name_is_searched_by_its_family_name() {
        assert_eq!(name_search(&UserQuery::Name("李雷".into())), "李");
        assert_eq!(
            name_search(&UserQuery::Name("欧阳 娜娜".into())),
            "欧阳 娜娜"
        );
        assert_eq!(name_search(&UserQuery::Name("Alice Li".into())), "Alice Li");
        assert_eq!(
            name_search(&UserQuery::Email("li.lei@corp.cn".into())),
            "li.lei@corp.cn"
        );
    }

    #[test]
    fn a_long_comment_keeps_its_marker() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let w = NewWorklog {
            person: "5".into(),
            item: ItemRef {
                project: "3".into(),
                task: Some("42".into()),
            },
            date,
            minutes: 60,
            comment: "长".repeat(2000),
            external_id: ExternalId::new("u1", date, "42"),
        };
        let text = comment(&w);
        assert!(text.chars().count() <= MAX_COMMENT_CHARS);
        assert_eq!(ExternalId::find_in(&text), Some(w.external_id));
    }
}
