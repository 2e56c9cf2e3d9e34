//! People matching (admins): for each DingTalk person, their user in a
//! project system — matched by e-mail, mobile, job number or exact name
//! (each labelled), or chosen by hand. "Needs a decision" lists the people
//! no rule could place with certainty.

use crate::api::matching::{matching_page, DecideMatch, ReadPmUsers};
use crate::components::form::{action_error, FormError};
use crate::components::layout::{AreaGuard, ErrorBanner};
use crate::i18n::*;
use hourbridge_domain::matching::{AccountView, MatchRow, MatchStatus, Method, MATCH_PAGE_SIZE};
use hourbridge_domain::role::Area;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

#[component]
pub fn MatchingPage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::Matching>
            <Matching />
        </AreaGuard>
    }
}

fn method_label(i18n: I18nContext<Locale>, method: Method) -> String {
    match method {
        Method::Email => t_string!(i18n, matching.by_email).to_string(),
        Method::Mobile => t_string!(i18n, matching.by_mobile).to_string(),
        Method::JobNumber => t_string!(i18n, matching.by_job_number).to_string(),
        Method::Name => t_string!(i18n, matching.by_name).to_string(),
        Method::Manual => t_string!(i18n, matching.by_hand).to_string(),
    }
}

fn account_text(a: &AccountView) -> String {
    match (&a.email, &a.login) {
        (Some(email), _) => format!("{} <{email}>", a.name),
        (None, Some(login)) => format!("{} ({login})", a.name),
        (None, None) => a.name.clone(),
    }
}

