use crate::api::audit::audit_page;
use crate::components::labels::action_label;
use crate::components::layout::{AreaGuard, ErrorBanner};
use crate::i18n::*;
use hourbridge_domain::audit::AuditAction;
use hourbridge_domain::role::Area;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::AuditLog>
            <AuditLog />
        </AreaGuard>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let action = move || query.read().get("action").unwrap_or_default();
    let entries = Resource::new(
        move || (page(), action()),
        |(page, action)| audit_page(page, action),
    );
    let link = move |to: i64| format!("/audit?page={to}&action={}", action());

    view! {
        <section class="page">
            <h1>{t!(i18n, audit.title)}</h1>
            <p class="hint">{t!(i18n, audit.intro)}</p>
            <Form method="GET" action="/audit" attr:class="form inline-form">
                <label for="action-filter">{t!(i18n, audit.filter)}</label>
                <select id="action-filter" name="action">
                    <option value="" selected=move || action().is_empty()>{t!(i18n, audit.all_actions)}</option>
                    {AuditAction::ALL.into_iter().map(|a| view! {
                        <option value=a.as_str() selected=move || action() == a.as_str()>
                            {move || action_label(i18n, a)}
                        </option>
                    }).collect_view()}
                </select>
                <button type="submit">"OK"</button>
            </Form>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(found) if found.rows.is_empty() => view! { <p class="muted">{t!(i18n, audit.empty)}</p> }.into_any(),
                        Ok(found) => {
                            let (current, pages, total) = (found.page, found.pages, found.total);
                            view! {
                                <table class="table" data-testid="audit-table">
                                    <thead>
                                        <tr>
                                            <th>{t!(i18n, audit.when)} " (" {found.time_zone.clone()} ")"</th>
                                            <th>{t!(i18n, audit.who)}</th>
                                            <th>{t!(i18n, audit.action)}</th>
                                            <th>{t!(i18n, audit.target)}</th>
                                            <th>{t!(i18n, audit.detail)}</th>
                                            <th>{t!(i18n, audit.ip)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {found.rows.into_iter().map(|r| {
                                            let action = r.action;
                                            view! {
                                                <tr data-action=action.as_str()>
                                                    <td class="nowrap">{r.at_local}</td>
                                                    <td>{r.actor.unwrap_or_else(|| t_string!(i18n, audit.system).to_string())}</td>
                                                    <td>{move || action_label(i18n, action)}</td>
                                                    <td>{r.target.unwrap_or_default()}</td>
                                                    <td>{r.detail.unwrap_or_default()}</td>
                                                    <td>{r.ip.unwrap_or_default()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <div class="pager">
                                    {(current > 1).then(|| view! { <a href=link(current - 1)>{t!(i18n, audit.previous)}</a> })}
                                    <span>{move || t_string!(i18n, audit.page_info, page = current, pages = pages, total = total).to_string()}</span>
                                    {(current < pages).then(|| view! { <a href=link(current + 1)>{t!(i18n, audit.next)}</a> })}
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
