//! Sync jobs as the pages see them: connection pairs (a DingTalk source and
//! a PM target), their runs, each run's steps, failed items and log lines.
//! Plain data shared by the browser bundle and the server.

use serde::{Deserialize, Serialize};

/// How a run ended, or where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    Queued,
    Running,
    Succeeded,
    PartiallySucceeded,
    Failed,
    Cancelled,
}

impl RunState {
    pub const ALL: [RunState; 6] = [
        RunState::Queued,
        RunState::Running,
        RunState::Succeeded,
        RunState::PartiallySucceeded,
        RunState::Failed,
        RunState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RunState::Queued => "queued",
            RunState::Running => "running",
            RunState::Succeeded => "succeeded",
            RunState::PartiallySucceeded => "partially_succeeded",
            RunState::Failed => "failed",
            RunState::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<RunState> {
        RunState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Neither queued nor running.
    pub fn is_finished(self) -> bool {
        !matches!(self, RunState::Queued | RunState::Running)
    }
}

/// What a run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    /// Pull → compute → push → reconcile.
    Sync,
    /// Push again only the items another run failed.
    RetryFailed,
    /// Undo what another run wrote.
    Rollback,
}

impl RunKind {
    pub const ALL: [RunKind; 3] = [RunKind::Sync, RunKind::RetryFailed, RunKind::Rollback];

    pub fn code(self) -> &'static str {
        match self {
            RunKind::Sync => "sync",
            RunKind::RetryFailed => "retry_failed",
            RunKind::Rollback => "rollback",
        }
    }

    pub fn parse(code: &str) -> Option<RunKind> {
        RunKind::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Why a run started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunTrigger {
    /// The pair's schedule.
    Schedule,
    /// Someone started it (a backfill, a retry, a rollback).
    Manual,
    /// DingTalk callbacks asked for person-days to be read again.
    Callback,
    /// A rule, mapping or allocation change: recompute from its date.
    RulesChanged,
    /// The reconciliation page's "fix" action.
    Fix,
    /// A manual correction of hours.
    Correction,
}

impl RunTrigger {
    pub const ALL: [RunTrigger; 6] = [
        RunTrigger::Schedule,
        RunTrigger::Manual,
        RunTrigger::Callback,
        RunTrigger::RulesChanged,
        RunTrigger::Fix,
        RunTrigger::Correction,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RunTrigger::Schedule => "schedule",
            RunTrigger::Manual => "manual",
            RunTrigger::Callback => "callback",
            RunTrigger::RulesChanged => "rules_changed",
            RunTrigger::Fix => "fix",
            RunTrigger::Correction => "correction",
        }
    }

    pub fn parse(code: &str) -> Option<RunTrigger> {
        RunTrigger::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The steps of a run, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Directory,
    Pull,
    Compute,
    Push,
    Reconcile,
    Rollback,
}

impl StepKind {
    pub const ALL: [StepKind; 6] = [
        StepKind::Directory,
        StepKind::Pull,
        StepKind::Compute,
        StepKind::Push,
        StepKind::Reconcile,
        StepKind::Rollback,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StepKind::Directory => "directory",
            StepKind::Pull => "pull",
            StepKind::Compute => "compute",
            StepKind::Push => "push",
            StepKind::Reconcile => "reconcile",
            StepKind::Rollback => "rollback",
        }
    }

    pub fn parse(code: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A connection pair: whose attendance goes to which PM system, for whom,
/// and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairSummary {
    pub id: String,
    pub name: String,
    pub dingtalk_connection_id: String,
    pub dingtalk_name: String,
    pub pm_connection_id: String,
    pub pm_name: String,
    /// DingTalk department ids of the pilot scope (empty with `people`
    /// empty: everyone).
    pub departments: Vec<i64>,
    /// Department names, in the order of `departments`.
    pub department_names: Vec<String>,
    /// DingTalk userids of the pilot scope.
    pub people: Vec<String>,
    /// Cron expressions (5 fields, organisation time zone) and the days
    /// back each run covers.
    pub triggers: Vec<TriggerView>,
    pub enabled: bool,
    /// Set when the pair was paused (by an admin, after failed runs, after
    /// a rollback).
    pub paused_reason: Option<String>,
    /// Scheduled runs that failed in a row.
    pub failure_streak: i64,
    /// After this many failed scheduled runs in a row the pair pauses.
    pub pause_after_failures: i64,
    /// Unix ms.
    pub last_success_at: Option<i64>,
    /// Unix ms; none while paused or disabled.
    pub next_run_at: Option<i64>,
    /// The run queued or running now, if any.
    pub active_run: Option<String>,
    /// DingTalk calls counted this month, and the monthly quota.
    pub dingtalk_calls_month: i64,
    pub dingtalk_quota: i64,
}

/// One schedule line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerView {
    pub cron: String,
    pub days_back: u32,
}

/// What the pair form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairInput {
    pub name: String,
    pub dingtalk_connection_id: String,
    pub pm_connection_id: String,
    #[serde(default)]
    pub departments: Vec<i64>,
    #[serde(default)]
    pub people: Vec<String>,
    /// Empty: the default schedule.
    #[serde(default)]
    pub triggers: Vec<TriggerView>,
    #[serde(default = "default_pause_after")]
    pub pause_after_failures: i64,
}

