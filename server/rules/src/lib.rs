//! HourBridge's rules engine: how a person-day of DingTalk attendance becomes
//! project hours. Pure Rust over plain data — no HTTP, database or async code
//! — so that the preview, the golden cases, the sync and the reports all run
//! the same engine.
//!
//! - [`model`]: the engine's input for one person-day.
//! - [`rules`]: the versioned, ordered rule model (JSON for the editor) and
//!   its validation with field-level errors.
//! - [`engine`]: the precompiled evaluator; [`explain`]: its traces in
//!   Chinese and English.
//! - [`seed`]: seed-standard, the rule set of the golden cases, as data.
//! - [`calendar`]: China's statutory holidays and make-up workdays
//!   (2024–2027), admin edits and DingTalk's per-organisation calendar.
//! - [`allocation`]: splitting a day's hours over projects and tasks.
//! - [`mapping`]: the field mapping from an allocation line to a PM
//!   system's worklog fields (versioned, validated, compiled).
//! - [`dingtalk_format`] and [`person_days`]: DingTalk's punch results and
//!   approval forms as they arrive, assembled into person-days.
//! - [`golden`]: loading and running golden case files.
//! - [`hours`]: the fixed-point hours type; [`error`]: the crate's error.

pub mod allocation;
pub mod calendar;
pub mod dingtalk_format;
pub mod engine;
pub mod error;
pub mod explain;
pub mod golden;
pub mod hours;
pub mod mapping;
pub mod model;
pub mod person_days;
pub mod rules;
pub mod seed;

pub use engine::{Engine, Evaluation, PersonProfile};
pub use error::{FieldError, Problem, RulesError};
pub use explain::{Lang, Trace};
pub use hours::Hours;
pub use mapping::{
    CompiledMapping, MapError, MappedWorklog, MappingBook, MappingLine, MappingVersion,
    SourceField, SourceValues, Transform,
};
pub use model::{
    ApprovalKind, DayApproval, DayAttendance, DayType, Person, PersonDay, PunchTime, TimeResult,
};
pub use rules::{RuleBook, RuleSet, Status};
