//! The seed data: one TAPD member per person of the DingTalk company who
//! has not left (nick = the e-mail's local part, same name and e-mail),
//! project workspaces with their members, and open and finished tasks and
//! stories owned by members (plus a bug per workspace). Deterministic from
//! the company's seed.

use std::collections::HashMap;

use hourbridge_dingtalk_sim::Company;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::config::TapdConfig;
use super::data::{long_id, workspace_id, Directory, EntityType, Member, WorkItem, Workspace};

/// The organisation name the DingTalk simulator uses by default.
const ORG_NAME: &str = "星桥科技（模拟）";

const WORKSPACE_NAMES: [&str; 36] = [
    "客户关系管理",
    "企业资源计划",
    "运维平台",
    "官网改版",
    "移动应用",
    "数据中台",
    "支付网关",
    "人力系统",
    "财务共享",
    "制造执行",
    "仓储管理",
    "运输管理",
    "供应链协同",
    "经营分析",
    "物联网接入",
    "安全加固",
    "质量保障",
    "文档中心",
    "开放平台",
    "营销活动",
    "客服工单",
    "协同办公",
    "产品生命周期",
    "供应商管理",
    "实验室信息",
    "环境健康安全",
    "流程引擎",
    "主数据管理",
    "统一认证",
    "日志平台",
    "智能助手",
    "培训学院",
    "商城",
    "门店收银",
    "地图服务",
    "基础设施",
];

const TITLES: [&str; 10] = [
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

/// Builds items with per-workspace short ids.
struct Items {
    items: Vec<WorkItem>,
    next: HashMap<(String, EntityType), u64>,
}

impl Items {
    fn add(
        &mut self,
        kind: EntityType,
        workspace: &Workspace,
        title: &str,
        status: &'static str,
        owner: String,
        effort: u32,
    ) {
        let (prefix, first) = match kind {
            EntityType::Story => ("10", 1_000_001),
            EntityType::Task => ("11", 1_000_001),
            EntityType::Bug => ("11", 5_000_001),
        };
        let next = self
            .next
            .entry((workspace.id.clone(), kind))
            .or_insert(first);
        let id = long_id(prefix, &workspace.id, *next);
        *next += 1;
        let remain = if matches!(status, "done" | "resolved" | "rejected" | "closed") {
            0
        } else {
            effort / 2
        };
        self.items.push(WorkItem {
            kind,
            id,
            workspace_id: workspace.id.clone(),
            name: format!("{}：{title}", workspace.name),
            status,
            owner,
            effort: effort.to_string(),
            remain: remain.to_string(),
        });
    }
}

impl Directory {
    /// The company's members, workspaces and items, deterministic from the
    /// company's seed.
    pub fn generate(config: &TapdConfig) -> Directory {
        let company = Company::generate(&config.company, ORG_NAME);
        let today = company.today();
        let members: Vec<Member> = company
            .people()
            .iter()
            .filter(|p| p.left_date.is_none_or(|left| left >= today))
            .map(|p| Member {
                user_id: (1_000_000_000 + p.index as u64).to_string(),
                nick: p.email.split('@').next().unwrap_or(&p.userid).to_owned(),
                name: p.name.clone(),
                email: p.email.clone(),
                mobile: p.mobile.clone(),
                dingtalk_userid: p.userid.clone(),
                role_id: "1000000000000000089".to_owned(),
            })
            .collect();

        let mut rng = StdRng::seed_from_u64(config.company.seed ^ 0x5441_5044);
        let mut workspaces: Vec<Workspace> = (0..config.projects)
            .map(|i| Workspace {
                id: workspace_id(i),
                name: WORKSPACE_NAMES
                    .get(i)
                    .map_or_else(|| format!("项目 {}", i + 1), |n| (*n).to_owned()),
                status: "normal",
                members: Vec::new(),
            })
            .collect();
        let mut items = Items {
            items: Vec::new(),
            next: HashMap::new(),
        };
        let count = workspaces.len();
        if count > 0 {
            for (n, member) in members.iter().enumerate() {
                let first = n % count;
                let mut theirs = vec![first];
                if rng.gen_bool(0.5) {
                    let second = rng.gen_range(0..count);
                    if second != first {
                        theirs.push(second);
                    }
                }
                for &w in &theirs {
                    workspaces[w].members.push(member.nick.clone());
                }
                // Three tasks (two open, one done) and two stories (one open).
                for k in 0..5 {
                    let workspace = &workspaces[theirs[k % theirs.len()]];
                    let title = TITLES[rng.gen_range(0..TITLES.len())];
                    let effort = [8, 16, 24][rng.gen_range(0..3)];
                    let mut owner = format!("{};", member.nick);
                    // Now and then a second owner, as TAPD allows.
                    if rng.gen_ratio(1, 6) {
                        let others: Vec<&String> = workspace
                            .members
                            .iter()
                            .filter(|m| **m != member.nick)
                            .collect();
                        if !others.is_empty() {
                            owner.push_str(others[rng.gen_range(0..others.len())]);
                            owner.push(';');
                        }
                    }
                    let (kind, status) = match k {
                        0 | 1 => (
                            EntityType::Task,
                            ["open", "progressing"][rng.gen_range(0..2)],
                        ),
                        2 => (EntityType::Task, "done"),
                        3 => (
                            EntityType::Story,
                            ["planning", "developing"][rng.gen_range(0..2)],
                        ),
                        _ => (
                            EntityType::Story,
                            ["resolved", "rejected"][rng.gen_range(0..2)],
                        ),
                    };
                    items.add(kind, workspace, title, status, owner, effort);
                }
            }
            for workspace in &workspaces {
                items.add(
                    EntityType::Task,
                    workspace,
                    "待认领",
                    "open",
                    String::new(),
                    8,
                );
                items.add(
                    EntityType::Story,
                    workspace,
                    "需求池",
                    "planning",
                    String::new(),
                    16,
                );
                let owner = workspace
                    .members
                    .first()
                    .map(|m| format!("{m};"))
                    .unwrap_or_default();
                items.add(EntityType::Bug, workspace, "线上问题排查", "new", owner, 4);
            }
        }
        // Items workspace by workspace, in id order (as TAPD lists them).
        let order: HashMap<String, usize> = workspaces
            .iter()
            .enumerate()
            .map(|(i, w)| (w.id.clone(), i))
            .collect();
        let mut items = items.items;
        items.sort_by(|a, b| {
            order
                .get(&a.workspace_id)
                .cmp(&order.get(&b.workspace_id))
                .then(a.id.cmp(&b.id))
        });
        let member_by_nick = members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.nick.clone(), i))
            .collect();
        let item_by_id = items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.id.clone(), i))
            .collect();
        Directory {
            members,
            workspaces,
            items,
            member_by_nick,
            item_by_id,
        }
    }
}
