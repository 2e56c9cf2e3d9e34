//! Sync jobs: DingTalk attendance → rules, allocation and mapping → the PM
//! system, as runs a company can leave running.
//!
//! - [`pairs`]: connection pairs, their pilot scope and schedule;
//! - [`runs`]: starting, retrying, rolling back, cancelling and listing runs;
//! - [`worker`]: this instance's workers (the database queue, leases) and
//!   scheduler;
//! - [`execute`]: one run's steps, batch by batch, with checkpoints;
//! - [`compute`], [`push`], [`rollback`]: the steps that need more than a call.
//!
//! The decisions themselves (what to write, retry or report) are pure, in
//! the `hourbridge-sync` crate.

pub mod compute;
pub mod corrections;
pub mod execute;
pub mod pairs;
pub mod push;
pub mod recompute;
pub mod reconcile;
pub mod rollback;
pub mod runs;
pub mod worker;
