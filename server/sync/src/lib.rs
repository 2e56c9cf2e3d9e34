//! Sync planning for HourBridge, pure: the decisions of a sync run, apart
//! from the queue, the database and HTTP that carry them out.
//!
//! - [`compute`]: one evaluated person-day → its allocated, mapped worklog
//!   lines, keyed by external id (shared by the preview and the sync).
//! - [`push_plan`]: given the worklog lines computed for a scope and what
//!   HourBridge's ledger says it wrote, the actions that make the target
//!   hold exactly those lines — each write recorded before and after, and a
//!   write whose record was interrupted resolved by reading back, never by
//!   writing again.
//! - [`reconcile`]: what a target holds against what was computed and
//!   recorded: the reconciliation page's findings and the ledger repairs
//!   made before a "fix" push.
//! - [`retry`]: which failures are worth retrying, and when.
//! - [`outcome`]: how a run's counters become its status.
//! - [`schedule`]: cron triggers in the organisation's time zone and the
//!   days each covers.
//! - [`scope`]: a connection pair's pilot scope (灰度) and who widening it adds.

pub mod compute;
pub mod outcome;
pub mod push_plan;
pub mod reconcile;
pub mod retry;
pub mod schedule;
pub mod scope;

pub use compute::{day_lines, ComputedLine, DayFacts, DayProblem};
pub use outcome::{RunCounters, RunStatus};
pub use push_plan::{plan, Action, Desired, LedgerEntry, LedgerState};
pub use retry::{Backoff, Failure};
pub use schedule::{Schedule, Trigger};
pub use scope::Scope;
