//! Translated names of roles, areas and audit actions.

use crate::i18n::*;
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::role::Area;
use hourbridge_domain::Role;
use leptos_i18n::I18nContext;

type I18n = I18nContext<Locale>;

pub fn role_label(i18n: I18n, role: Role) -> String {
    match role {
        Role::Admin => t_string!(i18n, roles.admin).to_string(),
        Role::ProjectManager => t_string!(i18n, roles.project_manager).to_string(),
        Role::Hr => t_string!(i18n, roles.hr).to_string(),
        Role::Viewer => t_string!(i18n, roles.viewer).to_string(),
    }
}

pub fn area_label(i18n: I18n, area: Area) -> String {
    match area {
        Area::Dashboard => t_string!(i18n, nav.dashboard).to_string(),
        Area::Connections => t_string!(i18n, nav.connections).to_string(),
        Area::People => t_string!(i18n, nav.people).to_string(),
        Area::Matching => t_string!(i18n, nav.matching).to_string(),
        Area::Rules => t_string!(i18n, nav.rules).to_string(),
        Area::Mappings => t_string!(i18n, nav.mappings).to_string(),
        Area::SyncJobs => t_string!(i18n, nav.sync_jobs).to_string(),
        Area::Reconciliation => t_string!(i18n, nav.reconciliation).to_string(),
        Area::Reports => t_string!(i18n, nav.reports).to_string(),
        Area::Users => t_string!(i18n, nav.users).to_string(),
        Area::AuditLog => t_string!(i18n, nav.audit_log).to_string(),
        Area::Settings => t_string!(i18n, nav.settings).to_string(),
    }
}

/// Where each area lives.
pub fn area_path(area: Area) -> &'static str {
    match area {
        Area::Dashboard => "/",
        Area::Connections => "/connections",
        Area::People => "/people",
        Area::Matching => "/matching",
        Area::Rules => "/rules",
        Area::Mappings => "/mappings",
        Area::SyncJobs => "/sync",
        Area::Reconciliation => "/reconciliation",
        Area::Reports => "/reports",
        Area::Users => "/users",
        Area::AuditLog => "/audit",
        Area::Settings => "/settings",
    }
}

pub fn action_label(i18n: I18n, action: AuditAction) -> String {
    match action {
        AuditAction::Login => t_string!(i18n, audit.actions.login).to_string(),
        AuditAction::LoginFailed => t_string!(i18n, audit.actions.login_failed).to_string(),
        AuditAction::LoginThrottled => t_string!(i18n, audit.actions.login_throttled).to_string(),
        AuditAction::Logout => t_string!(i18n, audit.actions.logout).to_string(),
        AuditAction::PasswordChanged => t_string!(i18n, audit.actions.password_changed).to_string(),
        AuditAction::UserCreated => t_string!(i18n, audit.actions.user_created).to_string(),
        AuditAction::UserRoleChanged => {
            t_string!(i18n, audit.actions.user_role_changed).to_string()
        }
        AuditAction::UserPasswordReset => {
            t_string!(i18n, audit.actions.user_password_reset).to_string()
        }
        AuditAction::UserDeactivated => t_string!(i18n, audit.actions.user_deactivated).to_string(),
        AuditAction::UserReactivated => t_string!(i18n, audit.actions.user_reactivated).to_string(),
        AuditAction::SettingsChanged => t_string!(i18n, audit.actions.settings_changed).to_string(),
        AuditAction::AdminBootstrapped => {
            t_string!(i18n, audit.actions.admin_bootstrapped).to_string()
        }
        AuditAction::ConnectionCreated => {
            t_string!(i18n, audit.actions.connection_created).to_string()
        }
        AuditAction::ConnectionUpdated => {
            t_string!(i18n, audit.actions.connection_updated).to_string()
        }
        AuditAction::ConnectionDisabled => {
            t_string!(i18n, audit.actions.connection_disabled).to_string()
        }
        AuditAction::ConnectionEnabled => {
            t_string!(i18n, audit.actions.connection_enabled).to_string()
        }
        AuditAction::ConnectionTested => {
            t_string!(i18n, audit.actions.connection_tested).to_string()
        }
        AuditAction::CallbackRefused => t_string!(i18n, audit.actions.callback_refused).to_string(),
        AuditAction::DirectorySynced => t_string!(i18n, audit.actions.directory_synced).to_string(),
        AuditAction::PmUsersSynced => t_string!(i18n, audit.actions.pm_users_synced).to_string(),
        AuditAction::PersonMatchDecided => {
            t_string!(i18n, audit.actions.person_match_decided).to_string()
        }
        AuditAction::RulesSaved => t_string!(i18n, audit.actions.rules_saved).to_string(),
        AuditAction::MappingSaved => t_string!(i18n, audit.actions.mapping_saved).to_string(),
        AuditAction::CalendarChanged => t_string!(i18n, audit.actions.calendar_changed).to_string(),
        AuditAction::SyncPairSaved => t_string!(i18n, audit.actions.sync_pair_saved).to_string(),
        AuditAction::SyncPairPaused => t_string!(i18n, audit.actions.sync_pair_paused).to_string(),
        AuditAction::SyncPairResumed => {
            t_string!(i18n, audit.actions.sync_pair_resumed).to_string()
        }
        AuditAction::SyncRunStarted => t_string!(i18n, audit.actions.sync_run_started).to_string(),
        AuditAction::SyncRunCancelled => {
            t_string!(i18n, audit.actions.sync_run_cancelled).to_string()
        }
        AuditAction::HoursCorrected => t_string!(i18n, audit.actions.hours_corrected).to_string(),
    }
}
