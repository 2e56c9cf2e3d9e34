//! The runs list on the sync page: filters (pair, state, trigger) in the
//! address, a page of runs newest first, each row following its run's live
//! progress.

use super::labels::{kind_label, state_label, trigger_label, ProgressBar, StateBadge};
use super::live::newer;
use super::SyncState;
use crate::api::AppError;
use crate::components::layout::ErrorBanner;
use crate::components::time::{elapsed, LocalTime};
use crate::i18n::*;
use hourbridge_domain::sync::{RunFilter, RunPage, RunRow, RunState, RunTrigger, RUNS_PER_PAGE};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::params::ParamsMap;

/// The list's filters from the address (`?pair=&state=&trigger=&page=`,
/// pages counted from 1 there).
pub fn filter_from(query: &ParamsMap) -> RunFilter {
    RunFilter {
        pair_id: query.get("pair").filter(|p| !p.is_empty()),
        state: query.get("state").and_then(|s| RunState::parse(&s)),
        trigger: query.get("trigger").and_then(|t| RunTrigger::parse(&t)),
        page: query
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .max(1)
            - 1,
    }
}

/// The address of `page` (from 0) of the list under `filter`.
fn page_link(filter: &RunFilter, page: i64) -> String {
    format!(
        "/sync?pair={}&state={}&trigger={}&page={}",
        filter.pair_id.as_deref().unwrap_or_default(),
        filter.state.map(RunState::code).unwrap_or_default(),
        filter.trigger.map(RunTrigger::code).unwrap_or_default(),
        page + 1
    )
}

