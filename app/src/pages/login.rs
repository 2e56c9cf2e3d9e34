use crate::api::account::LogIn;
use crate::components::form::{action_error, invalid, FieldProblem, FormError};
use crate::components::layout::{reload_at, LanguageSwitch};
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<LogIn>::new();
    let error = action_error(login);
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = login.value().get() {
            reload_at(if outcome.must_change_password {
                "/account/password"
            } else {
                "/"
            });
        }
    });
    view! {
        <main class="standalone login">
            <div class="login-top">
                <span class="brand">{t!(i18n, app_name)}</span>
                <LanguageSwitch />
            </div>
            <h1>{t!(i18n, login.title)}</h1>
            <p>{t!(i18n, login.intro)}</p>
            <FormError error />
            <ActionForm action=login attr:class="form" attr:novalidate=true>
                <label for="username">{t!(i18n, login.username)}</label>
                <input id="username" name="username" autocomplete="username" aria-invalid=invalid(error, "username") />
                <FieldProblem error field="username" />
                <label for="password">{t!(i18n, login.password)}</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    aria-invalid=invalid(error, "password")
                />
                <FieldProblem error field="password" />
                <button type="submit" class="primary" disabled=move || login.pending().get()>
                    {move || {
                        if login.pending().get() {
                            t_string!(i18n, login.submitting).to_string()
                        } else {
                            t_string!(i18n, login.submit).to_string()
                        }
                    }}
                </button>
            </ActionForm>
        </main>
    }
}
