//! Feishu Project's units: days as milliseconds since the epoch (at the
//! organisation's midnight), hours as decimal text, and the idempotency key.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use uuid::Uuid;

/// The organisation's offset from UTC: China Standard Time. A day is sent
/// as its midnight there (`work_begin_date = work_end_date`), and a
/// `work_date` read back is taken as the day it falls on there.
pub const ORG_OFFSET_SECS: i32 = 8 * 3600;

fn org_zone() -> FixedOffset {
    FixedOffset::east_opt(ORG_OFFSET_SECS).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

/// The day's midnight at the organisation, in milliseconds since the epoch.
pub fn day_start_ms(day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    org_zone()
        .from_local_datetime(&midnight)
        .single()
        .map_or(0, |t| t.timestamp_millis())
}

/// The organisation's day a millisecond timestamp falls on.
pub fn day_of_ms(ms: i64) -> Option<NaiveDate> {
    DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&org_zone()).date_naive())
}

/// Minutes as Feishu's `work_time` text: hours with at most two decimals
/// (`450` → `"7.5"`, `480` → `"8"`, `20` → `"0.33"`).
pub fn hours_text(minutes: u32) -> String {
    let hundredths = (u64::from(minutes) * 100 + 30) / 60;
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// Hours read back as whole minutes.
pub fn minutes_of(hours: f64) -> u32 {
    let m = (hours * 60.0).round();
    if m.is_finite() && m > 0.0 {
        m.min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

/// HourBridge's fixed namespace for `X-IDEM-UUID`s.
fn namespace() -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        b"https://hourbridge.invalid/feishu-project/idem",
    )
}

/// An `X-IDEM-UUID` derived from what makes the write what it is: the same
/// parts always give the same key, so a repeated write is recognised.
pub fn idem_key(parts: &[&str]) -> String {
    let mut name = String::new();
    for part in parts {
        // Length-prefixed, so that parts cannot run into each other.
        name.push_str(&format!("{}:{part};", part.len()));
    }
    Uuid::new_v5(&namespace(), name.as_bytes()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn a_day_is_its_midnight_in_china() {
        // 2024-03-01 00:00 +08:00 = 2024-02-29 16:00 UTC.
        assert_eq!(day_start_ms(day(2024, 3, 1)), 1_709_222_400_000);
        assert_eq!(day_of_ms(1_709_222_400_000), Some(day(2024, 3, 1)));
        // Any time of that day in China reads as that day.
        assert_eq!(
            day_of_ms(1_709_222_400_000 + 23 * 3_600_000),
            Some(day(2024, 3, 1))
        );
        assert_eq!(day_of_ms(1_709_222_400_000 - 1), Some(day(2024, 2, 29)));
    }

    #[test]
    fn hours_are_text_with_two_decimals_at_most() {
        assert_eq!(hours_text(450), "7.5");
        assert_eq!(hours_text(480), "8");
        assert_eq!(hours_text(20), "0.33");
        assert_eq!(hours_text(1), "0.02");
        assert_eq!(hours_text(0), "0");
        for minutes in [1, 20, 45, 450, 481, 1439] {
            let back = minutes_of(hours_text(minutes).parse().expect("number"));
            assert_eq!(back, minutes, "{minutes} minutes survive the round trip");
        }
        assert_eq!(minutes_of(-1.0), 0);
        assert_eq!(minutes_of(f64::NAN), 0);
    }

    #[test]
    fn idempotency_keys_are_stable_and_distinct() {
        let a = idem_key(&["create", "hb:u1:2026-03-02:story:7"]);
        assert_eq!(a, idem_key(&["create", "hb:u1:2026-03-02:story:7"]));
        assert_ne!(a, idem_key(&["create", "hb:u1:2026-03-03:story:7"]));
        assert_ne!(idem_key(&["ab", "c"]), idem_key(&["a", "bc"]));
        assert_eq!(Uuid::parse_str(&a).map(|u| u.get_version_num()), Ok(5));
    }
}
