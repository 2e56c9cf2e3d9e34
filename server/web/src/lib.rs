//! The HourBridge server: configuration, start-up and HTTP plumbing.
//! Pages and server functions live in `hourbridge-app`; services in `hourbridge-core`.

pub mod config;
pub mod demo;
pub mod http;
pub mod startup;
pub mod telemetry;
