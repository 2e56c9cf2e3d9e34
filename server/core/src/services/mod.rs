//! Use cases: each takes the caller (already authorised by the web layer),
//! validates input with the domain types, writes, and appends to the audit log.

pub mod alerts;
pub mod allocation_inputs;
pub mod attendance;
pub mod audit;
pub mod auth;
pub mod bootstrap;
pub mod calendar;
pub mod callbacks;
pub mod connections;
pub mod directory;
pub mod documents;
pub mod keys;
pub mod mappings;
pub mod matching;
pub mod org_settings;
pub mod pm_connections;
pub mod preview;
pub mod rules;
pub mod sync;
pub mod users;

use hourbridge_domain::user::User;
use hourbridge_domain::{Role, UserId};

/// The logged-in user on whose behalf a service runs.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: UserId,
    pub username: String,
    pub role: Role,
}

impl From<&User> for Actor {
    fn from(user: &User) -> Self {
        Actor {
            id: user.id.clone(),
            username: user.username.as_str().to_owned(),
            role: user.role,
        }
    }
}

/// Facts about the request that the audit log keeps.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
}
