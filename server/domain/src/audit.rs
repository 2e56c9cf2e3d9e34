//! What the audit log records. Entries are appended, never changed.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Login,
    LoginFailed,
    LoginThrottled,
    Logout,
    PasswordChanged,
    UserCreated,
    UserRoleChanged,
    UserPasswordReset,
    UserDeactivated,
    UserReactivated,
    SettingsChanged,
    AdminBootstrapped,
    ConnectionCreated,
    ConnectionUpdated,
    ConnectionDisabled,
    ConnectionEnabled,
    ConnectionTested,
    CallbackRefused,
    DirectorySynced,
    PmUsersSynced,
    PersonMatchDecided,
    RulesSaved,
    MappingSaved,
    CalendarChanged,
    SyncPairSaved,
    SyncPairPaused,
    SyncPairResumed,
    SyncRunStarted,
    SyncRunCancelled,
    HoursCorrected,
}

impl AuditAction {
    pub const ALL: [AuditAction; 30] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::LoginThrottled,
        AuditAction::Logout,
        AuditAction::PasswordChanged,
        AuditAction::UserCreated,
        AuditAction::UserRoleChanged,
        AuditAction::UserPasswordReset,
        AuditAction::UserDeactivated,
        AuditAction::UserReactivated,
        AuditAction::SettingsChanged,
        AuditAction::AdminBootstrapped,
        AuditAction::ConnectionCreated,
        AuditAction::ConnectionUpdated,
        AuditAction::ConnectionDisabled,
        AuditAction::ConnectionEnabled,
        AuditAction::ConnectionTested,
        AuditAction::CallbackRefused,
        AuditAction::DirectorySynced,
        AuditAction::PmUsersSynced,
        AuditAction::PersonMatchDecided,
        AuditAction::RulesSaved,
        AuditAction::MappingSaved,
        AuditAction::CalendarChanged,
        AuditAction::SyncPairSaved,
        AuditAction::SyncPairPaused,
        AuditAction::SyncPairResumed,
        AuditAction::SyncRunStarted,
        AuditAction::SyncRunCancelled,
        AuditAction::HoursCorrected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::LoginThrottled => "login_throttled",
            AuditAction::Logout => "logout",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::UserCreated => "user_created",
            AuditAction::UserRoleChanged => "user_role_changed",
            AuditAction::UserPasswordReset => "user_password_reset",
            AuditAction::UserDeactivated => "user_deactivated",
            AuditAction::UserReactivated => "user_reactivated",
            AuditAction::SettingsChanged => "settings_changed",
            AuditAction::AdminBootstrapped => "admin_bootstrapped",
            AuditAction::ConnectionCreated => "connection_created",
            AuditAction::ConnectionUpdated => "connection_updated",
            AuditAction::ConnectionDisabled => "connection_disabled",
            AuditAction::ConnectionEnabled => "connection_enabled",
            AuditAction::ConnectionTested => "connection_tested",
            AuditAction::CallbackRefused => "callback_refused",
            AuditAction::DirectorySynced => "directory_synced",
            AuditAction::PmUsersSynced => "pm_users_synced",
            AuditAction::PersonMatchDecided => "person_match_decided",
            AuditAction::RulesSaved => "rules_saved",
            AuditAction::MappingSaved => "mapping_saved",
            AuditAction::CalendarChanged => "calendar_changed",
            AuditAction::SyncPairSaved => "sync_pair_saved",
            AuditAction::SyncPairPaused => "sync_pair_paused",
            AuditAction::SyncPairResumed => "sync_pair_resumed",
            AuditAction::SyncRunStarted => "sync_run_started",
            AuditAction::SyncRunCancelled => "sync_run_cancelled",
            AuditAction::HoursCorrected => "hours_corrected",
        }
    }
}

impl FromStr for AuditAction {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AuditAction::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| format!("unknown audit action `{s}`"))
    }
}

/// One line of the audit log as shown to an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    /// Unix milliseconds.
    pub at_ms: i64,
    /// Login name of the actor; `None` for the system or an unknown user.
    pub actor: Option<String>,
    pub action: AuditAction,
    /// What the action was applied to (e.g. a login name).
    pub target: Option<String>,
    pub detail: Option<String>,
    pub ip: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_through_their_names() {
        for action in AuditAction::ALL {
            assert_eq!(action.as_str().parse::<AuditAction>().unwrap(), action);
        }
    }
}
