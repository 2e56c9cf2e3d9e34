//! Project-management targets: the interface every connector implements
//! ([`Target`]), the types they share, and one connector per system.
//!
//! - [`model`]: projects, users, tasks, worklogs, the same for every system;
//! - [`external_id`]: HourBridge's id on each worklog it writes;
//! - [`capabilities`]: what each system can and cannot do;
//! - [`error`]: one set of failure reasons for every system.

pub mod capabilities;
pub mod error;
pub mod external_id;
pub mod feishu;
pub mod http;
pub mod jira;
pub mod model;
pub mod redmine;
pub mod tapd;
pub mod target;
pub mod write_once;
pub mod zentao;

pub use capabilities::{Capabilities, ExternalIdHome, OnBehalfOf};
pub use error::PmError;
pub use external_id::ExternalId;
pub use model::{
    ItemRef, NewWorklog, PmUser, Project, TargetKind, Task, TestReport, Worklog, WorklogQuery,
    WorklogRef,
};
pub use target::{Target, UserQuery};
pub use write_once::write_once;
