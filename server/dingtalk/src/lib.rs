//! The DingTalk connector.
//!
//! * [`callback_crypto`]: the HTTP-push event format: SHA-1 signatures and
//!   AES-256-CBC message encryption, as DingTalk's official libraries do it.
//! * [`robot`]: signing of group-robot webhook calls.
//! * [`wire`]: reading answers: lenient scalars, envelopes, failure classification.

pub mod callback_crypto;
pub mod robot;
pub mod wire;