#[component]
pub fn RunsList(
    runs: Resource<Result<RunPage, AppError>>,
    filter: Memo<RunFilter>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<SyncState>();
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let pairs = state.pairs.await.unwrap_or_default();
                view! {
                    <Form method="GET" action="/sync" attr:class="form inline-form filters" attr:data-testid="run-filters">
                        <label for="run-pair-filter">{t!(i18n, sync.pair)}</label>
                        <select id="run-pair-filter" name="pair" data-testid="filter-pair">
                            <option value="" selected=move || filter.with(|f| f.pair_id.is_none())>{t!(i18n, sync.all_pairs)}</option>
                            {pairs.into_iter().map(|p| {
                                let id = p.id.clone();
                                view! {
                                    <option value=p.id.clone() selected=move || filter.with(|f| f.pair_id.as_deref() == Some(id.as_str()))>
                                        {p.name.clone()}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                        <label for="run-state-filter">{t!(i18n, sync.state)}</label>
                        <select id="run-state-filter" name="state" data-testid="filter-state">
                            <option value="" selected=move || filter.with(|f| f.state.is_none())>{t!(i18n, sync.all_states)}</option>
                            {RunState::ALL.into_iter().map(|s| view! {
                                <option value=s.code() selected=move || filter.with(|f| f.state == Some(s))>
                                    {move || state_label(i18n, s)}
                                </option>
                            }).collect_view()}
                        </select>
                        <label for="run-trigger-filter">{t!(i18n, sync.trigger)}</label>
                        <select id="run-trigger-filter" name="trigger" data-testid="filter-trigger">
                            <option value="" selected=move || filter.with(|f| f.trigger.is_none())>{t!(i18n, sync.all_triggers)}</option>
                            {RunTrigger::ALL.into_iter().map(|t| view! {
                                <option value=t.code() selected=move || filter.with(|f| f.trigger == Some(t))>
                                    {move || trigger_label(i18n, t)}
                                </option>
                            }).collect_view()}
                        </select>
                        <button type="submit" data-testid="apply-filters">{t!(i18n, sync.filter)}</button>
                    </Form>
                }
            })}
        </Transition>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match runs.await {
                    Ok(found) if found.runs.is_empty() => view! {
                        <p class="empty" data-testid="no-runs">{t!(i18n, sync.no_runs)}</p>
                    }.into_any(),
                    Ok(found) => {
                        let current = filter.with_untracked(|f| f.page);
                        let pages = ((found.total + RUNS_PER_PAGE - 1) / RUNS_PER_PAGE).max(1);
                        let total = found.total;
                        let f = filter.get_untracked();
                        view! {
                            <div class="table-scroll">
                                <table class="table runs-table" data-testid="runs-table">
                                    <thead>
                                        <tr>
                                            <th>{t!(i18n, sync.state)}</th>
                                            <th>{t!(i18n, sync.kind)}</th>
                                            <th>{t!(i18n, sync.trigger)}</th>
                                            <th>{t!(i18n, sync.pair)}</th>
                                            <th>{t!(i18n, sync.dates)}</th>
                                            <th>{t!(i18n, sync.scope)}</th>
                                            <th>{t!(i18n, sync.started)}</th>
                                            <th>{t!(i18n, sync.duration)}</th>
                                            <th class="num">{t!(i18n, sync.records_in)}</th>
                                            <th class="num">{t!(i18n, sync.records_out)}</th>
                                            <th class="num">{t!(i18n, sync.skipped)}</th>
                                            <th class="num">{t!(i18n, sync.failed)}</th>
                                            <th>{t!(i18n, sync.progress)}</th>
                                            <th></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {found.runs.into_iter().map(|initial| view! { <RunLine initial /> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <div class="pager">
                                {(current > 0).then(|| view! { <a href=page_link(&f, current - 1)>{t!(i18n, sync.previous)}</a> })}
                                <span data-testid="runs-total">
                                    {move || t_string!(i18n, sync.page_info, page = current + 1, pages, total).to_string()}
                                </span>
                                {(current + 1 < pages).then(|| view! { <a href=page_link(&f, current + 1)>{t!(i18n, sync.next)}</a> })}
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One run of the list, as fetched or as the live events report it since.
#[component]
fn RunLine(initial: RunRow) -> impl IntoView {
    let i18n = use_i18n();
    let live = expect_context::<SyncState>().live;
    let id = initial.id.clone();
    let row = Memo::new({
        let id = id.clone();
        move |_| match live.with(|m| m.get(&id).cloned()) {
            Some(l) => newer(initial.clone(), l),
            None => initial.clone(),
        }
    });
    let count = move |f: fn(&RunRow) -> i64| move || row.with(f);
    let href = format!("/sync/runs/{id}");
    view! {
        <tr data-testid="run-row" data-run-id=id.clone() data-state=move || row.with(|r| r.state.code())>
            <td><StateBadge state=Signal::derive(move || row.with(|r| r.state)) /></td>
            <td>{move || kind_label(i18n, row.with(|r| r.kind))}</td>
            <td>{move || trigger_label(i18n, row.with(|r| r.trigger))}</td>
            <td>{move || row.with(|r| r.pair_name.clone())}</td>
            <td class="nowrap">{move || row.with(|r| format!("{} – {}", r.first_day, r.last_day))}</td>
            <td>{move || row.with(|r| if r.scope.is_empty() { t_string!(i18n, sync.whole_scope).to_string() } else { r.scope.clone() })}</td>
            <td><LocalTime at=Signal::derive(move || row.with(|r| r.started_at)) /></td>
            <td class="nowrap">{move || row.with(|r| elapsed(i18n, r.started_at, r.finished_at))}</td>
            <td class="num" data-testid="records-in">{count(|r| r.records_in)}</td>
            <td class="num" data-testid="records-out">{count(|r| r.records_out)}</td>
            <td class="num" data-testid="records-skipped">{count(|r| r.skipped)}</td>
            <td class="num" data-testid="records-failed">{count(|r| r.failed)}</td>
            <td class="progress-cell">
                {move || (!row.with(|r| r.state.is_finished())).then(|| view! {
                    <ProgressBar percent=Signal::derive(move || row.with(RunRow::percent)) />
                })}
            </td>
            <td><a href=href data-testid="run-link">{t!(i18n, sync.details)}</a></td>
        </tr>
    }
}
