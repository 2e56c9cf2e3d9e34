//! What a target can and cannot do: defined with the target kinds in the
//! domain crate, so that the pages can show it.

pub use hourbridge_domain::target::{Capabilities, ExternalIdHome, OnBehalfOf};
