//! One module per page.

pub mod audit;
pub mod calendar;
pub mod connections;
pub mod dashboard;
pub mod login;
pub mod mappings;
pub mod matching;
pub mod not_found;
pub mod password;
pub mod people;
pub mod reconciliation;
pub mod rules;
pub mod settings;
pub mod sync;
pub mod targets;
pub mod users;
