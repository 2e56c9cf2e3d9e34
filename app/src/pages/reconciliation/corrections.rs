//! Manual corrections (手工补录): a person-day's hours set by hand, with a
//! mandatory reason. Saving queues a run on every pair covering the person;
//! the corrections in force are listed below the form.

use super::{days_before, ReconState};
use crate::api::reconciliation::{recent_corrections, AddCorrection};
use crate::components::form::{action_error, invalid, FieldProblem, FormError};
use crate::components::layout::ErrorBanner;
use crate::components::time::LocalTime;
use crate::i18n::*;
use hourbridge_domain::sync::{CorrectionInput, CorrectionRow, CorrectionSaved, MAX_REASON_CHARS};
use leptos::prelude::*;

#[component]
pub fn Corrections() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<ReconState>();
    let add = ServerAction::<AddCorrection>::new();
    let error = action_error(add);
    let recent = Resource::new(move || add.version().get(), |_| recent_corrections());

    let person = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let hours = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            person.set(String::new());
            hours.set(String::new());
            reason.set(String::new());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(AddCorrection {
            input: CorrectionInput {
                person: person.get_untracked(),
                date: date.get_untracked(),
                hours: hours.get_untracked(),
                reason: reason.get_untracked(),
            },
        });
    };

    let form = move || {
        Suspend::new(async move {
            let options = match state.options.await {
                Ok(o) => o,
                Err(e) => return view! { <ErrorBanner error=e /> }.into_any(),
            };
            if date.get_untracked().is_empty() {
                date.set(days_before(&options.today, 1));
            }
            view! {
                <form class="form grid" novalidate=true on:submit=submit data-testid="correction-form">
                    <div>
                        <label for="correction-person">{t!(i18n, corrections.person)}</label>
                        <input id="correction-person" type="text" list="correction-people" autocomplete="off"
                            prop:value=move || person.get() aria-invalid=invalid(error, "person")
                            placeholder=move || t_string!(i18n, corrections.person_placeholder).to_string()
                            on:input=move |ev| person.set(event_target_value(&ev)) />
                        <datalist id="correction-people">
                            {options.people.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                        </datalist>
                        <FieldProblem error field="person" />
                    </div>
                    <div>
                        <label for="correction-date">{t!(i18n, corrections.date)}</label>
                        <input id="correction-date" type="date" prop:value=move || date.get()
                            aria-invalid=invalid(error, "date")
                            on:input=move |ev| date.set(event_target_value(&ev)) />
                        <FieldProblem error field="date" />
                    </div>
                    <div>
                        <label for="correction-hours">{t!(i18n, corrections.hours)}</label>
                        <input id="correction-hours" type="text" inputmode="decimal" class="hours"
                            prop:value=move || hours.get() aria-invalid=invalid(error, "hours")
                            on:input=move |ev| hours.set(event_target_value(&ev)) />
                        <p class="hint">{t!(i18n, corrections.hours_hint)}</p>
                        <FieldProblem error field="hours" />
                    </div>
                    <div class="wide">
                        <label for="correction-reason">{t!(i18n, corrections.reason)}</label>
                        <textarea id="correction-reason" rows="3" maxlength=MAX_REASON_CHARS
                            prop:value=move || reason.get() aria-invalid=invalid(error, "reason")
                            on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        <p class="hint">
                            {move || t_string!(i18n, corrections.reason_hint, max = MAX_REASON_CHARS, used = reason.with(|r| r.chars().count())).to_string()}
                        </p>
                        <FieldProblem error field="reason" />
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary" data-testid="save-correction"
                            disabled=move || add.pending().get()>
                            {t!(i18n, corrections.save)}
                        </button>
                    </div>
                </form>
            }
            .into_any()
        })
    };

    view! {
        <div class="card corrections" data-testid="corrections">
            <h2>{t!(i18n, corrections.title)}</h2>
            <p class="hint">{t!(i18n, corrections.intro)}</p>
            {move || add.value().get().and_then(|r| r.ok()).map(|saved| view! { <Saved saved /> })}
            <FormError error />
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {form}
            </Transition>
            <h3>{t!(i18n, corrections.recent_title)}</h3>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match recent.await {
                        Ok(rows) if rows.is_empty() => view! {
                            <p class="empty" data-testid="no-corrections">{t!(i18n, corrections.none)}</p>
                        }.into_any(),
                        Ok(rows) => view! { <Recent rows /> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// "Saved, N runs queued", with links to the runs for those who may open them.
#[component]
fn Saved(saved: CorrectionSaved) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<ReconState>();
    let c = saved.correction;
    let count = saved.runs.len();
    let name = if c.person_name.is_empty() {
        c.userid.clone()
    } else {
        c.person_name.clone()
    };
    let (date, hours) = (c.date.clone(), c.hours.clone());
    let runs = saved.runs;
    view! {
        <div class="banner banner-ok" role="status" data-testid="correction-saved" data-runs=count>
            <span>
                {move || t_string!(i18n, corrections.saved, name = name.clone(), date = date.clone(), hours = hours.clone(), count).to_string()}
            </span>
            {move || state.opens_runs.get().then(|| {
                runs.iter().enumerate().map(|(i, id)| view! {
                    " "
                    <a href=format!("/sync/runs/{id}") data-testid="correction-run">
                        {move || t_string!(i18n, corrections.open_run, n = i + 1).to_string()}
                    </a>
                }).collect_view()
            })}
        </div>
    }
}

#[component]
fn Recent(rows: Vec<CorrectionRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll">
            <table class="table corrections-table" data-testid="corrections-table">
                <thead>
                    <tr>
                        <th>{t!(i18n, corrections.person)}</th>
                        <th>{t!(i18n, corrections.date)}</th>
                        <th class="num">{t!(i18n, corrections.hours)}</th>
                        <th>{t!(i18n, corrections.reason)}</th>
                        <th>{t!(i18n, corrections.made_by)}</th>
                        <th>{t!(i18n, corrections.made_at)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr data-testid="correction-row" data-userid=r.userid.clone() data-date=r.date.clone()>
                            <td>
                                {r.person_name.clone()}
                                <span class="userid muted">{r.userid.clone()}</span>
                            </td>
                            <td class="nowrap">{r.date.clone()}</td>
                            <td class="num" data-testid="correction-hours">{r.hours.clone()}</td>
                            <td class="reason">{r.reason.clone()}</td>
                            <td>{r.made_by.clone()}</td>
                            <td><LocalTime at=Some(r.made_at) /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
