//! The tables of the run page: the steps, the failed items (a row opens
//! the full message) and the log.

use super::labels::{level_label, reason_label, step_label, step_status_label};
use crate::components::time::{elapsed, LocalTime};
use crate::i18n::*;
use hourbridge_domain::sync::{FailedItem, LogLine, StepRow};
use leptos::prelude::*;
use std::collections::HashSet;

#[component]
pub fn Steps(steps: Vec<StepRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2 class="section-title">{t!(i18n, sync.steps_title)}</h2>
        {if steps.is_empty() {
            view! { <p class="empty">{t!(i18n, sync.no_steps)}</p> }.into_any()
        } else {
            view! {
                <table class="table" data-testid="steps-table">
                    <thead>
                        <tr>
                            <th>{t!(i18n, sync.step)}</th>
                            <th>{t!(i18n, sync.state)}</th>
                            <th>{t!(i18n, sync.started)}</th>
                            <th>{t!(i18n, sync.duration)}</th>
                            <th class="num">{t!(i18n, sync.records_in)}</th>
                            <th class="num">{t!(i18n, sync.records_out)}</th>
                            <th class="num">{t!(i18n, sync.skipped)}</th>
                            <th class="num">{t!(i18n, sync.failed)}</th>
                            <th>{t!(i18n, sync.detail)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {steps.into_iter().map(|s| {
                            let (step, status) = (s.step, s.status.clone());
                            let class = format!("step-status {status}");
                            view! {
                                <tr data-testid="step" data-step=step.code() data-status=s.status.clone()>
                                    <td>{move || step_label(i18n, step)}</td>
                                    <td><span class=class>{move || step_status_label(i18n, &status)}</span></td>
                                    <td><LocalTime at=s.started_at /></td>
                                    <td class="nowrap">{move || elapsed(i18n, s.started_at, s.finished_at)}</td>
                                    <td class="num">{s.records_in}</td>
                                    <td class="num">{s.records_out}</td>
                                    <td class="num">{s.skipped}</td>
                                    <td class="num">{s.failed}</td>
                                    <td>{s.detail.clone().unwrap_or_default()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

/// The items that failed; a row opens the upstream system's full message.
#[component]
pub fn FailedItems(items: Vec<FailedItem>, expanded: RwSignal<HashSet<String>>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! {
            <h2 class="section-title">{t!(i18n, sync.failed_title)}</h2>
            <p class="empty" data-testid="no-failed-items">{t!(i18n, sync.no_failed_items)}</p>
        }
        .into_any();
    }
    view! {
        <h2 class="section-title">{t!(i18n, sync.failed_title)}</h2>
        <p class="hint">{t!(i18n, sync.failed_hint)}</p>
        <table class="table failed-items" data-testid="failed-items">
            <thead>
                <tr>
                    <th>{t!(i18n, sync.person)}</th>
                    <th>{t!(i18n, sync.date)}</th>
                    <th>{t!(i18n, sync.step)}</th>
                    <th>{t!(i18n, sync.reason)}</th>
                    <th>{t!(i18n, sync.message)}</th>
                    <th class="num">{t!(i18n, sync.attempts)}</th>
                    <th>{t!(i18n, sync.retried_by)}</th>
                </tr>
            </thead>
            <tbody>
                {items.into_iter().map(|item| {
                    let key = item.key.clone();
                    let open = {
                        let key = key.clone();
                        Signal::derive(move || expanded.with(|e| e.contains(&key)))
                    };
                    let toggle = {
                        let key = key.clone();
                        move |_| expanded.update(|e| {
                            if !e.remove(&key) {
                                e.insert(key.clone());
                            }
                        })
                    };
                    let (step, reason) = (item.step, item.reason.clone());
                    let message = item.message.clone();
                    view! {
                        <tr class="failed-item" data-testid="failed-item" data-key=key.clone() data-reason=item.reason.clone()
                            aria-expanded=move || if open.get() { "true" } else { "false" } on:click=toggle>
                            <td>{item.person_name.clone()} <div class="muted"><code>{item.userid.clone()}</code></div></td>
                            <td class="nowrap">{item.work_date.clone()}</td>
                            <td>{move || step_label(i18n, step)}</td>
                            <td>{move || reason_label(i18n, &reason)} <div class="muted"><code>{item.reason.clone()}</code></div></td>
                            <td class="message">
                                <button type="button" class="link-button message-toggle" data-testid="show-message"
                                    aria-expanded=move || if open.get() { "true" } else { "false" }>
                                    <span class="truncate">{item.message.clone()}</span>
                                </button>
                            </td>
                            <td class="num">{item.attempts}</td>
                            <td>
                                {item.retried_by.clone().map(|run| view! {
                                    <a href=format!("/sync/runs/{run}") data-testid="retried-by">{t!(i18n, sync.open_run)}</a>
                                })}
                            </td>
                        </tr>
                        <Show when=move || open.get()>
                            <tr class="failed-message-row">
                                <td colspan="7"><pre class="failed-message" data-testid="failed-message">{message.clone()}</pre></td>
                            </tr>
                        </Show>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn Log(lines: Vec<LogLine>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2 class="section-title">{t!(i18n, sync.log_title)}</h2>
        {if lines.is_empty() {
            view! { <p class="empty">{t!(i18n, sync.no_log)}</p> }.into_any()
        } else {
            view! {
                <table class="table run-log" data-testid="run-log">
                    <thead>
                        <tr>
                            <th>{t!(i18n, sync.time)}</th>
                            <th>{t!(i18n, sync.level)}</th>
                            <th>{t!(i18n, sync.message)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {lines.into_iter().map(|l| {
                            let level = l.level.clone();
                            view! {
                                <tr data-testid="log-line" data-level=l.level.clone()>
                                    <td><LocalTime at=Some(l.at) /></td>
                                    <td><span class=format!("level {}", l.level)>{move || level_label(i18n, &level)}</span></td>
                                    <td class="log-message">{l.message.clone()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
