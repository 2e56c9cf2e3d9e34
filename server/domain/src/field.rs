//! Field-level validation errors: which input is wrong and why.
//!
//! A `Problem` is a stable code; the UI turns it into a sentence in the
//! user's language, so no human text lives in the domain.

use serde::{Deserialize, Serialize};

/// The largest value any single text field accepts (10 KB).
pub const MAX_FIELD_BYTES: usize = 10 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong,
    TooShort,
    InvalidCharacters,
    InvalidChoice,
    Taken,
    Mismatch,
    SameAsOld,
    SameAsUsername,
    WrongPassword,
    UnknownTimeZone,
    /// The change would leave no active administrator.
    LastAdmin,
    /// An admin cannot deactivate their own account.
    OwnAccount,
    /// Not an http:// or https:// address.
    InvalidUrl,
    /// A number outside the accepted range.
    OutOfRange,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {problem:?}")]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: &str, problem: Problem) -> Self {
        Self {
            field: field.to_owned(),
            problem,
        }
    }
}

/// Trims a text input and checks the limits every field shares.
pub fn required_text(field: &str, raw: &str, max_chars: usize) -> Result<String, FieldError> {
    if raw.len() > MAX_FIELD_BYTES {
        return Err(FieldError::new(field, Problem::TooLong));
    }
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    if value.chars().count() > max_chars {
        return Err(FieldError::new(field, Problem::TooLong));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(FieldError::new(field, Problem::InvalidCharacters));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_accepts_plain_text() {
        assert_eq!(required_text("name", "  王小明 ", 10).unwrap(), "王小明");
    }

    #[test]
    fn rejects_empty_oversized_and_control_characters() {
        assert_eq!(
            required_text("f", "   ", 10).unwrap_err().problem,
            Problem::Required
        );
        assert_eq!(
            required_text("f", &"x".repeat(MAX_FIELD_BYTES + 1), usize::MAX)
                .unwrap_err()
                .problem,
            Problem::TooLong
        );
        assert_eq!(
            required_text("f", "abcdef", 5).unwrap_err().problem,
            Problem::TooLong
        );
        assert_eq!(
            required_text("f", "a\u{0}b", 5).unwrap_err().problem,
            Problem::InvalidCharacters
        );
    }
}
