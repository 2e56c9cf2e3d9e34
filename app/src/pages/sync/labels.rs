//! Translated names of run states, kinds, triggers, steps and failure
//! reasons, and the small pieces every sync page shows: the state badge and
//! the progress bar.

use crate::i18n::*;
use hourbridge_domain::sync::{RunKind, RunState, RunTrigger, StepKind};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

type I18n = I18nContext<Locale>;

pub fn state_label(i18n: I18n, state: RunState) -> String {
    match state {
        RunState::Queued => t_string!(i18n, sync.states.queued).to_string(),
        RunState::Running => t_string!(i18n, sync.states.running).to_string(),
        RunState::Succeeded => t_string!(i18n, sync.states.succeeded).to_string(),
        RunState::PartiallySucceeded => {
            t_string!(i18n, sync.states.partially_succeeded).to_string()
        }
        RunState::Failed => t_string!(i18n, sync.states.failed).to_string(),
        RunState::Cancelled => t_string!(i18n, sync.states.cancelled).to_string(),
    }
}

pub fn kind_label(i18n: I18n, kind: RunKind) -> String {
    match kind {
        RunKind::Sync => t_string!(i18n, sync.kinds.sync).to_string(),
        RunKind::RetryFailed => t_string!(i18n, sync.kinds.retry_failed).to_string(),
        RunKind::Rollback => t_string!(i18n, sync.kinds.rollback).to_string(),
    }
}

pub fn trigger_label(i18n: I18n, trigger: RunTrigger) -> String {
    match trigger {
        RunTrigger::Schedule => t_string!(i18n, sync.triggers.schedule).to_string(),
        RunTrigger::Manual => t_string!(i18n, sync.triggers.manual).to_string(),
        RunTrigger::Callback => t_string!(i18n, sync.triggers.callback).to_string(),
        RunTrigger::RulesChanged => t_string!(i18n, sync.triggers.rules_changed).to_string(),
        RunTrigger::Fix => t_string!(i18n, sync.triggers.fix).to_string(),
        RunTrigger::Correction => t_string!(i18n, sync.triggers.correction).to_string(),
    }
}

pub fn step_label(i18n: I18n, step: StepKind) -> String {
    match step {
        StepKind::Directory => t_string!(i18n, sync.steps.directory).to_string(),
        StepKind::Pull => t_string!(i18n, sync.steps.pull).to_string(),
        StepKind::Compute => t_string!(i18n, sync.steps.compute).to_string(),
        StepKind::Push => t_string!(i18n, sync.steps.push).to_string(),
        StepKind::Reconcile => t_string!(i18n, sync.steps.reconcile).to_string(),
        StepKind::Rollback => t_string!(i18n, sync.steps.rollback).to_string(),
    }
}

/// A step's status code (`pending`, `running`, `done`, `failed`, `skipped`).
pub fn step_status_label(i18n: I18n, status: &str) -> String {
    match status {
        "pending" => t_string!(i18n, sync.step_status.pending).to_string(),
        "running" => t_string!(i18n, sync.step_status.running).to_string(),
        "done" => t_string!(i18n, sync.step_status.done).to_string(),
        "failed" => t_string!(i18n, sync.step_status.failed).to_string(),
        "skipped" => t_string!(i18n, sync.step_status.skipped).to_string(),
        other => other.to_owned(),
    }
}

/// A failed item's reason code in words; an unknown code as it is.
pub fn reason_label(i18n: I18n, reason: &str) -> String {
    match reason {
        "rejected" => t_string!(i18n, sync.reasons.rejected).to_string(),
        "unmatched_person" => t_string!(i18n, sync.reasons.unmatched_person).to_string(),
        "missing_mapping" => t_string!(i18n, sync.reasons.missing_mapping).to_string(),
        "throttled" => t_string!(i18n, sync.reasons.throttled).to_string(),
        other => other.to_owned(),
    }
}

/// A log line's level (`info`, `warn`, `error`).
pub fn level_label(i18n: I18n, level: &str) -> String {
    match level {
        "info" => t_string!(i18n, sync.levels.info).to_string(),
        "warn" => t_string!(i18n, sync.levels.warn).to_string(),
        "error" => t_string!(i18n, sync.levels.error).to_string(),
        other => other.to_owned(),
    }
}

fn state_class(state: RunState) -> &'static str {
    match state {
        RunState::Queued => "badge run-state queued",
        RunState::Running => "badge run-state running",
        RunState::Succeeded => "badge run-state ok",
        RunState::PartiallySucceeded => "badge run-state partial",
        RunState::Failed => "badge run-state warn",
        RunState::Cancelled => "badge run-state muted",
    }
}

/// The run's state as a coloured badge (`data-state` carries its code).
#[component]
pub fn StateBadge(#[prop(into)] state: Signal<RunState>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=move || state_class(state.get()) data-testid="run-state" data-state=move || state.get().code()>
            {move || state_label(i18n, state.get())}
        </span>
    }
}

/// How far a run is, 0–100.
#[component]
pub fn ProgressBar(#[prop(into)] percent: Signal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
            aria-valuenow=move || percent.get() data-testid="run-progress"
            aria-label=move || t_string!(i18n, sync.progress).to_string()>
            <div class="progress-fill" style=move || format!("width: {}%", percent.get().min(100))></div>
            <span class="progress-text">{move || format!("{} %", percent.get())}</span>
        </div>
    }
}
