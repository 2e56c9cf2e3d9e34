//! The backfill form: a manual run of one pair over any dates, optionally
//! narrowed to some of its departments or people. Starting it opens the
//! new run's page.

use super::{resolve_people, SyncState};
use crate::api::sync::StartSyncRun;
use crate::components::form::{action_error, invalid, FieldProblem, FormError};
use crate::components::layout::ErrorBanner;
use crate::i18n::*;
use hourbridge_domain::sync::{StartRun, MAX_RUN_DAYS};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The form's values; they outlive the form's re-renders.
#[derive(Clone, Copy)]
pub struct Backfill {
    pub open: RwSignal<bool>,
    /// Bumped on each opening (to bring the form into view).
    pub opened: RwSignal<u32>,
    pub pair_id: RwSignal<String>,
    pub first: RwSignal<String>,
    pub last: RwSignal<String>,
    pub departments: RwSignal<Vec<i64>>,
    /// Userids or names, comma-separated.
    pub people: RwSignal<String>,
}

impl Default for Backfill {
    fn default() -> Self {
        Backfill {
            open: RwSignal::new(false),
            opened: RwSignal::new(0),
            pair_id: RwSignal::new(String::new()),
            first: RwSignal::new(String::new()),
            last: RwSignal::new(String::new()),
            departments: RwSignal::new(Vec::new()),
            people: RwSignal::new(String::new()),
        }
    }
}

impl Backfill {
    /// Opens the form for `pair_id` over `first..=last`, narrowed to
    /// `departments` and `people` (both empty: the pair's whole scope).
    pub fn open_for(
        &self,
        pair_id: &str,
        first: String,
        last: String,
        departments: Vec<i64>,
        people: &[String],
    ) {
        self.pair_id.set(pair_id.to_owned());
        self.first.set(first);
        self.last.set(last);
        self.departments.set(departments);
        self.people.set(people.join(", "));
        self.open.set(true);
        self.opened.update(|n| *n += 1);
    }
}

#[component]
pub fn BackfillForm() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<SyncState>();
    let b = state.backfill;
    let start = ServerAction::<StartSyncRun>::new();
    let error = action_error(start);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(run)) = start.value().get() {
            b.open.set(false);
            navigate(&format!("/sync/runs/{}", run.id), Default::default());
        }
    });
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        b.opened.track();
        if let Some(el) = node.get() {
            el.scroll_into_view();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let people = state.options.with_untracked(|o| match o {
            Some(Ok(o)) => resolve_people(&b.people.get_untracked(), &o.people),
            _ => resolve_people(&b.people.get_untracked(), &[]),
        });
        start.dispatch(StartSyncRun {
            input: StartRun {
                pair_id: b.pair_id.get_untracked(),
                first: b.first.get_untracked(),
                last: b.last.get_untracked(),
                departments: b.departments.get_untracked(),
                people,
            },
        });
    };
    let body = move || {
        Suspend::new(async move {
            let (pairs, options) = (state.pairs.await, state.options.await);
            let (pairs, options) = match (pairs, options) {
                (Ok(p), Ok(o)) => (p, o),
                (Err(e), _) | (_, Err(e)) => return view! { <ErrorBanner error=e /> }.into_any(),
            };
            let people_list = options.people.clone();
            // Narrowing stays within the pair's scope: its departments, or
            // every department when it covers everyone.
            let all_departments = options.departments.clone();
            let pairs_for_departments = pairs.clone();
            let departments = move || {
                let pair = pairs_for_departments
                    .iter()
                    .find(|p| p.id == b.pair_id.get())
                    .cloned();
                match pair {
                    Some(p) if !p.departments.is_empty() => p
                        .departments
                        .iter()
                        .zip(p.department_names.iter().cloned())
                        .map(|(id, name)| (*id, name))
                        .collect::<Vec<_>>(),
                    Some(p) if !p.people.is_empty() => Vec::new(),
                    _ => all_departments.clone(),
                }
            };
            view! {
                <form class="form grid" novalidate=true on:submit=submit data-testid="backfill-form">
                    <div>
                        <label for="backfill-pair">{t!(i18n, sync.pair)}</label>
                        <select id="backfill-pair" aria-invalid=invalid(error, "pair_id")
                            on:change=move |ev| b.pair_id.set(event_target_value(&ev))>
                            {pairs.into_iter().map(|p| {
                                let id = p.id.clone();
                                view! { <option value=p.id.clone() selected=move || b.pair_id.get() == id>{p.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <FieldProblem error field="pair_id" />
                    </div>
                    <div>
                        <label for="backfill-first">{t!(i18n, sync.first_day)}</label>
                        <input id="backfill-first" type="date" prop:value=move || b.first.get()
                            aria-invalid=invalid(error, "first")
                            on:change=move |ev| b.first.set(event_target_value(&ev)) />
                        <FieldProblem error field="first" />
                    </div>
                    <div>
                        <label for="backfill-last">{t!(i18n, sync.last_day)}</label>
                        <input id="backfill-last" type="date" prop:value=move || b.last.get()
                            aria-invalid=invalid(error, "last")
                            on:change=move |ev| b.last.set(event_target_value(&ev)) />
                        <FieldProblem error field="last" />
                    </div>
                    <div class="wide">
                        <span class="label">{t!(i18n, sync.narrow_departments)}</span>
                        <span class="choices department-choices" role="group" data-testid="backfill-departments"
                            aria-label=move || t_string!(i18n, sync.narrow_departments).to_string()>
                            {move || departments().into_iter().map(|(id, name)| view! {
                                <label class="choice">
                                    <input type="checkbox" value=id
                                        prop:checked=move || b.departments.with(|d| d.contains(&id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            b.departments.update(|d| {
                                                d.retain(|x| *x != id);
                                                if on { d.push(id) }
                                            });
                                        } />
                                    {name}
                                </label>
                            }).collect_view()}
                        </span>
                        <FieldProblem error field="departments" />
                    </div>
                    <div class="wide">
                        <label for="backfill-people">{t!(i18n, sync.narrow_people)}</label>
                        <input id="backfill-people" type="text" list="backfill-people-list" autocomplete="off"
                            prop:value=move || b.people.get() aria-invalid=invalid(error, "people")
                            placeholder=move || t_string!(i18n, sync.people_placeholder).to_string()
                            on:change=move |ev| b.people.set(event_target_value(&ev)) />
                        <datalist id="backfill-people-list">
                            {people_list.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                        </datalist>
                        <p class="hint">{t!(i18n, sync.narrow_hint)}</p>
                        <FieldProblem error field="people" />
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary" data-testid="start-run" disabled=move || start.pending().get()>
                            {t!(i18n, sync.start)}
                        </button>
                    </div>
                </form>
            }
            .into_any()
        })
    };
    view! {
        <Show when=move || b.open.get()>
            <div class="card backfill" node_ref=node data-testid="backfill">
                <div class="card-head">
                    <h2>{t!(i18n, sync.backfill_title)}</h2>
                    <button type="button" class="link-button" data-testid="close-backfill"
                        on:click=move |_| b.open.set(false)>{t!(i18n, sync.close)}</button>
                </div>
                <p class="hint">{move || t_string!(i18n, sync.backfill_hint, days = MAX_RUN_DAYS).to_string()}</p>
                <FormError error />
                <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                    {body}
                </Transition>
            </div>
        </Show>
    }
}
