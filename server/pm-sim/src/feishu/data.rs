//! The seed data (generated in [`super::seed`]): one Feishu Project user per person of the DingTalk company
//! (same e-mail, name and mobile; a `user_key` derived from the person's
//! position), the integration user, spaces with members and teams, and work
//! items of three types assigned to members. Deterministic from the seed.

use std::collections::HashMap;

use super::config::FeishuConfig;

/// User status of people who work here, and of those who left.
pub const ACTIVATED: &str = "activated";
pub const RESIGNED: &str = "resigned";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeishuUser {
    pub user_key: String,
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub name_cn: String,
    pub name_en: String,
    pub mobile: String,
    /// The Feishu union id (the DingTalk union id stands in for it).
    pub out_id: String,
    /// [`ACTIVATED`] or [`RESIGNED`].
    pub status: &'static str,
    /// The DingTalk userid of the same person (`None` for the integration user).
    pub dingtalk_userid: Option<String>,
}

impl FeishuUser {
    pub fn is_active(&self) -> bool {
        self.status == ACTIVATED
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub team_id: i64,
    pub team_name: String,
    pub user_keys: Vec<String>,
    pub administrators: Vec<String>,
}

/// A space (`project_key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Space {
    pub project_key: String,
    pub simple_name: String,
    pub name: String,
    pub administrators: Vec<String>,
    /// Every member's user key (administrators included), in order.
    pub members: Vec<String>,
    pub teams: Vec<Team>,
}

impl Space {
    pub fn is_admin(&self, user_key: &str) -> bool {
        self.administrators.iter().any(|a| a == user_key)
    }

    pub fn is_member(&self, user_key: &str) -> bool {
        self.members.iter().any(|m| m == user_key)
    }
}

/// How a work item's flow is modelled: nodes with owners, or states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Node,
    State,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    pub id: i64,
    pub project_key: String,
    /// `story`, `task` or `issue`.
    pub type_key: &'static str,
    pub name: String,
    pub pattern: Pattern,
    pub state_key: &'static str,
    pub archived: bool,
    pub aborted: bool,
    /// The `owner` field (state-flow items).
    pub owner: Option<String>,
    /// Owners of the node in progress (node-flow items).
    pub node_owners: Vec<String>,
    /// `role_owners`: (role, owners).
    pub role_owners: Vec<(&'static str, Vec<String>)>,
    pub created_by: String,
    pub created_at: i64,
}

impl WorkItem {
    /// Open for hours: not in a final state, not aborted.
    pub fn is_open(&self) -> bool {
        !self.archived && !self.aborted
    }

    /// Everyone the item names (owner, node owners, role owners).
    pub fn involves(&self, user_key: &str) -> bool {
        self.owner.as_deref() == Some(user_key)
            || self.node_owners.iter().any(|o| o == user_key)
            || self
                .role_owners
                .iter()
                .any(|(_, owners)| owners.iter().any(|o| o == user_key))
    }
}

/// The user key of the company's `index`-th person (1-based): 19 digits.
pub fn person_user_key(index: usize) -> String {
    format!("70{:017}", (index as u64) * 7_919_001 + 1_000_000_000)
}

/// The integration user's name.
pub const OPERATOR_NAME: &str = "HourBridge 集成";

/// Users, spaces, work items.
#[derive(Debug, Clone)]
pub struct Directory {
    /// The integration user first, then the people in the company's order.
    pub users: Vec<FeishuUser>,
    pub spaces: Vec<Space>,
    pub work_items: Vec<WorkItem>,
    by_key: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
    item_by_id: HashMap<i64, usize>,
}

impl Directory {
    /// The directory a configuration describes (deterministic from the seed).
    pub fn generate(config: &FeishuConfig) -> Directory {
        super::seed::generate(config)
    }

