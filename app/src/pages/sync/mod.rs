//! Sync jobs (admins): the connection pairs (whose DingTalk attendance goes
//! to which PM system, for whom, on which schedule) with their health, the
//! form that adds or edits one, the backfill form that starts a run over any
//! dates, and the list of runs with their live progress. One run's detail is
//! on its own page ([`run::RunPage`]).

mod backfill;
mod labels;
mod live;
mod pair_form;
mod pairs;
pub mod run;
mod run_tables;
mod runs;

use crate::api::connections::list_connections;
use crate::api::pm::list_pm_connections;
use crate::api::sync::{
    list_pairs, list_runs, scope_choices, SavePair, ScopeOptions, SetPairPaused,
};
use crate::api::AppError;
use crate::components::layout::{AreaGuard, ErrorBanner};
use crate::i18n::*;
use backfill::{Backfill, BackfillForm};
use chrono::{Datelike, Days, NaiveDate};
use hourbridge_domain::connection::ConnectionSummary;
use hourbridge_domain::pm_connection::PmConnectionSummary;
use hourbridge_domain::role::Area;
use hourbridge_domain::sync::{PairSummary, RunRow};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use pair_form::PairFormCard;
use pairs::{PairCard, WidenedNotice};
use runs::RunsList;
use std::collections::HashMap;

#[component]
pub fn SyncPage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::SyncJobs>
            <SyncJobs />
        </AreaGuard>
    }
}

/// What the parts of the sync page share.
#[derive(Clone, Copy)]
struct SyncState {
    pairs: Resource<Result<Vec<PairSummary>, AppError>>,
    options: Resource<Result<ScopeOptions, AppError>>,
    dingtalk: Resource<Result<Vec<ConnectionSummary>, AppError>>,
    targets: Resource<Result<Vec<PmConnectionSummary>, AppError>>,
    /// The pair form edits this pair; `None`: it adds a new one.
    form: RwSignal<Option<PairSummary>>,
    backfill: Backfill,
    /// The last edit widened this pair's scope: offer to backfill the added people.
    widened: RwSignal<Option<Widened>>,
    /// Runs as the live events last reported them, by id.
    live: RwSignal<HashMap<String, RunRow>>,
}

/// Who an edit added to a pair's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Widened {
    pair_id: String,
    pair_name: String,
    /// The scope is now everyone (it was some departments or people).
    everyone: bool,
    departments: Vec<i64>,
    people: Vec<String>,
}

#[component]
fn SyncJobs() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SavePair>::new();
    let pause = ServerAction::<SetPairPaused>::new();
    // Bumped when live events say the lists changed.
    let refresh = RwSignal::new(0u32);
    let pairs = Resource::new(
        move || (save.version().get(), pause.version().get(), refresh.get()),
        |_| list_pairs(),
    );
    let query = use_query_map();
    let filter = Memo::new(move |_| runs::filter_from(&query.read()));
    let runs = Resource::new(
        move || (filter.get(), refresh.get()),
        |(filter, _)| list_runs(filter),
    );
    let state = SyncState {
        pairs,
        options: Resource::new(|| (), |_| scope_choices()),
        dingtalk: Resource::new(|| (), |_| list_connections()),
        targets: Resource::new(|| (), |_| list_pm_connections()),
        form: RwSignal::new(None),
        backfill: Backfill::default(),
        widened: RwSignal::new(None),
        live: RwSignal::new(HashMap::new()),
    };
    provide_context(state);

    let live = state.live;
    let on_run = move |row: RunRow| {
        let shown = runs.with_untracked(
            |page| matches!(page, Some(Ok(p)) if p.runs.iter().any(|r| r.id == row.id)),
        );
        let before = live.with_untracked(|m| m.get(&row.id).map(|r| r.state));
        let just_finished =
            row.state.is_finished() && !before.is_some_and(|state| state.is_finished());
        live.update(|m| {
            m.insert(row.id.clone(), row);
        });
        // A run the list does not show yet, or one that just ended (the
        // pairs' health changes): read the lists again.
        if (!shown && before.is_none()) || just_finished {
            refresh.update(|n| *n += 1);
        }
    };
    // Connected (again): changes may have been missed meanwhile.
    Effect::new(move |_| live::follow_runs(None, move || refresh.update(|n| *n += 1), on_run));

    view! {
        <section class="page sync-page">
            <h1>{t!(i18n, sync.title)}</h1>
            <p class="hint">{t!(i18n, sync.intro)}</p>
            <h2 class="section-title">{t!(i18n, sync.pairs_title)}</h2>
            {move || save.value().get().and_then(|r| r.ok()).map(|p| view! {
                <p class="banner banner-ok" role="status" data-testid="pair-saved">
                    {t_string!(i18n, sync.pair_saved, name = p.name.clone()).to_string()}
                </p>
            })}
            <WidenedNotice />
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let options = state.options.await.ok();
                    match pairs.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty" data-testid="no-pairs">{t!(i18n, sync.no_pairs)}</p>
                        }.into_any(),
                        Ok(list) => {
                            let names: HashMap<String, String> = options.as_ref()
                                .map(|o| o.people.iter().cloned().collect())
                                .unwrap_or_default();
                            let today = options.map(|o| o.today).unwrap_or_default();
                            view! {
                                <div class="pairs">
                                    {list.into_iter().map(|summary| {
                                        let people = summary.people.iter()
                                            .map(|u| names.get(u).cloned().unwrap_or_else(|| u.clone()))
                                            .collect();
                                        view! { <PairCard summary people today=today.clone() pause /> }
                                    }).collect_view()}
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                    }
                })}
            </Transition>
            <BackfillForm />
            <PairFormCard save />
            <h2 class="section-title">{t!(i18n, sync.runs_title)}</h2>
            <RunsList runs filter />
        </section>
    }
}

/// Userids from a comma-separated list of userids or names (a name that is
/// not exactly one person's is sent as typed, for the server to refuse).
fn resolve_people(text: &str, people: &[(String, String)]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for token in text
        .split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let id = if people.iter().any(|(id, _)| id == token) {
            token.to_owned()
        } else {
            let mut named = people.iter().filter(|(_, name)| name == token);
            match (named.next(), named.next()) {
                (Some((id, _)), None) => id.clone(),
                _ => token.to_owned(),
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// `today` (`YYYY-MM-DD`) moved by `days` (negative: back).
fn shift_day(today: &str, days: i64) -> String {
    let Ok(date) = NaiveDate::parse_from_str(today, "%Y-%m-%d") else {
        return String::new();
    };
    let moved = if days < 0 {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    };
    moved.map(|d| d.to_string()).unwrap_or_default()
}

/// The first day of `today`'s month.
fn month_start(today: &str) -> String {
    NaiveDate::parse_from_str(today, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.with_day(1))
        .map(|d| d.to_string())
        .unwrap_or_default()
}
