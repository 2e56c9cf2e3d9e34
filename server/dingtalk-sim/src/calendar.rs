//! A China-like working calendar: statutory holidays (festival), make-up
//! workdays (调休上班) and ordinary weekends.
//!
//! 2025–2027 come from a small table; other years get a generated
//! approximation (fixed Gregorian dates) so any period has holidays.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Asia::Shanghai;

/// What kind of day a date is for attendance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary Monday–Friday.
    Workday,
    /// A Saturday or Sunday that is worked instead of a holiday (调休).
    MakeupWorkday,
    /// An ordinary Saturday or Sunday.
    Rest,
    /// A statutory holiday.
    Festival,
}

impl DayKind {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeupWorkday)
    }
}

/// Holidays and make-up workdays by date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    festivals: BTreeMap<NaiveDate, String>,
    makeup: BTreeSet<NaiveDate>,
    /// Years not in the table get generated holidays.
    generate_other_years: bool,
}

/// (name, first day, days, make-up workdays), per year.
type HolidayRow = (
    &'static str,
    (i32, u32, u32),
    u32,
    &'static [(i32, u32, u32)],
);

const TABLE: &[HolidayRow] = &[
    ("元旦", (2025, 1, 1), 1, &[]),
    ("春节", (2025, 1, 28), 8, &[(2025, 1, 26), (2025, 2, 8)]),
    ("清明节", (2025, 4, 4), 3, &[]),
    ("劳动节", (2025, 5, 1), 5, &[(2025, 4, 27)]),
    ("端午节", (2025, 5, 31), 3, &[]),
    (
        "国庆节、中秋节",
        (2025, 10, 1),
        8,
        &[(2025, 9, 28), (2025, 10, 11)],
    ),
    ("元旦", (2026, 1, 1), 3, &[(2026, 1, 4)]),
    ("春节", (2026, 2, 15), 9, &[(2026, 2, 14), (2026, 2, 28)]),
    ("清明节", (2026, 4, 4), 3, &[]),
    ("劳动节", (2026, 5, 1), 5, &[(2026, 5, 9)]),
    ("端午节", (2026, 6, 19), 3, &[]),
    ("中秋节", (2026, 9, 25), 3, &[]),
    ("国庆节", (2026, 10, 1), 7, &[(2026, 9, 20), (2026, 10, 10)]),
    ("元旦", (2027, 1, 1), 3, &[]),
    ("春节", (2027, 2, 5), 7, &[(2027, 2, 20)]),
    ("清明节", (2027, 4, 3), 3, &[]),
    ("劳动节", (2027, 5, 1), 5, &[(2027, 4, 25)]),
    ("端午节", (2027, 6, 9), 3, &[(2027, 6, 12)]),
    ("中秋节", (2027, 9, 15), 3, &[(2027, 9, 18)]),
    ("国庆节", (2027, 10, 1), 7, &[(2027, 9, 26), (2027, 10, 9)]),
];

const TABLE_YEARS: std::ops::RangeInclusive<i32> = 2025..=2027;

impl Calendar {
    /// The built-in China-like calendar.
    pub fn china() -> Self {
        let mut cal = Calendar {
            generate_other_years: true,
            ..Calendar::default()
        };
        for (name, (y, m, d), days, makeup) in TABLE {
            if let Some(first) = NaiveDate::from_ymd_opt(*y, *m, *d) {
                cal.add_festival(name, first, *days);
            }
            for (y, m, d) in makeup.iter() {
                if let Some(day) = NaiveDate::from_ymd_opt(*y, *m, *d) {
                    cal.makeup.insert(day);
                }
            }
        }
        cal
    }

    /// A calendar holding exactly these dates (weekends otherwise rest days).
    pub fn from_dates(
        festivals: impl IntoIterator<Item = (NaiveDate, String)>,
        makeup: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        Calendar {
            festivals: festivals.into_iter().collect(),
            makeup: makeup.into_iter().collect(),
            generate_other_years: false,
        }
    }

