//! One run (admins): what it was asked to do, its live progress, its steps,
//! the items that failed (with the upstream system's own words) and its
//! log; and the actions on it — cancel, retry the failed items, roll back
//! (after a second, confirming click).

use super::labels::{kind_label, trigger_label, ProgressBar, StateBadge};
use super::live::{follow_runs, newer};
use super::run_tables::{FailedItems, Log, Steps};
use crate::api::sync::{get_run, CancelRun, RetryFailedRun, RollBackRun};
use crate::components::form::{action_error, FormError};
use crate::components::layout::{AreaGuard, ErrorBanner};
use crate::components::time::{elapsed, LocalTime};
use crate::i18n::*;
use hourbridge_domain::role::Area;
use hourbridge_domain::sync::{RunDetail, RunRow};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use std::collections::HashSet;

/// While a run goes on, its steps and log are read again at most this often.
const DETAIL_REFRESH_MS: i64 = 3_000;

#[component]
pub fn RunPage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::SyncJobs>
            <Run />
        </AreaGuard>
    }
}

/// What the run page's parts share; it outlives the detail's re-reads.
#[derive(Clone, Copy)]
struct RunPageState {
    /// The run as the live events last reported it.
    live: RwSignal<Option<RunRow>>,
    /// "Roll back" was pressed once: the confirming button is shown.
    confirming: RwSignal<bool>,
    /// Failed items whose full message is open, by key.
    expanded: RwSignal<HashSet<String>>,
    cancel: ServerAction<CancelRun>,
    retry: ServerAction<RetryFailedRun>,
    roll_back: ServerAction<RollBackRun>,
}

