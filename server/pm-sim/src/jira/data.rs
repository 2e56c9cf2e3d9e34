//! The seed data: one Jira user per person of the DingTalk company (same
//! e-mail and name), one per API account, projects, and open issues
//! assigned to those people. Deterministic from the company's seed.

use std::collections::HashMap;

use hourbridge_dingtalk_sim::Company;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::config::JiraConfig;

/// The organisation name the DingTalk simulator uses by default.
const ORG_NAME: &str = "星桥科技（模拟）";

/// A Jira user (both flavours' identities).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JiraUser {
    /// Cloud identity.
    pub account_id: String,
    /// Data Center username (the e-mail's local part).
    pub name: String,
    /// Data Center user key (`JIRAUSER10001`).
    pub key: String,
    pub email: String,
    pub display_name: String,
    pub active: bool,
    /// The DingTalk userid of the same person (`None` for API accounts).
    pub dingtalk_userid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: u64,
    pub key: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub id: u64,
    pub key: String,
    /// Index into [`Directory::projects`].
    pub project: usize,
    pub summary: String,
    pub status: &'static str,
    /// Index into [`Directory::users`].
    pub assignee: Option<usize>,
}

/// Users, projects and issues.
#[derive(Debug, Clone)]
pub struct Directory {
    pub users: Vec<JiraUser>,
    pub projects: Vec<Project>,
    pub issues: Vec<Issue>,
    /// Index of the first API account in `users` (accounts follow the people).
    pub first_account: usize,
    issue_by_key: HashMap<String, usize>,
    issue_by_id: HashMap<u64, usize>,
}

const PROJECT_NAMES: [(&str, &str); 36] = [
    ("CRM", "客户关系管理"),
    ("ERP", "企业资源计划"),
    ("OPS", "运维平台"),
    ("WEB", "官网改版"),
    ("APP", "移动应用"),
    ("DATA", "数据中台"),
    ("PAY", "支付网关"),
    ("HR", "人力系统"),
    ("FIN", "财务共享"),
    ("MES", "制造执行"),
    ("WMS", "仓储管理"),
    ("TMS", "运输管理"),
    ("SCM", "供应链协同"),
    ("BI", "经营分析"),
    ("IOT", "物联网接入"),
    ("SEC", "安全加固"),
    ("QA", "质量保障"),
    ("DOC", "文档中心"),
    ("API", "开放平台"),
    ("MKT", "营销活动"),
    ("CS", "客服工单"),
    ("OA", "协同办公"),
    ("PLM", "产品生命周期"),
    ("SRM", "供应商管理"),
    ("LIMS", "实验室信息"),
    ("EHS", "环境健康安全"),
    ("BPM", "流程引擎"),
    ("MDM", "主数据管理"),
    ("SSO", "统一认证"),
    ("LOG", "日志平台"),
    ("AI", "智能助手"),
    ("EDU", "培训学院"),
    ("MALL", "商城"),
    ("POS", "门店收银"),
    ("GIS", "地图服务"),
    ("INFRA", "基础设施"),
];

const SUMMARIES: [&str; 12] = [
    "需求评审与拆分",
    "接口联调",
    "性能优化",
    "缺陷修复",
    "上线准备",
    "数据迁移",
    "单元测试补充",
    "用户反馈处理",
    "权限改造",
    "报表开发",
    "监控告警接入",
    "技术方案设计",
];

const STATUSES: [&str; 3] = ["To Do", "In Progress", "In Review"];

/// Jira's status categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusCategory {
    ToDo,
    InProgress,
    Done,
}

impl StatusCategory {
    /// The category of a status name (unknown names count as "To Do").
    pub fn of(status: &str) -> StatusCategory {
        match status.to_ascii_lowercase().as_str() {
            "done" | "closed" | "resolved" => StatusCategory::Done,
            "in progress" | "in review" => StatusCategory::InProgress,
            _ => StatusCategory::ToDo,
        }
    }

    /// A JQL value naming a category (by name, key or id), if it is one.
    pub fn parse(value: &str) -> Option<StatusCategory> {
        match value.to_ascii_lowercase().as_str() {
            "to do" | "new" | "2" => Some(StatusCategory::ToDo),
            "in progress" | "indeterminate" | "4" => Some(StatusCategory::InProgress),
            "done" | "complete" | "3" => Some(StatusCategory::Done),
            _ => None,
        }
    }

    /// `{"id":…,"key":…,"name":…}` as Jira shows it.
    pub fn id_key_name(self) -> (u32, &'static str, &'static str) {
        match self {
            StatusCategory::ToDo => (2, "new", "To Do"),
            StatusCategory::InProgress => (4, "indeterminate", "In Progress"),
            StatusCategory::Done => (3, "done", "Done"),
        }
    }
}

/// The Cloud account id of the user at `index` (0-based in `users`).
fn account_id(index: usize) -> String {
    format!("5b10{:020x}", 0xa2_8440_0000_u64 + index as u64)
}

