//! HTTP plumbing around the application: middleware and the few plain routes.

pub mod client_ip;
pub mod csrf;
pub mod dingtalk_callback;
pub mod errors;
pub mod health;
pub mod reconciliation_csv;
pub mod server_fn_status;
pub mod sync_events;
