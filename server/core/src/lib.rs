//! HourBridge services: storage, authentication, sessions and audit.
//!
//! This crate holds everything that touches the database or the CPU-heavy
//! password hashing. It knows nothing of HTTP; the web crate and the server
//! functions in the app crate call into it.

pub mod clock;
pub mod db;
pub mod error;
pub mod password;
pub mod secrets;
pub mod services;
pub mod session;
pub mod state;

pub use error::CoreError;
pub use state::{AppState, Settings, SyncSettings};
