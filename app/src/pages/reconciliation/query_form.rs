//! What to compare: a pair, dates (the last seven days ending yesterday
//! unless the address says otherwise), optionally a department, people and
//! one finding, or every person-day. Asking puts the query in the address.

use super::findings::{finding_label, FINDINGS};
use super::{days_before, search_of, split_people, ReconState};
use crate::api::reconciliation::ReconOptions;
use crate::components::form::{invalid, FieldProblem};
use crate::i18n::*;
use hourbridge_domain::sync::{ReconQuery, MAX_RECON_DAYS};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

#[component]
pub fn QueryForm(options: ReconOptions, initial: Option<ReconQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<ReconState>();
    let error = state.report_error();
    let initial = initial.unwrap_or_else(|| ReconQuery {
        pair_id: options
            .pairs
            .first()
            .map(|p| p.0.clone())
            .unwrap_or_default(),
        first: days_before(&options.today, 7),
        last: days_before(&options.today, 1),
        ..ReconQuery::default()
    });
    let pair_id = RwSignal::new(initial.pair_id);
    let first = RwSignal::new(initial.first);
    let last = RwSignal::new(initial.last);
    let department = RwSignal::new(
        initial
            .department
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let people = RwSignal::new(initial.people.join(", "));
    let finding = RwSignal::new(initial.finding.unwrap_or_default());
    let all = RwSignal::new(initial.all);

    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let query = ReconQuery {
            pair_id: pair_id.get_untracked(),
            first: first.get_untracked().trim().to_owned(),
            last: last.get_untracked().trim().to_owned(),
            department: department.get_untracked().parse().ok(),
            people: split_people(&people.get_untracked()),
            finding: Some(finding.get_untracked()).filter(|f| !f.is_empty()),
            all: all.get_untracked(),
        };
        if state.query.get_untracked().as_ref() == Some(&query) {
            // The same address: ask again (the project system may have changed).
            state.refresh.update(|n| *n += 1);
        } else {
            // The form stays where it is: the report appears below it.
            let options = NavigateOptions {
                scroll: false,
                ..Default::default()
            };
            navigate(&format!("/reconciliation?{}", search_of(&query)), options);
        }
    };

    let selected = |signal: RwSignal<String>, value: String| move || signal.get() == value;
    view! {
        <form class="card form grid recon-query" novalidate=true on:submit=submit data-testid="recon-query">
            <div>
                <label for="recon-pair">{t!(i18n, reconciliation.pair)}</label>
                <select id="recon-pair" aria-invalid=invalid(error, "pair_id")
                    on:change=move |ev| pair_id.set(event_target_value(&ev))>
                    {options.pairs.into_iter().map(|(id, name)| view! {
                        <option value=id.clone() selected=selected(pair_id, id)>{name}</option>
                    }).collect_view()}
                </select>
                <FieldProblem error field="pair_id" />
            </div>
            <div>
                <label for="recon-first">{t!(i18n, reconciliation.first_day)}</label>
                <input id="recon-first" type="date" prop:value=move || first.get()
                    aria-invalid=invalid(error, "first")
                    on:input=move |ev| first.set(event_target_value(&ev)) />
                <FieldProblem error field="first" />
            </div>
            <div>
                <label for="recon-last">{t!(i18n, reconciliation.last_day)}</label>
                <input id="recon-last" type="date" prop:value=move || last.get()
                    aria-invalid=invalid(error, "last")
                    on:input=move |ev| last.set(event_target_value(&ev)) />
                <p class="hint">{move || t_string!(i18n, reconciliation.range_hint, days = MAX_RECON_DAYS).to_string()}</p>
                <FieldProblem error field="last" />
            </div>
            <div>
                <label for="recon-department">{t!(i18n, reconciliation.department)}</label>
                <select id="recon-department" on:change=move |ev| department.set(event_target_value(&ev))>
                    <option value="" selected=selected(department, String::new())>
                        {t!(i18n, reconciliation.all_departments)}
                    </option>
                    {options.departments.into_iter().map(|(id, name)| view! {
                        <option value=id selected=selected(department, id.to_string())>{name}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="recon-people">{t!(i18n, reconciliation.people)}</label>
                <input id="recon-people" type="text" list="recon-people-list" autocomplete="off"
                    prop:value=move || people.get() aria-invalid=invalid(error, "people")
                    placeholder=move || t_string!(i18n, reconciliation.people_placeholder).to_string()
                    on:input=move |ev| people.set(event_target_value(&ev)) />
                <datalist id="recon-people-list">
                    {options.people.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                </datalist>
                <FieldProblem error field="people" />
            </div>
            <div>
                <label for="recon-finding">{t!(i18n, reconciliation.finding)}</label>
                <select id="recon-finding" aria-invalid=invalid(error, "finding")
                    on:change=move |ev| finding.set(event_target_value(&ev))>
                    <option value="" selected=selected(finding, String::new())>
                        {t!(i18n, reconciliation.all_findings)}
                    </option>
                    {FINDINGS.into_iter().map(|code| view! {
                        <option value=code selected=selected(finding, code.to_owned())>
                            {move || finding_label(i18n, code)}
                        </option>
                    }).collect_view()}
                </select>
                <FieldProblem error field="finding" />
            </div>
            <div class="wide checkbox">
                <input id="recon-all" type="checkbox" data-testid="recon-all"
                    prop:checked=move || all.get()
                    on:change=move |ev| all.set(event_target_checked(&ev)) />
                <label for="recon-all">{t!(i18n, reconciliation.every_day)}</label>
                <p class="hint">{t!(i18n, reconciliation.every_day_hint)}</p>
            </div>
            <div class="actions">
                <button type="submit" class="primary" data-testid="recon-submit">
                    {t!(i18n, reconciliation.submit)}
                </button>
            </div>
        </form>
    }
}
