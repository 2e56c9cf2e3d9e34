//! Connections (admins): DingTalk apps HourBridge reads from. Add one, test
//! it (organisation, departments, people — or DingTalk's own error), edit
//! it, disable it, and watch the month's API calls against the quota.

use crate::api::connections::{
    list_connections, CreateConnection, PullAttendance, SetConnectionEnabled, TestConnection,
    UpdateConnection,
};
use crate::components::form::{action_error, error_text, invalid, FieldProblem, FormError};
use crate::components::layout::{AreaGuard, ErrorBanner};
use crate::i18n::*;
use crate::pages::targets::PmConnections;
use hourbridge_domain::connection::{ConnectionSummary, DEFAULT_API_BASE, DEFAULT_OAPI_BASE};
use hourbridge_domain::role::Area;
use leptos::prelude::*;

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::Connections>
            <Connections />
        </AreaGuard>
    }
}

#[component]
fn Connections() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateConnection>::new();
    let update = ServerAction::<UpdateConnection>::new();
    let enable = ServerAction::<SetConnectionEnabled>::new();
    let test = ServerAction::<TestConnection>::new();
    let list = Resource::new(
        move || {
            (
                create.version().get(),
                update.version().get(),
                enable.version().get(),
                test.version().get(),
            )
        },
        |_| list_connections(),
    );
    let create_error = action_error(create);
    let created = move || create.value().get().and_then(|r| r.ok());
    // Which card's "Test connection" ran last: its answer shows on that card.
    let tested = RwSignal::new(None::<String>);

    view! {
        <section class="page">
            <h1>{t!(i18n, connections.title)}</h1>
            <p class="hint">{t!(i18n, connections.intro)}</p>

            {move || created().map(|c| view! {
                <div class="card callback-once" role="status" data-testid="callback-credentials">
                    <h2>{t!(i18n, connections.created_title)}</h2>
                    <p>{t!(i18n, connections.created_intro)}</p>
                    <dl class="facts">
                        <dt>{t!(i18n, connections.callback_url)}</dt>
                        <dd><code data-testid="callback-url">{c.callback.callback_url.clone()}</code></dd>
                        <dt>"Token"</dt>
                        <dd><code data-testid="callback-token">{c.callback.token.clone()}</code></dd>
                        <dt>"AES Key"</dt>
                        <dd><code data-testid="callback-aes-key">{c.callback.aes_key.clone()}</code></dd>
                    </dl>
                    <p class="hint">{t!(i18n, connections.created_once)}</p>
                </div>
            })}

            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! {
                            <p class="empty" data-testid="no-connections">{t!(i18n, connections.none)}</p>
                        }.into_any(),
                        Ok(items) => items.into_iter().map(|c| view! {
                            <ConnectionCard summary=c update enable test tested />
                        }).collect_view().into_any(),
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                    }
                })}
            </Transition>

            <div class="card">
                <h2>{t!(i18n, connections.add_title)}</h2>
                <FormError error=create_error />
                <ActionForm action=create attr:class="form grid" attr:novalidate=true attr:data-testid="add-connection">
                    <ConnectionFields error=create_error summary=None />
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || create.pending().get()>
                            {t!(i18n, connections.add)}
                        </button>
                    </div>
                </ActionForm>
            </div>

            <PmConnections />
        </section>
    }
}

