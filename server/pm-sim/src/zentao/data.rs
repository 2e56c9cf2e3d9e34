//! The seed data: one ZenTao user per person of the DingTalk company (same
//! e-mail, mobile and name; account = the e-mail's local part), the API
//! accounts, projects with their members, executions and tasks assigned to
//! the members (some multi-person). Deterministic from the company's seed.
//!
//! Projects and executions share one id sequence, as in ZenTao's
//! `zt_project` table: project 1, its executions 2 and 3, project 4…

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use hourbridge_dingtalk_sim::Company;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::config::{person_password, ZentaoConfig};
use super::names::{PROJECTS, TASK_NAMES};

/// The organisation name the DingTalk simulator uses by default.
const ORG_NAME: &str = "星桥科技（模拟）";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZentaoUser {
    pub id: u64,
    pub account: String,
    pub realname: String,
    pub email: String,
    pub mobile: String,
    pub dept: i64,
    pub password: String,
    /// Deleted users (people who have left) are not listed and cannot log in.
    pub deleted: bool,
    /// Sees every project (else only those it is a member of).
    pub sees_all: bool,
    /// The *company-browse* privilege (listing users).
    pub company_browse: bool,
    /// The privilege to record effort on tasks.
    pub record_effort: bool,
    /// The DingTalk userid of the same person (`None` for API accounts).
    pub dingtalk_userid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: u64,
    pub name: String,
    pub code: String,
    pub status: &'static str,
    pub begin: NaiveDate,
    pub end: NaiveDate,
    /// Accounts of the project team.
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    pub id: u64,
    pub project: u64,
    pub name: String,
    pub status: &'static str,
    pub begin: NaiveDate,
    pub end: NaiveDate,
}

/// A task as seeded (the store keeps its current state).
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: u64,
    pub project: u64,
    pub execution: u64,
    pub name: String,
    /// wait | doing | done | pause | cancel | closed.
    pub status: &'static str,
    pub estimate: f64,
    pub consumed: f64,
    pub left: f64,
    /// An account, `"closed"` for closed tasks (as ZenTao does), or empty.
    pub assigned_to: String,
    pub opened_by: String,
    pub finished_by: String,
    /// Accounts of a multi-person task's team (empty for a single person's).
    pub team: Vec<String>,
    pub deadline: NaiveDate,
    pub opened_date: DateTime<Utc>,
}

impl Task {
    pub fn is_multi(&self) -> bool {
        !self.team.is_empty()
    }
}

/// Users, projects, executions and the tasks as seeded.
#[derive(Debug, Clone)]
pub struct Directory {
    /// The integration account (id 1), the observer (id 2), then the
    /// people (ids from 3, in the company's order).
    pub users: Vec<ZentaoUser>,
    pub projects: Vec<Project>,
    pub executions: Vec<Execution>,
    pub tasks: Vec<Task>,
    user_by_account: HashMap<String, usize>,
}

/// The id of the first person's user.
pub const FIRST_PERSON_ID: u64 = 3;

fn seed_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 2, 1, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

/// A status with the share seen in a live ZenTao: mostly open.
fn status(rng: &mut StdRng) -> &'static str {
    match rng.gen_range(0..100) {
        0..=34 => "wait",
        35..=69 => "doing",
        70..=74 => "pause",
        75..=84 => "done",
        85..=94 => "closed",
        _ => "cancel",
    }
}

