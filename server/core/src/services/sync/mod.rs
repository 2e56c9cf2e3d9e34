//! Sync jobs: DingTalk attendance → rules, allocation and mapping → the PM
//! system, as runs a company can leave running.
//!
//! - [`pairs`]: connection pairs, their pilot scope and schedule;
//! - [`runs`]: starting, retrying, rolling back, cancelling and listing runs;
//! - [`worker`]: this instance's workers (the database queue, leases) and
//!   scheduler;
//! - [`execute`]: one run's steps, batch by batch, with [`checkpoint`]s,
//!   over the people [`scope`] gives;
//! - [`compute`], [`push`], [`reconcile`], [`rollback`]: the steps that
//!   need more than a call;
//! - [`corrections`] (手工补录) and [`recompute`] (after a rule change):
//!   runs queued by other pages.
//!
//! The decisions themselves (what to write, retry or report) are pure, in
//! the `hourbridge-sync` crate.

pub mod checkpoint;
pub mod compute;
pub mod corrections;
pub mod execute;
pub mod pairs;
pub mod push;
pub mod recompute;
pub mod reconcile;
pub mod rollback;
pub mod runs;
pub mod scope;
pub mod worker;
