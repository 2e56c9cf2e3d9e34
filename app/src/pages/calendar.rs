//! The holiday calendar (admins): China's statutory holidays and make-up
//! workdays per year, as shipped from the State Council's notices, and the
//! admin's edits of a whole year (a year not yet published, or a company
//! that follows its own schedule). A day is the organisation's local date.

use crate::api::calendar::{calendar_years, CalendarYear, SaveCalendarYear};
use crate::components::form::{action_error, FormError};
use crate::components::layout::{AreaGuard, ErrorBanner};
use crate::components::versions::{problem_message, problem_under};
use crate::i18n::*;
use chrono::NaiveDate;
use hourbridge_domain::role::Area;
use hourbridge_rules::calendar::{HolidayPeriod, ScheduleStatus, YearSchedule};
use hourbridge_rules::FieldError;
use leptos::prelude::*;

#[component]
pub fn CalendarPage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::Rules>
            <Calendar />
        </AreaGuard>
    }
}

#[component]
fn Calendar() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCalendarYear>::new();
    let data = Resource::new(move || save.version().get(), |_| calendar_years());
    let chosen = RwSignal::new(None::<i32>);
    view! {
        <section class="page">
            <h1>{t!(i18n, calendar.title)}</h1>
            <p class="hint">{t!(i18n, calendar.intro)}</p>
            <p><a href="/rules">{t!(i18n, calendar.back_to_rules)}</a></p>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                        Ok(years) => {
                            let latest = years.iter().map(|y| y.schedule.year).max().unwrap_or(2026);
                            let year = chosen.get().unwrap_or(latest);
                            let shown = years.iter().find(|y| y.schedule.year == year).cloned().unwrap_or(CalendarYear {
                                schedule: YearSchedule {
                                    year, status: ScheduleStatus::Unpublished, notice: None, issued: None,
                                    note: String::new(), holidays: vec![], makeup_workdays: vec![],
                                },
                                revision: None,
                                saved_by: None,
                            });
                            let mut tabs: Vec<i32> = years.iter().map(|y| y.schedule.year).collect();
                            tabs.push(latest + 1);
                            view! {
                                <nav class="versions" aria-label=move || t_string!(i18n, calendar.years).to_string()>
                                    {tabs.into_iter().map(|y| view! {
                                        <button type="button" class="version" data-testid="calendar-year"
                                            aria-pressed=if y == year { "true" } else { "false" }
                                            on:click=move |_| chosen.set(Some(y))>{y}</button>
                                    }).collect_view()}
                                </nav>
                                <YearEditor shown save />
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn YearEditor(shown: CalendarYear, save: ServerAction<SaveCalendarYear>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(save);
    let schedule = RwSignal::new(shown.schedule.clone());
    // The server's refusal, until the next edit.
    let refused = RwSignal::new(Vec::<FieldError>::new());
    Effect::new(move |_| {
        if let Some(Err(crate::api::AppError::DocumentInvalid { problems })) = save.value().get() {
            refused.set(problems)
        }
    });
    Effect::new(move |_| {
        schedule.track();
        refused.set(Vec::new());
    });
    let problems = Memo::new(move |_| schedule.with(YearSchedule::validate));
    let problem_at = move |path: String| {
        let zh = i18n.get_locale() == Locale::zh;
        let (live, refused) = (problems.get(), refused.get());
        problem_under(live.iter().chain(refused.iter()), &path).map(|e| problem_message(zh, e))
    };
    let status = match shown.schedule.status {
        ScheduleStatus::Official => t_string!(i18n, calendar.official).to_string(),
        ScheduleStatus::Admin => t_string!(
            i18n,
            calendar.edited,
            who = shown.saved_by.clone().unwrap_or_default()
        )
        .to_string(),
        ScheduleStatus::Unpublished => t_string!(i18n, calendar.unpublished).to_string(),
    };
    let year = shown.schedule.year;
    let date = move |raw: String| NaiveDate::parse_from_str(&raw, "%Y-%m-%d").ok();
    view! {
        <div class="card" data-testid="calendar-year-editor" data-year=year>
            <p data-testid="calendar-status"><strong>{status}</strong></p>
            {shown.schedule.notice.clone().map(|n| view! { <p class="muted">{n}</p> })}
            {(!shown.schedule.note.is_empty()).then(|| view! { <p class="hint">{shown.schedule.note.clone()}</p> })}
            <h2>{t!(i18n, calendar.holidays)}</h2>
            <table class="table" data-testid="holiday-table">
                <thead><tr><th>{t!(i18n, calendar.name)}</th><th>{t!(i18n, calendar.from)}</th><th>{t!(i18n, calendar.to)}</th><th></th></tr></thead>
                <tbody>
                    {move || schedule.get().holidays.into_iter().enumerate().map(|(i, h)| view! {
                        <tr data-testid="holiday">
                            <td><input type="text" value=h.name.clone() aria-label=move || t_string!(i18n, calendar.name).to_string()
                                on:change=move |ev| { let v = event_target_value(&ev); schedule.update(|s| if let Some(h) = s.holidays.get_mut(i) { h.name = v }) } />
                                {move || problem_at(format!("holidays[{i}].name")).map(|p| view! { <p class="field-problem" role="alert">{p}</p> })}</td>
                            <td><input type="date" value=h.from.to_string() on:change=move |ev| if let Some(d) = date(event_target_value(&ev)) { schedule.update(|s| if let Some(h) = s.holidays.get_mut(i) { h.from = d }) } />
                                {move || problem_at(format!("holidays[{i}].from")).map(|p| view! { <p class="field-problem" role="alert">{p}</p> })}</td>
                            <td><input type="date" value=h.to.to_string() on:change=move |ev| if let Some(d) = date(event_target_value(&ev)) { schedule.update(|s| if let Some(h) = s.holidays.get_mut(i) { h.to = d }) } />
                                {move || problem_at(format!("holidays[{i}].to")).map(|p| view! { <p class="field-problem" role="alert">{p}</p> })}</td>
                            <td><button type="button" class="link-button" on:click=move |_| schedule.update(|s| { if i < s.holidays.len() { s.holidays.remove(i); } })>{t!(i18n, calendar.remove)}</button></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <button type="button" data-testid="add-holiday" on:click=move |_| schedule.update(|s| {
                let day = NaiveDate::from_ymd_opt(s.year, 1, 1).unwrap_or_default();
                s.holidays.push(HolidayPeriod { name: String::new(), from: day, to: day });
            })>{t!(i18n, calendar.add_holiday)}</button>
            <h2>{t!(i18n, calendar.makeup_workdays)}</h2>
            <ul class="plain" data-testid="makeup-list">
                {move || schedule.get().makeup_workdays.into_iter().enumerate().map(|(i, d)| view! {
                    <li data-testid="makeup-day">
                        <input type="date" value=d.to_string() on:change=move |ev| if let Some(d) = date(event_target_value(&ev)) { schedule.update(|s| if let Some(x) = s.makeup_workdays.get_mut(i) { *x = d }) } />
                        <button type="button" class="link-button" on:click=move |_| schedule.update(|s| { if i < s.makeup_workdays.len() { s.makeup_workdays.remove(i); } })>{t!(i18n, calendar.remove)}</button>
                        {move || problem_at(format!("makeup_workdays[{i}]")).map(|p| view! { <p class="field-problem" role="alert">{p}</p> })}
                    </li>
                }).collect_view()}
            </ul>
            <button type="button" data-testid="add-makeup" on:click=move |_| schedule.update(|s| {
                s.makeup_workdays.push(NaiveDate::from_ymd_opt(s.year, 1, 1).unwrap_or_default());
            })>{t!(i18n, calendar.add_makeup)}</button>
            <FormError error />
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                <p class="banner banner-ok" role="status" data-testid="calendar-saved">{t!(i18n, calendar.saved)}</p>
            })}
            <div class="row-actions">
                <button type="button" class="primary" data-testid="save-calendar" disabled=move || save.pending().get()
                    on:click=move |_| { save.dispatch(SaveCalendarYear { based_on: shown.revision, schedule: schedule.get_untracked() }); }>
                    {t_string!(i18n, calendar.save, year = year).to_string()}
                </button>
            </div>
        </div>
    }
}
