//! What an area shows until it is built: a plain statement, not a fake page.

use super::labels::area_label;
use crate::i18n::*;
use hourbridge_domain::role::Area;
use leptos::prelude::*;

#[component]
pub fn NotBuilt(area: Area) -> impl IntoView {
    let i18n = use_i18n();
    let name = move || area_label(i18n, area);
    view! {
        <section class="page not-built">
            <h1>{name}</h1>
            <p class="banner banner-info">{t!(i18n, placeholder.not_built)}</p>
            <p>{move || t_string!(i18n, placeholder.explain, area = name()).to_string()}</p>
        </section>
    }
}
