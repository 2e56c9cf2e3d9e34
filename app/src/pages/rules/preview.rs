//! The live preview: pick people (or a department) and dates, and see day
//! by day what the draft gives — hours, explanation, and the worklog lines
//! after allocation and field mapping — re-evaluated on every edit, from
//! stored attendance, without writing anything.

use chrono::{Days, NaiveDate};
use hourbridge_domain::preview::{Preview, PreviewQuery};
use leptos::prelude::*;

use super::draft::Draft;
use super::labels::{self, from_code, pick};
use crate::api::rules::{preview_rules, RulesView};
use crate::components::layout::ErrorBanner;
use crate::i18n::*;

#[component]
pub fn PreviewPanel(view: RulesView) -> impl IntoView {
    let i18n = use_i18n();
    let draft = expect_context::<Draft>();
    let today = NaiveDate::parse_from_str(&view.today, "%Y-%m-%d").ok();
    let week_ago = today.and_then(|d| d.checked_sub_days(Days::new(6)));
    let first = RwSignal::new(week_ago.map(|d| d.to_string()).unwrap_or_default());
    let last = RwSignal::new(today.map(|d| d.to_string()).unwrap_or_default());
    let people = RwSignal::new(Vec::<String>::new());
    let department = RwSignal::new(String::new());
    let connection = RwSignal::new(String::new());
    let query = RwSignal::new(None::<PreviewQuery>);
    let run = move || {
        query.set(Some(PreviewQuery {
            people: people.get_untracked(),
            department: department.get_untracked().parse().ok(),
            first: first.get_untracked(),
            last: last.get_untracked(),
            pm_connection: Some(connection.get_untracked()).filter(|c| !c.is_empty()),
        }))
    };
    // A draft with problems is not sent: the server would refuse it too.
    let result = Resource::new(
        move || {
            (
                query.get(),
                draft.book.get(),
                draft.zh.get(),
                draft.problems.with(Vec::is_empty),
            )
        },
        |(query, book, zh, valid)| async move {
            match query {
                None => Ok(None),
                Some(_) if !valid => Err(crate::api::AppError::DocumentInvalid {
                    problems: Vec::new(),
                }),
                Some(q) => preview_rules(book, q, if zh { "zh" } else { "en" }.to_owned())
                    .await
                    .map(Some),
            }
        },
    );
    let zh = draft.zh;
    view! {
        <h2 class="section-title">{t!(i18n, rules.preview)}</h2>
        <p class="hint">{t!(i18n, rules.preview_hint)}</p>
        <form class="filters preview-query" on:submit=move |ev| { ev.prevent_default(); run(); }>
            <label>
                {t!(i18n, rules.preview_people)} " "
                <input type="text" data-testid="preview-people" list="preview-people-list"
                    placeholder=move || t_string!(i18n, rules.preview_people_hint).to_string()
                    on:change=move |ev| people.set(
                        event_target_value(&ev).split([',', '，']).map(str::trim)
                            .filter(|s| !s.is_empty()).map(str::to_owned).collect()) />
                <datalist id="preview-people-list">
                    {view.people.iter().cloned().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </datalist>
            </label>
            <label>
                {t!(i18n, rules.preview_department)} " "
                <select data-testid="preview-department" on:change=move |ev| department.set(event_target_value(&ev))>
                    <option value="">"—"</option>
                    {view.departments.iter().cloned().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </label>
            <label>
                {t!(i18n, rules.preview_from)} " "
                <input type="date" data-testid="preview-first" prop:value=first on:change=move |ev| first.set(event_target_value(&ev)) />
            </label>
            <label>
                {t!(i18n, rules.preview_to)} " "
                <input type="date" data-testid="preview-last" prop:value=last on:change=move |ev| last.set(event_target_value(&ev)) />
            </label>
            <label>
                {t!(i18n, rules.preview_target)} " "
                <select data-testid="preview-target" on:change=move |ev| connection.set(event_target_value(&ev))>
                    <option value="">{t!(i18n, rules.hours_only)}</option>
                    {view.pm_connections.iter().cloned().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit" data-testid="preview-run">{t!(i18n, rules.show_preview)}</button>
        </form>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match result.await {
                    Ok(None) => ().into_any(),
                    Err(crate::api::AppError::DocumentInvalid { .. }) => view! {
                        <p class="banner banner-info" data-testid="preview-blocked">{t!(i18n, rules.preview_blocked)}</p>
                    }.into_any(),
                    Err(crate::api::AppError::Invalid { fields }) => view! {
                        <p class="banner banner-error" role="alert" data-testid="preview-error">
                            {t!(i18n, rules.preview_invalid)} " " {fields.iter().map(|f| f.field.clone()).collect::<Vec<_>>().join(", ")}
                        </p>
                    }.into_any(),
                    Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                    Ok(Some(p)) => view! { <PreviewTable preview=p zh=zh.get_untracked() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PreviewTable(preview: Preview, zh: bool) -> impl IntoView {
    let i18n = use_i18n();
    let without = preview.people_without_attendance;
    view! {
        {(without > 0).then(|| view! {
            <p class="banner banner-info" data-testid="preview-no-attendance">
                {t_string!(i18n, rules.people_without_attendance, count = without).to_string()}
            </p>
        })}
        <table class="table preview-table" data-testid="preview-table">
            <thead>
                <tr>
                    <th>{t!(i18n, rules.person)}</th>
                    <th>{t!(i18n, rules.date)}</th>
                    <th>{t!(i18n, rules.hours)}</th>
                    <th>{t!(i18n, rules.status)}</th>
                    <th>{t!(i18n, rules.explanation)}</th>
                    <th>{t!(i18n, rules.worklog_lines)}</th>
                </tr>
            </thead>
            <tbody>
                {preview.days.into_iter().map(|d| {
                    let day_type = from_code(&d.day_type).map(|t| pick(zh, labels::day_type(t))).unwrap_or_default();
                    let status = from_code(&d.status).map(|s| pick(zh, labels::status(s))).unwrap_or_default();
                    view! {
                        <tr data-testid="preview-day" data-userid=d.userid.clone() data-date=d.date.clone()>
                            <td>{d.name.clone()}</td>
                            <td class="nowrap">{d.date.clone()} <div class="muted">{day_type}</div></td>
                            <td class="hours" data-testid="preview-hours">{d.hours.clone()}</td>
                            <td>{status} <div class="muted">{d.rule.clone()}</div></td>
                            <td><pre class="explanation">{d.explanation.clone()}</pre></td>
                            <td>
                                {d.problem.clone().map(|p| view! { <p class="field-problem">{p}</p> })}
                                {d.lines.into_iter().map(|l| view! {
                                    <div class="worklog-line" data-testid="preview-line">
                                        <strong>{format!("{} / {} · {} h", l.project, l.task, l.hours)}</strong>
                                        <dl class="facts">
                                            {l.fields.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                                        </dl>
                                    </div>
                                }).collect_view()}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
