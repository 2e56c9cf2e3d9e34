//! Documents versioned by effective-from date (rule books, field mappings):
//! the bar that picks the version on screen and starts a new one, and the
//! messages of their validation problems.

use chrono::{Days, NaiveDate};
use hourbridge_rules::FieldError;
use leptos::prelude::*;

use crate::i18n::*;

/// One version as the bar shows it: its index in the document, its date and
/// its name (may be empty).
pub type VersionTab = (usize, NaiveDate, String);

/// The index of the latest-starting version among `dates` (in document
/// order), shown first when an editor opens; 0 for none.
pub fn latest_index(dates: impl IntoIterator<Item = NaiveDate>) -> usize {
    dates
        .into_iter()
        .enumerate()
        .max_by_key(|(_, d)| *d)
        .map_or(0, |(i, _)| i)
}

/// The day after `today` (`YYYY-MM-DD`), as the default start of a new version.
pub fn day_after(today: &str) -> String {
    NaiveDate::parse_from_str(today, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// The versions in date order; pressing one shows it. "New version" copies
/// the one on screen to start on the chosen date (`on_new` gets the date).
#[component]
pub fn VersionBar(
    #[prop(into)] versions: Signal<Vec<VersionTab>>,
    selected: RwSignal<usize>,
    on_new: Callback<NaiveDate>,
    new_from: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let new_from = RwSignal::new(new_from);
    view! {
        <nav class="versions" aria-label=move || t_string!(i18n, rules.versions).to_string()>
            {move || {
                let mut tabs = versions.get();
                tabs.sort_by_key(|(_, d, _)| *d);
                tabs.into_iter().map(|(i, date, name)| view! {
                    <button type="button" class="version" data-testid="version"
                        aria-pressed=move || if selected.get() == i { "true" } else { "false" }
                        on:click=move |_| selected.set(i)>
                        {t_string!(i18n, rules.from_date, date = date.to_string()).to_string()}
                        {(!name.is_empty()).then(|| format!(" · {name}"))}
                    </button>
                }).collect_view()
            }}
            <span class="new-version">
                <input type="date" aria-label=move || t_string!(i18n, rules.new_version_from).to_string()
                    prop:value=new_from on:change=move |ev| new_from.set(event_target_value(&ev)) />
                <button type="button" data-testid="new-version" on:click=move |_| {
                    if let Ok(date) = NaiveDate::parse_from_str(&new_from.get_untracked(), "%Y-%m-%d") {
                        on_new.run(date);
                    }
                }>{t!(i18n, rules.new_version)}</button>
            </span>
        </nav>
    }
}

/// A problem as a sentence in the reader's language, with its value when
/// there is one.
pub fn problem_message(zh: bool, e: &FieldError) -> String {
    let (z, en) = e.problem.message();
    let text = if zh { z } else { en };
    match &e.detail {
        Some(detail) => format!("{text}：{detail}"),
        None => text.to_owned(),
    }
}

/// The first problem at `path` or inside it (`path[2]`, `path.field`).
pub fn problem_under<'a>(
    problems: impl IntoIterator<Item = &'a FieldError>,
    path: &str,
) -> Option<&'a FieldError> {
    problems.into_iter().find(|e| {
        e.path == path
            || e.path
                .strip_prefix(path)
                .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
    })
}
