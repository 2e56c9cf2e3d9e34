//! A report: the counts per finding, the rows (each with a checkbox; the
//! over-logged ones highlighted), the CSV of the same query, and "fix
//! selected", which queues a run and opens it.

use super::findings::{finding_label, FindingBadge, FINDINGS};
use super::{search_of, ReconState};
use crate::api::reconciliation::FixReconciliation;
use crate::components::form::{action_error, FieldProblem, FormError};
use crate::i18n::*;
use hourbridge_domain::sync::{FixRows, ReconQuery, ReconReport, ReconRow};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::collections::BTreeSet;

/// A row's person-day: `(userid, date)`.
type Key = (String, String);

fn key_of(row: &ReconRow) -> Key {
    (row.userid.clone(), row.date.clone())
}

#[component]
pub fn ReportView(query: ReconQuery, report: ReconReport) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<ReconState>();
    let fix = state.fix;
    let fix_error = action_error(fix);
    let selected = RwSignal::new(BTreeSet::<Key>::new());
    let keys: Vec<Key> = report.rows.iter().map(key_of).collect();

    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(run)) = fix.value().get() {
            if state.opens_runs.get_untracked() {
                navigate(&format!("/sync/runs/{}", run.id), Default::default());
            }
        }
    });

    let csv = format!("/api/sync/reconciliation.csv?{}", search_of(&query));
    let file = format!("reconciliation-{}-{}.csv", query.first, query.last);
    let compared = report.compared;
    let counts = FINDINGS.map(|code| {
        let n = report
            .counts
            .iter()
            .find(|(c, _)| c == code)
            .map_or(0, |(_, n)| *n);
        (code, n)
    });
    let all_keys = keys.clone();
    let everything_selected =
        move || !keys.is_empty() && selected.with(|s| keys.iter().all(|k| s.contains(k)));
    let select_all = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        selected.set(if on {
            all_keys.iter().cloned().collect()
        } else {
            BTreeSet::new()
        });
    };
    let pair_id = query.pair_id.clone();
    let fix_selected = move |_| {
        fix.dispatch(FixReconciliation {
            input: FixRows {
                pair_id: pair_id.clone(),
                rows: selected.get_untracked().into_iter().collect(),
            },
        });
    };
    let count = move || selected.with(BTreeSet::len);
    let rows = report.rows;

    view! {
        <div class="card recon-report" data-testid="recon-report">
            <div class="card-head">
                <h2>{t!(i18n, reconciliation.result_title)}</h2>
                <a class="button" href=csv download=file data-testid="recon-csv">
                    {t!(i18n, reconciliation.download_csv)}
                </a>
            </div>
            <p class="hint" data-testid="recon-compared" data-count=compared>
                {move || t_string!(i18n, reconciliation.compared, count = compared).to_string()}
            </p>
            <div class="recon-counts" data-testid="recon-counts">
                {counts.into_iter().map(|(code, n)| view! {
                    <span class=format!("badge finding {code}") class:zero={n == 0}
                        data-testid="recon-count" data-finding=code data-count=n>
                        {move || finding_label(i18n, code)} " " <strong>{n}</strong>
                    </span>
                }).collect_view()}
            </div>
            {if rows.is_empty() {
                view! { <p class="empty" data-testid="recon-empty">{t!(i18n, reconciliation.no_rows)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="table recon-table" data-testid="recon-table">
                            <thead>
                                <tr>
                                    <th>
                                        <input type="checkbox" data-testid="recon-select-all"
                                            aria-label=move || t_string!(i18n, reconciliation.select_all).to_string()
                                            prop:checked=everything_selected on:change=select_all />
                                    </th>
                                    <th>{t!(i18n, reconciliation.person)}</th>
                                    <th>{t!(i18n, reconciliation.date)}</th>
                                    <th class="num">{t!(i18n, reconciliation.attended)}</th>
                                    <th class="num">{t!(i18n, reconciliation.computed)}</th>
                                    <th class="num">{t!(i18n, reconciliation.by_hourbridge)}</th>
                                    <th class="num">{t!(i18n, reconciliation.by_hand)}</th>
                                    <th>{t!(i18n, reconciliation.findings_title)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! { <Row row selected /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <FormError error=fix_error />
            <FieldProblem error=fix_error field="pair_id" />
            <FieldProblem error=fix_error field="rows" />
            {move || fix.value().get().and_then(|r| r.ok()).filter(|_| !state.opens_runs.get()).map(|_| view! {
                <p class="banner banner-ok" role="status" data-testid="fix-queued">{t!(i18n, reconciliation.fix_queued)}</p>
            })}
            <div class="row-actions">
                <button type="button" class="primary" data-testid="fix-selected"
                    disabled=move || count() == 0 || fix.pending().get()
                    on:click=fix_selected>
                    {move || t_string!(i18n, reconciliation.fix_selected, count = count()).to_string()}
                </button>
            </div>
            <p class="hint">{t!(i18n, reconciliation.fix_hint)}</p>
        </div>
    }
}

#[component]
fn Row(row: ReconRow, selected: RwSignal<BTreeSet<Key>>) -> impl IntoView {
    let i18n = use_i18n();
    let key = key_of(&row);
    let over = row.findings.iter().any(|f| f == "over_logged");
    let (checked_key, toggled_key) = (key.clone(), key);
    let label = format!("{} {}", row.person_name, row.date);
    let codes = row.findings.join(" ");
    view! {
        <tr data-testid="recon-row" data-userid=row.userid.clone() data-date=row.date.clone()
            data-findings=codes class:over-logged=over>
            <td>
                <input type="checkbox" data-testid="recon-select"
                    aria-label=move || t_string!(i18n, reconciliation.select_row, row = label.clone()).to_string()
                    prop:checked=move || selected.with(|s| s.contains(&checked_key))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| {
                            if on {
                                s.insert(toggled_key.clone());
                            } else {
                                s.remove(&toggled_key);
                            }
                        });
                    } />
            </td>
            <td>
                {row.person_name.clone()}
                <span class="userid muted">{row.userid.clone()}</span>
            </td>
            <td class="nowrap">{row.date.clone()}</td>
            <td class="num">{row.attended.clone().unwrap_or_else(|| "—".to_owned())}</td>
            <td class="num">{row.computed.clone()}</td>
            <td class="num">{row.by_hourbridge.clone()}</td>
            <td class="num">{row.by_hand.clone()}</td>
            <td class="findings">
                {row.findings.into_iter().map(|code| view! { <FindingBadge code /> }).collect_view()}
            </td>
        </tr>
    }
}
