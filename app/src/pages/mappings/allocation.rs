//! How the connection splits a person's day over its projects: the method,
//! the step, a fallback share, department defaults and per-person shares
//! (written `PROJECT/TASK=percent`, comma-separated), checked as typed and
//! saved as a new revision.

use hourbridge_rules::allocation::{AllocationPlan, Method, Percent, Share};
use hourbridge_rules::{FieldError, Hours};
use leptos::prelude::*;

use crate::api::mappings::SaveAllocation;
use crate::components::form::{action_error, FormError};
use crate::components::versions::{problem_message, problem_under};
use crate::i18n::*;

fn shares_text(shares: &[Share]) -> String {
    shares
        .iter()
        .map(|s| {
            let pct = f64::from(s.percent.0) / 100.0;
            format!("{}/{}={pct}", s.project, s.task)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `PROJECT/TASK=percent, …`; `None` if an item cannot be read.
fn parse_shares(text: &str) -> Option<Vec<Share>> {
    text.split([',', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let (item, pct) = item.split_once('=')?;
            let (project, task) = item.split_once('/')?;
            let pct: f64 = pct.trim().trim_end_matches('%').parse().ok()?;
            if !(0.0..=100.0).contains(&pct) {
                return None;
            }
            Some(Share {
                project: project.trim().to_owned(),
                task: task.trim().to_owned(),
                percent: Percent((pct * 100.0).round() as u32),
            })
        })
        .collect()
}

fn method_code(m: Method) -> &'static str {
    match m {
        Method::FixedShares => "fixed_shares",
        Method::OpenTasks => "open_tasks",
        Method::LoggedThisWeek => "logged_this_week",
    }
}

/// One list of shares as text, flagged when it cannot be read.
#[component]
fn SharesInput(
    value: Vec<Share>,
    on_set: Callback<Vec<Share>>,
    #[prop(into)] label: String,
    #[prop(optional, into)] testid: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let unreadable = RwSignal::new(false);
    view! {
        <input type="text" class="wide" value=shares_text(&value) aria-label=label data-testid=testid
            placeholder="PRJ/PRJ-1=60, OPS/OPS-7=40"
            aria-invalid=move || if unreadable.get() { "true" } else { "false" }
            on:change=move |ev| match parse_shares(&event_target_value(&ev)) {
                Some(shares) => { unreadable.set(false); on_set.run(shares) }
                None => unreadable.set(true),
            } />
        <Show when=move || unreadable.get()>
            <span class="field-problem" role="alert">{t!(i18n, allocation.unreadable)}</span>
        </Show>
    }
}

#[component]
pub fn AllocationEditor(
    connection_id: String,
    plan: AllocationPlan,
    revision: Option<i64>,
    departments: Vec<(i64, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let plan = RwSignal::new(plan);
    let based_on = RwSignal::new(revision);
    let save = ServerAction::<SaveAllocation>::new();
    let error = action_error(save);
    Effect::new(move |_| {
        if let Some(Ok(r)) = save.value().get() {
            based_on.set(Some(r))
        }
    });
    // The server's refusal, until the next edit.
    let refused = RwSignal::new(Vec::<FieldError>::new());
    Effect::new(move |_| {
        if let Some(Err(crate::api::AppError::DocumentInvalid { problems })) = save.value().get() {
            refused.set(problems)
        }
    });
    Effect::new(move |_| {
        plan.track();
        refused.set(Vec::new());
    });
    let problems = Memo::new(move |_| {
        plan.with(|p| {
            p.validate()
                .err()
                .map(|e| e.field_errors().to_vec())
                .unwrap_or_default()
        })
    });
    let problem_at = move |path: String| {
        let zh = i18n.get_locale() == Locale::zh;
        let (live, refused) = (problems.get(), refused.get());
        problem_under(live.iter().chain(refused.iter()), &path).map(|e| problem_message(zh, e))
    };
    let show = move |path: &'static str| {
        move || {
            problem_at(path.to_owned())
                .map(|p| view! { <p class="field-problem" role="alert">{p}</p> })
        }
    };
    let departments = StoredValue::new(departments);
    let new_person = RwSignal::new(String::new());
    view! {
        <h2 class="section-title">{t!(i18n, allocation.title)}</h2>
        <p class="hint">{t!(i18n, allocation.intro)}</p>
        <div class="card" data-testid="allocation-editor">
            <label>
                {t!(i18n, allocation.method)} " "
                <select data-testid="allocation-method" on:change=move |ev| {
                    let m = match event_target_value(&ev).as_str() {
                        "open_tasks" => Method::OpenTasks,
                        "logged_this_week" => Method::LoggedThisWeek,
                        _ => Method::FixedShares,
                    };
                    plan.update(|p| p.method = m);
                }>
                    {[(Method::FixedShares, "fixed_shares"), (Method::OpenTasks, "open_tasks"), (Method::LoggedThisWeek, "logged_this_week")].into_iter().map(|(m, code)| {
                        let selected = plan.with_untracked(|p| method_code(p.method) == code);
                        let label = move || match m {
                            Method::FixedShares => t_string!(i18n, allocation.fixed_shares).to_string(),
                            Method::OpenTasks => t_string!(i18n, allocation.open_tasks).to_string(),
                            Method::LoggedThisWeek => t_string!(i18n, allocation.logged_this_week).to_string(),
                        };
                        view! { <option value=code selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {t!(i18n, allocation.step)} " "
                <input type="text" class="hours" value=plan.with_untracked(|p| p.step.to_string()) on:change=move |ev| {
                    if let Some(step) = Hours::parse_decimal(event_target_value(&ev).trim()) { plan.update(|p| p.step = step) }
                } />
            </label>
            {show("step")}
            <label>
                {t!(i18n, allocation.fallback)} " "
                <SharesInput testid="allocation-fallback" label=t_string!(i18n, allocation.fallback).to_string()
                    value=plan.with_untracked(|p| p.fallback.clone())
                    on_set=Callback::new(move |s: Vec<Share>| plan.update(|p| p.fallback = s)) />
            </label>
            {show("fallback")}
            <h3>{t!(i18n, allocation.departments)}</h3>
            <table class="table">
                <tbody>
                    {departments.get_value().into_iter().map(|(id, name)| view! {
                        <tr>
                            <td>{name}</td>
                            <td>
                                <SharesInput label=t_string!(i18n, allocation.departments).to_string()
                                    value=plan.with_untracked(|p| p.shares.departments.get(&id).cloned().unwrap_or_default())
                                    on_set=Callback::new(move |s: Vec<Share>| plan.update(|p| {
                                        if s.is_empty() { p.shares.departments.remove(&id); } else { p.shares.departments.insert(id, s); }
                                    })) />
                                {move || problem_at(format!("shares.departments.{id}")).map(|p| view! { <p class="field-problem" role="alert">{p}</p> })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{t!(i18n, allocation.people)}</h3>
            <table class="table" data-testid="allocation-people">
                <tbody>
                    {move || plan.get().shares.people.into_iter().map(|(userid, shares)| {
                        let (u1, u2, u3) = (userid.clone(), userid.clone(), userid.clone());
                        view! {
                            <tr>
                                <td><code>{userid.clone()}</code></td>
                                <td>
                                    <SharesInput label=userid.clone() value=shares
                                        on_set=Callback::new(move |s: Vec<Share>| plan.update(|p| { p.shares.people.insert(u1.clone(), s); })) />
                                    {move || problem_at(format!("shares.people.{u2}")).map(|p| view! { <p class="field-problem" role="alert">{p}</p> })}
                                </td>
                                <td><button type="button" class="link-button" on:click=move |_| plan.update(|p| { p.shares.people.remove(&u3); })>{t!(i18n, mappings.remove)}</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <form class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                let userid = new_person.get_untracked().trim().to_owned();
                if !userid.is_empty() { plan.update(|p| { p.shares.people.entry(userid).or_default(); }); new_person.set(String::new()); }
            }>
                <input type="text" placeholder=move || t_string!(i18n, allocation.person_userid).to_string() prop:value=new_person
                    on:change=move |ev| new_person.set(event_target_value(&ev)) />
                <button type="submit">{t!(i18n, allocation.add_person)}</button>
            </form>
            <FormError error />
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                <p class="banner banner-ok" role="status" data-testid="allocation-saved">{t!(i18n, allocation.saved)}</p>
            })}
            <button type="button" class="primary" data-testid="save-allocation" disabled=move || save.pending().get()
                on:click=move |_| { save.dispatch(SaveAllocation { connection_id: connection_id.clone(), based_on: based_on.get_untracked(), plan: plan.get_untracked() }); }>
                {t!(i18n, allocation.save)}
            </button>
        </div>
    }
}