#[component]
fn Run() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let refresh = RwSignal::new(0u32);
    let state = RunPageState {
        live: RwSignal::new(None),
        confirming: RwSignal::new(false),
        expanded: RwSignal::new(HashSet::new()),
        cancel: ServerAction::new(),
        retry: ServerAction::new(),
        roll_back: ServerAction::new(),
    };
    let (cancel, retry, roll_back) = (state.cancel, state.retry, state.roll_back);
    // An action read again afterwards: a refused one because the run moved on.
    let detail = Resource::new(
        move || {
            (
                id.get(),
                refresh.get(),
                cancel.version().get(),
                retry.version().get(),
                roll_back.version().get(),
            )
        },
        |(id, ..)| get_run(id),
    );

    // Follow this run: each change moves the progress bar; the end, and
    // every few seconds before it, reads steps, failed items and log again.
    let last_read = StoredValue::new(0i64);
    Effect::new(move |_| {
        let id = id.get();
        state.live.set(None);
        state.confirming.set(false);
        state.expanded.set(HashSet::new());
        let reread = move || {
            last_read.set_value(chrono::Utc::now().timestamp_millis());
            refresh.update(|n| *n += 1);
        };
        follow_runs(Some(id.clone()), reread, move |row: RunRow| {
            if row.id != id {
                return;
            }
            let was_finished = state
                .live
                .with_untracked(|l| l.as_ref().is_some_and(|l| l.state.is_finished()));
            let finished = row.state.is_finished();
            state.live.set(Some(row));
            let now = chrono::Utc::now().timestamp_millis();
            if (finished && !was_finished)
                || (!finished && now - last_read.get_value() >= DETAIL_REFRESH_MS)
            {
                reread();
            }
        });
    });

    // A retry or a rollback is a new run: open it.
    let navigate = use_navigate();
    let open_new_run = move |action: Signal<Option<String>>| {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if let Some(run) = action.get().filter(|run| *run != id.get_untracked()) {
                navigate(&format!("/sync/runs/{run}"), Default::default());
            }
        });
    };
    open_new_run(Signal::derive(move || {
        retry.value().get().and_then(|r| r.ok()).map(|r| r.id)
    }));
    open_new_run(Signal::derive(move || {
        roll_back.value().get().and_then(|r| r.ok()).map(|r| r.id)
    }));

    view! {
        <section class="page run-page">
            <p><a href="/sync" data-testid="back-to-sync">{t!(i18n, sync.back)}</a></p>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <RunView detail=d state /> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RunView(detail: RunDetail, state: RunPageState) -> impl IntoView {
    let i18n = use_i18n();
    let fetched = detail.run.clone();
    let row = Memo::new(move |_| match state.live.get() {
        Some(live) => newer(fetched.clone(), live),
        None => fetched.clone(),
    });
    let r = detail.run.clone();
    let id = r.id.clone();
    let kind = r.kind;
    let trigger = r.trigger;
    let finished = Signal::derive(move || row.with(|r| r.state.is_finished()));
    let errors = [
        action_error(state.cancel),
        action_error(state.retry),
        action_error(state.roll_back),
    ];
    let error = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    let count = move |f: fn(&RunRow) -> i64| move || row.with(f);
    let (can_cancel, can_retry, can_roll_back) = (
        detail.can_cancel,
        detail.can_retry_failed,
        detail.can_roll_back,
    );
    let (id_cancel, id_retry, id_roll_back) = (id.clone(), id.clone(), id.clone());
    view! {
        <div class="card run-head" data-testid="run-header" data-run-id=id.clone() data-kind=kind.code() data-trigger=trigger.code()>
            <div class="card-head">
                <h1>{move || t_string!(i18n, sync.run_title, kind = kind_label(i18n, kind), pair = r.pair_name.clone()).to_string()}</h1>
                <StateBadge state=Signal::derive(move || row.with(|r| r.state)) />
            </div>
            <ProgressBar percent=Signal::derive(move || row.with(RunRow::percent)) />
            {move || row.with(|r| r.cancel_requested && !r.state.is_finished()).then(|| view! {
                <p class="hint warn" data-testid="cancel-requested">{t!(i18n, sync.cancel_requested)}</p>
            })}
            {move || row.with(|r| r.error.clone()).map(|e| view! {
                <p class="banner banner-error" role="alert" data-testid="run-error">{e}</p>
            })}
            <dl class="facts">
                <dt>{t!(i18n, sync.kind)}</dt><dd>{move || kind_label(i18n, kind)}</dd>
                <dt>{t!(i18n, sync.trigger)}</dt><dd>{move || trigger_label(i18n, trigger)}</dd>
                <dt>{t!(i18n, sync.pair)}</dt>
                <dd><a href=format!("/sync?pair={}", detail.run.pair_id)>{detail.run.pair_name.clone()}</a></dd>
                <dt>{t!(i18n, sync.dates)}</dt>
                <dd data-testid="run-dates">{format!("{} – {}", detail.run.first_day, detail.run.last_day)}</dd>
                <dt>{t!(i18n, sync.scope)}</dt>
                <dd>{if detail.run.scope.is_empty() { t_string!(i18n, sync.whole_scope).to_string() } else { detail.run.scope.clone() }}</dd>
                {detail.run.target_run.clone().map(|target| view! {
                    <dt>{t!(i18n, sync.acts_on)}</dt>
                    <dd><a href=format!("/sync/runs/{target}") data-testid="target-run">{t!(i18n, sync.open_run)}</a></dd>
                })}
                <dt>{t!(i18n, sync.requested_by)}</dt>
                <dd>{detail.run.requested_by.clone().unwrap_or_else(|| t_string!(i18n, sync.system).to_string())}</dd>
                <dt>{t!(i18n, sync.queued)}</dt><dd><LocalTime at=Some(detail.run.queued_at) /></dd>
                <dt>{t!(i18n, sync.started)}</dt><dd><LocalTime at=Signal::derive(move || row.with(|r| r.started_at)) /></dd>
                <dt>{t!(i18n, sync.finished)}</dt><dd><LocalTime at=Signal::derive(move || row.with(|r| r.finished_at)) /></dd>
                <dt>{t!(i18n, sync.duration)}</dt>
                <dd>{move || row.with(|r| elapsed(i18n, r.started_at, r.finished_at))}</dd>
                <dt>{t!(i18n, sync.records)}</dt>
                <dd class="counts">
                    {t!(i18n, sync.records_in)} " " <strong data-testid="records-in">{count(|r| r.records_in)}</strong> " · "
                    {t!(i18n, sync.records_out)} " " <strong data-testid="records-out">{count(|r| r.records_out)}</strong> " · "
                    {t!(i18n, sync.skipped)} " " <strong data-testid="records-skipped">{count(|r| r.skipped)}</strong> " · "
                    {t!(i18n, sync.failed)} " " <strong data-testid="records-failed">{count(|r| r.failed)}</strong>
                </dd>
            </dl>
            <FormError error />
            {move || error.get().and_then(|e| e.field("run")).map(|_| view! {
                <p class="field-problem" data-field="run" role="alert">{t!(i18n, sync.action_refused)}</p>
            })}
            <div class="row-actions">
                {can_retry.then(|| view! {
                    <button type="button" class="primary" data-testid="retry-failed"
                        disabled=move || state.retry.pending().get() || !finished.get()
                        on:click=move |_| { state.retry.dispatch(RetryFailedRun { id: id_retry.clone() }); }>
                        {t!(i18n, sync.retry_failed)}
                    </button>
                })}
                {can_cancel.then(|| view! {
                    <Show when=move || !finished.get()>
                        <button type="button" class="danger" data-testid="cancel-run"
                            disabled=move || state.cancel.pending().get() || row.with(|r| r.cancel_requested)
                            on:click={
                                let id = id_cancel.clone();
                                move |_| { state.cancel.dispatch(CancelRun { id: id.clone() }); }
                            }>
                            {t!(i18n, sync.cancel_run)}
                        </button>
                    </Show>
                })}
                {can_roll_back.then(|| view! { <RollBack id=id_roll_back.clone() state finished /> })}
            </div>
        </div>
        <Steps steps=detail.steps />
        <FailedItems items=detail.failed_items expanded=state.expanded />
        <Log lines=detail.log />
    }
}

/// "Roll back", then "Confirm roll back" (or "Keep the run").
#[component]
fn RollBack(id: String, state: RunPageState, finished: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let confirming = state.confirming;
    view! {
        <Show when=move || confirming.get()
            fallback=move || view! {
                <button type="button" data-testid="roll-back" disabled=move || !finished.get()
                    on:click=move |_| confirming.set(true)>
                    {t!(i18n, sync.roll_back)}
                </button>
            }>
            <span class="confirm" role="group" data-testid="roll-back-confirmation">
                <span class="hint warn">{t!(i18n, sync.roll_back_warning)}</span>
                <button type="button" class="danger" data-testid="confirm-roll-back"
                    disabled=move || state.roll_back.pending().get()
                    on:click={
                        let id = id.clone();
                        move |_| { state.roll_back.dispatch(RollBackRun { id: id.clone() }); }
                    }>
                    {t!(i18n, sync.confirm_roll_back)}
                </button>
                <button type="button" data-testid="keep-run" on:click=move |_| confirming.set(false)>
                    {t!(i18n, sync.keep_run)}
                </button>
            </span>
        </Show>
    }
}
