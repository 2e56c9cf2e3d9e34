//! When a connection pair runs by itself: cron expressions (five fields,
//! `croner`'s POSIX/Vixie reading) in the organisation's time zone, each
//! with the days it covers. The default is an hourly pull of today and
//! yesterday and a nightly full pass of the last seven days.

use std::str::FromStr;

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use croner::Cron;
use serde::{Deserialize, Serialize};

/// One scheduled run: when (cron, local time) and how many days back it
/// covers (1 = today only, 2 = today and yesterday…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub cron: String,
    pub days: u32,
}

/// A connection pair's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub triggers: Vec<Trigger>,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            triggers: vec![
                Trigger {
                    cron: "0 * * * *".into(),
                    days: 2,
                },
                Trigger {
                    cron: "30 2 * * *".into(),
                    days: 7,
                },
            ],
        }
    }
}

/// Why a schedule was refused, at its trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    /// The cron expression cannot be read; the parser's reason.
    Cron { index: usize, reason: String },
    /// A trigger covering no day, or more than a year.
    Days { index: usize },
}

/// The most days one scheduled run may cover.
pub const MAX_DAYS: u32 = 366;

impl Schedule {
    /// Every problem, by trigger.
    pub fn validate(&self) -> Vec<ScheduleError> {
        let mut errors = Vec::new();
        for (index, t) in self.triggers.iter().enumerate() {
            if let Err(e) = parse(&t.cron) {
                errors.push(ScheduleError::Cron { index, reason: e });
            }
            if t.days == 0 || t.days > MAX_DAYS {
                errors.push(ScheduleError::Days { index });
            }
        }
        errors
    }

    /// The first trigger to fire strictly after `now`, in `tz`: when, and
    /// the local dates it covers (`first..=last`, ending on that local
    /// date). Triggers that cannot be read never fire.
    pub fn next_after(
        &self,
        now: DateTime<Utc>,
        tz: Tz,
    ) -> Option<(DateTime<Utc>, NaiveDate, NaiveDate)> {
        let local = now.with_timezone(&tz);
        self.triggers
            .iter()
            .filter(|t| t.days > 0 && t.days <= MAX_DAYS)
            .filter_map(|t| {
                let cron = parse(&t.cron).ok()?;
                let at = cron.find_next_occurrence(&local, false).ok()?;
                let last = at.date_naive();
                let first = last.checked_sub_days(Days::new(u64::from(t.days - 1)))?;
                Some((at.with_timezone(&Utc), first, last))
            })
            .min_by_key(|(at, _, _)| *at)
    }
}

fn parse(text: &str) -> Result<Cron, String> {
    if text.split_whitespace().count() != 5 {
        return Err("a schedule has five fields: minute hour day month weekday".into());
    }
    Cron::from_str(text.trim()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn the_default_pulls_hourly_and_passes_nightly_in_local_time() {
        let shanghai = chrono_tz::Asia::Shanghai;
        let s = Schedule::default();
        assert!(s.validate().is_empty());
        // 17:10 UTC on 12-05 is 01:10 on 12-06 in Shanghai: next hourly at 02:00 local.
        let (at, first, last) = s.next_after(utc(2026, 12, 5, 17, 10), shanghai).unwrap();
        assert_eq!(at, utc(2026, 12, 5, 18, 0));
        assert_eq!(
            (first, last),
            ("2026-12-05".parse().unwrap(), "2026-12-06".parse().unwrap())
        );
        // Just after 02:00 local, the nightly pass at 02:30 comes before 03:00.
        let (at, first, last) = s.next_after(utc(2026, 12, 5, 18, 1), shanghai).unwrap();
        assert_eq!(at, utc(2026, 12, 5, 18, 30));
        assert_eq!(
            (first, last),
            ("2026-11-30".parse().unwrap(), "2026-12-06".parse().unwrap())
        );
    }

    #[test]
    fn unreadable_expressions_and_bad_day_counts_are_named() {
        let s = Schedule {
            triggers: vec![
                Trigger {
                    cron: "every hour".into(),
                    days: 2,
                },
                Trigger {
                    cron: "0 * * * * *".into(),
                    days: 1,
                },
                Trigger {
                    cron: "0 3 * * *".into(),
                    days: 0,
                },
            ],
        };
        let errors = s.validate();
        assert!(matches!(errors[0], ScheduleError::Cron { index: 0, .. }));
        assert!(matches!(errors[1], ScheduleError::Cron { index: 1, .. }));
        assert_eq!(errors[2], ScheduleError::Days { index: 2 });
        // Nothing readable fires.
        assert_eq!(s.next_after(utc(2026, 12, 5, 0, 0), chrono_tz::UTC), None);
    }
}
