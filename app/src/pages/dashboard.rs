use crate::components::labels::role_label;
use crate::components::layout::CurrentUser;
use crate::components::not_built::NotBuilt;
use crate::i18n::*;
use hourbridge_domain::role::Area;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let CurrentUser(me) = expect_context::<CurrentUser>();
    let me = move || me.get().and_then(|r| r.ok()).flatten();
    view! {
        <section class="page welcome">
            {move || me().map(|me| {
                let role = me.role;
                let name = me.display_name.clone();
                let tz = me.time_zone.clone();
                view! {
                    <h2 data-testid="welcome">{move || t_string!(i18n, dashboard.welcome, name = name.clone()).to_string()}</h2>
                    <p>{move || t_string!(i18n, dashboard.role_line, role = role_label(i18n, role)).to_string()}</p>
                    <p>{move || t_string!(i18n, dashboard.time_zone_line, tz = tz.clone()).to_string()}</p>
                }
            })}
        </section>
        <NotBuilt area=Area::Dashboard />
    }
}
