//! Form helpers: field-level problems and whole-form errors, in the user's language.

use crate::api::AppError;
use crate::i18n::*;
use hourbridge_domain::Problem;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

pub fn problem_text(i18n: I18nContext<Locale>, problem: Problem) -> String {
    match problem {
        Problem::Required => t_string!(i18n, problems.required).to_string(),
        Problem::TooLong => t_string!(i18n, problems.too_long).to_string(),
        Problem::TooShort => t_string!(i18n, problems.too_short).to_string(),
        Problem::InvalidCharacters => t_string!(i18n, problems.invalid_characters).to_string(),
        Problem::InvalidChoice => t_string!(i18n, problems.invalid_choice).to_string(),
        Problem::Taken => t_string!(i18n, problems.taken).to_string(),
        Problem::Mismatch => t_string!(i18n, problems.mismatch).to_string(),
        Problem::SameAsOld => t_string!(i18n, problems.same_as_old).to_string(),
        Problem::SameAsUsername => t_string!(i18n, problems.same_as_username).to_string(),
        Problem::WrongPassword => t_string!(i18n, problems.wrong_password).to_string(),
        Problem::UnknownTimeZone => t_string!(i18n, problems.unknown_time_zone).to_string(),
        Problem::LastAdmin => t_string!(i18n, problems.last_admin).to_string(),
        Problem::OwnAccount => t_string!(i18n, problems.own_account).to_string(),
        Problem::InvalidUrl => t_string!(i18n, problems.invalid_url).to_string(),
        Problem::OutOfRange => t_string!(i18n, problems.out_of_range).to_string(),
    }
}

/// A sentence for errors that are not about one field (those are shown beside the field).
pub fn error_text(i18n: I18nContext<Locale>, error: &AppError) -> Option<String> {
    Some(match error {
        AppError::Invalid { .. } => return None,
        AppError::DocumentInvalid { problems } => {
            let count = problems.len();
            t_string!(i18n, errors.document_invalid, count).to_string()
        }
        AppError::Conflict { saved_by, .. } => {
            let who = saved_by.clone();
            t_string!(i18n, errors.conflict, who).to_string()
        }
        AppError::Unauthenticated => t_string!(i18n, errors.unauthenticated).to_string(),
        AppError::Forbidden => t_string!(i18n, errors.forbidden).to_string(),
        AppError::PasswordChangeRequired => {
            t_string!(i18n, errors.password_change_required).to_string()
        }
        AppError::InvalidCredentials => t_string!(i18n, login.invalid_credentials).to_string(),
        AppError::Throttled { retry_after_secs } => {
            let minutes = (retry_after_secs + 59) / 60;
            t_string!(i18n, login.throttled, minutes).to_string()
        }
        AppError::NotFound => t_string!(i18n, errors.not_found).to_string(),
        AppError::Internal { reference } => {
            let reference = reference.clone();
            t_string!(i18n, errors.internal, reference).to_string()
        }
        AppError::Upstream { message } => {
            let message = message.clone();
            t_string!(i18n, errors.upstream, message).to_string()
        }
        AppError::Request { reason } => {
            let reason = reason.clone();
            t_string!(i18n, errors.request, reason).to_string()
        }
    })
}

/// The error of the last run of an action, if it failed.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// The problem under one input, if the last submission reported one.
#[component]
pub fn FieldProblem(error: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().and_then(|e| e.field(field)).map(|p| {
            view! { <p class="field-problem" data-field=field role="alert">{problem_text(i18n, p)}</p> }
        })
    }
}

/// A form-level error banner (credentials, rights, server failures).
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().and_then(|e| error_text(i18n, &e)).map(|text| {
            view! { <div class="banner banner-error" role="alert">{text}</div> }
        })
    }
}

/// Whether the field has a problem, for `aria-invalid`.
pub fn invalid(
    error: Signal<Option<AppError>>,
    field: &'static str,
) -> impl Fn() -> &'static str + Send + Sync {
    move || {
        if error.get().and_then(|e| e.field(field)).is_some() {
            "true"
        } else {
            "false"
        }
    }
}
