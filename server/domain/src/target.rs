//! The project-management systems HourBridge writes to, and what each can
//! and cannot do (from the reference, pm-apis.md §0). Shared by the pages
//! and the connectors.

use serde::{Deserialize, Serialize};

/// The systems HourBridge writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    JiraCloud,
    #[serde(rename = "jira_dc")]
    JiraDataCenter,
    Redmine,
    Zentao,
    Tapd,
    FeishuProject,
}

impl TargetKind {
    pub const ALL: [TargetKind; 6] = [
        TargetKind::JiraCloud,
        TargetKind::JiraDataCenter,
        TargetKind::Redmine,
        TargetKind::Zentao,
        TargetKind::Tapd,
        TargetKind::FeishuProject,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::JiraCloud => "jira_cloud",
            TargetKind::JiraDataCenter => "jira_dc",
            TargetKind::Redmine => "redmine",
            TargetKind::Zentao => "zentao",
            TargetKind::Tapd => "tapd",
            TargetKind::FeishuProject => "feishu_project",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The name people know it by.
    pub fn label(self) -> &'static str {
        match self {
            TargetKind::JiraCloud => "Jira Cloud",
            TargetKind::JiraDataCenter => "Jira Data Center",
            TargetKind::Redmine => "Redmine",
            TargetKind::Zentao => "ZenTao",
            TargetKind::Tapd => "TAPD",
            TargetKind::FeishuProject => "Feishu Project",
        }
    }
}

/// Whose name a worklog is written under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnBehalfOf {
    /// The worklog names the person (Redmine `user_id`/switch-user, TAPD `owner`, Feishu `X-USER-KEY`).
    Supported,
    /// Always the connection's account (Jira): the person is named in the comment.
    AccountOnly,
    /// Each person's own credentials are needed (ZenTao tokens).
    PersonalCredentials,
}

/// Where HourBridge's external id is kept on the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExternalIdHome {
    /// A worklog property (Jira).
    Property,
    /// A time-entry custom field made by an admin (Redmine).
    CustomField,
    /// An idempotency header (Feishu `X-IDEM-UUID`).
    IdempotencyKey,
    /// The system keeps one record per item, date and person (TAPD): a retry becomes an update.
    NaturalKey,
    /// Only the `[hb:…]` marker in the text, guarded by HourBridge's own ledger (ZenTao).
    CommentMarker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    pub on_behalf_of: OnBehalfOf,
    pub external_id: ExternalIdHome,
    /// Worklogs can be edited over the API.
    pub update: bool,
    /// Worklogs can be deleted over the API.
    pub delete: bool,
    /// Worklogs can be listed by date range (else per task only).
    pub list_by_range: bool,
    /// Hours may be logged on a project without a task.
    pub project_level: bool,
}

impl Capabilities {
    /// What each system allows, from the reference (pm-apis.md §0).
    pub fn of(kind: TargetKind) -> Self {
        match kind {
            TargetKind::JiraCloud | TargetKind::JiraDataCenter => Capabilities {
                on_behalf_of: OnBehalfOf::AccountOnly,
                external_id: ExternalIdHome::Property,
                update: true,
                delete: true,
                list_by_range: true,
                project_level: false,
            },
            TargetKind::Redmine => Capabilities {
                on_behalf_of: OnBehalfOf::Supported,
                external_id: ExternalIdHome::CustomField,
                update: true,
                delete: true,
                list_by_range: true,
                project_level: true,
            },
            TargetKind::Zentao => Capabilities {
                on_behalf_of: OnBehalfOf::PersonalCredentials,
                external_id: ExternalIdHome::CommentMarker,
                update: false,
                delete: false,
                list_by_range: false,
                project_level: false,
            },
            TargetKind::Tapd => Capabilities {
                on_behalf_of: OnBehalfOf::Supported,
                external_id: ExternalIdHome::NaturalKey,
                update: true,
                delete: true,
                list_by_range: true,
                project_level: false,
            },
            TargetKind::FeishuProject => Capabilities {
                on_behalf_of: OnBehalfOf::Supported,
                external_id: ExternalIdHome::IdempotencyKey,
                update: true,
                delete: true,
                list_by_range: false,
                project_level: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_stored_names() {
        for kind in TargetKind::ALL {
            assert_eq!(TargetKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).expect("json");
            assert_eq!(
                json,
                format!("\"{}\"", kind.as_str()),
                "serde and storage agree"
            );
        }
        assert_eq!(TargetKind::parse("teambition"), None);
    }

    #[test]
    fn the_documented_limits_are_stated() {
        let jira = Capabilities::of(TargetKind::JiraCloud);
        assert_eq!(jira.on_behalf_of, OnBehalfOf::AccountOnly);
        let zentao = Capabilities::of(TargetKind::Zentao);
        assert!(!zentao.update && !zentao.delete);
        assert_eq!(zentao.on_behalf_of, OnBehalfOf::PersonalCredentials);
        assert_eq!(
            Capabilities::of(TargetKind::Tapd).external_id,
            ExternalIdHome::NaturalKey
        );
    }
}
