//! Instants and durations as the reader sees them.
//!
//! The server cannot know the browser's time zone: it renders an instant in
//! UTC (marked so), the browser renders the same text while hydrating, then
//! switches to its own local time.

use crate::i18n::*;
use chrono::DateTime;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// `at` (Unix ms) as `YYYY-MM-DD HH:MM:SS` in the browser's time zone; `—`
/// when there is none.
#[component]
pub fn LocalTime(#[prop(into)] at: Signal<Option<i64>>) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| hydrated.set(true));
    let datetime = move || {
        at.get()
            .and_then(DateTime::from_timestamp_millis)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    };
    view! {
        <time class="nowrap" datetime=datetime>{move || instant_text(at.get(), hydrated.get())}</time>
    }
}

fn instant_text(at_ms: Option<i64>, local: bool) -> String {
    const FORMAT: &str = "%Y-%m-%d %H:%M:%S";
    match at_ms.and_then(DateTime::from_timestamp_millis) {
        None => "—".to_owned(),
        Some(t) if local => t.with_timezone(&chrono::Local).format(FORMAT).to_string(),
        Some(t) => format!("{} UTC", t.format(FORMAT)),
    }
}

/// A span of time in words: `42 s`, `3 min 05 s`, `1 h 02 min`.
pub fn duration_text(i18n: I18nContext<Locale>, ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        let m = format!("{m:02}");
        t_string!(i18n, time.hours, h, m).to_string()
    } else if m > 0 {
        let s = format!("{s:02}");
        t_string!(i18n, time.minutes, m, s).to_string()
    } else {
        t_string!(i18n, time.seconds, s).to_string()
    }
}

/// How long something took from `from` to `to` (Unix ms), if both are known.
pub fn elapsed(i18n: I18nContext<Locale>, from: Option<i64>, to: Option<i64>) -> String {
    match (from, to) {
        (Some(from), Some(to)) => duration_text(i18n, to - from),
        _ => "—".to_owned(),
    }
}
