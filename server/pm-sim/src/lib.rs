//! Simulators of the project-management systems HourBridge writes worklogs
//! to. Each speaks its system's wire format (paths, auth, JSON shapes,
//! paging, errors, rate limits) over seed data that matches the DingTalk
//! simulator's company, and lets tests list every worklog it holds.
//!
//! * [`common`]: what every simulator shares: fault injection, the token
//!   bucket, call counters, server start-up (with a connection that can be
//!   cut after a write) and the `/_sim` fault and stats routes.
//! * [`jira`]: Jira Cloud (`/rest/api/3`) and Jira Data Center
//!   (`/rest/api/2`) on one port.
//! * [`redmine`]: Redmine 5.0's REST API (`.json` paths, API keys,
//!   switch-user, time entries with a custom field).

pub mod common;
pub mod jira;
pub mod redmine;

pub use common::faults::{Fault, FaultScope, Faults};
pub use common::stats::Stats;
