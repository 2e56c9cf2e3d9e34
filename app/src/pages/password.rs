use crate::api::account::ChangePassword;
use crate::components::form::{action_error, invalid, FieldProblem, FormError};
use crate::components::layout::{reload_at, CurrentUser};
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    let CurrentUser(me) = expect_context::<CurrentUser>();
    let must_change = move || matches!(me.get(), Some(Ok(Some(m))) if m.must_change_password);
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            reload_at("/");
        }
    });
    view! {
        <section class="page narrow">
            <h1>{t!(i18n, password.title)}</h1>
            <Show when=must_change>
                <p class="banner banner-info" data-testid="must-change">{t!(i18n, password.must_change)}</p>
            </Show>
            <FormError error />
            <ActionForm action=change attr:class="form" attr:novalidate=true>
                <label for="current_password">{t!(i18n, password.current_password)}</label>
                <input id="current_password" name="current_password" type="password" autocomplete="current-password"
                    aria-invalid=invalid(error, "current_password") />
                <FieldProblem error field="current_password" />
                <label for="new_password">{t!(i18n, password.new_password)}</label>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password"
                    aria-invalid=invalid(error, "new_password") />
                <p class="hint">{t!(i18n, password.hint)}</p>
                <FieldProblem error field="new_password" />
                <label for="confirm_password">{t!(i18n, password.confirm_password)}</label>
                <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password"
                    aria-invalid=invalid(error, "confirm_password") />
                <FieldProblem error field="confirm_password" />
                <button type="submit" class="primary" disabled=move || change.pending().get()>
                    {t!(i18n, password.submit)}
                </button>
            </ActionForm>
        </section>
    }
}
