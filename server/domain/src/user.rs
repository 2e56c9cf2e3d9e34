//! User accounts: validated login names, display names and passwords.

use crate::field::{required_text, FieldError, Problem, MAX_FIELD_BYTES};
use crate::ids::UserId;
use crate::role::Role;
use serde::{Deserialize, Serialize};

pub const USERNAME_MAX: usize = 64;
pub const DISPLAY_NAME_MAX: usize = 100;
pub const PASSWORD_MIN: usize = 10;
/// Longer inputs are refused before hashing so nobody can make argon2 chew megabytes.
pub const PASSWORD_MAX: usize = 256;

/// A login name: 3–64 of `a-z 0-9 . _ - @`, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let value = required_text(field, raw, USERNAME_MAX)?.to_lowercase();
        if value.chars().count() < 3 {
            return Err(FieldError::new(field, Problem::TooShort));
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
        if !value.chars().all(allowed) {
            return Err(FieldError::new(field, Problem::InvalidCharacters));
        }
        Ok(Self(value))
    }

    /// Wraps a name read back from storage (validated when it was written).
    pub fn from_trusted(raw: impl Into<String>) -> Self {
        Self(raw.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name shown in the UI (any script, e.g. 王小明).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        required_text(field, raw, DISPLAY_NAME_MAX).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as typed, checked against the policy. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword([redacted])")
    }
}

impl NewPassword {
    /// Checks length limits and that the password is not the login name.
    pub fn parse(field: &str, raw: &str, username: &Username) -> Result<Self, FieldError> {
        if raw.len() > MAX_FIELD_BYTES || raw.chars().count() > PASSWORD_MAX {
            return Err(FieldError::new(field, Problem::TooLong));
        }
        if raw.is_empty() {
            return Err(FieldError::new(field, Problem::Required));
        }
        if raw.chars().count() < PASSWORD_MIN {
            return Err(FieldError::new(field, Problem::TooShort));
        }
        if raw.to_lowercase() == username.as_str() {
            return Err(FieldError::new(field, Problem::SameAsUsername));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// What the admin fills in to create an account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub display_name: DisplayName,
    pub role: Role,
    pub password: NewPassword,
}

impl NewUser {
    /// Parses every field and reports all problems at once, in form order.
    pub fn parse(
        username: &str,
        display_name: &str,
        role: &str,
        password: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let username = Username::parse("username", username)
            .map_err(|e| errors.push(e))
            .ok();
        let display_name = DisplayName::parse("display_name", display_name)
            .map_err(|e| errors.push(e))
            .ok();
        let role = parse_role("role", role).map_err(|e| errors.push(e)).ok();
        let password = match &username {
            Some(u) => NewPassword::parse("password", password, u)
                .map_err(|e| errors.push(e))
                .ok(),
            None => None,
        };
        match (username, display_name, role, password) {
            (Some(username), Some(display_name), Some(role), Some(password))
                if errors.is_empty() =>
            {
                Ok(Self {
                    username,
                    display_name,
                    role,
                    password,
                })
            }
            _ => Err(errors),
        }
    }
}

pub fn parse_role(field: &str, raw: &str) -> Result<Role, FieldError> {
    if raw.trim().is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    raw.trim()
        .parse()
        .map_err(|_| FieldError::new(field, Problem::InvalidChoice))
}

/// A user as the rest of the system sees it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub username: Username,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub must_change_password: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_cased_and_limited_to_safe_characters() {
        assert_eq!(
            Username::parse("u", " Li.Lei@corp ").unwrap().as_str(),
            "li.lei@corp"
        );
        assert_eq!(
            Username::parse("u", "ab").unwrap_err().problem,
            Problem::TooShort
        );
        assert_eq!(
            Username::parse("u", "li lei").unwrap_err().problem,
            Problem::InvalidCharacters
        );
        assert_eq!(
            Username::parse("u", "李小雷").unwrap_err().problem,
            Problem::InvalidCharacters
        );
        assert_eq!(
            Username::parse("u", "").unwrap_err().problem,
            Problem::Required
        );
    }

    #[test]
    fn passwords_follow_the_policy_and_never_print() {
        let user = Username::parse("u", "lilei").unwrap();
        assert_eq!(
            NewPassword::parse("p", "short", &user).unwrap_err().problem,
            Problem::TooShort
        );
        assert_eq!(
            NewPassword::parse("p", "", &user).unwrap_err().problem,
            Problem::Required
        );
        let long = "x".repeat(PASSWORD_MAX + 1);
        assert_eq!(
            NewPassword::parse("p", &long, &user).unwrap_err().problem,
            Problem::TooLong
        );
        let p = NewPassword::parse("p", "correct horse battery", &user).unwrap();
        assert!(!format!("{p:?}").contains("horse"));
        let same = Username::parse("u", "lileilei12").unwrap();
        assert_eq!(
            NewPassword::parse("p", "LiLeiLei12", &same)
                .unwrap_err()
                .problem,
            Problem::SameAsUsername
        );
    }

    #[test]
    fn a_new_user_reports_every_wrong_field() {
        let errors = NewUser::parse("", "", "root", "x").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["username", "display_name", "role"]);
        let ok =
            NewUser::parse("pm.zhang", "张经理", "project_manager", "a long passphrase").unwrap();
        assert_eq!(ok.role, Role::ProjectManager);
    }
}
