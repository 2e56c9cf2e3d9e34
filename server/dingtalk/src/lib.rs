//! The DingTalk connector.
//!
//! - [`client`]: the HTTP client (token cache, per-API rate limits, back-off,
//!   call counting) and every API HourBridge reads.
//! - [`model`]: typed answers; [`wire`]: envelopes, lenient scalars, failure
//!   classification.
//! - [`plan`]: sync planning against the batch limits and the monthly quota.
//! - [`callback_crypto`]: event push encryption; [`robot`]: group robot
//!   signing and sending.

pub mod callback_crypto;
pub mod client;
pub mod model;
pub mod plan;
pub mod robot;
pub mod wire;

pub use client::{ClientConfig, DingTalkClient, Directory, RetryPolicy};
pub use wire::UpstreamError;