#[component]
fn Matching() -> impl IntoView {
    let i18n = use_i18n();
    let connection = RwSignal::new(String::new());
    let filter = RwSignal::new(String::from("needs_decision"));
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let decide = ServerAction::<DecideMatch>::new();
    let read = ServerAction::<ReadPmUsers>::new();
    let decide_error = action_error(decide);
    let read_error = action_error(read);
    let data = Resource::new(
        move || {
            (
                connection.get(),
                filter.get(),
                search.get(),
                page.get(),
                decide.version().get(),
                read.version().get(),
            )
        },
        |(c, f, q, p, _, _)| matching_page(c, f, q, p),
    );

    view! {
        <section class="page">
            <h1>{t!(i18n, matching.title)}</h1>
            <p class="hint">{t!(i18n, matching.intro)}</p>
            <FormError error=decide_error />
            <FormError error=read_error />
            {move || read.value().get().and_then(|r| r.ok()).map(|n| view! {
                <p class="banner banner-ok" role="status" data-testid="users-read">
                    {t_string!(i18n, matching.users_read, count = n).to_string()}
                </p>
            })}
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <label>
                    {t!(i18n, matching.show)} " "
                    <select data-testid="match-filter" on:change=move |ev| { filter.set(event_target_value(&ev)); page.set(1); }>
                        <option value="needs_decision">{t!(i18n, matching.needs_decision)}</option>
                        <option value="all">{t!(i18n, matching.everyone)}</option>
                    </select>
                </label>
                <label>
                    {t!(i18n, people.search)} " "
                    <input type="search" data-testid="match-search"
                        on:change=move |ev| { search.set(event_target_value(&ev)); page.set(1); } />
                </label>
            </form>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                        Ok(v) if v.connections.is_empty() => view! {
                            <p class="empty" data-testid="no-targets">{t!(i18n, matching.no_targets)}</p>
                        }.into_any(),
                        Ok(v) => {
                            let selected = v.selected.clone().unwrap_or_default();
                            let chooser = (v.connections.len() > 1).then(|| {
                                let selected = selected.clone();
                                view! {
                                    <label>
                                        {t!(i18n, people.connection)} " "
                                        <select data-testid="match-connection" on:change=move |ev| { connection.set(event_target_value(&ev)); page.set(1); }>
                                            {v.connections.iter().cloned().map(|(id, name)| {
                                                let chosen = id == selected;
                                                view! { <option value=id selected=chosen>{name}</option> }
                                            }).collect_view()}
                                        </select>
                                    </label>
                                }
                            });
                            let read_id = selected.clone();
                            let read_button = view! {
                                <button type="button" data-testid="read-users" disabled=move || read.pending().get()
                                    on:click=move |_| { read.dispatch(ReadPmUsers { connection_id: read_id.clone() }); }>
                                    {t!(i18n, matching.read_users)}
                                </button>
                            };
                            match (v.page, v.users_read_at) {
                                (_, None) | (None, _) => view! {
                                    {chooser}
                                    <p class="empty" data-testid="users-not-read">{t!(i18n, matching.users_not_read)}</p>
                                    {read_button}
                                }.into_any(),
                                (Some(p), Some(_)) => {
                                    let pages = p.matching.div_ceil(MATCH_PAGE_SIZE).max(1);
                                    let current = p.page;
                                    let accounts = p.accounts.clone();
                                    view! {
                                        {chooser}
                                        <p class="summary" data-testid="match-summary">
                                            {t_string!(i18n, matching.summary, people = p.people, open = p.needs_decision).to_string()}
                                        </p>
                                        {read_button}
                                        <table class="table" data-testid="match-table">
                                            <thead>
                                                <tr>
                                                    <th>{t!(i18n, people.name)}</th>
                                                    <th>{t!(i18n, people.email)}</th>
                                                    <th>{t!(i18n, matching.account)}</th>
                                                    <th>{t!(i18n, matching.how)}</th>
                                                    <th></th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {p.rows.into_iter().map(|row| view! {
                                                    <MatchLine row accounts=accounts.clone() connection_id=selected.clone() decide />
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        <nav class="pager">
                                            <button type="button" disabled=current <= 1 on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>
                                                {t!(i18n, people.previous)}
                                            </button>
                                            <span data-testid="match-page">{format!("{current} / {pages}")}</span>
                                            <button type="button" disabled=current >= pages on:click=move |_| page.update(|p| *p += 1)>
                                                {t!(i18n, people.next)}
                                            </button>
                                        </nav>
                                    }.into_any()
                                }
                            }
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// One person: who they are matched to and how, or the choice to make.
#[component]
fn MatchLine(
    row: MatchRow,
    accounts: Vec<AccountView>,
    connection_id: String,
    decide: ServerAction<DecideMatch>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = row.status;
    let method = row.method;
    let how = move || match (status, method) {
        (MatchStatus::Matched, Some(m)) => method_label(i18n, m),
        (MatchStatus::Ambiguous, Some(m)) => {
            t_string!(i18n, matching.ambiguous, how = method_label(i18n, m)).to_string()
        }
        (MatchStatus::NoAccount, _) => t_string!(i18n, matching.no_account).to_string(),
        _ => t_string!(i18n, matching.unmatched).to_string(),
    };
    let needs_decision = matches!(status, MatchStatus::Ambiguous | MatchStatus::Unmatched);
    let undo = method == Some(Method::Manual) || status == MatchStatus::NoAccount;
    // Candidates first, then everyone else.
    let mut choices = row.candidates.clone();
    choices.extend(
        accounts
            .into_iter()
            .filter(|a| !row.candidates.iter().any(|c| c.id == a.id)),
    );
    let (cid, uid) = (connection_id.clone(), row.userid.clone());
    let (cid2, uid2) = (connection_id, row.userid.clone());
    view! {
        <tr data-userid=row.userid.clone() data-status=format!("{status:?}")>
            <td>{row.name.clone()}</td>
            <td>{row.email.clone().unwrap_or_default()}</td>
            <td data-testid="matched-account">{row.account.as_ref().map(account_text).unwrap_or_default()}</td>
            <td><span class=if needs_decision { "badge warn" } else { "badge" }>{how}</span></td>
            <td>
                {needs_decision.then(|| view! {
                    <ActionForm action=decide attr:class="inline decide">
                        <input type="hidden" name="connection_id" value=cid.clone() />
                        <input type="hidden" name="userid" value=uid.clone() />
                        <select name="account" data-testid="choose-account" aria-label=move || t_string!(i18n, matching.account).to_string()>
                            <option value="">{t!(i18n, matching.choose)}</option>
                            {choices.iter().map(|a| view! { <option value=a.id.clone()>{account_text(a)}</option> }).collect_view()}
                        </select>
                        <button type="submit" name="choice" value="account" class="primary" data-testid="match-this">{t!(i18n, matching.match_this)}</button>
                        <button type="submit" name="choice" value="none" data-testid="no-account">{t!(i18n, matching.no_account_button)}</button>
                    </ActionForm>
                })}
                {undo.then(|| view! {
                    <ActionForm action=decide attr:class="inline">
                        <input type="hidden" name="connection_id" value=cid2.clone() />
                        <input type="hidden" name="userid" value=uid2.clone() />
                        <input type="hidden" name="choice" value="auto" />
                        <button type="submit" data-testid="undo-match">{t!(i18n, matching.undo)}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