/// The form fields shared by "add" and "edit". Secret inputs start empty:
/// the stored secret is never sent to the browser.
#[component]
fn ConnectionFields(
    error: Signal<Option<crate::api::AppError>>,
    summary: Option<ConnectionSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = summary.is_some();
    let prefix = summary
        .as_ref()
        .map(|s| format!("c-{}-", s.id))
        .unwrap_or_else(|| "new-".to_owned());
    let s = summary.clone();
    let value = move |f: fn(&ConnectionSummary) -> String| s.as_ref().map(f).unwrap_or_default();
    let field = move |name: &'static str,
                      label: String,
                      value: String,
                      kind: &'static str,
                      hint: Option<String>| {
        let id = format!("{prefix}{name}");
        view! {
            <div>
                <label for=id.clone()>{label}</label>
                <input id=id name=name type=kind value=value autocomplete="off" aria-invalid=invalid(error, name) />
                {hint.map(|h| view! { <p class="hint">{h}</p> })}
                <FieldProblem error field=name />
            </div>
        }
    };
    let secret_hint = if editing {
        Some(t_string!(i18n, connections.secret_kept).to_string())
    } else {
        None
    };
    view! {
        {field("name", t_string!(i18n, connections.name).to_string(), value(|s| s.name.clone()), "text", None)}
        {field("corp_id", "CorpId".into(), value(|s| s.corp_id.clone()), "text", None)}
        {field("app_key", "AppKey (Client ID)".into(), value(|s| s.app_key.clone()), "text", None)}
        {field("app_secret", "AppSecret (Client Secret)".into(), String::new(), "password", secret_hint.clone())}
        {field("agent_id", "AgentId".into(), value(|s| s.agent_id.clone()), "text", None)}
        {field("qps", t_string!(i18n, connections.qps).to_string(), value(|s| s.qps.to_string()), "text", Some(t_string!(i18n, connections.qps_hint).to_string()))}
        {field("monthly_quota", t_string!(i18n, connections.quota).to_string(), value(|s| s.monthly_quota.to_string()), "text", Some(t_string!(i18n, connections.quota_hint).to_string()))}
        {field("oapi_base", t_string!(i18n, connections.oapi_base).to_string(), value(|s| s.oapi_base.clone()), "text", Some(DEFAULT_OAPI_BASE.to_string()))}
        {field("api_base", t_string!(i18n, connections.api_base).to_string(), value(|s| s.api_base.clone()), "text", Some(DEFAULT_API_BASE.to_string()))}
        {field("robot_webhook", t_string!(i18n, connections.robot_webhook).to_string(), String::new(), "password", Some(t_string!(i18n, connections.robot_hint).to_string()))}
        {field("robot_secret", t_string!(i18n, connections.robot_secret).to_string(), String::new(), "password", secret_hint)}
    }
}

