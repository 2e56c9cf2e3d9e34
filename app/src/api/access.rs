//! What a role may open, for the navigation, the page guards and the server
//! functions alike: [`Role::can`], narrowed where an area is not yet built
//! for every role that has it.

use hourbridge_domain::role::Area;
use hourbridge_domain::Role;

/// Whether `role` may open the pages of `area`.
///
/// The reconciliation (and the manual corrections on its page) shows every
/// project's hours: a project manager's role has the area, but may open it
/// only once it is narrowed to the projects they manage (issue 7).
pub fn may_open(role: Role, area: Area) -> bool {
    role.can(area)
        && match area {
            Area::Reconciliation => matches!(role, Role::Admin | Role::Hr),
            _ => true,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reconciliation_is_for_administrators_and_hr_only() {
        assert!(may_open(Role::Admin, Area::Reconciliation));
        assert!(may_open(Role::Hr, Area::Reconciliation));
        assert!(!may_open(Role::ProjectManager, Area::Reconciliation));
        assert!(!may_open(Role::Viewer, Area::Reconciliation));
        // Elsewhere the role decides alone.
        for role in Role::ALL {
            for area in Area::ALL {
                if area != Area::Reconciliation {
                    assert_eq!(may_open(role, area), role.can(area));
                }
            }
        }
    }
}
