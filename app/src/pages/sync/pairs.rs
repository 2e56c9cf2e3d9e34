//! Connection pairs on the sync page: one card per pair (route, scope,
//! schedule, health, quota, actions), and the notice that offers to
//! backfill the people an edit added.

use super::{month_start, shift_day, SyncState};
use crate::api::sync::SetPairPaused;
use crate::components::time::LocalTime;
use crate::i18n::*;
use hourbridge_domain::sync::PairSummary;
use leptos::prelude::*;

#[component]
pub fn PairCard(
    summary: PairSummary,
    /// Names of the pair's people, in the order of `summary.people`.
    people: Vec<String>,
    /// The organisation's local date today.
    today: String,
    pause: ServerAction<SetPairPaused>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<SyncState>();
    let paused = !summary.enabled || summary.paused_reason.is_some();
    let everyone = summary.departments.is_empty() && summary.people.is_empty();
    let departments = summary.department_names.join("、");
    let people = people.join("、");
    let (used, quota) = (summary.dingtalk_calls_month, summary.dingtalk_quota);
    let percent = used
        .max(0)
        .saturating_mul(100)
        .checked_div(quota)
        .map_or(0, |p| p.min(100));
    let over = quota > 0 && used >= quota;
    let (streak, limit) = (summary.failure_streak, summary.pause_after_failures);
    let pause_id = summary.id.clone();
    let edit = {
        let summary = summary.clone();
        move |_| {
            state.widened.set(None);
            state.form.set(Some(summary.clone()));
        }
    };
    let run_now = {
        let id = summary.id.clone();
        move |_| {
            let (first, last) = (shift_day(&today, -1), today.clone());
            state.backfill.open_for(&id, first, last, Vec::new(), &[]);
        }
    };
    view! {
        <div class="card pair" data-testid="pair" data-name=summary.name.clone() data-id=summary.id.clone() class:disabled=paused>
            <div class="card-head">
                <h2>{summary.name.clone()}</h2>
                <span class=if paused { "badge warn" } else { "badge ok" } data-testid="pair-status">
                    {move || if paused { t_string!(i18n, sync.paused).to_string() } else { t_string!(i18n, sync.enabled).to_string() }}
                </span>
            </div>
            <p class="pair-route" data-testid="pair-route">
                {summary.dingtalk_name.clone()} " → " {summary.pm_name.clone()}
            </p>
            {summary.paused_reason.clone().map(|reason| view! {
                <p class="hint warn" data-testid="paused-reason">{reason}</p>
            })}
            <dl class="facts">
                <dt>{t!(i18n, sync.scope)}</dt>
                <dd data-testid="pair-scope">
                    {move || if everyone {
                        t_string!(i18n, sync.scope_everyone).to_string()
                    } else {
                        let mut parts = Vec::new();
                        if !departments.is_empty() {
                            parts.push(t_string!(i18n, sync.scope_departments, names = departments.clone()).to_string());
                        }
                        if !people.is_empty() {
                            parts.push(t_string!(i18n, sync.scope_people, names = people.clone()).to_string());
                        }
                        parts.join("；")
                    }}
                </dd>
                <dt>{t!(i18n, sync.schedule)}</dt>
                <dd>
                    <ul class="plain schedule" data-testid="pair-schedule">
                        {summary.triggers.iter().map(|t| {
                            let days = t.days_back;
                            view! {
                                <li><code>{t.cron.clone()}</code> " · " {move || t_string!(i18n, sync.days_back, days).to_string()}</li>
                            }
                        }).collect_view()}
                    </ul>
                </dd>
                <dt>{t!(i18n, sync.last_success)}</dt>
                <dd data-testid="last-success">
                    {match summary.last_success_at {
                        Some(at) => view! { <LocalTime at=Some(at) /> }.into_any(),
                        None => view! { <span class="muted">{t!(i18n, sync.never)}</span> }.into_any(),
                    }}
                </dd>
                <dt>{t!(i18n, sync.failure_streak)}</dt>
                <dd data-testid="failure-streak" class:warn={streak > 0}>
                    {move || t_string!(i18n, sync.failure_streak_value, count = streak, limit).to_string()}
                </dd>
                <dt>{t!(i18n, sync.next_run)}</dt>
                <dd data-testid="next-run">
                    {match summary.next_run_at {
                        Some(at) => view! { <LocalTime at=Some(at) /> }.into_any(),
                        None => view! { <span class="muted">"—"</span> }.into_any(),
                    }}
                </dd>
                <dt>{t!(i18n, sync.active_run)}</dt>
                <dd>
                    {match summary.active_run.clone() {
                        Some(run) => view! {
                            <a href=format!("/sync/runs/{run}") data-testid="active-run">{t!(i18n, sync.open_run)}</a>
                        }.into_any(),
                        None => view! { <span class="muted">{t!(i18n, sync.no_active_run)}</span> }.into_any(),
                    }}
                </dd>
            </dl>
            <div class="quota" data-testid="pair-quota">
                <p>{move || t_string!(i18n, sync.calls_month, used, quota).to_string()}</p>
                <div class="meter" role="meter" aria-valuemin="0" aria-valuemax=quota aria-valuenow=used>
                    <div class="meter-used" class:warn=over style=format!("width: {percent}%")></div>
                </div>
            </div>
            <div class="row-actions">
                <button type="button" class="primary" data-testid="run-pair" on:click=run_now>{t!(i18n, sync.run_now)}</button>
                <button type="button" data-testid="edit-pair" on:click=edit>{t!(i18n, sync.edit)}</button>
                <ActionForm action=pause attr:class="inline">
                    <input type="hidden" name="id" value=pause_id />
                    <input type="hidden" name="paused" value=if paused { "false" } else { "true" } />
                    <button type="submit" data-testid="toggle-pair">
                        {move || if paused { t_string!(i18n, sync.resume).to_string() } else { t_string!(i18n, sync.pause).to_string() }}
                    </button>
                </ActionForm>
            </div>
        </div>
    }
}

/// After an edit added departments or people: their past days are not in
/// the PM system yet. One click opens the backfill form for them.
#[component]
pub fn WidenedNotice() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<SyncState>();
    move || {
        state.widened.get().map(|w| {
            let text = if w.everyone {
                t_string!(i18n, sync.widened_everyone, name = w.pair_name.clone()).to_string()
            } else {
                t_string!(
                    i18n,
                    sync.widened,
                    name = w.pair_name.clone(),
                    departments = w.departments.len(),
                    people = w.people.len()
                )
                .to_string()
            };
            let open = move |_| {
                let today = state
                    .options
                    .with_untracked(|o| o.as_ref().and_then(|o| o.as_ref().ok()).map(|o| o.today.clone()))
                    .unwrap_or_default();
                state.backfill.open_for(
                    &w.pair_id,
                    month_start(&today),
                    today,
                    w.departments.clone(),
                    &w.people,
                );
                state.widened.set(None);
            };
            view! {
                <div class="banner banner-info widened" role="status" data-testid="scope-widened">
                    <span>{text}</span>
                    " "
                    <button type="button" data-testid="backfill-added" on:click=open>{t!(i18n, sync.backfill_added)}</button>
                </div>
            }
        })
    }
}
