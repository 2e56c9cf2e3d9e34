//! The seed data: one Redmine user per person of the DingTalk company (same
//! e-mail; the Chinese name split into `lastname` = family name and
//! `firstname`), the API users, projects with memberships, open and closed
//! issues assigned to members, the time-entry activities and the custom
//! field. Deterministic from the company's seed.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use hourbridge_dingtalk_sim::Company;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::config::RedmineConfig;

/// The organisation name the DingTalk simulator uses by default.
const ORG_NAME: &str = "星桥科技（模拟）";

/// User status: active.
pub const ACTIVE: u8 = 1;
/// User status: locked.
pub const LOCKED: u8 = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedmineUser {
    pub id: u64,
    pub login: String,
    pub firstname: String,
    pub lastname: String,
    pub mail: String,
    pub admin: bool,
    /// 1 active, 3 locked (people who have left).
    pub status: u8,
    pub api_key: Option<String>,
    pub created_on: DateTime<Utc>,
    /// The DingTalk userid of the same person (`None` for API users).
    pub dingtalk_userid: Option<String>,
}

impl RedmineUser {
    /// The name Redmine shows, in the `lastnamefirstname` format (Chinese
    /// installations' choice): the DingTalk name again.
    pub fn name(&self) -> String {
        format!("{}{}", self.lastname, self.firstname)
    }

    pub fn is_active(&self) -> bool {
        self.status == ACTIVE
    }
}

/// A member's permissions in one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub user_id: u64,
    pub log_time: bool,
    pub log_for_others: bool,
    /// *Edit time logs* (anyone's); members may always edit their own.
    pub edit_all: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: u64,
    pub identifier: String,
    pub name: String,
    pub members: Vec<Member>,
    pub created_on: DateTime<Utc>,
}

