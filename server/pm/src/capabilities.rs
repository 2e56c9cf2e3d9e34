//! What a target can and cannot do, shown to the admin on the connection
//! page and obeyed by the sync engine.

use serde::{Deserialize, Serialize};

use crate::TargetKind;

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
