//! Jira's time formats: `started` (`yyyy-MM-dd'T'HH:mm:ss.SSS+0800`, a
//! colon-less offset) and durations (`timeSpent`, `"1d 2h 30m"`).

use chrono::{DateTime, FixedOffset, Utc};

/// Seconds in one Jira day and week (the default time-tracking settings:
/// 8 h a day, 5 days a week).
pub const DAY_SECS: u64 = 8 * 3600;
pub const WEEK_SECS: u64 = 5 * DAY_SECS;

const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3f%z";

/// Parses `started` strictly: `2024-03-01T09:00:00.000+0800`. `Z`,
/// `+08:00`, missing milliseconds are refused.
pub fn parse_started(text: &str) -> Option<DateTime<FixedOffset>> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 28
        && bytes.get(19) == Some(&b'.')
        && matches!(bytes.get(23), Some(b'+' | b'-'))
        && bytes
            .get(24..28)
            .is_some_and(|o| o.iter().all(u8::is_ascii_digit));
    if !shape_ok {
        return None;
    }
    DateTime::parse_from_str(text, FORMAT).ok()
}

pub fn format_started(at: &DateTime<FixedOffset>) -> String {
    at.format(FORMAT).to_string()
}

/// `created` / `updated`: the same form, in UTC.
pub fn format_utc(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string()
}

/// Parses `"1w 2d 3h 20m"` (any subset, any order, spaces optional).
pub fn parse_time_spent(text: &str) -> Option<u64> {
    let mut total = 0_u64;
    let mut number = String::new();
    let mut seen_unit = false;
    for c in text.trim().chars() {
        match c {
            '0'..='9' | '.' => number.push(c),
            'w' | 'd' | 'h' | 'm' => {
                let value: f64 = number.parse().ok()?;
                number.clear();
                let unit = match c {
                    'w' => WEEK_SECS,
                    'd' => DAY_SECS,
                    'h' => 3600,
                    _ => 60,
                } as f64;
                total += (value * unit).round() as u64;
                seen_unit = true;
            }
            ' ' => {}
            _ => return None,
        }
    }
    if !number.is_empty() {
        // A bare number is minutes.
        total += number.parse::<u64>().ok()? * 60;
        seen_unit = true;
    }
    seen_unit.then_some(total)
}

/// Renders seconds as Jira does (`28800` → `"1d"`, `12000` → `"3h 20m"`).
pub fn format_time_spent(seconds: u64) -> String {
    let mut rest = seconds;
    let mut parts = Vec::new();
    for (unit, size) in [("w", WEEK_SECS), ("d", DAY_SECS), ("h", 3600), ("m", 60)] {
        let n = rest / size;
        rest %= size;
        if n > 0 {
            parts.push(format!("{n}{unit}"));
        }
    }
    if parts.is_empty() {
        "0m".to_owned()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn started_needs_milliseconds_and_a_colon_less_offset() {
        let at = parse_started("2024-03-01T09:00:00.000+0800").unwrap();
        assert_eq!(format_started(&at), "2024-03-01T09:00:00.000+0800");
        assert!(parse_started("2024-03-01T09:00:00.000-0500").is_some());
        for bad in [
            "2024-03-01T09:00:00.000+08:00",
            "2024-03-01T09:00:00.000Z",
            "2024-03-01T09:00:00+0800",
            "2024-03-01 09:00:00.000+0800",
            "2024-02-30T09:00:00.000+0800",
            "",
        ] {
            assert_eq!(parse_started(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_read_and_render_like_jira() {
        assert_eq!(parse_time_spent("1d 2h"), Some(DAY_SECS + 7200));
        assert_eq!(parse_time_spent("3h 20m"), Some(12_000));
        assert_eq!(parse_time_spent("1w"), Some(WEEK_SECS));
        assert_eq!(parse_time_spent("1.5h"), Some(5400));
        assert_eq!(parse_time_spent("abc"), None);
        assert_eq!(parse_time_spent(""), None);
        assert_eq!(format_time_spent(28_800), "1d");
        assert_eq!(format_time_spent(12_000), "3h 20m");
        assert_eq!(format_time_spent(WEEK_SECS + 3600), "1w 1h");
    }
}
