//! A DingTalk simulator: the same paths, JSON shapes, envelopes, paging,
//! limits and error codes as DingTalk's server API, over a generated (or
//! golden) company.

pub mod calendar;
pub mod company;
pub mod config;

pub use company::{person_email, Company};
pub use config::{CompanySpec, RobotConfig, SimConfig};
