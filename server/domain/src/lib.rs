//! HourBridge's domain: roles, identities, validated inputs and policies.
//!
//! Everything here is plain data and pure functions, shared by the browser
//! bundle and the server. Nothing here performs IO; storage, HTTP and UI
//! live in other crates and call into this one.

pub mod alert;
pub mod audit;
pub mod connection;
pub mod directory;
pub mod field;
pub mod ids;
pub mod login_throttle;
pub mod matching;
pub mod pm_connection;
pub mod preview;
pub mod role;
pub mod settings;
pub mod sync;
pub mod target;
pub mod user;

pub use field::{FieldError, Problem};
pub use ids::{ConnectionId, UserId};
pub use role::Role;
