//! Reconciliation (administrators and HR): per person and day, the hours
//! attended and computed against what a pair's project system holds —
//! counts per finding, the rows, the same rows as CSV, and a "fix" that
//! writes the selected person-days again; below it, the manual corrections
//! (手工补录) of a person-day's hours. The query lives in the address, so a
//! report can be reloaded or shared, and the CSV link carries the same one.

mod corrections;
mod findings;
mod query_form;
mod report;

use crate::api::reconciliation::{
    reconcile, reconciliation_options, FixReconciliation, ReconOptions,
};
use crate::api::AppError;
use crate::components::layout::{AreaGuard, CurrentUser, ErrorBanner};
use crate::i18n::*;
use chrono::{Days, NaiveDate};
use corrections::Corrections;
use findings::Legend;
use hourbridge_domain::role::Area;
use hourbridge_domain::sync::{ReconQuery, ReconReport};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use query_form::QueryForm;
use report::ReportView;

#[component]
pub fn ReconciliationPage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::Reconciliation>
            <Reconciliation />
        </AreaGuard>
    }
}

/// What the parts of the page share.
#[derive(Clone, Copy)]
struct ReconState {
    options: Resource<Result<ReconOptions, AppError>>,
    /// The query in the address; `None` until one was asked.
    query: Memo<Option<ReconQuery>>,
    /// The report of `query`, with the query it answers.
    report: Resource<Result<Option<(ReconQuery, ReconReport)>, AppError>>,
    /// Bumped when the query shown is asked again.
    refresh: RwSignal<u32>,
    fix: ServerAction<FixReconciliation>,
    /// The caller may open a run's page (administrators; HR may not).
    opens_runs: Signal<bool>,
}

impl ReconState {
    /// The report's error, shown at its fields or as a banner.
    fn report_error(&self) -> Signal<Option<AppError>> {
        let report = self.report;
        Signal::derive(move || report.with(|r| r.as_ref().and_then(|r| r.as_ref().err().cloned())))
    }
}

#[component]
fn Reconciliation() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| query_from(&params.read()));
    let refresh = RwSignal::new(0u32);
    let report = Resource::new(
        move || (query.get(), refresh.get()),
        |(query, _)| async move {
            match query {
                Some(q) => reconcile(q.clone()).await.map(|r| Some((q, r))),
                None => Ok(None),
            }
        },
    );
    let CurrentUser(me) = expect_context::<CurrentUser>();
    let state = ReconState {
        options: Resource::new(|| (), |_| reconciliation_options()),
        query,
        report,
        refresh,
        fix: ServerAction::new(),
        opens_runs: Signal::derive(
            move || matches!(me.get(), Some(Ok(Some(m))) if m.role.can(Area::SyncJobs)),
        ),
    };
    provide_context(state);

    view! {
        <section class="page recon-page">
            <h1>{t!(i18n, reconciliation.title)}</h1>
            <p class="hint">{t!(i18n, reconciliation.intro)}</p>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match state.options.await {
                        Ok(options) if options.pairs.is_empty() => view! {
                            <p class="empty" data-testid="recon-no-pairs">{t!(i18n, reconciliation.no_pairs)}</p>
                        }.into_any(),
                        Ok(options) => {
                            let initial = state.query.get_untracked();
                            view! { <QueryForm options initial /> }.into_any()
                        }
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(Some((query, report))) => view! { <ReportView query report /> }.into_any(),
                        Ok(None) => ().into_any(),
                        // Shown at their fields, in the form.
                        Err(AppError::Invalid { .. }) => ().into_any(),
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                    }
                })}
            </Transition>
            <Legend />
            <Corrections />
        </section>
    }
}

/// The query in the address (`?pair_id=&first=&last=&department=&people=&finding=&all=`,
/// the filters of the CSV route); none without `pair_id`.
fn query_from(params: &ParamsMap) -> Option<ReconQuery> {
    let pair_id = params.get("pair_id")?;
    let text = |key: &str| params.get(key).unwrap_or_default().trim().to_owned();
    Some(ReconQuery {
        pair_id,
        first: text("first"),
        last: text("last"),
        department: params.get("department").and_then(|d| d.trim().parse().ok()),
        people: split_people(&text("people")),
        finding: Some(text("finding")).filter(|f| !f.is_empty()),
        all: params.get("all").is_some_and(|a| a == "true"),
    })
}

/// The query as the address's (and the CSV route's) query string.
fn search_of(query: &ReconQuery) -> String {
    let mut parts = vec![
        ("pair_id", query.pair_id.clone()),
        ("first", query.first.clone()),
        ("last", query.last.clone()),
    ];
    if let Some(d) = query.department {
        parts.push(("department", d.to_string()));
    }
    if !query.people.is_empty() {
        parts.push(("people", query.people.join(",")));
    }
    if let Some(f) = &query.finding {
        parts.push(("finding", f.clone()));
    }
    if query.all {
        parts.push(("all", "true".to_owned()));
    }
    parts
        .into_iter()
        .map(|(key, value)| format!("{key}={}", escape(&value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `value` for a query string: all but the unreserved characters of RFC 3986
/// percent-encoded, alike on the server and in the browser.
fn escape(value: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Userids or names from a list separated by commas (or 、).
fn split_people(text: &str) -> Vec<String> {
    text.split([',', '，', '、'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `today` (`YYYY-MM-DD`) moved back by `days`.
fn days_before(today: &str, days: u64) -> String {
    NaiveDate::parse_from_str(today, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_sub_days(Days::new(days)))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_split_at_any_comma_and_trimmed() {
        assert_eq!(
            split_people(" 张三, lisi，王五、 ,"),
            vec!["张三", "lisi", "王五"]
        );
        assert!(split_people("  ").is_empty());
    }

    #[test]
    fn the_query_string_escapes_all_but_unreserved_characters() {
        assert_eq!(escape("2026-11-02"), "2026-11-02");
        assert_eq!(escape("张三,li si&x"), "%E5%BC%A0%E4%B8%89%2Cli%20si%26x");
        let query = ReconQuery {
            pair_id: "p1".into(),
            first: "2026-11-02".into(),
            last: "2026-11-08".into(),
            department: Some(3),
            people: vec!["张三".into(), "lisi".into()],
            finding: Some("missing".into()),
            all: true,
        };
        assert_eq!(
            search_of(&query),
            "pair_id=p1&first=2026-11-02&last=2026-11-08&department=3\
             &people=%E5%BC%A0%E4%B8%89%2Clisi&finding=missing&all=true"
        );
    }

    #[test]
    fn the_default_week_ends_yesterday() {
        assert_eq!(days_before("2026-11-09", 7), "2026-11-02");
        assert_eq!(days_before("2026-11-09", 1), "2026-11-08");
        assert_eq!(days_before("not a date", 1), "");
    }
}
