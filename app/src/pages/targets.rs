//! Project systems on the connections page (admins): the Jira, Redmine,
//! ZenTao, TAPD and Feishu Project instances hours are written to. Add one, test it (the account and the
//! projects found, or the system's own error), see what it can and cannot
//! do, edit it, disable it. The secret is write-only.

use crate::api::pm::{
    list_pm_connections, SavePmConnection, SetPmConnectionEnabled, TestPmConnection,
};
use crate::components::form::{action_error, error_text, invalid, FieldProblem, FormError};
use crate::components::layout::ErrorBanner;
use crate::i18n::*;
use hourbridge_domain::pm_connection::{
    needs_operator, needs_space, needs_username, PmConnectionSummary,
};
use hourbridge_domain::target::{Capabilities, OnBehalfOf, TargetKind};
use leptos::prelude::*;

#[component]
pub fn PmConnections() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SavePmConnection>::new();
    let enable = ServerAction::<SetPmConnectionEnabled>::new();
    let test = ServerAction::<TestPmConnection>::new();
    let list = Resource::new(
        move || {
            (
                save.version().get(),
                enable.version().get(),
                test.version().get(),
            )
        },
        |_| list_pm_connections(),
    );
    let tested = RwSignal::new(None::<String>);
    // The add form and each edit form share one action: the open form shows its errors.
    let editing = RwSignal::new(None::<String>);
    let add_error =
        Signal::derive(move || action_error(save).get().filter(|_| editing.get().is_none()));
    Effect::new(move || {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(None);
        }
    });

    view! {
        <h2 class="section-title" data-testid="targets-title">{t!(i18n, targets.title)}</h2>
        <p class="hint">{t!(i18n, targets.intro)}</p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! {
                        <p class="empty" data-testid="no-targets">{t!(i18n, targets.none)}</p>
                    }.into_any(),
                    Ok(items) => items.into_iter().map(|c| view! {
                        <TargetCard summary=c save enable test tested editing />
                    }).collect_view().into_any(),
                    Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                }
            })}
        </Transition>
        <div class="card">
            <h2>{t!(i18n, targets.add_title)}</h2>
            <FormError error=add_error />
            <ActionForm action=save attr:class="form grid" attr:novalidate=true attr:data-testid="add-target">
                <TargetFields error=add_error summary=None />
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || save.pending().get()>
                        {t!(i18n, targets.add)}
                    </button>
                </div>
            </ActionForm>
        </div>
    }
}