fn default_pause_after() -> i64 {
    3
}

/// A manual run (backfill) over any dates, optionally narrowed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartRun {
    pub pair_id: String,
    /// `YYYY-MM-DD`.
    pub first: String,
    pub last: String,
    /// Narrow to these departments or people (within the pair's scope).
    #[serde(default)]
    pub departments: Vec<i64>,
    #[serde(default)]
    pub people: Vec<String>,
}

/// The longest manual run.
pub const MAX_RUN_DAYS: i64 = 366;

/// Filters of the runs list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunFilter {
    #[serde(default)]
    pub pair_id: Option<String>,
    #[serde(default)]
    pub state: Option<RunState>,
    #[serde(default)]
    pub trigger: Option<RunTrigger>,
    /// From 0.
    #[serde(default)]
    pub page: i64,
}

/// Runs per page of the list.
pub const RUNS_PER_PAGE: i64 = 50;

/// One run, as the list and the live progress show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRow {
    pub id: String,
    pub pair_id: String,
    pub pair_name: String,
    pub kind: RunKind,
    pub trigger: RunTrigger,
    pub state: RunState,
    pub first_day: String,
    pub last_day: String,
    /// The narrowing, as text (`""`: the pair's whole scope).
    pub scope: String,
    /// For a retry or rollback: the run it acts on.
    pub target_run: Option<String>,
    pub requested_by: Option<String>,
    /// Unix ms.
    pub queued_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// Units of work done and planned (batches of people per step).
    pub progress_done: i64,
    pub progress_total: i64,
    pub records_in: i64,
    pub records_out: i64,
    pub skipped: i64,
    pub failed: i64,
    /// Why the run failed as a whole.
    pub error: Option<String>,
    pub cancel_requested: bool,
}

impl RunRow {
    /// Percent done, 0–100 (a finished run is 100).
    pub fn percent(&self) -> u32 {
        if self.state.is_finished() {
            return 100;
        }
        if self.progress_total <= 0 {
            return 0;
        }
        let done = self.progress_done.clamp(0, self.progress_total);
        u32::try_from(done * 100 / self.progress_total).unwrap_or(0)
    }
}

/// A page of runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunPage {
    pub runs: Vec<RunRow>,
    pub total: i64,
}

/// One step of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRow {
    pub step: StepKind,
    /// `pending`, `running`, `done`, `failed`, `skipped`.
    pub status: String,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub records_in: i64,
    pub records_out: i64,
    pub skipped: i64,
    pub failed: i64,
    pub detail: Option<String>,
}

/// An item that failed for good (or after its retries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedItem {
    /// The worklog's external id, or `userid:date` for a person-day that
    /// gave no lines.
    pub key: String,
    pub userid: String,
    pub person_name: String,
    pub work_date: String,
    pub step: StepKind,
    /// A stable code (`rejected`, `unmatched_person`, `missing_mapping`,
    /// `throttled`…).
    pub reason: String,
    /// The upstream system's own message, or ours.
    pub message: String,
    pub attempts: i64,
    /// The run that retried it, if one did.
    pub retried_by: Option<String>,
}

/// One log line of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    pub at: i64,
    /// `info`, `warn`, `error`.
    pub level: String,
    pub message: String,
}

