//! Why a call to a PM system failed: one set of reasons for every system,
//! so that the sync engine and the pages treat Jira and TAPD alike.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PmError {
    /// No connection (DNS, refused, reset before an answer).
    #[error("{system} is unreachable: {detail}")]
    Unreachable {
        system: &'static str,
        detail: String,
    },
    /// No answer within the time limit.
    #[error("{system} did not answer within {seconds} s")]
    Timeout { system: &'static str, seconds: u64 },
    /// Rate limited (HTTP 429 or the system's own code), after the retries.
    #[error("{system} is rate limiting us{}", retry_text(.retry_after))]
    Throttled {
        system: &'static str,
        retry_after: Option<Duration>,
    },
    /// Wrong or expired credentials, or an account without the right.
    #[error("{system} refused the credentials: {message}")]
    Auth {
        system: &'static str,
        message: String,
    },
    /// The item, worklog or user does not exist (or is not visible).
    #[error("{system}: not found: {message}")]
    NotFound {
        system: &'static str,
        message: String,
    },
    /// The system refused the request, in its own words (closed issue,
    /// locked period, missing activity, invalid hours…).
    #[error("{system} refused: {message}")]
    Rejected {
        system: &'static str,
        status: u16,
        message: String,
    },
    /// The answer does not have the documented shape.
    #[error("unexpected answer from {system} at `{path}`: {detail} (body: {snippet})")]
    Malformed {
        system: &'static str,
        path: String,
        detail: String,
        snippet: String,
    },
    /// The connector cannot do this on this system (see [`crate::Capabilities`]).
    #[error("{system} cannot {what}")]
    Unsupported { system: &'static str, what: String },
}

fn retry_text(after: &Option<Duration>) -> String {
    after.map_or_else(String::new, |d| format!(" (retry after {} s)", d.as_secs()))
}

impl PmError {
    /// Worth retrying later with the same input.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            PmError::Unreachable { .. } | PmError::Timeout { .. } | PmError::Throttled { .. }
        )
    }

    /// A short machine-readable reason, stored with a failed person-day.
    pub fn reason(&self) -> &'static str {
        match self {
            PmError::Unreachable { .. } => "unreachable",
            PmError::Timeout { .. } => "timeout",
            PmError::Throttled { .. } => "throttled",
            PmError::Auth { .. } => "auth",
            PmError::NotFound { .. } => "not_found",
            PmError::Rejected { .. } => "rejected",
            PmError::Malformed { .. } => "malformed",
            PmError::Unsupported { .. } => "unsupported",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_network_and_rate_problems_are_transient() {
        let throttled = PmError::Throttled {
            system: "Jira",
            retry_after: Some(Duration::from_secs(30)),
        };
        assert!(throttled.is_transient());
        assert_eq!(
            throttled.to_string(),
            "Jira is rate limiting us (retry after 30 s)"
        );
        let rejected = PmError::Rejected {
            system: "Redmine",
            status: 422,
            message: "Cannot log more than 8.00 hours on the same day".into(),
        };
        assert!(!rejected.is_transient());
        assert_eq!(rejected.reason(), "rejected");
        assert!(rejected
            .to_string()
            .contains("Cannot log more than 8.00 hours"));
    }
}