impl Directory {
    pub fn generate(config: &ZentaoConfig) -> Directory {
        let company = Company::generate(&config.company, ORG_NAME);
        let today = company.today();
        let api =
            |id: u64, account: &str, password: &str, name: &str, privileged: bool| ZentaoUser {
                id,
                account: account.to_owned(),
                realname: name.to_owned(),
                email: format!("{account}@corp.example"),
                mobile: String::new(),
                dept: 0,
                password: password.to_owned(),
                deleted: false,
                sees_all: true,
                company_browse: privileged,
                record_effort: privileged,
                dingtalk_userid: None,
            };
        let mut users = vec![
            api(
                1,
                &config.admin_account,
                &config.admin_password,
                "HourBridge 集成账号",
                true,
            ),
            api(
                2,
                &config.observer_account,
                &config.observer_password,
                "只读观察员",
                false,
            ),
        ];
        for (i, person) in company.people().iter().enumerate() {
            let account = person
                .email
                .split('@')
                .next()
                .unwrap_or(&person.userid)
                .to_owned();
            users.push(ZentaoUser {
                id: FIRST_PERSON_ID + i as u64,
                password: person_password(&account),
                account,
                realname: person.name.clone(),
                email: person.email.clone(),
                mobile: person.mobile.clone(),
                dept: person.dept_id_list.first().copied().unwrap_or(1),
                deleted: person.left_date.is_some_and(|left| left < today),
                sees_all: false,
                company_browse: false,
                record_effort: true,
                dingtalk_userid: Some(person.userid.clone()),
            });
        }

        let mut rng = StdRng::seed_from_u64(config.company.seed ^ 0x5a45_4e54);
        let mut next_id = 1u64;
        let mut projects = Vec::new();
        let mut executions = Vec::new();
        let begin = today - Duration::days(90);
        let end = today + Duration::days(180);
        for p in 0..config.projects {
            let (code, name) = match PROJECTS.get(p) {
                Some((code, name)) => ((*code).to_owned(), (*name).to_owned()),
                None => (format!("p{}", p + 1), format!("项目 {}", p + 1)),
            };
            let id = next_id;
            next_id += 1;
            projects.push(Project {
                id,
                name,
                code,
                status: "doing",
                begin,
                end,
                members: vec![config.admin_account.clone()],
            });
            for e in 0..config.executions_per_project {
                let closed = e + 1 < config.executions_per_project && e == 0 && rng.gen_bool(0.3);
                executions.push(Execution {
                    id: next_id,
                    project: id,
                    name: format!("迭代 {}", e + 1),
                    status: if closed { "closed" } else { "doing" },
                    begin: begin + Duration::days(14 * e as i64),
                    end: begin + Duration::days(14 * e as i64 + 13),
                });
                next_id += 1;
            }
        }

        // Every person is a member of one project, some of two.
        if !projects.is_empty() {
            let count = projects.len();
            for user in users
                .iter()
                .filter(|u| u.dingtalk_userid.is_some() && !u.deleted)
            {
                let first = (user.id - FIRST_PERSON_ID) as usize % count;
                let mut theirs = vec![first];
                if rng.gen_bool(0.3) {
                    let second = rng.gen_range(0..count);
                    if second != first {
                        theirs.push(second);
                    }
                }
                for p in theirs {
                    if let Some(project) = projects.get_mut(p) {
                        project.members.push(user.account.clone());
                    }
                }
            }
        }

        let opened_date = seed_time();
        let mut tasks = Vec::new();
        for execution in &executions {
            let Some(project) = projects.iter().find(|p| p.id == execution.project) else {
                continue;
            };
            // The integration account is a member, not an assignee.
            let people: Vec<&String> = project.members.iter().skip(1).collect();
            for t in 0..config.tasks_per_execution {
                let status = status(&mut rng);
                let estimate = if t % 7 == 6 {
                    0.0
                } else {
                    f64::from(rng.gen_range(4..=64u32)) / 2.0
                };
                let mut team = Vec::new();
                let mut assigned_to = String::new();
                if !people.is_empty() && t % 6 != 5 {
                    let first = (t + execution.id as usize) % people.len();
                    assigned_to = people[first].clone();
                    if t % 5 == 4 && people.len() >= 2 {
                        let size = 2 + (t % 2).min(people.len() - 2);
                        team = (0..size)
                            .map(|k| people[(first + k) % people.len()].clone())
                            .collect();
                    }
                }
                let (consumed, left, finished_by) = match status {
                    "done" | "closed" => (estimate, 0.0, assigned_to.clone()),
                    "cancel" => (0.0, 0.0, String::new()),
                    _ => (0.0, estimate, String::new()),
                };
                match status {
                    "closed" => assigned_to = "closed".to_owned(),
                    "done" | "cancel" => assigned_to = config.admin_account.clone(),
                    _ => {}
                }
                tasks.push(Task {
                    id: tasks.len() as u64 + 1,
                    project: project.id,
                    execution: execution.id,
                    name: format!(
                        "{}：{}",
                        project.name,
                        TASK_NAMES[rng.gen_range(0..TASK_NAMES.len())]
                    ),
                    status,
                    estimate,
                    consumed,
                    left,
                    assigned_to,
                    opened_by: config.admin_account.clone(),
                    finished_by,
                    team,
                    deadline: execution.end,
                    opened_date,
                });
            }
        }
        let user_by_account = users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.account.to_lowercase(), i))
            .collect();
        Directory {
            users,
            projects,
            executions,
            tasks,
            user_by_account,
        }
    }

    /// A user by account (case-insensitive, as MySQL compares them).
    pub fn user(&self, account: &str) -> Option<&ZentaoUser> {
        self.user_by_account
            .get(&account.trim().to_lowercase())
            .and_then(|&i| self.users.get(i))
    }

    pub fn user_by_id(&self, id: u64) -> Option<&ZentaoUser> {
        self.users.iter().find(|u| u.id == id)
    }

    /// The people's users (API accounts excluded).
    pub fn people(&self) -> impl Iterator<Item = &ZentaoUser> {
        self.users.iter().filter(|u| u.dingtalk_userid.is_some())
    }

    pub fn project(&self, id: u64) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    pub fn execution(&self, id: u64) -> Option<&Execution> {
        self.executions.iter().find(|e| e.id == id)
    }

    /// Whether `user` sees the project.
    pub fn sees(&self, user: &ZentaoUser, project: u64) -> bool {
        user.sees_all
            || self
                .project(project)
                .is_some_and(|p| p.members.iter().any(|m| m == &user.account))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourbridge_dingtalk_sim::{person_email, CompanySpec};

    fn small() -> ZentaoConfig {
        ZentaoConfig {
            company: CompanySpec {
                people: 40,
                departments: 4,
                ..CompanySpec::default()
            },
            projects: 5,
            ..ZentaoConfig::default()
        }
    }

    #[test]
    fn people_become_users_with_tasks_in_their_projects() {
        let dir = Directory::generate(&small());
        assert_eq!(dir.people().count(), 40);
        let first = dir.user_by_id(FIRST_PERSON_ID).expect("first person");
        assert_eq!(first.email, person_email(1));
        assert_eq!(first.password, person_password(&first.account));
        assert_eq!(dir.projects.len(), 5);
        assert_eq!(dir.executions.len(), 10);
        assert_eq!(dir.tasks.len(), 10 * 12);
        // Projects and executions share one id sequence.
        assert_eq!(dir.projects[1].id, 4);
        assert_eq!(dir.execution(5).map(|e| e.project), Some(4));
        for task in &dir.tasks {
            let project = dir.project(task.project).expect("project");
            if matches!(task.status, "wait" | "doing" | "pause") && !task.assigned_to.is_empty() {
                assert!(project.members.contains(&task.assigned_to));
            }
            assert!(task.team.iter().all(|m| project.members.contains(m)));
        }
        assert!(dir.tasks.iter().any(|t| t.is_multi()));
        assert!(dir
            .tasks
            .iter()
            .any(|t| t.status == "closed" && t.assigned_to == "closed"));
        assert_eq!(dir.user("HOURBRIDGE").map(|u| u.id), Some(1));
    }

    #[test]
    fn the_directory_is_deterministic() {
        let a = Directory::generate(&small());
        let b = Directory::generate(&small());
        assert_eq!(a.users, b.users);
        assert_eq!(a.projects, b.projects);
        assert_eq!(a.tasks, b.tasks);
    }
}