/// Everything the run page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunDetail {
    pub run: RunRow,
    pub steps: Vec<StepRow>,
    pub failed_items: Vec<FailedItem>,
    pub log: Vec<LogLine>,
    pub can_cancel: bool,
    pub can_retry_failed: bool,
    pub can_roll_back: bool,
}

/// A manual correction (手工补录): the hours of one person-day, set by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionInput {
    /// A DingTalk userid or an active person's exact name.
    pub person: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Decimal hours (`7.5`), 0–24.
    pub hours: String,
    /// Why (mandatory): shown in the audit log, the run and the worklog text.
    pub reason: String,
}

/// The longest reason kept.
pub const MAX_REASON_CHARS: usize = 500;

/// A correction in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRow {
    pub id: String,
    pub userid: String,
    pub person_name: String,
    pub date: String,
    pub hours: String,
    pub reason: String,
    pub made_by: String,
    pub made_at: i64,
}

/// What saving a correction did: the correction, and the runs queued to
/// push it (one per connection pair covering the person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionSaved {
    pub correction: CorrectionRow,
    pub runs: Vec<String>,
}

/// What the reconciliation page compares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconQuery {
    pub pair_id: String,
    /// `YYYY-MM-DD`.
    pub first: String,
    pub last: String,
    /// Only this department (and its sub-departments).
    #[serde(default)]
    pub department: Option<i64>,
    /// Only these people (userids or names).
    #[serde(default)]
    pub people: Vec<String>,
    /// Only rows with this finding (`missing`, `duplicated`, `different`,
    /// `extra`, `over_logged`); none: every row with a finding.
    #[serde(default)]
    pub finding: Option<String>,
    /// Every person-day, findings or not.
    #[serde(default)]
    pub all: bool,
}

/// The longest range one reconciliation reads.
pub const MAX_RECON_DAYS: i64 = 62;

/// One person-day compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconRow {
    pub userid: String,
    pub person_name: String,
    pub date: String,
    /// Decimal hours; none when the day was not computed yet.
    pub attended: Option<String>,
    /// Hours HourBridge computed for the target.
    pub computed: String,
    /// Hours the target holds in HourBridge's worklogs.
    pub by_hourbridge: String,
    /// Hours the target holds in worklogs logged by hand.
    pub by_hand: String,
    /// Finding codes, in order.
    pub findings: Vec<String>,
}

/// The reconciliation page's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconReport {
    pub rows: Vec<ReconRow>,
    /// Person-days compared.
    pub compared: i64,
    /// Rows per finding code.
    pub counts: Vec<(String, i64)>,
}

/// The rows to fix: a push over these person-days, after reading the
/// target back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixRows {
    pub pair_id: String,
    /// `userid` and `YYYY-MM-DD` of each row.
    pub rows: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in RunState::ALL {
            assert_eq!(RunState::parse(s.code()), Some(s));
        }
        for k in RunKind::ALL {
            assert_eq!(RunKind::parse(k.code()), Some(k));
        }
        for t in RunTrigger::ALL {
            assert_eq!(RunTrigger::parse(t.code()), Some(t));
        }
        for s in StepKind::ALL {
            assert_eq!(StepKind::parse(s.code()), Some(s));
        }
        assert_eq!(RunState::parse("done"), None);
    }

    #[test]
    fn percent_is_bounded_and_finished_runs_are_full() {
        let mut row = RunRow {
            id: "r".into(),
            pair_id: "p".into(),
            pair_name: "P".into(),
            kind: RunKind::Sync,
            trigger: RunTrigger::Manual,
            state: RunState::Running,
            first_day: "2026-11-01".into(),
            last_day: "2026-11-30".into(),
            scope: String::new(),
            target_run: None,
            requested_by: None,
            queued_at: 0,
            started_at: None,
            finished_at: None,
            progress_done: 3,
            progress_total: 12,
            records_in: 0,
            records_out: 0,
            skipped: 0,
            failed: 0,
            error: None,
            cancel_requested: false,
        };
        assert_eq!(row.percent(), 25);
        row.progress_done = 40;
        assert_eq!(row.percent(), 100);
        row.progress_total = 0;
        assert_eq!(row.percent(), 0);
        row.state = RunState::Failed;
        assert_eq!(row.percent(), 100);
    }
}
