//! The pair form on the sync page: adds a pair, or edits the one chosen
//! with "Edit" — name, the two connections, the scope (departments and
//! people; none: everyone), the schedule lines and when to pause. An edit
//! that widens the scope is remembered, for the notice that offers to
//! backfill the people it added.

use super::{resolve_people, SyncState, Widened};
use crate::api::sync::{SavePair, ScopeOptions};
use crate::api::AppError;
use crate::components::form::{action_error, invalid, problem_text, FieldProblem, FormError};
use crate::components::layout::ErrorBanner;
use crate::i18n::*;
use hourbridge_domain::connection::ConnectionSummary;
use hourbridge_domain::pm_connection::PmConnectionSummary;
use hourbridge_domain::sync::{PairInput, PairSummary, TriggerView};
use hourbridge_domain::{FieldError, Problem};
use leptos::prelude::*;

/// The pair form: adds a pair, or edits the one chosen with "Edit".
#[component]
pub fn PairFormCard(save: ServerAction<SavePair>) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<SyncState>();
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if state.form.with(Option::is_some) {
            if let Some(el) = node.get_untracked() {
                el.scroll_into_view();
            }
        }
    });
    view! {
        <div class="card pair-form" node_ref=node data-testid="pair-form">
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    let editing = state.form.get();
                    Suspend::new(async move {
                        let (options, dingtalk, targets) =
                            (state.options.await, state.dingtalk.await, state.targets.await);
                        match (options, dingtalk, targets) {
                            (Ok(options), Ok(dingtalk), Ok(targets)) => view! {
                                <PairFields summary=editing options dingtalk targets save />
                            }.into_any(),
                            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </div>
    }
}

/// A schedule line as typed: cron expression and days back.
type LineDraft = (String, String);

fn default_lines() -> Vec<LineDraft> {
    vec![
        ("0 * * * *".to_owned(), "2".to_owned()),
        ("30 2 * * *".to_owned(), "7".to_owned()),
    ]
}

/// The problem the last submission reported at `field` (a schedule line's
/// cron or days back), in words.
fn line_problem(error: Signal<Option<AppError>>, field: String) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        error
            .get()
            .and_then(|e| e.field(&field))
            .map(|p| problem_text(i18n, p))
    })
}

/// Who `departments` and `people` add to `old`'s scope, if anyone.
fn widening(
    old: &PairSummary,
    departments: &[i64],
    people: &[String],
) -> Option<(bool, Vec<i64>, Vec<String>)> {
    let was_everyone = old.departments.is_empty() && old.people.is_empty();
    if was_everyone {
        return None;
    }
    if departments.is_empty() && people.is_empty() {
        return Some((true, Vec::new(), Vec::new()));
    }
    let added_departments: Vec<i64> = departments
        .iter()
        .filter(|d| !old.departments.contains(d))
        .copied()
        .collect();
    let added_people: Vec<String> = people
        .iter()
        .filter(|p| !old.people.contains(p))
        .cloned()
        .collect();
    (!added_departments.is_empty() || !added_people.is_empty()).then_some((
        false,
        added_departments,
        added_people,
    ))
}

