//! The application: HTML shell, routes, and the i18n context around them.

use crate::components::layout::SignedInLayout;
use crate::components::not_built::NotBuilt;
use crate::i18n::*;
use crate::pages::{
    audit::AuditPage, calendar::CalendarPage, connections::ConnectionsPage,
    dashboard::DashboardPage, login::LoginPage, mappings::MappingsPage, matching::MatchingPage,
    not_found::NotFound, password::ChangePasswordPage, people::PeoplePage,
    reconciliation::ReconciliationPage, rules::RulesPage, settings::SettingsPage,
    sync::run::RunPage, sync::SyncPage, users::UsersPage,
};
use hourbridge_domain::role::Area;
use leptos::prelude::*;
use leptos_i18n::context::UseLocalesOptions;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document the server renders around the application.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // Adds the session's CSRF token to every state-changing request.
                <script src="/csrf.js"></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Simplified Chinese unless the user picked English with the switch (kept in
    // a cookie); the browser's Accept-Language is deliberately not consulted.
    let no_header = UseLocalesOptions::default().ssr_lang_header_getter(|| None);
    view! {
        <Stylesheet id="hourbridge" href="/pkg/hourbridge.css" />
        <Title text="HourBridge" />
        <I18nContextProvider ssr_lang_header_getter=no_header>
            <Router>
                <Routes fallback=NotFound>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <ParentRoute path=path!("") view=SignedInLayout ssr=SsrMode::Async>
                        <Route path=path!("") view=DashboardPage />
                        <Route path=path!("account/password") view=ChangePasswordPage />
                        <Route path=path!("users") view=UsersPage />
                        <Route path=path!("audit") view=AuditPage />
                        <Route path=path!("settings") view=SettingsPage />
                        <Route path=path!("connections") view=ConnectionsPage />
                        <Route path=path!("people") view=PeoplePage />
                        <Route path=path!("matching") view=MatchingPage />
                        <Route path=path!("rules") view=RulesPage />
                        <Route path=path!("calendar") view=CalendarPage />
                        <Route path=path!("mappings") view=MappingsPage />
                        <Route path=path!("sync") view=SyncPage />
                        <Route path=path!("sync/runs/:id") view=RunPage />
                        <Route path=path!("reconciliation") view=ReconciliationPage />
                        <Route path=path!("reports") view=|| area(Area::Reports) />
                    </ParentRoute>
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}

fn area(area: Area) -> impl IntoView {
    use crate::components::layout::AreaGuard;
    view! {
        <AreaGuard area>
            <NotBuilt area />
        </AreaGuard>
    }
}
