//! A DingTalk simulator: the same paths, JSON shapes, envelopes, paging,
//! limits and error codes as DingTalk's server API (old family on
//! `/gettoken`, `/topapi/...`, `/attendance/...`, `/robot/send`; new family
//! on `/v1.0/...`, both on one port), over a generated or golden company.
//!
//! * [`company`]: the generated company (deterministic from a seed; each
//!   person-day derived on demand) or a golden case file.
//! * [`Simulator`]: the HTTP server, with fault injection ([`Faults`]),
//!   QPS throttling, the monthly quota, token expiry and the group robot.
//! * [`push`] and [`events`]: encrypted event pushes to a callback URL.

pub mod calendar;
pub mod company;
pub mod config;
pub mod events;
pub mod faults;
mod limits;
pub mod push;
mod robot;
mod server;
mod stats;
mod tokens;

pub use company::{person_email, Company};
pub use config::{CompanySpec, RobotConfig, SimConfig};
pub use faults::{Fault, FaultScope, Faults};
pub use push::{PushError, PushOutcome, PushSettings};
pub use server::{
    Simulator, MAX_CHECK_DATE_GAP_DAYS, MAX_HOLIDAY_USERS, MAX_HOLIDAY_WINDOW_DAYS, MAX_LEAVE_PAGE,
    MAX_LEAVE_USERS, MAX_LEAVE_WINDOW_MS, MAX_LIMIT, MAX_USERS, MAX_WORK_DATE_GAP_DAYS,
    NEW_TOKEN_HEADER, USER_PAGE_MAX,
};
pub use stats::Stats;
