//! What hours are logged on in TAPD: a story, task or bug of a workspace,
//! named in HourBridge as `ItemRef { project: <workspace id>, task:
//! "task:<id>" }` (or `story:`/`bug:`), the id being TAPD's long id.

use std::fmt;

use crate::{ItemRef, PmError};

use super::SYSTEM;

/// TAPD's `entity_type` of a timesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
}

/// One story, task or bug of a workspace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Entity {
    pub workspace: String,
    pub kind: EntityType,
    pub id: String,
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.id)
    }
}

fn is_id(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The workspace an item is in (TAPD ids are digits).
pub fn workspace(item: &ItemRef) -> Result<String, PmError> {
    let id = item.project.trim();
    if is_id(id) {
        Ok(id.to_owned())
    } else {
        Err(PmError::Rejected {
            system: SYSTEM,
            status: 400,
            message: format!("a TAPD workspace id is digits, not `{}`", item.project),
        })
    }
}

impl Entity {
    /// The entity an item names. Hours cannot go on a workspace without a
    /// story, task or bug.
    pub fn of(item: &ItemRef) -> Result<Entity, PmError> {
        let workspace = workspace(item)?;
        let Some(task) = item.task.as_deref() else {
            return Err(PmError::Unsupported {
                system: SYSTEM,
                what: "log hours on a workspace without a story, task or bug".into(),
            });
        };
        let parsed = task.split_once(':').and_then(|(kind, id)| {
            let id = id.trim();
            EntityType::parse(kind)
                .filter(|_| is_id(id))
                .map(|kind| (kind, id))
        });
        match parsed {
            Some((kind, id)) => Ok(Entity {
                workspace,
                kind,
                id: id.to_owned(),
            }),
            None => Err(PmError::Rejected {
                system: SYSTEM,
                status: 400,
                message: format!(
                    "TAPD items are named task:<id>, story:<id> or bug:<id>, not `{task}`"
                ),
            }),
        }
    }

    /// The item as HourBridge names it.
    pub fn item(&self) -> ItemRef {
        ItemRef {
            project: self.workspace.clone(),
            task: Some(self.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(project: &str, task: Option<&str>) -> ItemRef {
        ItemRef {
            project: project.into(),
            task: task.map(Into::into),
        }
    }

    #[test]
    fn items_name_their_entity_and_back() {
        let entity =
            Entity::of(&item("41000001", Some("task:1141000001001000007"))).expect("entity");
        assert_eq!(entity.kind, EntityType::Task);
        assert_eq!(entity.id, "1141000001001000007");
        assert_eq!(
            entity.item(),
            item("41000001", Some("task:1141000001001000007"))
        );
        let story =
            Entity::of(&item("41000001", Some("story:1041000001001000002"))).expect("story");
        assert_eq!(story.kind, EntityType::Story);
    }

    #[test]
    fn a_workspace_alone_or_a_foreign_name_is_refused() {
        let error = Entity::of(&item("41000001", None)).expect_err("project level");
        assert_eq!(error.reason(), "unsupported");
        for bad in ["42", "epic:1", "task:", "task:12a"] {
            let error = Entity::of(&item("41000001", Some(bad))).expect_err(bad);
            assert_eq!(error.reason(), "rejected", "{bad}");
        }
        let error = Entity::of(&item("ERP", Some("task:1"))).expect_err("workspace");
        assert_eq!(error.reason(), "rejected");
    }
}
