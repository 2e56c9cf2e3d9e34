//! Who may do what. Every server entry point checks one of these.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// IT: connections, people, rules, mappings, sync jobs, users, audit log.
    Admin,
    /// Sees the hours of the projects they manage.
    ProjectManager,
    /// Downloads monthly reports and locks months.
    Hr,
    /// Read-only overview across projects (management).
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::ProjectManager, Role::Hr, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ProjectManager => "project_manager",
            Role::Hr => "hr",
            Role::Viewer => "viewer",
        }
    }

    /// Areas of the application a role may open.
    pub fn can(self, area: Area) -> bool {
        use Area::*;
        match self {
            Role::Admin => true,
            Role::ProjectManager => matches!(area, Dashboard | Reconciliation),
            Role::Hr => matches!(area, Dashboard | Reports | Reconciliation | People),
            Role::Viewer => matches!(area, Dashboard),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// The areas of the application, as shown in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Connections,
    People,
    /// Who is who between DingTalk and each project system.
    Matching,
    Rules,
    Mappings,
    SyncJobs,
    Reconciliation,
    Dashboard,
    Reports,
    Users,
    AuditLog,
    Settings,
}

impl Area {
    /// In navigation order.
    pub const ALL: [Area; 12] = [
        Area::Dashboard,
        Area::Connections,
        Area::People,
        Area::Matching,
        Area::Rules,
        Area::Mappings,
        Area::SyncJobs,
        Area::Reconciliation,
        Area::Reports,
        Area::Users,
        Area::AuditLog,
        Area::Settings,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn only_admins_reach_administration() {
        for area in [
            Area::Users,
            Area::AuditLog,
            Area::Connections,
            Area::Matching,
            Area::Rules,
            Area::Settings,
        ] {
            assert!(Role::Admin.can(area));
            assert!(!Role::ProjectManager.can(area));
            assert!(!Role::Hr.can(area));
            assert!(!Role::Viewer.can(area));
        }
        assert!(Role::Hr.can(Area::Reports));
        assert!(!Role::ProjectManager.can(Area::Reports));
        assert!(Role::Viewer.can(Area::Dashboard));
    }
}
