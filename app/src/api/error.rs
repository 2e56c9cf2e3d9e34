//! The error every server function answers with, as JSON with an HTTP status.

use hourbridge_domain::FieldError;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    /// 401: no valid session.
    #[error("not logged in")]
    Unauthenticated,
    /// 403: the caller's role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// 403: the caller must change their password before anything else.
    #[error("password change required")]
    PasswordChangeRequired,
    /// 422: one or more fields are wrong; nothing was changed.
    #[error("invalid input")]
    Invalid { fields: Vec<FieldError> },
    /// 422: a rule book, field mapping or allocation plan was refused; each
    /// problem names its path in the document. The previous version is kept.
    #[error("document refused")]
    DocumentInvalid {
        problems: Vec<hourbridge_rules::FieldError>,
    },
    /// 409: someone else saved the document since it was loaded.
    #[error("saved by {saved_by} in the meantime")]
    Conflict { saved_by: String, revision: i64 },
    /// 401: wrong login name or password (the same for both).
    #[error("wrong username or password")]
    InvalidCredentials,
    /// 429: too many failed logins.
    #[error("too many attempts")]
    Throttled { retry_after_secs: i64 },
    /// 404
    #[error("not found")]
    NotFound,
    /// 500: details are in the server log under this reference.
    #[error("internal error {reference}")]
    Internal { reference: String },
    /// 502: DingTalk or a PM system refused or failed; `message` is its reason.
    #[error("upstream: {message}")]
    Upstream { message: String },
    /// 400: the request itself could not be read or sent.
    #[error("request failed: {reason}")]
    Request { reason: String },
}

impl AppError {
    pub fn invalid(field: FieldError) -> Self {
        AppError::Invalid {
            fields: vec![field],
        }
    }

    /// The problem reported for one form field, if any.
    pub fn field(&self, name: &str) -> Option<hourbridge_domain::Problem> {
        match self {
            AppError::Invalid { fields } => {
                fields.iter().find(|f| f.field == name).map(|f| f.problem)
            }
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden | AppError::PasswordChangeRequired => 403,
            AppError::Invalid { .. } | AppError::DocumentInvalid { .. } => 422,
            AppError::Conflict { .. } => 409,
            AppError::Throttled { .. } => 429,
            AppError::NotFound => 404,
            AppError::Internal { .. } => 500,
            AppError::Upstream { .. } => 502,
            AppError::Request { .. } => 400,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request {
            reason: value.to_string(),
        }
    }
}
