//! The pieces every PM-system simulator shares.

pub mod admin;
pub mod faults;
pub mod gate;
pub mod limits;
pub mod server;
pub mod stats;

use std::sync::{Mutex, MutexGuard};

/// Locks a mutex, recovering from poisoning (a panicked holder cannot leave
/// these plain collections in a broken state).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