/// The fields shared by "add" and "edit"; the secret input starts empty.
#[component]
fn TargetFields(
    error: Signal<Option<crate::api::AppError>>,
    summary: Option<PmConnectionSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let prefix = summary
        .as_ref()
        .map(|s| format!("t-{}-", s.id))
        .unwrap_or_else(|| "target-".to_owned());
    let kind = RwSignal::new(summary.as_ref().map_or(TargetKind::JiraCloud, |s| s.kind));
    let s = summary.clone();
    let value = move |f: fn(&PmConnectionSummary) -> String| s.as_ref().map(f).unwrap_or_default();
    let field = {
        let prefix = prefix.clone();
        move |name: &'static str,
              label: String,
              value: String,
              input: &'static str,
              hint: Option<String>| {
            let id = format!("{prefix}{name}");
            view! {
                <div>
                    <label for=id.clone()>{label}</label>
                    <input id=id name=name type=input value=value autocomplete="off" aria-invalid=invalid(error, name) />
                    {hint.map(|h| view! { <p class="hint">{h}</p> })}
                    <FieldProblem error field=name />
                </div>
            }
        }
    };
    let editing = summary.is_some();
    let settings = summary
        .as_ref()
        .map(|s| s.settings.clone())
        .unwrap_or_default();
    let kind_id = format!("{prefix}kind");
    let switch_id = format!("{prefix}switch_user");
    let redmine = move || kind.get() == TargetKind::Redmine;
    let zentao = move || kind.get() == TargetKind::Zentao;
    let f_user = field.clone();
    let f_space = field.clone();
    let f_operator = field.clone();
    let f_redmine = field.clone();
    let username = value(|s| s.username.clone());
    let space = settings.space.clone().unwrap_or_default();
    let operator = settings.operator.clone().unwrap_or_default();
    let record_as = settings.record_as;
    let activity = settings
        .activity_id
        .map(|n| n.to_string())
        .unwrap_or_default();
    let external = settings
        .external_id_field
        .map(|n| n.to_string())
        .unwrap_or_default();
    let switch_user = settings.switch_user;
    view! {
        <div>
            <label for=kind_id.clone()>{t!(i18n, targets.kind)}</label>
            <select id=kind_id name="kind" data-testid="target-kind"
                on:change=move |ev| {
                    if let Some(k) = TargetKind::parse(&event_target_value(&ev)) { kind.set(k) }
                }>
                {TargetKind::ALL.into_iter().map(|k| {
                    let chosen = k == kind.get_untracked();
                    view! { <option value=k.as_str() selected=chosen>{k.label()}</option> }
                }).collect_view()}
            </select>
            <FieldProblem error field="kind" />
        </div>
        {field("name", t_string!(i18n, targets.name).to_string(), value(|s| s.name.clone()), "text", None)}
        {field("base_url", t_string!(i18n, targets.base_url).to_string(), value(|s| s.base_url.clone()), "text",
            Some(t_string!(i18n, targets.base_url_hint).to_string()))}
        {move || {
            let k = kind.get();
            let label = match k {
                TargetKind::JiraCloud => t_string!(i18n, targets.username_jira_cloud).to_string(),
                TargetKind::JiraDataCenter => t_string!(i18n, targets.username_jira_dc).to_string(),
                TargetKind::Zentao => t_string!(i18n, targets.username_zentao).to_string(),
                TargetKind::Tapd => t_string!(i18n, targets.username_tapd).to_string(),
                TargetKind::FeishuProject => t_string!(i18n, targets.username_feishu).to_string(),
                TargetKind::Redmine => t_string!(i18n, targets.username).to_string(),
            };
            let hint = (!needs_username(k)).then(|| t_string!(i18n, targets.username_optional).to_string());
            (k != TargetKind::Redmine).then(|| f_user("username", label, username.clone(), "text", hint))
        }}
        {move || {
            let label = match kind.get() {
                TargetKind::JiraCloud => t_string!(i18n, targets.secret_jira_cloud).to_string(),
                TargetKind::JiraDataCenter => t_string!(i18n, targets.secret_jira_dc).to_string(),
                TargetKind::Redmine => t_string!(i18n, targets.secret_redmine).to_string(),
                TargetKind::Zentao => t_string!(i18n, targets.secret_zentao).to_string(),
                TargetKind::Tapd => t_string!(i18n, targets.secret_tapd).to_string(),
                TargetKind::FeishuProject => t_string!(i18n, targets.secret_feishu).to_string(),
            };
            let hint = editing.then(|| t_string!(i18n, targets.secret_kept).to_string());
            field("secret", label, String::new(), "password", hint)
        }}
        {move || {
            let k = kind.get();
            let label = if k == TargetKind::Tapd {
                t_string!(i18n, targets.space_tapd).to_string()
            } else {
                t_string!(i18n, targets.space_feishu).to_string()
            };
            needs_space(k).then(|| f_space("space", label, space.clone(), "text", None))
        }}
        {move || needs_operator(kind.get()).then(|| f_operator("operator", t_string!(i18n, targets.operator).to_string(),
            operator.clone(), "text", Some(t_string!(i18n, targets.operator_hint).to_string())))}
        {move || zentao().then(|| view! {
            // ZenTao records effort under the account whose token writes it.
            // Recording under each person's own account needs their
            // passwords, which HourBridge has no page to collect yet: the
            // connection records under its own account and names the person.
            <input type="hidden" name="record_as" value=record_as.as_str() />
            <p class="hint" data-testid="zentao-record-as">{t!(i18n, targets.record_as_hint)}</p>
        })}
        {move || redmine().then(|| {
            let f = f_redmine.clone();
            let switch_id = switch_id.clone();
            view! {
                {f("activity_id", t_string!(i18n, targets.activity_id).to_string(), activity.clone(), "text",
                    Some(t_string!(i18n, targets.activity_hint).to_string()))}
                {f("external_id_field", t_string!(i18n, targets.external_id_field).to_string(), external.clone(), "text",
                    Some(t_string!(i18n, targets.external_id_hint).to_string()))}
                <div class="checkbox">
                    <input id=switch_id.clone() name="switch_user" type="checkbox" value="on" checked=switch_user />
                    <label for=switch_id>{t!(i18n, targets.switch_user)}</label>
                    <p class="hint">{t!(i18n, targets.switch_user_hint)}</p>
                </div>
            }
        })}
    }
}

/// What the target can and cannot do, in words.
#[component]
fn CapabilityList(capabilities: Capabilities) -> impl IntoView {
    let i18n = use_i18n();
    let c = capabilities;
    let line = move |ok: bool, text: String| {
        view! { <li class=if ok { "can" } else { "cannot" }>{if ok { "✓ " } else { "✗ " }}{text}</li> }
    };
    view! {
        <ul class="capabilities" data-testid="capabilities">
            {move || match c.on_behalf_of {
                OnBehalfOf::Supported => line(true, t_string!(i18n, targets.cap_on_behalf).to_string()),
                OnBehalfOf::AccountOnly => line(false, t_string!(i18n, targets.cap_account_only).to_string()),
                OnBehalfOf::PersonalCredentials => line(false, t_string!(i18n, targets.cap_personal).to_string()),
            }}
            {move || line(c.update, t_string!(i18n, targets.cap_update).to_string())}
            {move || line(c.delete, t_string!(i18n, targets.cap_delete).to_string())}
            {move || line(c.project_level, t_string!(i18n, targets.cap_project_level).to_string())}
        </ul>
    }
}

