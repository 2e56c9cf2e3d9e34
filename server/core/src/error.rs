//! The one error type of the service layer.
//!
//! Expected outcomes (a wrong field, bad credentials, throttling, missing
//! rights) are variants of their own; everything unexpected is `Internal`
//! and is logged by the caller, never shown to the user.

use hourbridge_domain::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A rule book, mapping or allocation plan was refused: every problem,
    /// each at its path in the document.
    #[error("refused: {} problem(s)", .0.len())]
    DocumentInvalid(Vec<hourbridge_rules::FieldError>),
    /// The document was saved by someone else since the editor loaded it.
    #[error("revision {revision} was saved by {saved_by} in the meantime")]
    Conflict { saved_by: String, revision: i64 },
    #[error("wrong login name or password")]
    InvalidCredentials,
    #[error("too many failed logins; retry after {retry_after_secs}s")]
    Throttled { retry_after_secs: i64 },
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Forbidden,
    /// An upstream system (DingTalk, a PM system) refused or failed; the
    /// text is safe to show (secrets masked) and names the upstream's reason.
    #[error("upstream: {0}")]
    Upstream(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<FieldError> for CoreError {
    fn from(e: FieldError) -> Self {
        CoreError::Invalid(vec![e])
    }
}

impl From<hourbridge_rules::RulesError> for CoreError {
    fn from(e: hourbridge_rules::RulesError) -> Self {
        match e {
            hourbridge_rules::RulesError::Invalid(errors) => CoreError::DocumentInvalid(errors),
            other => CoreError::Internal(other.to_string()),
        }
    }
}

impl CoreError {
    pub fn internal(context: &str, e: impl std::fmt::Display) -> Self {
        CoreError::Internal(format!("{context}: {e}"))
    }
}
