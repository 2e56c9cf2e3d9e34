//! Reusable pieces of the UI: the page frame, form helpers, labels.

pub mod form;
pub mod labels;
pub mod layout;
pub mod not_built;
pub mod time;
pub mod versions;
