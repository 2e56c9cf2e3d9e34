//! The rules page (admins): the ordered rules of each rule-book version as
//! a table edited in place, validated as it is edited, saved as a new
//! revision; seed-standard one click away for a new installation; and a
//! live preview of what the draft gives, from stored attendance.

mod condition;
mod draft;
mod labels;
mod outcome;
mod preview;
mod table;
mod widgets;

use crate::api::rules::{get_rules, RulesView, SaveRules, StartFromSeedStandard};
use crate::components::form::{action_error, FormError};
use crate::components::layout::{AreaGuard, ErrorBanner};
use crate::components::versions::{day_after, latest_index, problem_message, VersionBar};
use crate::i18n::*;
use chrono::{Datelike, NaiveDate};
use draft::{Draft, ProblemAt};
use hourbridge_domain::role::Area;
use hourbridge_rules::rules::{Rounding, RoundingMode};
use hourbridge_rules::{Hours, RuleBook};
use labels::{code, from_code, pick};
use leptos::prelude::*;
use widgets::{HoursInput, ListInput};

#[component]
pub fn RulesPage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::Rules>
            <Rules />
        </AreaGuard>
    }
}

#[component]
fn Rules() -> impl IntoView {
    let i18n = use_i18n();
    let seed = ServerAction::<StartFromSeedStandard>::new();
    let data = Resource::new(move || seed.version().get(), |_| get_rules());
    view! {
        <section class="page">
            <h1>{t!(i18n, rules.title)}</h1>
            <p class="hint">{t!(i18n, rules.intro)}</p>
            <p><a href="/calendar" data-testid="calendar-link">{t!(i18n, rules.calendar_link)}</a></p>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                        Ok(v) if v.book.is_none() => view! { <SeedStandard view=v seed /> }.into_any(),
                        Ok(v) => view! { <Editor view=v /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A new installation: start from seed-standard with one click.
#[component]
fn SeedStandard(view: RulesView, seed: ServerAction<StartFromSeedStandard>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(seed);
    let from = RwSignal::new(
        NaiveDate::parse_from_str(&view.today, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.with_day0(0))
            .and_then(|d| d.with_month0(0))
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    view! {
        <div class="card" data-testid="no-rules">
            <p>{t!(i18n, rules.none_yet)}</p>
            <FormError error />
            <form class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                seed.dispatch(StartFromSeedStandard { effective_from: from.get_untracked() });
            }>
                <label>
                    {t!(i18n, rules.effective_from)} " "
                    <input type="date" prop:value=from on:change=move |ev| from.set(event_target_value(&ev)) />
                </label>
                <button type="submit" data-testid="seed-standard" disabled=move || seed.pending().get()>
                    {t!(i18n, rules.start_from_seed)}
                </button>
            </form>
            <p class="hint">{t!(i18n, rules.seed_hint)}</p>
        </div>
    }
}

/// The editor over a saved rule book.
#[component]
fn Editor(view: RulesView) -> impl IntoView {
    let i18n = use_i18n();
    let zh = Signal::derive(move || i18n.get_locale() == Locale::zh);
    let book = view.book.clone().unwrap_or_default();
    let latest = latest_index(book.versions.iter().map(|v| v.effective_from));
    let draft = Draft::new(book, latest, zh);
    provide_context(draft);
    let based_on = RwSignal::new(view.revision);
    let save = ServerAction::<SaveRules>::new();
    let save_error = action_error(save);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(revision)) => based_on.set(Some(revision)),
        Some(Err(crate::api::AppError::DocumentInvalid { problems })) => {
            draft.refused.set(problems)
        }
        _ => {}
    });
    let departments = StoredValue::new(view.departments.clone());
    let saved_by = view.saved_by.clone().unwrap_or_default();
    view! {
        <div class="rules-editor">
            <div class="card-head">
                <span class="badge" data-testid="revision">
                    {move || based_on.get().map(|r| format!("#{r}")).unwrap_or_default()}
                </span>
                <span class="muted">{t!(i18n, rules.saved_by)} " " {saved_by}</span>
                <span class="spacer"></span>
                <button type="button" data-testid="save-rules" disabled=move || save.pending().get()
                    on:click=move |_| { save.dispatch(SaveRules { based_on: based_on.get_untracked(), book: draft.book.get_untracked() }); }>
                    {t!(i18n, rules.save)}
                </button>
            </div>
            <FormError error=save_error />
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                <p class="banner banner-ok" role="status" data-testid="rules-saved">
                    {t_string!(i18n, rules.saved, revision = based_on.get().unwrap_or_default()).to_string()}
                </p>
            })}
            <ProblemList />
            <VersionBar versions=Signal::derive(move || draft.book.with(|b| b.versions.iter().enumerate()
                    .map(|(i, v)| (i, v.effective_from, v.name.clone())).collect::<Vec<_>>()))
                selected=draft.version new_from=day_after(&view.today)
                on_new=Callback::new(move |date: NaiveDate| {
                    let vi = draft.version.get_untracked();
                    let mut added = None;
                    draft.book.update(|b: &mut RuleBook| {
                        if let Some(mut v) = b.versions.get(vi).cloned() {
                            v.effective_from = date;
                            b.versions.push(v);
                            added = Some(b.versions.len() - 1);
                        }
                    });
                    if let Some(i) = added { draft.version.set(i) }
                }) />
            <VersionSettings />
            <table::RuleTable departments />
            <preview::PreviewPanel view=view.clone() />
        </div>
    }
}

