//! People (admins, HR): the synced DingTalk directory, with departments and
//! who is active or has left.

use crate::api::people::{list_people, SyncPeople};
use crate::components::form::{action_error, FormError};
use crate::components::layout::{AreaGuard, CurrentUser, ErrorBanner};
use crate::i18n::*;
use hourbridge_domain::directory::PEOPLE_PAGE_SIZE;
use hourbridge_domain::role::Area;
use hourbridge_domain::Role;
use leptos::prelude::*;

#[component]
pub fn PeoplePage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::People>
            <People />
        </AreaGuard>
    }
}

#[component]
fn People() -> impl IntoView {
    let i18n = use_i18n();
    let connection = RwSignal::new(String::new());
    let status = RwSignal::new(String::from("all"));
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let sync = ServerAction::<SyncPeople>::new();
    let sync_error = action_error(sync);
    let view_data = Resource::new(
        move || {
            (
                connection.get(),
                status.get(),
                search.get(),
                page.get(),
                sync.version().get(),
            )
        },
        |(c, st, q, p, _)| list_people(c, st, q, p),
    );
    let CurrentUser(me) = expect_context::<CurrentUser>();
    let is_admin = move || {
        me.get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|m| m.role == Role::Admin)
    };

    view! {
        <section class="page">
            <h1>{t!(i18n, people.title)}</h1>
            <FormError error=sync_error />
            {move || sync.value().get().and_then(|r| r.ok()).map(|(d, p)| view! {
                <p class="banner banner-ok" role="status" data-testid="sync-done">
                    {t_string!(i18n, people.synced, departments = d, people = p).to_string()}
                </p>
            })}
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <label>
                    {t!(i18n, people.status)} " "
                    <select name="status" data-testid="status-filter" on:change=move |ev| { status.set(event_target_value(&ev)); page.set(1); }>
                        <option value="all">{t!(i18n, people.all)}</option>
                        <option value="active">{t!(i18n, people.active)}</option>
                        <option value="left">{t!(i18n, people.left)}</option>
                    </select>
                </label>
                <label>
                    {t!(i18n, people.search)} " "
                    <input type="search" name="q" data-testid="people-search"
                        on:change=move |ev| { search.set(event_target_value(&ev)); page.set(1); } />
                </label>
            </form>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(data) => {
                            let selected = data.selected.clone().unwrap_or_default();
                            let choices = data.connections.clone();
                            let chooser = (choices.len() > 1).then(|| view! {
                                <label>
                                    {t!(i18n, people.connection)} " "
                                    <select on:change=move |ev| { connection.set(event_target_value(&ev)); page.set(1); }>
                                        {choices.into_iter().map(|(id, name)| {
                                            let chosen = id == selected;
                                            view! { <option value=id selected=chosen>{name}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                            });
                            match data.page {
                                None => view! {
                                    <p class="empty" data-testid="no-directory">{t!(i18n, people.no_connection)}</p>
                                }.into_any(),
                                Some(p) => {
                                    let sync_id = data.selected.clone().unwrap_or_default();
                                    let pages = p.matching.div_ceil(PEOPLE_PAGE_SIZE).max(1);
                                    let current = p.page;
                                    view! {
                                        {chooser}
                                        <p class="summary" data-testid="people-summary">
                                            {t_string!(i18n, people.summary, total = p.total, active = p.active, left = p.left, departments = p.departments.len()).to_string()}
                                        </p>
                                        <Show when=is_admin>
                                            <button type="button" data-testid="sync-people" disabled=move || sync.pending().get()
                                                on:click={
                                                    let id = sync_id.clone();
                                                    move |_| { sync.dispatch(SyncPeople { connection_id: id.clone() }); }
                                                }>
                                                {t!(i18n, people.sync)}
                                            </button>
                                        </Show>
                                        <table class="table" data-testid="people-table">
                                            <thead>
                                                <tr>
                                                    <th>{t!(i18n, people.name)}</th>
                                                    <th>"UserId"</th>
                                                    <th>{t!(i18n, people.job_title)}</th>
                                                    <th>{t!(i18n, people.departments)}</th>
                                                    <th>{t!(i18n, people.email)}</th>
                                                    <th>{t!(i18n, people.state)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {p.people.into_iter().map(|person| {
                                                    let active = person.active;
                                                    let userid = person.userid.clone();
                                                    view! {
                                                        <tr data-userid=userid class:inactive=!active>
                                                            <td>{person.name}</td>
                                                            <td><code>{person.userid}</code></td>
                                                            <td>{person.title.unwrap_or_default()}</td>
                                                            <td>{person.departments.join("、")}</td>
                                                            <td>{person.email.unwrap_or_default()}</td>
                                                            <td>{move || if active { t_string!(i18n, people.active).to_string() } else { t_string!(i18n, people.left).to_string() }}</td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        <nav class="pager">
                                            <button type="button" disabled=current <= 1 on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>
                                                {t!(i18n, people.previous)}
                                            </button>
                                            <span data-testid="people-page">{format!("{current} / {pages}")}</span>
                                            <button type="button" disabled=current >= pages on:click=move |_| page.update(|p| *p += 1)>
                                                {t!(i18n, people.next)}
                                            </button>
                                        </nav>
                                        <details class="card">
                                            <summary>{t!(i18n, people.departments)}</summary>
                                            <ul class="departments">
                                                {p.departments.into_iter().map(|d| view! {
                                                    <li>{d.name} " · " {d.people}</li>
                                                }).collect_view()}
                                            </ul>
                                        </details>
                                    }.into_any()
                                }
                            }
                        }
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
