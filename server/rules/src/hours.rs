//! [`Hours`]: a fixed-point amount of working time, counted in whole seconds.
//!
//! Hours never pass through `f64` arithmetic. DingTalk's decimal strings
//! ("1.25") are parsed digit by digit; a JSON number is read once, at the
//! edge, and rounded to the nearest second. Seconds represent every decimal
//! hour with up to two places exactly (0.01 h = 36 s) and every whole minute.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Seconds in one hour.
pub const SECONDS_PER_HOUR: i64 = 3600;

/// The largest magnitude an amount may have: 10¹² hours, far above any
/// company's total yet far below `i64::MAX` seconds. Larger inputs and sums
/// are clamped (saturating), never wrapped.
pub const MAX_SECONDS: i64 = 1_000_000_000_000 * SECONDS_PER_HOUR;

/// An amount of working time (may be negative while a day is computed; the
/// engine never returns a negative amount).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hours(i64);

impl Hours {
    /// No time.
    pub const ZERO: Hours = Hours(0);

    /// `seconds` seconds, clamped to ±[`MAX_SECONDS`].
    pub const fn from_seconds(seconds: i64) -> Hours {
        if seconds > MAX_SECONDS {
            Hours(MAX_SECONDS)
        } else if seconds < -MAX_SECONDS {
            Hours(-MAX_SECONDS)
        } else {
            Hours(seconds)
        }
    }

    /// `minutes` minutes.
    pub const fn from_minutes(minutes: i64) -> Hours {
        Hours::from_seconds(minutes.saturating_mul(60))
    }

    /// `hours` whole hours.
    pub const fn from_hours(hours: i64) -> Hours {
        Hours::from_seconds(hours.saturating_mul(SECONDS_PER_HOUR))
    }

    /// `hundredths` hundredths of an hour (`hundredths(125)` = 1.25 h).
    pub const fn from_hundredths(hundredths: i64) -> Hours {
        Hours::from_seconds(hundredths.saturating_mul(36))
    }

    /// The amount in seconds.
    pub const fn seconds(self) -> i64 {
        self.0
    }

    /// True for a negative amount.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Sum, clamped to the representable range (never overflows).
    pub const fn plus(self, other: Hours) -> Hours {
        Hours::from_seconds(self.0.saturating_add(other.0))
    }

    /// Difference, clamped to the representable range (never overflows).
    pub const fn minus(self, other: Hours) -> Hours {
        Hours::from_seconds(self.0.saturating_sub(other.0))
    }

    /// The amount, or zero when it is negative.
    pub const fn at_least_zero(self) -> Hours {
        if self.0 < 0 {
            Hours::ZERO
        } else {
            self
        }
    }

    /// Parses a decimal number of hours such as `8`, `1.25`, `-0.5`, `+3.`
    /// exactly (up to 9 decimal places; more digits are rounded to the
    /// nearest second). Returns `None` for anything else.
    pub fn parse_decimal(text: &str) -> Option<Hours> {
        let text = text.trim();
        let (negative, digits) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        if whole.is_empty() && fraction.is_empty() {
            return None;
        }
        if !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        // Whole hours beyond the clamp are clamped, not rejected.
        let mut whole_hours: i64 = 0;
        for b in whole.bytes() {
            whole_hours = whole_hours
                .saturating_mul(10)
                .saturating_add(i64::from(b - b'0'));
        }
        let fraction = &fraction[..fraction.len().min(9)];
        let mut numerator: i64 = 0;
        let mut denominator: i64 = 1;
        for b in fraction.bytes() {
            numerator = numerator * 10 + i64::from(b - b'0');
            denominator *= 10;
        }
        // Round half up to the nearest second.
        let fraction_seconds = (numerator * SECONDS_PER_HOUR * 2 + denominator) / (denominator * 2);
        let seconds = whole_hours
            .saturating_mul(SECONDS_PER_HOUR)
            .saturating_add(fraction_seconds);
        Some(Hours::from_seconds(if negative {
            -seconds
        } else {
            seconds
        }))
    }

    /// The amount in hours as a float, for display and JSON only.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / SECONDS_PER_HOUR as f64
    }

    /// Reads a float number of hours (JSON), rounded to the nearest second.
    /// Not-a-number reads as `None`; infinities clamp.
    pub fn from_f64(hours: f64) -> Option<Hours> {
        if hours.is_nan() {
            return None;
        }
        let seconds = (hours * SECONDS_PER_HOUR as f64).round();
        let limit = MAX_SECONDS as f64;
        Some(Hours::from_seconds(seconds.clamp(-limit, limit) as i64))
    }
}

