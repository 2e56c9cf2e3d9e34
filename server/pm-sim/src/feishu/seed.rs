//! Generating the seed data (see [`Directory`]): users from the DingTalk
//! company, spaces with members and teams, work items of three types.

use chrono::{TimeZone, Utc};
use hourbridge_dingtalk_sim::Company;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::config::FeishuConfig;
use super::data::{
    person_user_key, Directory, FeishuUser, Pattern, Space, Team, WorkItem, ACTIVATED,
    OPERATOR_NAME, RESIGNED,
};

/// The organisation name the DingTalk simulator uses by default.
const ORG_NAME: &str = "星桥科技（模拟）";
/// Members per team in a space.
const TEAM_SIZE: usize = 8;

const SPACE_NAMES: [(&str, &str); 12] = [
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
    ("bi", "经营分析"),
];

const SUBJECTS: [&str; 8] = [
    "需求评审与拆分",
    "接口联调",
    "性能优化",
    "缺陷修复",
    "上线准备",
    "数据迁移",
    "报表开发",
    "技术方案设计",
];

fn seed_ms() -> i64 {
    Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5)
        .single()
        .map_or(0, |t| t.timestamp_millis())
}

/// The directory a configuration describes (deterministic).
pub fn generate(config: &FeishuConfig) -> Directory {
    let company = Company::generate(&config.company, ORG_NAME);
    let today = company.today();
    let operator = config.operator_user_key.clone();
    let mut users = vec![FeishuUser {
        user_key: operator.clone(),
        user_id: 1,
        username: "hourbridge".to_owned(),
        email: "hourbridge@corp.example".to_owned(),
        name_cn: OPERATOR_NAME.to_owned(),
        name_en: "HourBridge".to_owned(),
        mobile: String::new(),
        out_id: "on_hourbridge".to_owned(),
        status: ACTIVATED,
        dingtalk_userid: None,
    }];
    for person in company.people() {
        let left = person.left_date.is_some_and(|left| left < today);
        users.push(FeishuUser {
            user_key: person_user_key(person.index),
            user_id: 1000 + person.index as i64,
            username: person
                .email
                .split('@')
                .next()
                .unwrap_or(&person.userid)
                .to_owned(),
            email: person.email.clone(),
            name_cn: person.name.clone(),
            name_en: person
                .email
                .split('@')
                .next()
                .unwrap_or(&person.userid)
                .to_owned(),
            mobile: person.mobile.clone(),
            out_id: person.unionid.clone(),
            status: if left { RESIGNED } else { ACTIVATED },
            dingtalk_userid: Some(person.userid.clone()),
        });
    }

    let mut rng = StdRng::seed_from_u64(config.company.seed ^ 0x4645_4953);
    let mut spaces: Vec<Space> = (0..config.projects)
        .map(|i| {
            let (simple_name, name) = match SPACE_NAMES.get(i) {
                Some((s, n)) => ((*s).to_owned(), (*n).to_owned()),
                None => (format!("space{}", i + 1), format!("空间 {}", i + 1)),
            };
            Space {
                project_key: format!("{:024x}", rng.gen::<u128>() >> 32),
                simple_name,
                name,
                administrators: vec![operator.clone()],
                members: vec![operator.clone()],
                teams: Vec::new(),
            }
        })
        .collect();

    let mut work_items = Vec::new();
    let created_at = seed_ms();
    let mut next_id = 3_000_000_001_i64;
    let mut add = |project_key: &str, item: WorkItem| {
        let mut item = item;
        item.id = next_id;
        item.project_key = project_key.to_owned();
        next_id += 1;
        work_items.push(item);
    };
    let count = spaces.len();
    if count > 0 {
        for (n, user) in users.iter().enumerate().skip(1) {
            let first = (n - 1) % count;
            let mut theirs = vec![first];
            if rng.gen_bool(0.5) {
                let second = rng.gen_range(0..count);
                if second != first {
                    theirs.push(second);
                }
            }
            for &s in &theirs {
                if let Some(space) = spaces.get_mut(s) {
                    space.members.push(user.user_key.clone());
                }
            }
            if !user.is_active() {
                continue;
            }
            let Some((key, space_name)) = spaces
                .get(first)
                .map(|s| (s.project_key.clone(), s.name.clone()))
            else {
                continue;
            };
            let me = user.user_key.clone();
            let subject = |rng: &mut StdRng| {
                format!(
                    "{space_name}：{}",
                    SUBJECTS[rng.gen_range(0..SUBJECTS.len())]
                )
            };
            let story =
                |name: String, state: &'static str, archived: bool, aborted: bool| WorkItem {
                    id: 0,
                    project_key: String::new(),
                    type_key: "story",
                    name,
                    pattern: Pattern::Node,
                    state_key: state,
                    archived,
                    aborted,
                    owner: None,
                    node_owners: if archived {
                        Vec::new()
                    } else {
                        vec![me.clone()]
                    },
                    role_owners: vec![("PM", vec![operator.clone()]), ("RD", vec![me.clone()])],
                    created_by: operator.clone(),
                    created_at,
                };
            let stateful =
                |kind: &'static str, name: String, state: &'static str, archived: bool| WorkItem {
                    id: 0,
                    project_key: String::new(),
                    type_key: kind,
                    name,
                    pattern: Pattern::State,
                    state_key: state,
                    archived,
                    aborted: false,
                    owner: Some(me.clone()),
                    node_owners: Vec::new(),
                    role_owners: vec![("operator", vec![me.clone()])],
                    created_by: operator.clone(),
                    created_at,
                };
            add(&key, story(subject(&mut rng), "doing", false, false));
            add(
                &key,
                stateful("task", subject(&mut rng), "in_progress", false),
            );
            add(&key, stateful("task", subject(&mut rng), "closed", true));
            add(&key, stateful("issue", subject(&mut rng), "open", false));
            if n % 3 == 0 {
                add(&key, story(subject(&mut rng), "doing", false, true));
            }
        }
        for space in &spaces {
            add(
                &space.project_key,
                WorkItem {
                    id: 0,
                    project_key: String::new(),
                    type_key: "task",
                    name: format!("{}：待认领", space.name),
                    pattern: Pattern::State,
                    state_key: "open",
                    archived: false,
                    aborted: false,
                    owner: None,
                    node_owners: Vec::new(),
                    role_owners: vec![("operator", Vec::new())],
                    created_by: operator.clone(),
                    created_at,
                },
            );
        }
    }
    let mut team_id = 1_i64;
    for space in &mut spaces {
        let people: Vec<String> = space.members.iter().skip(1).cloned().collect();
        for (n, chunk) in people.chunks(TEAM_SIZE).enumerate() {
            space.teams.push(Team {
                team_id,
                team_name: format!("{} 第{}组", space.name, n + 1),
                user_keys: chunk.to_vec(),
                administrators: vec![operator.clone()],
            });
            team_id += 1;
        }
    }
    Directory::new(users, spaces, work_items)
}
