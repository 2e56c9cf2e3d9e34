//! What the simulated company holds: members, workspaces, and the
//! stories, tasks and bugs hours are logged on (generated in
//! [`seed`](super::seed)). Ids are TAPD-like: 8-digit workspace ids and
//! 19-digit item ids (`"10"`/`"11"` + workspace id + a 9-digit short id).

use std::collections::HashMap;
/// When the seed data was made (TAPD's `created` format, China time).
pub const SEED_TIME: &str = "2024-01-02 11:04:05";

/// The id of the `index`-th workspace (0-based): 8 digits.
pub fn workspace_id(index: usize) -> String {
    (41_000_001 + index as u64 * 7).to_string()
}

/// A 19-digit long id: `prefix` + workspace id + 9-digit short id.
pub fn long_id(prefix: &str, workspace_id: &str, short: u64) -> String {
    format!("{prefix}{workspace_id}{short:09}")
}

/// What hours can be logged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityType {
    Story,
    Task,
    Bug,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Story => "story",
            EntityType::Task => "task",
            EntityType::Bug => "bug",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "story" => Some(EntityType::Story),
            "task" => Some(EntityType::Task),
            "bug" => Some(EntityType::Bug),
            _ => None,
        }
    }

    /// The key list items are wrapped in (`{"Task":{…}}`).
    pub fn wrapper(self) -> &'static str {
        match self {
            EntityType::Story => "Story",
            EntityType::Task => "Task",
            EntityType::Bug => "Bug",
        }
    }
}

/// A member of the company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: String,
    /// What `owner` fields hold.
    pub nick: String,
    pub name: String,
    pub email: String,
    /// Not served by TAPD's member lists; kept to match people in tests.
    pub mobile: String,
    pub dingtalk_userid: String,
    pub role_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    /// `normal` (also `closed`, `suspend` in TAPD).
    pub status: &'static str,
    /// Nicks of its members.
    pub members: Vec<String>,
}

impl Workspace {
    pub fn has_member(&self, nick: &str) -> bool {
        self.members.iter().any(|m| m == nick)
    }
}

/// A story, task or bug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    pub kind: EntityType,
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    /// Tasks: `open`, `progressing`, `done`; stories: `planning`,
    /// `developing`, `resolved`, `rejected`; bugs: `new`, `in_progress`,
    /// `resolved`, `closed`.
    pub status: &'static str,
    /// Nicks each followed by `;` (`"alice;bob;"`; empty = unassigned).
    /// Bugs hold it in `current_owner`.
    pub owner: String,
    /// Estimated hours (`effort`) and remaining hours (`remain`), as text.
    pub effort: String,
    pub remain: String,
}

impl WorkItem {
    pub fn is_open(&self) -> bool {
        matches!(
            self.status,
            "open" | "progressing" | "planning" | "developing" | "new" | "in_progress"
        )
    }

    /// The nicks of its owners.
    pub fn owners(&self) -> impl Iterator<Item = &str> {
        self.owner.split(';').filter(|o| !o.is_empty())
    }
}

/// Members, workspaces, items.
#[derive(Debug, Clone)]
pub struct Directory {
    /// Everyone in the company who has not left, in the company's order.
    pub members: Vec<Member>,
    pub workspaces: Vec<Workspace>,
    /// Stories, tasks and bugs, workspace by workspace.
    pub items: Vec<WorkItem>,
    pub(super) member_by_nick: HashMap<String, usize>,
    pub(super) item_by_id: HashMap<String, usize>,
}

impl Directory {
    pub fn member(&self, nick: &str) -> Option<&Member> {
        self.member_by_nick
            .get(nick)
            .and_then(|&i| self.members.get(i))
    }

    pub fn workspace(&self, id: &str) -> Option<&Workspace> {
        self.workspaces.iter().find(|w| w.id == id)
    }

    pub fn item(&self, id: &str) -> Option<&WorkItem> {
        self.item_by_id.get(id).and_then(|&i| self.items.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tapd::config::TapdConfig;
    use hourbridge_dingtalk_sim::company::person_index;
    use hourbridge_dingtalk_sim::{person_email, CompanySpec};

    fn small() -> TapdConfig {
        TapdConfig {
            company: CompanySpec {
                people: 40,
                departments: 4,
                ..Default::default()
            },
            projects: 6,
            ..TapdConfig::default()
        }
    }

    #[test]
    fn members_own_open_and_finished_items_in_their_workspaces() {
        let dir = Directory::generate(&small());
        assert!(!dir.members.is_empty() && dir.members.len() <= 40);
        let first = &dir.members[0];
        let index = person_index(&first.dingtalk_userid).expect("index");
        assert_eq!(first.email, person_email(index));
        assert_eq!(format!("{}@corp.example", first.nick), first.email);
        for member in &dir.members {
            let theirs: Vec<&WorkItem> = dir
                .items
                .iter()
                .filter(|i| i.owners().next() == Some(member.nick.as_str()))
                .collect();
            let open_tasks = theirs
                .iter()
                .filter(|i| i.kind == EntityType::Task && i.is_open())
                .count();
            assert!(open_tasks >= 2, "{}", member.nick);
            for item in theirs {
                let ws = dir.workspace(&item.workspace_id).expect("workspace");
                assert!(ws.has_member(&member.nick));
            }
        }
        for item in &dir.items {
            assert_eq!(item.id.len(), 19, "{}", item.id);
            assert!(item.id[2..].starts_with(&item.workspace_id));
            assert_eq!(dir.item(&item.id), Some(item));
        }
    }

    #[test]
    fn the_directory_is_deterministic() {
        let a = Directory::generate(&small());
        let b = Directory::generate(&small());
        assert_eq!(a.items, b.items);
        assert_eq!(a.members, b.members);
        assert_eq!(a.workspaces, b.workspaces);
    }
}
