use crate::api::users::{list_users, CreateUser, ResetUserPassword, SetUserActive, SetUserRole};
use crate::components::form::{action_error, error_text, invalid, FieldProblem, FormError};
use crate::components::labels::role_label;
use crate::components::layout::{AreaGuard, CurrentUser, ErrorBanner};
use crate::i18n::*;
use hourbridge_domain::role::Area;
use hourbridge_domain::user::User;
use hourbridge_domain::Role;
use leptos::prelude::*;

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::Users>
            <UsersAdmin />
        </AreaGuard>
    }
}

#[component]
fn RoleOptions(selected: Option<Role>) -> impl IntoView {
    let i18n = use_i18n();
    Role::ALL
        .into_iter()
        .map(|role| {
            view! {
                <option value=role.as_str() selected=selected == Some(role)>
                    {move || role_label(i18n, role)}
                </option>
            }
        })
        .collect_view()
}

#[component]
fn UsersAdmin() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateUser>::new();
    let set_role = ServerAction::<SetUserRole>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                set_role.version().get(),
                set_active.version().get(),
            )
        },
        |_| list_users(),
    );
    let create_error = action_error(create);
    let (role_error, active_error, reset_error) = (
        action_error(set_role),
        action_error(set_active),
        action_error(reset),
    );
    let row_error = Signal::derive(move || {
        role_error
            .get()
            .or_else(|| active_error.get())
            .or_else(|| reset_error.get())
    });
    let created = move || create.value().get().and_then(|r| r.ok());
    let me = expect_context::<CurrentUser>().0;
    let my_name = move || me.get().and_then(|r| r.ok()).flatten().map(|m| m.username);

    view! {
        <section class="page">
            <h1>{t!(i18n, users.title)}</h1>

            <div class="card">
                <h2>{t!(i18n, users.create_title)}</h2>
                <p class="hint">{t!(i18n, users.create_intro)}</p>
                {move || created().map(|u| {
                    let username = u.username.as_str().to_owned();
                    view! {
                        <p class="banner banner-ok" role="status" data-testid="user-created">
                            {move || t_string!(i18n, users.created, username = username.clone()).to_string()}
                        </p>
                    }
                })}
                <FormError error=create_error />
                <ActionForm action=create attr:class="form grid" attr:novalidate=true attr:data-testid="create-user">
                    <div>
                        <label for="new-username">{t!(i18n, users.username)}</label>
                        <input id="new-username" name="username" autocomplete="off" aria-invalid=invalid(create_error, "username") />
                        <FieldProblem error=create_error field="username" />
                    </div>
                    <div>
                        <label for="new-display-name">{t!(i18n, users.display_name)}</label>
                        <input id="new-display-name" name="display_name" autocomplete="off" aria-invalid=invalid(create_error, "display_name") />
                        <FieldProblem error=create_error field="display_name" />
                    </div>
                    <div>
                        <label for="new-role">{t!(i18n, users.role)}</label>
                        <select id="new-role" name="role" aria-invalid=invalid(create_error, "role")>
                            <RoleOptions selected=Some(Role::ProjectManager) />
                        </select>
                        <FieldProblem error=create_error field="role" />
                    </div>
                    <div>
                        <label for="new-password">{t!(i18n, users.initial_password)}</label>
                        <input id="new-password" name="password" type="password" autocomplete="new-password" aria-invalid=invalid(create_error, "password") />
                        <FieldProblem error=create_error field="password" />
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || create.pending().get()>
                            {t!(i18n, users.create)}
                        </button>
                    </div>
                </ActionForm>
            </div>

            <div class="card">
                <h2>{t!(i18n, users.list_title)}</h2>
                {move || reset.value().get().and_then(|r| r.ok()).map(|done| {
                    let username = done.username.clone();
                    view! {
                        <div class="banner banner-ok" role="status">
                            {move || t_string!(i18n, users.reset_done, username = username.clone()).to_string()}
                            " " <code data-testid="reset-password">{done.password}</code>
                        </div>
                    }
                })}
                {move || row_error.get().map(|e| {
                    let text = e.field("role").or(e.field("active"))
                        .map(|p| crate::components::form::problem_text(i18n, p))
                        .or_else(|| error_text(i18n, &e))
                        .unwrap_or_default();
                    view! { <div class="banner banner-error" role="alert">{text}</div> }
                })}
                <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                    {move || Suspend::new(async move {
                        match users.await {
                            Ok(list) => view! {
                                <table class="table" data-testid="users-table">
                                    <thead>
                                        <tr>
                                            <th>{t!(i18n, users.username)}</th>
                                            <th>{t!(i18n, users.display_name)}</th>
                                            <th>{t!(i18n, users.role)}</th>
                                            <th>{t!(i18n, users.status)}</th>
                                            <th>{t!(i18n, users.actions)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|u| view! {
                                            <UserRow user=u me=my_name() set_role reset set_active />
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </section>
    }
}

#[component]
fn UserRow(
    user: User,
    me: Option<String>,
    set_role: ServerAction<SetUserRole>,
    reset: ServerAction<ResetUserPassword>,
    set_active: ServerAction<SetUserActive>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id.as_str().to_owned();
    let (id_role, id_reset, id_active) = (id.clone(), id.clone(), id);
    let username = user.username.as_str().to_owned();
    let is_me = me.as_deref() == Some(username.as_str());
    let active = user.active;
    let toggle_to = if active { "false" } else { "true" };
    view! {
        <tr data-username=username.clone() class:inactive=!active>
            <td>{username.clone()} {is_me.then(|| view! { " " <span class="muted">{t!(i18n, users.you)}</span> })}</td>
            <td>{user.display_name.clone()}</td>
            <td>
                <ActionForm action=set_role attr:class="inline">
                    <input type="hidden" name="user_id" value=id_role />
                    <select name="role" aria-label=move || t_string!(i18n, users.role).to_string()>
                        <RoleOptions selected=Some(user.role) />
                    </select>
                    <button type="submit">{t!(i18n, users.save_role)}</button>
                </ActionForm>
            </td>
            <td>
                {move || if active {
                    t_string!(i18n, users.active).to_string()
                } else {
                    t_string!(i18n, users.inactive).to_string()
                }}
            </td>
            <td class="row-actions">
                <ActionForm action=reset attr:class="inline">
                    <input type="hidden" name="user_id" value=id_reset />
                    <button type="submit">{t!(i18n, users.reset_password)}</button>
                </ActionForm>
                <ActionForm action=set_active attr:class="inline">
                    <input type="hidden" name="user_id" value=id_active />
                    <input type="hidden" name="active" value=toggle_to />
                    <button type="submit" class:danger=active>
                        {move || if active {
                            t_string!(i18n, users.deactivate).to_string()
                        } else {
                            t_string!(i18n, users.reactivate).to_string()
                        }}
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}