impl fmt::Display for Hours {
    /// Hours as a decimal number without trailing zeros: `8`, `6.5`, `1.25`;
    /// amounts that are not whole hundredths show up to four places.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / 3600;
        let rest = abs % 3600;
        if rest == 0 {
            return write!(f, "{sign}{whole}");
        }
        // Ten-thousandths of an hour, rounded half up.
        let mut frac = (rest * 10_000 * 2 + 3600) / (3600 * 2);
        let mut whole = whole;
        if frac >= 10_000 {
            whole += 1;
            frac -= 10_000;
        }
        let mut text = format!("{frac:04}");
        while text.ends_with('0') {
            text.pop();
        }
        if text.is_empty() {
            write!(f, "{sign}{whole}")
        } else {
            write!(f, "{sign}{whole}.{text}")
        }
    }
}

impl Serialize for Hours {
    /// A JSON number of hours (`8`, `6.5`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % SECONDS_PER_HOUR == 0 {
            serializer.serialize_i64(self.0 / SECONDS_PER_HOUR)
        } else {
            serializer.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Hours {
    /// A JSON number of hours, or a decimal string (`"1.25"`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(HoursVisitor)
    }
}

struct HoursVisitor;

impl Visitor<'_> for HoursVisitor {
    type Value = Hours;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number of hours or a decimal string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Hours, E> {
        Ok(Hours::from_hours(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Hours, E> {
        Ok(Hours::from_hours(i64::try_from(v).unwrap_or(i64::MAX)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Hours, E> {
        Hours::from_f64(v).ok_or_else(|| E::custom("hours must be a number"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Hours, E> {
        Hours::parse_decimal(v).ok_or_else(|| E::custom(format!("`{v}` is not a number of hours")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_strings_parse_exactly() {
        assert_eq!(Hours::parse_decimal("8"), Some(Hours::from_hours(8)));
        assert_eq!(Hours::parse_decimal("1.25"), Some(Hours::from_minutes(75)));
        assert_eq!(Hours::parse_decimal("0.01"), Some(Hours::from_seconds(36)));
        assert_eq!(Hours::parse_decimal(" 6.0 "), Some(Hours::from_hours(6)));
        assert_eq!(Hours::parse_decimal("-0.5"), Some(Hours::from_minutes(-30)));
        assert_eq!(Hours::parse_decimal(".5"), Some(Hours::from_minutes(30)));
        assert_eq!(Hours::parse_decimal("3."), Some(Hours::from_hours(3)));
        assert_eq!(Hours::parse_decimal("1/3"), None);
        assert_eq!(Hours::parse_decimal(""), None);
        assert_eq!(Hours::parse_decimal("-"), None);
        assert_eq!(Hours::parse_decimal("."), None);
        assert_eq!(Hours::parse_decimal("1e3"), None);
        // A third of an hour rounds to the nearest second.
        assert_eq!(
            Hours::parse_decimal("0.3333333333"),
            Some(Hours::from_seconds(1200))
        );
    }

    #[test]
    fn huge_amounts_clamp_instead_of_overflowing() {
        let huge = Hours::parse_decimal("99999999999999999999999").unwrap();
        assert_eq!(huge.seconds(), MAX_SECONDS);
        assert_eq!(huge.plus(huge).seconds(), MAX_SECONDS);
        assert_eq!(Hours::from_seconds(i64::MIN).seconds(), -MAX_SECONDS);
        assert_eq!(
            Hours::from_f64(f64::INFINITY).map(|h| h.seconds()),
            Some(MAX_SECONDS)
        );
        assert_eq!(Hours::from_f64(f64::NAN), None);
    }

    #[test]
    fn display_trims_zeros() {
        assert_eq!(Hours::from_hours(8).to_string(), "8");
        assert_eq!(Hours::from_minutes(390).to_string(), "6.5");
        assert_eq!(Hours::from_minutes(75).to_string(), "1.25");
        assert_eq!(Hours::from_minutes(-30).to_string(), "-0.5");
        assert_eq!(Hours::from_seconds(1).to_string(), "0.0003");
        assert_eq!(Hours::from_seconds(3599).to_string(), "0.9997");
    }

    #[test]
    fn json_reads_numbers_and_strings_and_writes_numbers() {
        let h: Hours = serde_json::from_str("6.5").unwrap();
        assert_eq!(h, Hours::from_minutes(390));
        let h: Hours = serde_json::from_str("\"1.25\"").unwrap();
        assert_eq!(h, Hours::from_minutes(75));
        let h: Hours = serde_json::from_str("0.1").unwrap();
        assert_eq!(h, Hours::from_minutes(6));
        assert_eq!(serde_json::to_string(&Hours::from_hours(8)).unwrap(), "8");
        assert_eq!(
            serde_json::to_string(&Hours::from_minutes(390)).unwrap(),
            "6.5"
        );
        assert!(serde_json::from_str::<Hours>("\"eight\"").is_err());
    }

    #[test]
    fn arithmetic_saturates_and_floors() {
        assert_eq!(
            Hours::from_hours(1)
                .minus(Hours::from_hours(3))
                .at_least_zero(),
            Hours::ZERO
        );
        assert!(Hours::from_hours(-1).is_negative());
    }
}
