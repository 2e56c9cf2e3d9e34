use crate::api::settings::SetTimeZone;
use crate::components::form::{action_error, invalid, FieldProblem, FormError};
use crate::components::layout::{AreaGuard, CurrentUser};
use crate::i18n::*;
use hourbridge_domain::role::Area;
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::Settings>
            <SettingsForm />
        </AreaGuard>
    }
}

#[component]
fn SettingsForm() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SetTimeZone>::new();
    let error = action_error(save);
    let CurrentUser(me) = expect_context::<CurrentUser>();
    let current = move || {
        save.value()
            .get()
            .and_then(|r| r.ok())
            .or_else(|| me.get().and_then(|r| r.ok()).flatten().map(|m| m.time_zone))
            .unwrap_or_default()
    };
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    view! {
        <section class="page narrow">
            <h1>{t!(i18n, settings.title)}</h1>
            <Show when=saved>
                <p class="banner banner-ok" role="status">{t!(i18n, settings.saved)}</p>
            </Show>
            <FormError error />
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <label for="time_zone">{t!(i18n, settings.time_zone)}</label>
                <input id="time_zone" name="time_zone" prop:value=current aria-invalid=invalid(error, "time_zone") />
                <p class="hint">{t!(i18n, settings.time_zone_hint)}</p>
                <FieldProblem error field="time_zone" />
                <button type="submit" class="primary">{t!(i18n, settings.save)}</button>
            </ActionForm>
        </section>
    }
}