/// Every problem of the draft, with where it is.
#[component]
fn ProblemList() -> impl IntoView {
    let i18n = use_i18n();
    let draft = expect_context::<Draft>();
    move || {
        let problems = draft.all_problems();
        (!problems.is_empty()).then(|| {
            let zh = draft.zh.get();
            view! {
                <div class="banner banner-error" role="alert" data-testid="rule-problems">
                    <p>{t_string!(i18n, rules.problems, count = problems.len()).to_string()}</p>
                    <ul>
                        {problems.into_iter().map(|e| view! {
                            <li><code>{e.path.clone()}</code> " " {problem_message(zh, &e)}</li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// The version's own settings: date, name, standard day, cap, rounding,
/// leave types.
#[component]
fn VersionSettings() -> impl IntoView {
    let i18n = use_i18n();
    let draft = expect_context::<Draft>();
    move || {
        let vi = draft.version.get();
        let Some(v) = draft.book.with(|b| b.versions.get(vi).cloned()) else {
            return ().into_any();
        };
        let zh = draft.zh.get_untracked();
        let path = format!("versions[{vi}]");
        let p = move |field: &str| format!("{path}.{field}");
        let rounding = v.rounding;
        view! {
            <div class="card version-settings" data-testid="version-settings">
                <label>
                    {t!(i18n, rules.effective_from)} " "
                    <input type="date" value=v.effective_from.to_string() on:change=move |ev| {
                        if let Ok(d) = NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d") {
                            draft.update_version(|v| v.effective_from = d);
                        }
                    } />
                </label>
                <ProblemAt path=p("effective_from") />
                <label>
                    {t!(i18n, rules.version_name)} " "
                    <input type="text" value=v.name.clone() on:change=move |ev| {
                        let name = event_target_value(&ev);
                        draft.update_version(|v| v.name = name);
                    } />
                </label>
                <label>
                    {t!(i18n, rules.standard_day)} " "
                    <HoursInput label=pick(zh, ("标准工作日", "standard day")) value=Some(v.standard_day)
                        on_set=Callback::new(move |h: Option<Hours>| if let Some(h) = h { draft.update_version(|v| v.standard_day = h) }) />
                </label>
                <ProblemAt path=p("standard_day") />
                <label>
                    {t!(i18n, rules.daily_cap)} " "
                    <HoursInput optional=true testid="daily-cap" label=pick(zh, ("每日上限", "daily cap")) value=v.daily_cap
                        on_set=Callback::new(move |h: Option<Hours>| draft.update_version(|v| v.daily_cap = h)) />
                </label>
                <ProblemAt path=p("daily_cap") />
                <label>
                    {t!(i18n, rules.rounding)} " "
                    <select data-testid="rounding-mode" on:change=move |ev| {
                        let mode = from_code::<RoundingMode>(&event_target_value(&ev));
                        draft.update_version(|v| v.rounding = mode.map(|mode| Rounding {
                            mode, step: v.rounding.map_or(Hours::from_minutes(30), |r| r.step) }));
                    }>
                        <option value="" selected=rounding.is_none()>{pick(zh, ("不取整", "no rounding"))}</option>
                        {[RoundingMode::Down, RoundingMode::Up, RoundingMode::Nearest].into_iter().map(|m| view! {
                            <option value=code(&m) selected=rounding.map(|r| r.mode) == Some(m)>{pick(zh, labels::rounding_mode(m))}</option>
                        }).collect_view()}
                    </select>
                    {rounding.map(|r| view! {
                        " " {pick(zh, ("步长", "step"))} " "
                        <HoursInput testid="rounding-step" label=pick(zh, ("取整步长", "rounding step")) value=Some(r.step)
                            on_set=Callback::new(move |h: Option<Hours>| if let Some(step) = h {
                                draft.update_version(|v| if let Some(r) = v.rounding.as_mut() { r.step = step })
                            }) />
                    })}
                </label>
                <ProblemAt path=p("rounding.step") />
                <label>
                    {t!(i18n, rules.leave_types)} " "
                    <ListInput label=pick(zh, ("假期类型", "leave types")) value=v.leave_types.clone()
                        on_set=Callback::new(move |l: Vec<String>| draft.update_version(|v| v.leave_types = l)) />
                </label>
                <ProblemAt path=p("leave_types") />
            </div>
        }
        .into_any()
    }
}