#[component]
fn ConnectionCard(
    summary: ConnectionSummary,
    update: ServerAction<UpdateConnection>,
    enable: ServerAction<SetConnectionEnabled>,
    test: ServerAction<TestConnection>,
    tested: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = summary.id.as_str().to_owned();
    let editing = RwSignal::new(false);
    let update_error = Signal::derive(move || action_error(update).get().filter(|_| editing.get()));
    Effect::new({
        let id = id.clone();
        move || {
            if let Some(Ok(saved)) = update.value().get() {
                if saved.id.as_str() == id {
                    editing.set(false);
                }
            }
        }
    });
    let mine = {
        let id = id.clone();
        Signal::derive(move || tested.get().as_deref() == Some(id.as_str()))
    };
    let outcome = Signal::derive(move || test.value().get().filter(|_| mine.get()));
    let testing = Signal::derive(move || test.pending().get() && mine.get());
    let run_test = {
        let id = id.clone();
        move |_| {
            tested.set(Some(id.clone()));
            test.dispatch(TestConnection { id: id.clone() });
        }
    };
    let quota = summary.monthly_quota;
    let used = summary.calls_this_month;
    let forecast = summary.forecast_this_month;
    let percent = |n: u64| {
        n.saturating_mul(100)
            .checked_div(quota)
            .map_or(0, |p| p.min(100))
    };
    let over = quota > 0 && forecast > quota;
    let enabled = summary.enabled;
    let s_edit = summary.clone();
    let id_enable = id.clone();
    let edit_form = {
        let (id, summary) = (id.clone(), s_edit.clone());
        move || {
            let (id, summary) = (id.clone(), summary.clone());
            view! {
                <FormError error=update_error />
                <ActionForm action=update attr:class="form grid" attr:novalidate=true attr:data-testid="edit-connection-form">
                    <input type="hidden" name="id" value=id />
                    <ConnectionFields error=update_error summary=Some(summary) />
                    <div class="actions">
                        <button type="submit" class="primary">{t!(i18n, connections.save)}</button>
                    </div>
                </ActionForm>
            }
        }
    };
    view! {
        <div class="card connection" data-testid="connection" data-name=summary.name.clone() class:disabled=!enabled>
            <div class="card-head">
                <h2>{summary.name.clone()}</h2>
                <span class=if enabled { "badge ok" } else { "badge muted" }>
                    {move || if enabled { t_string!(i18n, connections.enabled).to_string() } else { t_string!(i18n, connections.disabled).to_string() }}
                </span>
            </div>
            <dl class="facts">
                <dt>"AppKey"</dt><dd><code>{summary.app_key.clone()}</code></dd>
                <dt>"CorpId"</dt><dd><code>{summary.corp_id.clone()}</code></dd>
                <dt>{t!(i18n, connections.directory)}</dt>
                <dd data-testid="directory-counts">
                    {move || t_string!(i18n, connections.directory_counts, departments = summary.departments, people = summary.people).to_string()}
                </dd>
                <dt>{t!(i18n, connections.callback_url)}</dt>
                <dd><code>{summary.callback_url.clone()}</code></dd>
            </dl>

            <div class="quota" data-testid="quota">
                <p>
                    {move || t_string!(i18n, connections.calls_used, used = used, quota = quota).to_string()}
                    " · "
                    <span class:warn=over data-testid="forecast">
                        {move || t_string!(i18n, connections.forecast, forecast = forecast).to_string()}
                    </span>
                </p>
                <div class="meter" role="meter" aria-valuemin="0" aria-valuemax=quota aria-valuenow=used>
                    <div class="meter-used" style=format!("width: {}%", percent(used))></div>
                    <div class="meter-forecast" class:warn=over style=format!("width: {}%", percent(forecast))></div>
                </div>
                {over.then(|| view! { <p class="hint warn">{t!(i18n, connections.forecast_over)}</p> })}
            </div>

            {move || outcome.get().map(|r| match r {
                Ok(o) if o.ok => view! {
                    <p class="banner banner-ok" role="status" data-testid="test-result">
                        {t_string!(i18n, connections.test_ok,
                            organisation = o.organisation.clone().unwrap_or_default(),
                            departments = o.departments,
                            people = o.people).to_string()}
                    </p>
                }.into_any(),
                Ok(o) => view! {
                    <p class="banner banner-error" role="alert" data-testid="test-result">
                        {t_string!(i18n, connections.test_failed, error = o.error.clone().unwrap_or_default()).to_string()}
                    </p>
                }.into_any(),
                Err(e) => view! {
                    <p class="banner banner-error" role="alert" data-testid="test-result">
                        {error_text(i18n, &e).unwrap_or_default()}
                    </p>
                }.into_any(),
            })}
            {summary.last_test.clone().filter(|t| !t.ok).map(|t| {
                view! {
                    <Show when=move || outcome.get().is_none()>
                        <p class="hint warn" data-testid="last-test-error">
                            {t_string!(i18n, connections.test_failed, error = t.error.clone().unwrap_or_default()).to_string()}
                        </p>
                    </Show>
                }
            })}

            <div class="row-actions">
                <button type="button" class="primary" on:click=run_test disabled=move || testing.get() || !enabled data-testid="test-connection">
                    {move || if testing.get() { t_string!(i18n, connections.testing).to_string() } else { t_string!(i18n, connections.test).to_string() }}
                </button>
                <button type="button" on:click=move |_| editing.update(|e| *e = !*e) data-testid="edit-connection">
                    {t!(i18n, connections.edit)}
                </button>
                <ActionForm action=enable attr:class="inline">
                    <input type="hidden" name="id" value=id_enable />
                    <input type="hidden" name="enabled" value=if enabled { "false" } else { "true" } />
                    <button type="submit" data-testid="toggle-connection">
                        {move || if enabled { t_string!(i18n, connections.disable).to_string() } else { t_string!(i18n, connections.enable).to_string() }}
                    </button>
                </ActionForm>
            </div>

            <PullAttendance id=id.clone() enabled />

            <Show when=move || editing.get()>
                {edit_form()}
            </Show>
        </div>
    }
}

/// Pulls a range of days of attendance now (the scheduled pulls come with
/// the sync jobs).
#[component]
fn PullAttendance(id: String, enabled: bool) -> impl IntoView {
    let i18n = use_i18n();
    let pull = ServerAction::<PullAttendance>::new();
    let error = action_error(pull);
    view! {
        <ActionForm action=pull attr:class="form inline-form" attr:novalidate=true attr:data-testid="pull-attendance">
            <input type="hidden" name="id" value=id />
            <label>{t!(i18n, connections.pull_from)} " " <input type="date" name="first" data-testid="pull-first" required /></label>
            <label>{t!(i18n, connections.pull_to)} " " <input type="date" name="last" data-testid="pull-last" required /></label>
            <button type="submit" disabled=move || pull.pending().get() || !enabled data-testid="pull-attendance-run">
                {move || if pull.pending().get() { t_string!(i18n, connections.pulling).to_string() } else { t_string!(i18n, connections.pull_attendance).to_string() }}
            </button>
        </ActionForm>
        <FieldProblem error field="first" />
        <FieldProblem error field="last" />
        <FormError error />
        {move || pull.value().get().and_then(|r| r.ok()).map(|s| view! {
            <p class="banner banner-ok" role="status" data-testid="pull-result">
                {t_string!(i18n, connections.pulled, people = s.people, results = s.results, forms = s.forms, calls = s.billable_calls).to_string()}
            </p>
        })}
    }
}
