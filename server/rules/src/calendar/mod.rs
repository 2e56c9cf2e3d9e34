//! Which kind of day a local date is, for one organisation.
//!
//! Three layers, the first that knows a date wins:
//!
//! 1. the organisation's own calendar from DingTalk's holiday API
//!    (`v1.0/attendance/holidays`), for the date ranges it answered;
//! 2. the year's schedule: shipped from the State Council notices
//!    (`data/cn-holidays.json`, 2024–2027) or replaced by an admin;
//! 3. weekends: Saturday and Sunday are rest days, other days workdays.
//!
//! A day is always the organisation's **local** date (Asia/Shanghai unless
//! configured): DingTalk's `workDate` is local midnight in epoch ms.

mod answers;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Problem, RulesError};
use crate::model::DayType;

pub use answers::{DingTalkAnswer, DingTalkAnswers};

/// The shipped schedules, as JSON.
pub const CN_HOLIDAYS_JSON: &str = include_str!("../../data/cn-holidays.json");

/// The default time zone of an organisation.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// Where a year's schedule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleStatus {
    /// From a State Council notice, shipped with HourBridge.
    Official,
    /// Entered or changed by an admin.
    Admin,
    /// Not published (or not confirmed) yet: weekends only.
    Unpublished,
}

/// A holiday period (every date from `from` to `to` is a statutory holiday).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayPeriod {
    /// The holiday's name (春节).
    pub name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
}

/// One year's holidays and make-up workdays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSchedule {
    /// The calendar year.
    pub year: i32,
    /// Where it comes from.
    pub status: ScheduleStatus,
    /// The notice it follows, if any.
    #[serde(default)]
    pub notice: Option<String>,
    /// When the notice was issued.
    #[serde(default)]
    pub issued: Option<NaiveDate>,
    /// Anything worth knowing about the data.
    #[serde(default)]
    pub note: String,
    /// Holiday periods.
    #[serde(default)]
    pub holidays: Vec<HolidayPeriod>,
    /// Make-up workdays (调休上班).
    #[serde(default)]
    pub makeup_workdays: Vec<NaiveDate>,
}

impl YearSchedule {
    /// Every problem of the schedule, each at its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let in_year = |d: NaiveDate| d.year() == self.year;
        let mut holiday_days = BTreeSet::new();
        for (i, h) in self.holidays.iter().enumerate() {
            let p = format!("holidays[{i}]");
            if h.name.trim().is_empty() {
                errors.push(FieldError::new(format!("{p}.name"), Problem::Required));
            }
            if !in_year(h.from) {
                errors.push(FieldError::new(format!("{p}.from"), Problem::OutsideYear));
            }
            if !in_year(h.to) {
                errors.push(FieldError::new(format!("{p}.to"), Problem::OutsideYear));
            }
            if h.to < h.from {
                errors.push(FieldError::new(format!("{p}.to"), Problem::EmptyWindow));
            }
            if in_year(h.from) && in_year(h.to) {
                holiday_days.extend(h.from.iter_days().take_while(|d| *d <= h.to));
            }
        }
        for (i, d) in self.makeup_workdays.iter().enumerate() {
            let p = format!("makeup_workdays[{i}]");
            if !in_year(*d) {
                errors.push(FieldError::new(p, Problem::OutsideYear));
            } else if holiday_days.contains(d) {
                errors.push(FieldError::with_detail(p, Problem::Conflict, d.to_string()));
            }
        }
        errors
    }
}

#[derive(Deserialize)]
struct ShippedFile {
    years: Vec<YearSchedule>,
}

/// How DingTalk's holiday API types a listed day (`holidayType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DingTalkHolidayType {
    /// `festival`: a statutory holiday.
    Festival,
    /// `rest`: a rest day.
    Rest,
    /// `overtime`: a make-up workday (调休).
    Overtime,
    /// Anything else: ignored.
    #[serde(other)]
    Other,
}

impl DingTalkHolidayType {
    /// Reads DingTalk's `holidayType`.
    pub fn from_name(name: &str) -> DingTalkHolidayType {
        match name {
            "festival" => DingTalkHolidayType::Festival,
            "rest" => DingTalkHolidayType::Rest,
            "overtime" => DingTalkHolidayType::Overtime,
            _ => DingTalkHolidayType::Other,
        }
    }
}

/// Per-date index of one year's schedule.
#[derive(Debug, Clone, Default)]
struct YearIndex {
    holidays: BTreeMap<NaiveDate, usize>,
    makeup: BTreeSet<NaiveDate>,
}

/// An organisation's calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: Tz,
    years: BTreeMap<i32, (YearSchedule, YearIndex)>,
    /// Ranges DingTalk answered for, and the days it listed in them.
    org_ranges: Vec<(NaiveDate, NaiveDate)>,
    org_days: BTreeMap<NaiveDate, DayType>,
}

impl Calendar {
    /// Weekends only, in `tz`.
    pub fn weekends_only(tz: Tz) -> Calendar {
        Calendar {
            tz,
            years: BTreeMap::new(),
            org_ranges: Vec::new(),
            org_days: BTreeMap::new(),
        }
    }

    /// China's calendar as shipped, in Asia/Shanghai.
    pub fn china() -> Result<Calendar, RulesError> {
        Calendar::china_in(chrono_tz::Asia::Shanghai)
    }

    /// China's calendar as shipped, for an organisation in `tz`.
    pub fn china_in(tz: Tz) -> Result<Calendar, RulesError> {
        let file: ShippedFile = serde_json::from_str(CN_HOLIDAYS_JSON)?;
        let mut calendar = Calendar::weekends_only(tz);
        for year in file.years {
            calendar.set_year(year)?;
        }
        Ok(calendar)
    }