#[component]
fn TargetCard(
    summary: PmConnectionSummary,
    save: ServerAction<SavePmConnection>,
    enable: ServerAction<SetPmConnectionEnabled>,
    test: ServerAction<TestPmConnection>,
    tested: RwSignal<Option<String>>,
    editing: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = summary.id.as_str().to_owned();
    let mine = {
        let id = id.clone();
        Signal::derive(move || tested.get().as_deref() == Some(id.as_str()))
    };
    let is_editing = {
        let id = id.clone();
        Signal::derive(move || editing.get().as_deref() == Some(id.as_str()))
    };
    let edit_error = Signal::derive(move || action_error(save).get().filter(|_| is_editing.get()));
    let outcome = Signal::derive(move || test.value().get().filter(|_| mine.get()));
    let testing = Signal::derive(move || test.pending().get() && mine.get());
    let run_test = {
        let id = id.clone();
        move |_| {
            tested.set(Some(id.clone()));
            test.dispatch(TestPmConnection { id: id.clone() });
        }
    };
    let toggle_edit = {
        let id = id.clone();
        move |_| {
            editing.update(|e| {
                *e = if e.as_deref() == Some(id.as_str()) {
                    None
                } else {
                    Some(id.clone())
                }
            })
        }
    };
    let enabled = summary.enabled;
    let last_error = summary
        .last_test_detail
        .clone()
        .filter(|_| summary.last_test_ok == Some(false));
    let edit_form = {
        let (id, summary) = (id.clone(), summary.clone());
        move || {
            let (id, summary) = (id.clone(), summary.clone());
            view! {
                <FormError error=edit_error />
                <ActionForm action=save attr:class="form grid" attr:novalidate=true attr:data-testid="edit-target-form">
                    <input type="hidden" name="id" value=id />
                    <TargetFields error=edit_error summary=Some(summary) />
                    <div class="actions">
                        <button type="submit" class="primary">{t!(i18n, targets.save)}</button>
                    </div>
                </ActionForm>
            }
        }
    };
    view! {
        <div class="card connection" data-testid="target" data-name=summary.name.clone() class:disabled=!enabled>
            <div class="card-head">
                <h2>{summary.name.clone()}</h2>
                <span class="badge">{summary.kind.label()}</span>
                <span class=if enabled { "badge ok" } else { "badge muted" }>
                    {move || if enabled { t_string!(i18n, connections.enabled).to_string() } else { t_string!(i18n, connections.disabled).to_string() }}
                </span>
            </div>
            <dl class="facts">
                <dt>{t!(i18n, targets.base_url)}</dt><dd><code>{summary.base_url.clone()}</code></dd>
                {(!summary.username.is_empty()).then(|| view! {
                    <dt>{t!(i18n, targets.username)}</dt><dd><code>{summary.username.clone()}</code></dd>
                })}
            </dl>
            <CapabilityList capabilities=summary.capabilities />
            {move || outcome.get().map(|r| match r {
                Ok(o) if o.ok => view! {
                    <div class="banner banner-ok" role="status" data-testid="target-test-result">
                        <p>{t_string!(i18n, targets.test_ok, account = o.account.clone().unwrap_or_default(), count = o.projects.len()).to_string()}</p>
                        <p class="projects">{o.projects.join("、")}</p>
                    </div>
                }.into_any(),
                Ok(o) => view! {
                    <p class="banner banner-error" role="alert" data-testid="target-test-result">
                        {t_string!(i18n, connections.test_failed, error = o.error.clone().unwrap_or_default()).to_string()}
                    </p>
                }.into_any(),
                Err(e) => view! {
                    <p class="banner banner-error" role="alert" data-testid="target-test-result">
                        {error_text(i18n, &e).unwrap_or_default()}
                    </p>
                }.into_any(),
            })}
            {last_error.map(|error| view! {
                <Show when=move || outcome.get().is_none()>
                    <p class="hint warn" data-testid="target-last-error">
                        {t_string!(i18n, connections.test_failed, error = error.clone()).to_string()}
                    </p>
                </Show>
            })}
            <div class="row-actions">
                <button type="button" class="primary" on:click=run_test disabled=move || testing.get() || !enabled data-testid="test-target">
                    {move || if testing.get() { t_string!(i18n, connections.testing).to_string() } else { t_string!(i18n, connections.test).to_string() }}
                </button>
                <button type="button" on:click=toggle_edit data-testid="edit-target">{t!(i18n, connections.edit)}</button>
                <ActionForm action=enable attr:class="inline">
                    <input type="hidden" name="id" value=id.clone() />
                    <input type="hidden" name="enabled" value=if enabled { "false" } else { "true" } />
                    <button type="submit" data-testid="toggle-target">
                        {move || if enabled { t_string!(i18n, connections.disable).to_string() } else { t_string!(i18n, connections.enable).to_string() }}
                    </button>
                </ActionForm>
            </div>
            <Show when=move || is_editing.get()>
                {edit_form()}
            </Show>
        </div>
    }
}