impl Project {
    pub fn member(&self, user_id: u64) -> Option<&Member> {
        self.members.iter().find(|m| m.user_id == user_id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssueStatus {
    pub id: u64,
    pub name: &'static str,
    pub is_closed: bool,
}

pub const STATUSES: [IssueStatus; 5] = [
    IssueStatus {
        id: 1,
        name: "New",
        is_closed: false,
    },
    IssueStatus {
        id: 2,
        name: "In Progress",
        is_closed: false,
    },
    IssueStatus {
        id: 3,
        name: "Resolved",
        is_closed: false,
    },
    IssueStatus {
        id: 5,
        name: "Closed",
        is_closed: true,
    },
    IssueStatus {
        id: 6,
        name: "Rejected",
        is_closed: true,
    },
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub id: u64,
    pub project_id: u64,
    pub subject: String,
    pub status: IssueStatus,
    pub assigned_to: Option<u64>,
    pub author_id: u64,
    pub created_on: DateTime<Utc>,
    pub start_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub id: u64,
    pub name: &'static str,
    /// Development, the usual choice; which one is the default (if any) is
    /// [`RedmineConfig::default_activity`](super::RedmineConfig).
    pub is_default: bool,
    pub active: bool,
}

pub const ACTIVITIES: [Activity; 3] = [
    Activity {
        id: 8,
        name: "Design",
        is_default: false,
        active: true,
    },
    Activity {
        id: 9,
        name: "Development",
        is_default: true,
        active: true,
    },
    Activity {
        id: 10,
        name: "Meeting",
        is_default: false,
        active: true,
    },
];

/// The name of the time-entry custom field HourBridge writes its id to.
pub const CUSTOM_FIELD_NAME: &str = "HourBridge ID";

/// Users, projects, issues.
#[derive(Debug, Clone)]
pub struct Directory {
    /// The administrator (id 1), the integration user (id 2), then the
    /// people (ids from 5, in the company's order).
    pub users: Vec<RedmineUser>,
    pub projects: Vec<Project>,
    pub issues: Vec<Issue>,
    user_by_id: HashMap<u64, usize>,
    issue_by_id: HashMap<u64, usize>,
}

const PROJECT_NAMES: [(&str, &str); 36] = [
    ("crm", "客户关系管理"),
    ("erp", "企业资源计划"),
    ("ops", "运维平台"),
    ("web", "官网改版"),
    ("app", "移动应用"),
    ("data", "数据中台"),
    ("pay", "支付网关"),
    ("hr", "人力系统"),
    ("fin", "财务共享"),
    ("mes", "制造执行"),
    ("wms", "仓储管理"),
    ("tms", "运输管理"),
    ("scm", "供应链协同"),
    ("bi", "经营分析"),
    ("iot", "物联网接入"),
    ("sec", "安全加固"),
    ("qa", "质量保障"),
    ("doc", "文档中心"),
    ("api", "开放平台"),
    ("mkt", "营销活动"),
    ("cs", "客服工单"),
    ("oa", "协同办公"),
    ("plm", "产品生命周期"),
    ("srm", "供应商管理"),
    ("lims", "实验室信息"),
    ("ehs", "环境健康安全"),
    ("bpm", "流程引擎"),
    ("mdm", "主数据管理"),
    ("sso", "统一认证"),
    ("log", "日志平台"),
    ("ai", "智能助手"),
    ("edu", "培训学院"),
    ("mall", "商城"),
    ("pos", "门店收银"),
    ("gis", "地图服务"),
    ("infra", "基础设施"),
];

const SUBJECTS: [&str; 10] = [
    "需求评审与拆分",
    "接口联调",
    "性能优化",
    "缺陷修复",
    "上线准备",
    "数据迁移",
    "单元测试补充",
    "报表开发",
    "监控告警接入",
    "技术方案设计",
];

/// The id of the first person's user.
pub const FIRST_PERSON_ID: u64 = 5;

fn seed_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5)
        .single()
        .unwrap_or_else(Utc::now)
}

/// Splits a Chinese name into (lastname, firstname): the family name is the
/// first character (two for the few double family names).
pub fn split_name(name: &str) -> (String, String) {
    const DOUBLE: [&str; 6] = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫"];
    let family_chars = if DOUBLE.iter().any(|d| name.starts_with(d)) && name.chars().count() > 2 {
        2
    } else {
        1
    };
    let lastname: String = name.chars().take(family_chars).collect();
    let firstname: String = name.chars().skip(family_chars).collect();
    (lastname, firstname)
}

impl Directory {
    pub fn generate(config: &RedmineConfig) -> Directory {
        let company = Company::generate(&config.company, ORG_NAME);
        let today = company.today();
        let created_on = seed_time();
        let mut users = vec![
            RedmineUser {
                id: 1,
                login: "admin".to_owned(),
                firstname: "Admin".to_owned(),
                lastname: "Redmine".to_owned(),
                mail: "admin@corp.example".to_owned(),
                admin: true,
                status: ACTIVE,
                api_key: Some(config.admin_key.clone()),
                created_on,
                dingtalk_userid: None,
            },
            RedmineUser {
                id: 2,
                login: "hourbridge".to_owned(),
                firstname: "集成账号".to_owned(),
                lastname: "HourBridge".to_owned(),
                mail: "hourbridge@corp.example".to_owned(),
                admin: false,
                status: ACTIVE,
                api_key: Some(config.integration_key.clone()),
                created_on,
                dingtalk_userid: None,
            },
        ];
        for (i, person) in company.people().iter().enumerate() {
            let (lastname, firstname) = split_name(&person.name);
            let left = person.left_date.is_some_and(|left| left < today);
            users.push(RedmineUser {
                id: FIRST_PERSON_ID + i as u64,
                login: person
                    .email
                    .split('@')
                    .next()
                    .unwrap_or(&person.userid)
                    .to_owned(),
                firstname,
                lastname,
                mail: person.email.clone(),
                admin: false,
                status: if left { LOCKED } else { ACTIVE },
                api_key: None,
                created_on,
                dingtalk_userid: Some(person.userid.clone()),
            });
        }

        let mut rng = StdRng::seed_from_u64(config.company.seed ^ 0x5245_444D);
        let mut projects: Vec<Project> = (0..config.projects)
            .map(|i| {
                let (identifier, name) = match PROJECT_NAMES.get(i) {
                    Some((id, name)) => ((*id).to_owned(), (*name).to_owned()),
                    None => (format!("p{}", i + 1), format!("项目 {}", i + 1)),
                };
                Project {
                    id: 1 + i as u64,
                    identifier,
                    name,
                    members: vec![Member {
                        user_id: 2,
                        log_time: true,
                        log_for_others: true,
                        edit_all: true,
                    }],
                    created_on,
                }
            })
            .collect();

        let mut issues = Vec::new();
        if !projects.is_empty() {
            let count = projects.len();
            // Every person (left or not) is a member of one or two projects;
            // active people get two open issues and one closed one there.
            for user in users.iter().filter(|u| u.dingtalk_userid.is_some()) {
                let first = (user.id - FIRST_PERSON_ID) as usize % count;
                let mut theirs = vec![first];
                if rng.gen_bool(0.5) {
                    let second = rng.gen_range(0..count);
                    if second != first {
                        theirs.push(second);
                    }
                }
                for &p in &theirs {
                    if let Some(project) = projects.get_mut(p) {
                        project.members.push(Member {
                            user_id: user.id,
                            log_time: true,
                            log_for_others: false,
                            edit_all: false,
                        });
                    }
                }
                if !user.is_active() {
                    continue;
                }
                for n in 0..3 {
                    let p = theirs.get(n % theirs.len()).copied().unwrap_or(first);
                    let status = if n == 2 {
                        STATUSES[3 + rng.gen_range(0..2)]
                    } else {
                        STATUSES[rng.gen_range(0..3)]
                    };
                    issues.push((p, Some(user.id), status));
                }
            }
            for p in 0..count {
                issues.push((p, None, STATUSES[0]));
            }
        }
        let issues: Vec<Issue> = issues
            .into_iter()
            .enumerate()
            .filter_map(|(i, (p, assigned_to, status))| {
                let project = projects.get(p)?;
                Some(Issue {
                    id: 1 + i as u64,
                    project_id: project.id,
                    subject: format!(
                        "{}：{}",
                        project.name,
                        SUBJECTS[rng.gen_range(0..SUBJECTS.len())]
                    ),
                    status,
                    assigned_to,
                    author_id: 1,
                    created_on,
                    start_date: today - chrono::Duration::days(30),
                })
            })
            .collect();
        let user_by_id = users.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        let issue_by_id = issues.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        Directory {
            users,
            projects,
            issues,
            user_by_id,
            issue_by_id,
        }
    }

