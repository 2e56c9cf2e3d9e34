//! Server functions: the only way the UI reads or changes data.
//!
//! Each one authorises the caller on the server, parses its input with the
//! domain types, calls a service in `hourbridge-core`, and maps the answer
//! to a small DTO. Their URLs are stable (`/api/<endpoint>`).

pub mod access;
pub mod account;
pub mod audit;
pub mod calendar;
pub mod connections;
mod error;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod mappings;
pub mod matching;
pub mod people;
pub mod pm;
pub mod reconciliation;
pub mod rules;
pub mod settings;
pub mod sync;
pub mod users;

pub use error::AppError;