    fn add_festival(&mut self, name: &str, first: NaiveDate, days: u32) {
        for offset in 0..days {
            if let Some(day) = first.checked_add_signed(Duration::days(i64::from(offset))) {
                self.festivals.insert(day, name.to_owned());
            }
        }
    }

    pub fn kind(&self, date: NaiveDate) -> DayKind {
        if self.generate_other_years && !TABLE_YEARS.contains(&date.year()) {
            return generated_kind(date);
        }
        if self.festivals.contains_key(&date) {
            DayKind::Festival
        } else if self.makeup.contains(&date) {
            DayKind::MakeupWorkday
        } else if is_weekend(date) {
            DayKind::Rest
        } else {
            DayKind::Workday
        }
    }

    /// The holiday's name on a festival day.
    pub fn festival_name(&self, date: NaiveDate) -> Option<String> {
        if self.generate_other_years && !TABLE_YEARS.contains(&date.year()) {
            return generated_festival(date).map(str::to_owned);
        }
        self.festivals.get(&date).cloned()
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Fixed-date approximation for years outside the table.
fn generated_festival(date: NaiveDate) -> Option<&'static str> {
    match (date.month(), date.day()) {
        (1, 1) => Some("元旦"),
        (2, 1..=7) => Some("春节"),
        (4, 4..=6) => Some("清明节"),
        (5, 1..=5) => Some("劳动节"),
        (10, 1..=7) => Some("国庆节"),
        _ => None,
    }
}

fn generated_kind(date: NaiveDate) -> DayKind {
    if generated_festival(date).is_some() {
        DayKind::Festival
    } else if is_weekend(date) {
        DayKind::Rest
    } else {
        DayKind::Workday
    }
}

/// Today's date in China.
pub fn today_in_china() -> NaiveDate {
    Utc::now().with_timezone(&Shanghai).date_naive()
}

/// Milliseconds since the epoch of a China-local date and time.
pub fn china_ms(at: NaiveDateTime) -> i64 {
    match Shanghai.from_local_datetime(&at).earliest() {
        Some(t) => t.timestamp_millis(),
        // China has no DST gaps; fall back to a fixed +08:00.
        None => at.and_utc().timestamp_millis() - 8 * 3_600_000,
    }
}

/// Milliseconds of local midnight of `date` (DingTalk's `workDate`).
pub fn midnight_ms(date: NaiveDate) -> i64 {
    china_ms(date.and_time(NaiveTime::MIN))
}

/// The China-local date and time of an epoch-ms value.
pub fn china_datetime(ms: i64) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&Shanghai).naive_local())
}

/// `yyyy-MM-dd HH:mm:ss`.
pub fn format_datetime(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Parses `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd HH:mm` or `yyyy-MM-dd`.
pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(NaiveTime::MIN))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn table_years_have_festivals_and_makeup_days() {
        let cal = Calendar::china();
        assert_eq!(cal.kind(day(2026, 10, 1)), DayKind::Festival);
        assert_eq!(cal.kind(day(2026, 10, 10)), DayKind::MakeupWorkday);
        assert_eq!(cal.kind(day(2026, 3, 7)), DayKind::Rest);
        assert_eq!(cal.kind(day(2026, 3, 9)), DayKind::Workday);
        assert_eq!(cal.festival_name(day(2026, 2, 17)).as_deref(), Some("春节"));
    }

    #[test]
    fn other_years_are_generated() {
        let cal = Calendar::china();
        assert_eq!(cal.kind(day(2030, 10, 3)), DayKind::Festival);
        assert_eq!(cal.kind(day(2030, 3, 4)), DayKind::Workday);
    }

    #[test]
    fn work_date_is_local_midnight() {
        assert_eq!(midnight_ms(day(2026, 3, 2)), 1_772_380_800_000);
        let at = china_datetime(1_772_413_200_000).unwrap();
        assert_eq!(format_datetime(at), "2026-03-02 09:00:00");
    }
}