    pub fn user(&self, id: u64) -> Option<&RedmineUser> {
        self.user_by_id.get(&id).and_then(|&i| self.users.get(i))
    }

    pub fn user_by_login(&self, login: &str) -> Option<&RedmineUser> {
        self.users.iter().find(|u| u.login == login)
    }

    pub fn user_by_key(&self, key: &str) -> Option<&RedmineUser> {
        if key.is_empty() {
            return None;
        }
        self.users
            .iter()
            .find(|u| u.api_key.as_deref() == Some(key))
    }

    /// The people's users (API users excluded).
    pub fn people(&self) -> impl Iterator<Item = &RedmineUser> {
        self.users.iter().filter(|u| u.dingtalk_userid.is_some())
    }

    pub fn issue(&self, id: u64) -> Option<&Issue> {
        self.issue_by_id.get(&id).and_then(|&i| self.issues.get(i))
    }

    /// A project by numeric id or identifier.
    pub fn project(&self, id_or_identifier: &str) -> Option<&Project> {
        match id_or_identifier.parse::<u64>() {
            Ok(id) => self.project_by_id(id),
            Err(_) => self
                .projects
                .iter()
                .find(|p| p.identifier == id_or_identifier),
        }
    }

    pub fn project_by_id(&self, id: u64) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    pub fn activity(&self, id: u64) -> Option<&'static Activity> {
        ACTIVITIES.iter().find(|a| a.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourbridge_dingtalk_sim::person_email;

    fn small() -> RedmineConfig {
        RedmineConfig {
            company: hourbridge_dingtalk_sim::CompanySpec {
                people: 40,
                departments: 4,
                ..Default::default()
            },
            projects: 6,
            ..RedmineConfig::default()
        }
    }

    #[test]
    fn people_become_members_with_open_and_closed_issues() {
        let dir = Directory::generate(&small());
        assert_eq!(dir.people().count(), 40);
        let first = dir.user(FIRST_PERSON_ID).unwrap();
        assert_eq!(first.mail, person_email(1));
        assert!(!first.lastname.is_empty() && !first.firstname.is_empty());
        for user in dir.people().filter(|u| u.is_active()) {
            let mine: Vec<_> = dir
                .issues
                .iter()
                .filter(|i| i.assigned_to == Some(user.id))
                .collect();
            assert_eq!(mine.len(), 3);
            assert_eq!(mine.iter().filter(|i| i.status.is_closed).count(), 1);
            for issue in mine {
                let project = dir.project_by_id(issue.project_id).unwrap();
                assert!(project.member(user.id).is_some());
            }
        }
        assert!(dir.projects.iter().all(|p| p.member(2).is_some()));
        assert_eq!(dir.project("erp").map(|p| p.id), Some(2));
        assert_eq!(
            split_name("欧阳娜娜"),
            ("欧阳".to_owned(), "娜娜".to_owned())
        );
        assert_eq!(split_name("王伟"), ("王".to_owned(), "伟".to_owned()));
    }

    #[test]
    fn the_directory_is_deterministic() {
        let a = Directory::generate(&small());
        let b = Directory::generate(&small());
        assert_eq!(a.issues, b.issues);
        assert_eq!(a.users, b.users);
        assert_eq!(a.projects, b.projects);
    }
}
