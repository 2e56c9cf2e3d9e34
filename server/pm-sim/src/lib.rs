//! Simulators of the project-management systems HourBridge writes worklogs
//! to. Each speaks its system's wire format (paths, auth, JSON shapes,
//! paging, errors, rate limits) over seed data that matches the DingTalk
//! simulator's company, and lets tests list every worklog it holds.
//!
//! * [`common`]: what every simulator shares: fault injection, the token
//!   bucket, call counters, the gate every API call goes through (counting,
//!   faults, rate limit, cutting the connection after a write), server
//!   start-up (with a connection that can be cut after a write) and the
//!   `/_sim` fault and stats routes.
//! * [`jira`]: Jira Cloud (`/rest/api/3`) and Jira Data Center
//!   (`/rest/api/2`) on one port.
//! * [`feishu`]: Feishu Project (飞书项目) `/open_api`: plugin tokens,
//!   acting users, idempotent man-hour records.
//! * [`redmine`]: Redmine 5.0's REST API (`.json` paths, API keys,
//!   switch-user, time entries with a custom field).
//! * [`tapd`]: TAPD's open API (Basic auth, `{status,data,info}`,
//!   workspaces, tasks, stories, timesheets one per item, day and owner).
//! * [`zentao`]: ZenTao's RESTful API v1 (`/zentao/api.php/v1`, session
//!   tokens, efforts on tasks in the shapes of ZenTao 18 or 20).

pub mod common;
pub mod feishu;
pub mod jira;
pub mod redmine;
pub mod tapd;
pub mod zentao;

pub use common::faults::{Fault, FaultScope, Faults};
pub use common::stats::Stats;
