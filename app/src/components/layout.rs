//! The frame of every signed-in page: header, navigation, content; and the
//! guard that sends anonymous visitors to the login page.

use super::labels::{area_label, area_path, role_label};
use crate::api::access::may_open;
use crate::api::account::{who_am_i, LogOut, Me};
use crate::api::matching::needs_decision_count;
use crate::api::AppError;
use crate::components::form::error_text;
use crate::i18n::*;
use hourbridge_domain::role::Area;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_location;

/// The signed-in user, loaded once per page and shared with every component.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<Me>, AppError>>);

pub fn provide_current_user() -> CurrentUser {
    let me = CurrentUser(Resource::new_blocking(|| (), |_| who_am_i()));
    provide_context(me);
    me
}

/// Reloads the whole page at `path` (after login, logout or a password change).
pub fn reload_at(path: &str) {
    let _ = window().location().assign(path);
}

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |_| {
        let next = match i18n.get_locale() {
            Locale::zh => Locale::en,
            Locale::en => Locale::zh,
        };
        i18n.set_locale(next);
    };
    view! {
        <button
            type="button"
            class="language-switch"
            data-testid="language-switch"
            aria-label=move || t_string!(i18n, header.switch_language_label).to_string()
            on:click=toggle
        >
            {t!(i18n, header.switch_language)}
        </button>
    }
}

#[component]
fn LogoutButton() -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<LogOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            reload_at("/login");
        }
    });
    view! {
        <ActionForm action=logout attr:class="inline">
            <button type="submit" class="link-button" data-testid="logout">{t!(i18n, header.logout)}</button>
        </ActionForm>
    }
}

#[component]
fn Navigation(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    // People waiting for a matching decision, read again on every navigation.
    let location = use_location();
    let open_matches = me
        .role
        .can(Area::Matching)
        .then(|| Resource::new(move || location.pathname.get(), |_| needs_decision_count()));
    let links = Area::ALL
        .into_iter()
        .filter(|area| may_open(me.role, *area))
        .map(|area| {
            let badge = (area == Area::Matching).then_some(open_matches).flatten().map(|count| {
                view! {
                    <Transition>
                        {move || Suspend::new(async move {
                            count.await.ok().filter(|n| *n > 0).map(|n| view! {
                                <span class="count-badge" data-testid="matching-count">{n}</span>
                            })
                        })}
                    </Transition>
                }
            });
            view! {
                <li>
                    <A href=area_path(area) attr:data-area=format!("{area:?}")>
                        {move || area_label(i18n, area)}
                        {badge}
                    </A>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="sidebar" aria-label=move || t_string!(i18n, nav.label).to_string()>
            <ul>{links}</ul>
        </nav>
    }
}

#[component]
fn Header(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let role = me.role;
    view! {
        <header class="topbar">
            <a href="/" class="brand">{t!(i18n, app_name)}</a>
            <span class="tagline">{t!(i18n, tagline)}</span>
            <div class="spacer"></div>
            <span class="who" data-testid="current-user">
                {me.display_name.clone()} " · " {move || role_label(i18n, role)}
            </span>
            <a href="/account/password">{t!(i18n, header.change_password)}</a>
            <LanguageSwitch />
            <LogoutButton />
        </header>
    }
}

/// Parent route of every signed-in page.
///
/// Pages (and the resources they create) are rendered from a plain closure
/// over the user resource, never inside a `Suspend` future: the server may
/// run such a future more than once, which would number the pages' resources
/// differently than the browser does and break hydration.
#[component]
pub fn SignedInLayout() -> impl IntoView {
    let i18n = use_i18n();
    let CurrentUser(me) = provide_current_user();
    let location = use_location();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || match me.get() {
                None => ().into_any(),
                Some(Ok(Some(me))) => {
                    let on_password_page = location.pathname.get_untracked() == "/account/password";
                    if me.must_change_password && !on_password_page {
                        view! { <Redirect path="/account/password" /> }.into_any()
                    } else {
                        view! {
                            <div class="frame">
                                <Header me=me.clone() />
                                <div class="body">
                                    <Navigation me=me />
                                    <main class="content">
                                        <Outlet />
                                    </main>
                                </div>
                            </div>
                        }
                            .into_any()
                    }
                }
                Some(Ok(None)) => view! { <Redirect path="/login" /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
            }}
        </Suspense>
    }
}

/// Shows its children only to roles that may open `area` (the server checks again).
/// The user is already loaded by [`SignedInLayout`].
#[component]
pub fn AreaGuard(area: Area, children: ChildrenFn) -> impl IntoView {
    let CurrentUser(me) = expect_context::<CurrentUser>();
    let allowed = move || matches!(me.get(), Some(Ok(Some(m))) if may_open(m.role, area));
    view! {
        <Show when=allowed fallback=|| view! { <ErrorBanner error=AppError::Forbidden /> }>
            {children()}
        </Show>
    }
}

/// A whole-page error in the user's language.
#[component]
pub fn ErrorBanner(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || error_text(i18n, &error).unwrap_or_default();
    view! { <div class="banner banner-error" role="alert">{text}</div> }
}