impl Directory {
    pub fn generate(config: &JiraConfig) -> Directory {
        let company = Company::generate(&config.company, ORG_NAME);
        let today = company.today();
        let mut users: Vec<JiraUser> = company
            .people()
            .iter()
            .map(|person| JiraUser {
                account_id: String::new(),
                name: person
                    .email
                    .split('@')
                    .next()
                    .unwrap_or(&person.userid)
                    .to_owned(),
                key: String::new(),
                email: person.email.clone(),
                display_name: person.name.clone(),
                active: person.left_date.is_none_or(|left| left >= today),
                dingtalk_userid: Some(person.userid.clone()),
            })
            .collect();
        let first_account = users.len();
        users.extend(config.accounts.iter().map(|account| JiraUser {
            account_id: String::new(),
            name: account.login.clone(),
            key: String::new(),
            email: account.email.clone(),
            display_name: account.display_name.clone(),
            active: true,
            dingtalk_userid: None,
        }));
        for (i, user) in users.iter_mut().enumerate() {
            user.account_id = account_id(i);
            user.key = format!("JIRAUSER{}", 10_000 + i);
        }

        let projects: Vec<Project> = (0..config.projects)
            .map(|i| {
                let (key, name) = match PROJECT_NAMES.get(i) {
                    Some((key, name)) => ((*key).to_owned(), (*name).to_owned()),
                    None => (format!("P{}", i + 1), format!("项目 {}", i + 1)),
                };
                Project {
                    id: 10_000 + i as u64,
                    key,
                    name,
                }
            })
            .collect();

        let mut rng = StdRng::seed_from_u64(config.company.seed ^ 0x4A49_5241);
        let assignable: Vec<usize> = (0..first_account).filter(|&i| users[i].active).collect();
        let mut issues = Vec::new();
        if !projects.is_empty() {
            // Every active person gets two issues; a few more stay unassigned.
            let total = assignable.len() * 2 + projects.len() * 2;
            let mut per_project = vec![0_u32; projects.len()];
            for n in 0..total {
                let project = if n < projects.len() {
                    n
                } else {
                    rng.gen_range(0..projects.len())
                };
                per_project[project] += 1;
                let assignee = if n < assignable.len() * 2 {
                    assignable.get(n / 2).copied()
                } else {
                    None
                };
                issues.push(Issue {
                    id: 10_000 + n as u64,
                    key: format!("{}-{}", projects[project].key, per_project[project]),
                    project,
                    summary: format!(
                        "{}：{}",
                        projects[project].name,
                        SUMMARIES[rng.gen_range(0..SUMMARIES.len())]
                    ),
                    status: STATUSES[rng.gen_range(0..STATUSES.len())],
                    assignee,
                });
                // Every fifth issue is finished (each person keeps an open one).
                if n % 5 == 4 {
                    if let Some(issue) = issues.last_mut() {
                        issue.status = if n % 10 == 4 { "Done" } else { "Closed" };
                    }
                }
            }
        }
        let issue_by_key = issues
            .iter()
            .enumerate()
            .map(|(i, issue)| (issue.key.clone(), i))
            .collect();
        let issue_by_id = issues
            .iter()
            .enumerate()
            .map(|(i, issue)| (issue.id, i))
            .collect();
        Directory {
            users,
            projects,
            issues,
            first_account,
            issue_by_key,
            issue_by_id,
        }
    }

    /// An issue by key (any case) or numeric id.
    pub fn issue(&self, id_or_key: &str) -> Option<&Issue> {
        let index = match id_or_key.parse::<u64>() {
            Ok(id) => self.issue_by_id.get(&id),
            Err(_) => self.issue_by_key.get(&id_or_key.to_ascii_uppercase()),
        }?;
        self.issues.get(*index)
    }

    pub fn issue_by_id(&self, id: u64) -> Option<&Issue> {
        self.issue_by_id.get(&id).and_then(|&i| self.issues.get(i))
    }

    pub fn project_of(&self, issue: &Issue) -> Option<&Project> {
        self.projects.get(issue.project)
    }

    /// A project by key (any case) or numeric id.
    pub fn project(&self, id_or_key: &str) -> Option<(usize, &Project)> {
        self.projects
            .iter()
            .enumerate()
            .find(|(_, p)| p.key.eq_ignore_ascii_case(id_or_key) || p.id.to_string() == id_or_key)
    }

    /// The user of the API account at `index` in the config.
    pub fn account_user(&self, index: usize) -> Option<&JiraUser> {
        self.users.get(self.first_account + index)
    }

    pub fn user_by_account_id(&self, account_id: &str) -> Option<(usize, &JiraUser)> {
        self.users
            .iter()
            .enumerate()
            .find(|(_, u)| u.account_id == account_id)
    }

    /// A user by Data Center name or key (any case).
    pub fn user_by_name(&self, name: &str) -> Option<(usize, &JiraUser)> {
        self.users
            .iter()
            .enumerate()
            .find(|(_, u)| u.name.eq_ignore_ascii_case(name) || u.key.eq_ignore_ascii_case(name))
    }

    /// The people's users (API accounts excluded).
    pub fn people(&self) -> &[JiraUser] {
        self.users.get(..self.first_account).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourbridge_dingtalk_sim::person_email;

    fn small() -> JiraConfig {
        JiraConfig {
            company: hourbridge_dingtalk_sim::CompanySpec {
                people: 40,
                departments: 4,
                ..Default::default()
            },
            projects: 5,
            ..JiraConfig::default()
        }
    }

    #[test]
    fn people_become_users_with_the_same_email_and_issues_are_assigned_to_them() {
        let dir = Directory::generate(&small());
        assert_eq!(dir.people().len(), 40);
        assert_eq!(dir.users.len(), 42);
        assert_eq!(dir.people()[0].email, person_email(1));
        assert!(dir.projects.len() == 5 && dir.issues.len() > 80);
        for (i, user) in dir.people().iter().enumerate() {
            if user.active {
                assert!(dir.issues.iter().any(|issue| issue.assignee == Some(i)));
            }
        }
        let first = &dir.issues[0];
        assert_eq!(dir.issue(&first.key), Some(first));
        assert_eq!(dir.issue(&first.id.to_string()), Some(first));
        assert_eq!(dir.issue(&first.key.to_lowercase()), Some(first));
    }

    #[test]
    fn the_directory_is_deterministic() {
        let a = Directory::generate(&small());
        let b = Directory::generate(&small());
        assert_eq!(a.issues, b.issues);
        assert_eq!(a.users, b.users);
    }
}