    /// Reads a tz database name (`Asia/Shanghai`).
    pub fn parse_time_zone(name: &str) -> Result<Tz, RulesError> {
        name.trim()
            .parse::<Tz>()
            .map_err(|_| RulesError::UnknownTimeZone(name.to_owned()))
    }

    /// The organisation's time zone.
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// Replaces one year's schedule (an admin's edit, or shipped data);
    /// refused with field errors if a date is outside the year or both a
    /// holiday and a make-up workday.
    pub fn set_year(&mut self, schedule: YearSchedule) -> Result<(), RulesError> {
        let errors = schedule.validate();
        if !errors.is_empty() {
            return Err(RulesError::Invalid(errors));
        }
        let mut index = YearIndex::default();
        for (i, h) in schedule.holidays.iter().enumerate() {
            for d in h.from.iter_days().take_while(|d| *d <= h.to) {
                index.holidays.insert(d, i);
            }
        }
        index
            .makeup
            .extend(schedule.makeup_workdays.iter().copied());
        self.years.insert(schedule.year, (schedule, index));
        Ok(())
    }

    /// The schedule of `year`, if the calendar has one.
    pub fn year(&self, year: i32) -> Option<&YearSchedule> {
        self.years.get(&year).map(|(s, _)| s)
    }

    /// Every year with a schedule.
    pub fn years(&self) -> impl Iterator<Item = &YearSchedule> {
        self.years.values().map(|(s, _)| s)
    }

    /// Applies one answer of DingTalk's holiday API covering `first..=last`:
    /// inside that range a listed `festival` is a statutory holiday, `rest` a
    /// rest day, `overtime` a make-up workday, and an unlisted day a workday
    /// (the same reading as the DingTalk connector's `plan::WorkCalendar`).
    /// Later answers replace earlier ones where they overlap. An answer for
    /// a week or more that lists no day at all is refused: it would turn
    /// every weekend into a workday.
    pub fn apply_dingtalk(
        &mut self,
        first: NaiveDate,
        last: NaiveDate,
        listed: impl IntoIterator<Item = (i64, DingTalkHolidayType)>,
    ) -> Result<(), RulesError> {
        if last < first {
            return Err(RulesError::Invalid(vec![FieldError::new(
                "last",
                Problem::EmptyWindow,
            )]));
        }
        let mut days = BTreeMap::new();
        for (work_date_ms, kind) in listed {
            let Some(date) = self.local_date(work_date_ms) else {
                continue;
            };
            if date < first || date > last {
                continue;
            }
            let day_type = match kind {
                DingTalkHolidayType::Festival => DayType::StatutoryHoliday,
                DingTalkHolidayType::Rest => DayType::RestDay,
                DingTalkHolidayType::Overtime => DayType::MakeupWorkday,
                DingTalkHolidayType::Other => continue,
            };
            days.insert(date, day_type);
        }
        if days.is_empty() && (last - first).num_days() >= 6 {
            return Err(RulesError::Invalid(vec![FieldError::with_detail(
                "holidays",
                Problem::Required,
                format!("DingTalk listed no rest day from {first} to {last}"),
            )]));
        }
        // The new answer replaces what earlier answers said in its range.
        let stale: Vec<NaiveDate> = self.org_days.range(first..=last).map(|(d, _)| *d).collect();
        for d in stale {
            self.org_days.remove(&d);
        }
        self.org_days.extend(days);
        self.org_ranges.push((first, last));
        Ok(())
    }

    /// The kind of `date` for this organisation.
    pub fn day_type(&self, date: NaiveDate) -> DayType {
        if self
            .org_ranges
            .iter()
            .any(|(a, b)| *a <= date && date <= *b)
        {
            return self
                .org_days
                .get(&date)
                .copied()
                .unwrap_or(DayType::Workday);
        }
        if let Some((_, index)) = self.years.get(&date.year()) {
            if index.holidays.contains_key(&date) {
                return DayType::StatutoryHoliday;
            }
            if index.makeup.contains(&date) {
                return DayType::MakeupWorkday;
            }
        }
        match date.weekday() {
            Weekday::Sat | Weekday::Sun => DayType::RestDay,
            _ => DayType::Workday,
        }
    }

    /// The holiday's name when `date` is in a holiday period of the year's
    /// schedule.
    pub fn holiday_name(&self, date: NaiveDate) -> Option<&str> {
        let (schedule, index) = self.years.get(&date.year())?;
        let i = *index.holidays.get(&date)?;
        schedule.holidays.get(i).map(|h| h.name.as_str())
    }

    /// The local date of an epoch-ms instant (DingTalk's `workDate`).
    pub fn local_date(&self, epoch_ms: i64) -> Option<NaiveDate> {
        self.local_datetime(epoch_ms).map(|t| t.date())
    }

    /// The local date-time of an epoch-ms instant.
    pub fn local_datetime(&self, epoch_ms: i64) -> Option<NaiveDateTime> {
        self.tz
            .timestamp_millis_opt(epoch_ms)
            .single()
            .map(|t| t.naive_local())
    }

    /// Local midnight of `date` in epoch ms (the first instant of the day
    /// when a time-zone change skips midnight).
    pub fn day_start_ms(&self, date: NaiveDate) -> Option<i64> {
        let midnight = date.and_hms_opt(0, 0, 0)?;
        self.tz
            .from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.timestamp_millis())
    }
}

#[cfg(test)]
mod tests;