#[component]
fn PairFields(
    summary: Option<PairSummary>,
    options: ScopeOptions,
    dingtalk: Vec<ConnectionSummary>,
    targets: Vec<PmConnectionSummary>,
    save: ServerAction<SavePair>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<SyncState>();
    let s = summary.as_ref();
    let id = s.map(|s| s.id.clone()).unwrap_or_default();
    let name = RwSignal::new(s.map(|s| s.name.clone()).unwrap_or_default());
    let source = RwSignal::new(
        s.map(|s| s.dingtalk_connection_id.clone())
            .unwrap_or_default(),
    );
    let target = RwSignal::new(s.map(|s| s.pm_connection_id.clone()).unwrap_or_default());
    let departments = RwSignal::new(s.map(|s| s.departments.clone()).unwrap_or_default());
    let people = RwSignal::new(s.map(|s| s.people.join(", ")).unwrap_or_default());
    let lines = RwSignal::new(s.map_or_else(default_lines, |s| {
        s.triggers
            .iter()
            .map(|t| (t.cron.clone(), t.days_back.to_string()))
            .collect()
    }));
    let pause_after = RwSignal::new(s.map_or(3, |s| s.pause_after_failures).to_string());

    // Errors of this form's own submissions only (the form is rebuilt when
    // another pair is chosen); numbers that do not parse are caught here.
    let mine = RwSignal::new(false);
    let local = RwSignal::new(None::<AppError>);
    let server_error = action_error(save);
    let error = Signal::derive(move || {
        local
            .get()
            .or_else(|| server_error.get().filter(|_| mine.get()))
    });
    let pending_widening = StoredValue::new(None::<(bool, Vec<i64>, Vec<String>)>);
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            if !mine.get_untracked() {
                return;
            }
            mine.set(false);
            if let Some((everyone, departments, people)) = pending_widening.get_value() {
                state.widened.set(Some(Widened {
                    pair_id: saved.id.clone(),
                    pair_name: saved.name.clone(),
                    everyone,
                    departments,
                    people,
                }));
            }
            // A fresh "new pair" form.
            state.form.set(None);
        }
    });

    let known_people = options.people.clone();
    let old = summary.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let pause_after_failures = pause_after
            .get_untracked()
            .trim()
            .parse::<i64>()
            .unwrap_or_else(|_| {
                problems.push(FieldError::new("pause_after_failures", Problem::OutOfRange));
                0
            });
        // Problems come back at `triggers.<index>.<field>`: every line is
        // sent, so that the index is the line's on screen.
        let triggers: Vec<TriggerView> = lines
            .get_untracked()
            .into_iter()
            .enumerate()
            .map(|(i, (cron, days))| TriggerView {
                cron: cron.trim().to_owned(),
                days_back: days.trim().parse().unwrap_or_else(|_| {
                    let field = format!("triggers.{i}.days_back");
                    problems.push(FieldError::new(&field, Problem::OutOfRange));
                    0
                }),
            })
            .collect();
        if !problems.is_empty() {
            local.set(Some(AppError::Invalid { fields: problems }));
            return;
        }
        local.set(None);
        let input = PairInput {
            name: name.get_untracked(),
            dingtalk_connection_id: source.get_untracked(),
            pm_connection_id: target.get_untracked(),
            departments: departments.get_untracked(),
            people: resolve_people(&people.get_untracked(), &known_people),
            triggers,
            pause_after_failures,
        };
        pending_widening.set_value(
            old.as_ref()
                .and_then(|old| widening(old, &input.departments, &input.people)),
        );
        mine.set(true);
        save.dispatch(SavePair {
            id: id.clone(),
            input,
        });
    };

    let editing = summary.as_ref().map(|s| s.name.clone());
    let title = {
        let editing = editing.clone();
        move || match &editing {
            Some(name) => t_string!(i18n, sync.edit_title, name = name.clone()).to_string(),
            None => t_string!(i18n, sync.add_title).to_string(),
        }
    };
    let (source_now, target_now) = (source.get_untracked(), target.get_untracked());
    let people_list = options.people.clone();
    view! {
        <h2>{title}</h2>
        <FormError error />
        <form class="form grid" novalidate=true on:submit=submit
            data-testid=if editing.is_some() { "edit-pair-form" } else { "add-pair" }>
            <div>
                <label for="pair-name">{t!(i18n, sync.name)}</label>
                <input id="pair-name" type="text" autocomplete="off" prop:value=move || name.get()
                    aria-invalid=invalid(error, "name") on:change=move |ev| name.set(event_target_value(&ev)) />
                <FieldProblem error field="name" />
            </div>
            <div>
                <label for="pair-dingtalk">{t!(i18n, sync.dingtalk_connection)}</label>
                <select id="pair-dingtalk" aria-invalid=invalid(error, "dingtalk_connection_id")
                    on:change=move |ev| source.set(event_target_value(&ev))>
                    <option value="" selected=source_now.is_empty()>"—"</option>
                    {dingtalk.into_iter().filter(|c| c.enabled || c.id.as_str() == source_now).map(|c| {
                        let chosen = c.id.as_str() == source_now;
                        view! { <option value=c.id.as_str().to_owned() selected=chosen>{c.name.clone()}</option> }
                    }).collect_view()}
                </select>
                <FieldProblem error field="dingtalk_connection_id" />
            </div>
            <div>
                <label for="pair-pm">{t!(i18n, sync.pm_connection)}</label>
                <select id="pair-pm" aria-invalid=invalid(error, "pm_connection_id")
                    on:change=move |ev| target.set(event_target_value(&ev))>
                    <option value="" selected=target_now.is_empty()>"—"</option>
                    {targets.into_iter().filter(|c| c.enabled || c.id.as_str() == target_now).map(|c| {
                        let chosen = c.id.as_str() == target_now;
                        view! { <option value=c.id.as_str().to_owned() selected=chosen>{c.name.clone()}</option> }
                    }).collect_view()}
                </select>
                <FieldProblem error field="pm_connection_id" />
            </div>
            <div>
                <label for="pair-pause-after">{t!(i18n, sync.pause_after)}</label>
                <input id="pair-pause-after" type="number" min="1" prop:value=move || pause_after.get()
                    aria-invalid=invalid(error, "pause_after_failures")
                    on:change=move |ev| pause_after.set(event_target_value(&ev)) />
                <p class="hint">{t!(i18n, sync.pause_after_hint)}</p>
                <FieldProblem error field="pause_after_failures" />
            </div>
            <div class="wide">
                <span class="label">{t!(i18n, sync.departments)}</span>
                <span class="choices department-choices" role="group" data-testid="pair-departments"
                    aria-label=move || t_string!(i18n, sync.departments).to_string()>
                    {options.departments.into_iter().map(|(dept, dept_name)| view! {
                        <label class="choice">
                            <input type="checkbox" value=dept
                                prop:checked=move || departments.with(|d| d.contains(&dept))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    departments.update(|d| {
                                        d.retain(|x| *x != dept);
                                        if on { d.push(dept) }
                                    });
                                } />
                            {dept_name}
                        </label>
                    }).collect_view()}
                </span>
                <FieldProblem error field="departments" />
            </div>
            <div class="wide">
                <label for="pair-people">{t!(i18n, sync.people)}</label>
                <input id="pair-people" type="text" list="pair-people-list" autocomplete="off"
                    prop:value=move || people.get() aria-invalid=invalid(error, "people")
                    placeholder=move || t_string!(i18n, sync.people_placeholder).to_string()
                    on:change=move |ev| people.set(event_target_value(&ev)) />
                <datalist id="pair-people-list">
                    {people_list.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </datalist>
                <p class="hint">{t!(i18n, sync.scope_hint)}</p>
                <FieldProblem error field="people" />
            </div>
            <div class="wide">
                <span class="label">{t!(i18n, sync.schedule)}</span>
                <table class="table schedule-lines" data-testid="schedule-lines">
                    <thead><tr><th>{t!(i18n, sync.cron)}</th><th>{t!(i18n, sync.days_back_label)}</th><th></th></tr></thead>
                    <tbody>
                        {move || lines.get().into_iter().enumerate().map(|(i, (cron, days))| {
                            let cron_problem = line_problem(error, format!("triggers.{i}.cron"));
                            let days_problem = line_problem(error, format!("triggers.{i}.days_back"));
                            view! {
                            <tr data-testid="schedule-line">
                                <td><input type="text" class="cron" value=cron data-testid="schedule-cron"
                                    aria-label=move || t_string!(i18n, sync.cron).to_string()
                                    aria-invalid=move || if cron_problem.get().is_some() { "true" } else { "false" }
                                    on:change=move |ev| { let v = event_target_value(&ev); lines.update(|l| if let Some(x) = l.get_mut(i) { x.0 = v }) } />
                                    {move || cron_problem.get().map(|p| view! { <p class="field-problem" data-field=format!("triggers.{i}.cron") role="alert">{p}</p> })}</td>
                                <td><input type="number" min="0" class="days" value=days data-testid="schedule-days"
                                    aria-label=move || t_string!(i18n, sync.days_back_label).to_string()
                                    aria-invalid=move || if days_problem.get().is_some() { "true" } else { "false" }
                                    on:change=move |ev| { let v = event_target_value(&ev); lines.update(|l| if let Some(x) = l.get_mut(i) { x.1 = v }) } />
                                    {move || days_problem.get().map(|p| view! { <p class="field-problem" data-field=format!("triggers.{i}.days_back") role="alert">{p}</p> })}</td>
                                <td><button type="button" class="link-button" on:click=move |_| lines.update(|l| { if i < l.len() { l.remove(i); } })>
                                    {t!(i18n, sync.remove)}
                                </button></td>
                            </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <button type="button" data-testid="add-schedule-line"
                    on:click=move |_| lines.update(|l| l.push((String::new(), "2".to_owned())))>
                    {t!(i18n, sync.add_line)}
                </button>
                <p class="hint">{t!(i18n, sync.schedule_hint)}</p>
                <FieldProblem error field="triggers" />
            </div>
            <div class="actions">
                {editing.is_some().then(|| view! {
                    <button type="button" data-testid="cancel-edit" on:click=move |_| state.form.set(None)>
                        {t!(i18n, sync.cancel_edit)}
                    </button>
                })}
                <button type="submit" class="primary" data-testid="save-pair" disabled=move || save.pending().get()>
                    {t!(i18n, sync.save_pair)}
                </button>
            </div>
        </form>
    }
}