    /// Indexes the users, spaces and work items.
    pub(super) fn new(
        users: Vec<FeishuUser>,
        spaces: Vec<Space>,
        work_items: Vec<WorkItem>,
    ) -> Directory {
        let by_key = users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.user_key.clone(), i))
            .collect();
        let by_email = users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.email.to_ascii_lowercase(), i))
            .collect();
        let item_by_id = work_items
            .iter()
            .enumerate()
            .map(|(i, w)| (w.id, i))
            .collect();
        Directory {
            users,
            spaces,
            work_items,
            by_key,
            by_email,
            item_by_id,
        }
    }

    pub fn user(&self, user_key: &str) -> Option<&FeishuUser> {
        self.by_key.get(user_key).and_then(|&i| self.users.get(i))
    }

    pub fn user_by_email(&self, email: &str) -> Option<&FeishuUser> {
        self.by_email
            .get(&email.trim().to_ascii_lowercase())
            .and_then(|&i| self.users.get(i))
    }

    pub fn user_by_out_id(&self, out_id: &str) -> Option<&FeishuUser> {
        self.users.iter().find(|u| u.out_id == out_id)
    }

    /// The people's users (the integration user excluded).
    pub fn people(&self) -> impl Iterator<Item = &FeishuUser> {
        self.users.iter().filter(|u| u.dingtalk_userid.is_some())
    }

    /// A space by `project_key` or `simple_name`.
    pub fn space(&self, key: &str) -> Option<&Space> {
        self.spaces
            .iter()
            .find(|s| s.project_key == key || s.simple_name == key)
    }

    pub fn work_item(&self, id: i64) -> Option<&WorkItem> {
        self.item_by_id
            .get(&id)
            .and_then(|&i| self.work_items.get(i))
    }

    /// The work items of a space, by id.
    pub fn items_of<'a>(&'a self, project_key: &'a str) -> impl Iterator<Item = &'a WorkItem> + 'a {
        self.work_items
            .iter()
            .filter(move |w| w.project_key == project_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourbridge_dingtalk_sim::{person_email, CompanySpec};

    fn small() -> FeishuConfig {
        FeishuConfig {
            company: CompanySpec {
                people: 40,
                departments: 4,
                ..CompanySpec::default()
            },
            projects: 5,
            ..FeishuConfig::default()
        }
    }

    #[test]
    fn people_become_members_with_work_items_of_three_types() {
        let dir = Directory::generate(&small());
        assert_eq!(dir.people().count(), 40);
        let first = dir.user(&person_user_key(1)).expect("the first person");
        assert_eq!(first.email, person_email(1));
        assert_eq!(dir.user_by_email(&first.email.to_uppercase()), Some(first));
        for user in dir.people().filter(|u| u.is_active()) {
            let mine: Vec<_> = dir
                .work_items
                .iter()
                .filter(|w| {
                    w.owner.as_ref() == Some(&user.user_key)
                        || w.node_owners.contains(&user.user_key)
                })
                .collect();
            assert!(mine.iter().any(|w| w.type_key == "story" && w.is_open()));
            assert!(mine.iter().any(|w| w.type_key == "task" && w.is_open()));
            assert!(mine.iter().any(|w| w.type_key == "task" && w.archived));
            assert!(mine.iter().any(|w| w.type_key == "issue"));
            for item in mine {
                let space = dir.space(&item.project_key).expect("space");
                assert!(space.is_member(&user.user_key));
            }
        }
        for space in &dir.spaces {
            assert!(space.is_admin(&small().operator_user_key));
            assert_eq!(space.project_key.len(), 24);
            let in_teams: usize = space.teams.iter().map(|t| t.user_keys.len()).sum();
            assert_eq!(
                in_teams + 1,
                space.members.len(),
                "every member but the operator is in a team"
            );
        }
        assert_eq!(
            dir.space("erp").map(|s| s.simple_name.as_str()),
            Some("erp")
        );
    }

    #[test]
    fn the_directory_is_deterministic() {
        let a = Directory::generate(&small());
        let b = Directory::generate(&small());
        assert_eq!(a.users, b.users);
        assert_eq!(a.spaces, b.spaces);
        assert_eq!(a.work_items, b.work_items);
    }
}
