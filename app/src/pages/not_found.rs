use crate::i18n::*;
use leptos::prelude::*;

/// Any unknown address: says so, with HTTP status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <main class="standalone">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <a href="/">{t!(i18n, not_found.home)}</a>
        </main>
    }
}
