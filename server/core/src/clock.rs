//! Wall-clock helpers (unix time), kept in one place so tests can reason about them.

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub fn now_secs() -> i64 {
    now_ms() / 1000
}

/// A new time-ordered unique id (UUID v7), used as primary key everywhere.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
