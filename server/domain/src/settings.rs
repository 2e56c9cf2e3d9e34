//! Organisation-wide settings.

use serde::{Deserialize, Serialize};

pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// An IANA time-zone name that the server's time-zone database knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrgTimeZone(String);

impl Default for OrgTimeZone {
    fn default() -> Self {
        Self(DEFAULT_TIME_ZONE.to_owned())
    }
}

impl OrgTimeZone {
    #[cfg(feature = "tz")]
    pub fn parse(field: &str, raw: &str) -> Result<Self, crate::FieldError> {
        let value = crate::field::required_text(field, raw, 64)?;
        value
            .parse::<chrono_tz::Tz>()
            .map(|tz| Self(tz.name().to_owned()))
            .map_err(|_| crate::FieldError::new(field, crate::Problem::UnknownTimeZone))
    }

    #[cfg(feature = "tz")]
    pub fn tz(&self) -> chrono_tz::Tz {
        self.0.parse().unwrap_or(chrono_tz::Asia::Shanghai)
    }

    pub fn from_trusted(raw: impl Into<String>) -> Self {
        Self(raw.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(all(test, feature = "tz"))]
mod tests {
    use super::*;

    #[test]
    fn accepts_iana_names_and_refuses_others() {
        assert_eq!(
            OrgTimeZone::parse("tz", " Europe/Berlin ")
                .unwrap()
                .as_str(),
            "Europe/Berlin"
        );
        assert_eq!(
            OrgTimeZone::parse("tz", "Mars/Olympus")
                .unwrap_err()
                .problem,
            crate::Problem::UnknownTimeZone
        );
        assert_eq!(OrgTimeZone::default().as_str(), "Asia/Shanghai");
    }
}
