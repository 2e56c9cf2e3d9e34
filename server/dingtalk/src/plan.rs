//! Sync planning: which calls to make so that pulling N people × D days costs
//! the fewest billable calls, and what a month at the current schedule will
//! cost against the quota.
//!
//! Pure functions over plain data; the client executes the plan.
//!
//! The cost model (reference §5, §10):
//! - `attendance/list` answers ≤ 50 users × ≤ 7 days per window, in pages of
//!   ≤ 50 records; every (batch, window) costs at least one call even when
//!   empty. A window therefore never starts or ends on a day without work,
//!   and never covers only rest days.
//! - `getleavestatus` answers ≤ 100 users × ≤ 180 days in pages of ≤ 20.
//! - `getupdatedata` costs one call per person-day: it is used only for the
//!   days an approval touches, once per approval form (its answer names the
//!   form's whole span).
//! - `v1.0/attendance/holidays` is called once per range for a sample of
//!   users: the calendar is the organisation's.

use chrono::{Days, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

use crate::model::{local_date, Holiday, HolidayType};

/// The batch and window limits DingTalk enforces. The values marked
/// unconfirmed in the reference are the stated defaults; change them here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub attendance_users: usize,
    /// Calendar days per `attendance/list` call, inclusive (D..D+6).
    pub attendance_days: u64,
    pub attendance_page: usize,
    pub leave_users: usize,
    pub leave_days: u64,
    pub leave_page: usize,
    pub holiday_users: usize,
    pub record_users: usize,
    pub record_days: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            attendance_users: 50,
            attendance_days: 7,
            attendance_page: 50,
            leave_users: 100,
            leave_days: 180,
            leave_page: 20,
            holiday_users: 50,
            record_users: 50,
            record_days: 7,
        }
    }
}

/// An inclusive range of local dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayWindow {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DayWindow {
    pub fn days(&self) -> u64 {
        (self.last - self.first).num_days().max(0) as u64 + 1
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }
}

/// Splits `first..=last` into consecutive windows of at most `max_days`.
pub fn windows(first: NaiveDate, last: NaiveDate, max_days: u64) -> Vec<DayWindow> {
    let max_days = max_days.max(1);
    let mut out = Vec::new();
    let mut start = first;
    while start <= last {
        let end = start
            .checked_add_days(Days::new(max_days - 1))
            .map_or(last, |e| e.min(last));
        out.push(DayWindow {
            first: start,
            last: end,
        });
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

/// Windows of at most `max_days` that cover every working day in
/// `first..=last`, start and end on a working day, and skip stretches with no
/// working day at all (weekends, the Spring Festival week). Rest days between
/// two working days of one window are covered for free.
pub fn work_windows(
    first: NaiveDate,
    last: NaiveDate,
    max_days: u64,
    is_workday: impl Fn(NaiveDate) -> bool,
) -> Vec<DayWindow> {
    let max_days = max_days.max(1);
    let mut out = Vec::new();
    let mut day = first;
    while day <= last {
        if !is_workday(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
            continue;
        }
        let limit = day
            .checked_add_days(Days::new(max_days - 1))
            .map_or(last, |e| e.min(last));
        let mut end = day;
        let mut probe = day;
        while probe <= limit {
            if is_workday(probe) {
                end = probe;
            }
            match probe.succ_opt() {
                Some(next) => probe = next,
                None => break,
            }
        }
        out.push(DayWindow {
            first: day,
            last: end,
        });
        match limit.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// Which days are working days, from DingTalk's holiday calendar
/// (`v1.0/attendance/holidays`): a listed festival or rest day is off, a
/// listed make-up workday (调休) is on, and an unlisted day is a working day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    off: BTreeSet<NaiveDate>,
    makeup: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    pub fn from_holidays<'a>(holidays: impl IntoIterator<Item = &'a Holiday>) -> Self {
        let mut calendar = WorkCalendar::default();
        for h in holidays {
            let Some(day) = local_date(h.work_date) else {
                continue;
            };
            match h.holiday_type {
                HolidayType::Festival | HolidayType::Rest => {
                    calendar.off.insert(day);
                }
                HolidayType::Overtime => {
                    calendar.makeup.insert(day);
                }
                HolidayType::Other => {}
            }
        }
        calendar
    }

    pub fn is_workday(&self, day: NaiveDate) -> bool {
        self.makeup.contains(&day) || !self.off.contains(&day)
    }
}

/// Calls needed to read `records` items in pages of `page` (at least one).
pub fn pages(records: usize, page: usize) -> u64 {
    let page = page.max(1);
    records.div_ceil(page).max(1) as u64
}

/// What one pull of N people over a date range costs, by API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallEstimate {
    pub attendance: u64,
    pub leave: u64,
    pub day_details: u64,
    pub holidays: u64,
}

impl CallEstimate {
    pub fn total(&self) -> u64 {
        self.attendance + self.leave + self.day_details + self.holidays
    }
}

/// The expected shape of the data, from the last pull or a default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Workload {
    pub people: usize,
    /// Check points per person per working day (normally 2: on and off duty).
    pub checkpoints_per_day: f64,
    /// Leave entries per person per working day.
    pub leave_per_person_day: f64,
    /// Approval forms (leave, trip, overtime) per person per working day.
    pub forms_per_person_day: f64,
}

impl Workload {
    pub fn typical(people: usize) -> Self {
        Workload {
            people,
            checkpoints_per_day: 2.0,
            leave_per_person_day: 0.01,
            forms_per_person_day: 0.02,
        }
    }
}

/// Calls the planner will make for `workload` over `windows` (from
/// [`work_windows`]), given which days are working days.
pub fn estimate(
    limits: &Limits,
    workload: &Workload,
    windows: &[DayWindow],
    is_workday: impl Fn(NaiveDate) -> bool,
) -> CallEstimate {
    if workload.people == 0 || windows.is_empty() {
        return CallEstimate::default();
    }
    let per_batch = limits.attendance_users.max(1);
    let full_batches = workload.people / per_batch;
    let last_batch = workload.people % per_batch;
    let mut attendance = 0u64;
    let mut workdays = 0usize;
    for window in windows {
        let days = working_days(*window, &is_workday);
        workdays += days;
        let records = |users: usize| {
            (users as f64 * days as f64 * workload.checkpoints_per_day).ceil() as usize
        };
        attendance += full_batches as u64 * pages(records(per_batch), limits.attendance_page);
        if last_batch > 0 {
            attendance += pages(records(last_batch), limits.attendance_page);
        }
    }

    let leave_batches = workload.people.div_ceil(limits.leave_users.max(1)) as u64;
    let span_days = windows
        .first()
        .zip(windows.last())
        .map_or(0, |(a, b)| (b.last - a.first).num_days().max(0) as u64 + 1);
    let leave_windows = span_days.div_ceil(limits.leave_days.max(1)).max(1);
    let leave_entries = workload.people as f64 * workdays as f64 * workload.leave_per_person_day;
    let per_leave_batch = leave_entries / (leave_batches * leave_windows) as f64;
    let leave =
        leave_batches * leave_windows * pages(per_leave_batch.ceil() as usize, limits.leave_page);

    let day_details =
        (workload.people as f64 * workdays as f64 * workload.forms_per_person_day).ceil() as u64;
    CallEstimate {
        attendance,
        leave,
        day_details,
        holidays: 1,
    }
}

/// Working days in `window`.
pub fn working_days(window: DayWindow, is_workday: impl Fn(NaiveDate) -> bool) -> usize {
    window
        .first
        .iter_days()
        .take_while(|d| *d <= window.last)
        .filter(|d| is_workday(*d))
        .count()
}

/// The fewest billable calls any plan could use to read `records` punch
/// results, `leave_entries` leave entries for `people` people and
/// `forms` approval forms: every page full, every leave batch used.
pub fn lower_bound(
    limits: &Limits,
    people: usize,
    records: usize,
    leave_entries: usize,
    forms: usize,
) -> u64 {
    let attendance = records.div_ceil(limits.attendance_page.max(1)) as u64;
    let leave_batches = people.div_ceil(limits.leave_users.max(1)) as u64;
    let leave = (leave_entries.div_ceil(limits.leave_page.max(1)) as u64).max(leave_batches);
    attendance + leave + forms as u64 + 1
}

/// The person-days whose approvals must be read with `getupdatedata`: one per
/// approval form (the earliest day it touches), plus days flagged by events.
/// `linked` holds (userid, day, form id) from punch results tied to a form.
pub fn approval_days<'a>(
    linked: impl IntoIterator<Item = (&'a str, NaiveDate, &'a str)>,
    flagged: impl IntoIterator<Item = (&'a str, NaiveDate)>,
) -> Vec<(String, NaiveDate)> {
    let mut first_day: BTreeMap<(&str, &str), NaiveDate> = BTreeMap::new();
    for (user, day, form) in linked {
        first_day
            .entry((user, form))
            .and_modify(|d| *d = (*d).min(day))
            .or_insert(day);
    }
    let mut days: Vec<(String, NaiveDate)> = first_day
        .into_iter()
        .map(|((user, _), day)| (user.to_owned(), day))
        .chain(flagged.into_iter().map(|(u, d)| (u.to_owned(), d)))
        .collect();
    days.sort();
    days.dedup();
    days
}

/// The month's forecast: what has been used plus what the remaining
/// scheduled runs will cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthForecast {
    pub used: u64,
    pub forecast: u64,
    pub quota: u64,
}

impl MonthForecast {
    pub fn over_quota(&self) -> bool {
        self.quota > 0 && self.forecast > self.quota
    }
}

/// `runs_left` scheduled runs remain this month, each costing about `per_run`.
pub fn forecast_month(used: u64, runs_left: u64, per_run: u64, quota: u64) -> MonthForecast {
    MonthForecast {
        used,
        forecast: used.saturating_add(runs_left.saturating_mul(per_run)),
        quota,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn weekday(day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    #[test]
    fn windows_cover_the_range_in_chunks_of_seven() {
        let w = windows(d("2026-03-01"), d("2026-03-31"), 7);
        assert_eq!(w.len(), 5);
        assert_eq!(w[0].first, d("2026-03-01"));
        assert_eq!(w[0].last, d("2026-03-07"));
        assert_eq!(w[4].first, d("2026-03-29"));
        assert_eq!(w[4].last, d("2026-03-31"));
        for pair in w.windows(2) {
            assert_eq!(pair[0].last.succ_opt(), Some(pair[1].first));
        }
        assert!(w.iter().all(|x| x.days() <= 7));
    }

    #[test]
    fn a_single_day_is_one_window() {
        let w = windows(d("2026-03-02"), d("2026-03-02"), 7);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].days(), 1);
    }

    #[test]
    fn an_empty_range_has_no_windows() {
        assert!(windows(d("2026-03-02"), d("2026-03-01"), 7).is_empty());
    }

    #[test]
    fn work_windows_skip_weekends_and_start_on_a_workday() {
        // March 2026: the 1st is a Sunday, the 31st a Tuesday.
        let w = work_windows(d("2026-03-01"), d("2026-03-31"), 7, weekday);
        assert_eq!(w[0].first, d("2026-03-02"));
        assert_eq!(w[0].last, d("2026-03-06"));
        assert!(w.iter().all(|x| weekday(x.first) && weekday(x.last)));
        assert!(w.iter().all(|x| x.days() <= 7));
        // Every workday is covered exactly once.
        let mut day = d("2026-03-01");
        while day <= d("2026-03-31") {
            let hits = w.iter().filter(|x| x.contains(day)).count();
            assert_eq!(hits, usize::from(weekday(day)), "{day}");
            day = day.succ_opt().expect("date");
        }
    }

    #[test]
    fn a_range_of_rest_days_needs_no_window() {
        let w = work_windows(d("2026-03-07"), d("2026-03-08"), 7, weekday);
        assert!(w.is_empty());
    }

    #[test]
    fn a_long_holiday_is_skipped() {
        // 2026-02-14..22 as a nine-day break.
        let holiday = |day: NaiveDate| day >= d("2026-02-14") && day <= d("2026-02-22");
        let w = work_windows(d("2026-02-09"), d("2026-02-27"), 7, |day| {
            weekday(day) && !holiday(day)
        });
        assert!(w
            .iter()
            .all(|x| x.last < d("2026-02-14") || x.first > d("2026-02-22")));
        assert_eq!(w.len(), 2);
    }

    #[test]
    fn pages_round_up_and_never_drop_to_zero() {
        assert_eq!(pages(0, 50), 1);
        assert_eq!(pages(50, 50), 1);
        assert_eq!(pages(51, 50), 2);
        assert_eq!(pages(700, 50), 14);
    }

    #[test]
    fn a_month_for_five_thousand_people_fits_the_lower_bound() {
        let limits = Limits::default();
        let w = work_windows(d("2026-03-01"), d("2026-03-31"), 7, weekday);
        let workdays: usize = w.iter().map(|x| working_days(*x, weekday)).sum();
        assert_eq!(workdays, 22);
        let load = Workload::typical(5000);
        let est = estimate(&limits, &load, &w, weekday);
        // 5000 people × 22 days × 2 check points in pages of 50.
        assert_eq!(est.attendance, 4400);
        let records = 5000 * workdays * 2;
        let leave = (5000.0 * 22.0 * load.leave_per_person_day) as usize;
        let forms = (5000.0 * 22.0 * load.forms_per_person_day) as usize;
        let bound = lower_bound(&limits, 5000, records, leave, forms);
        assert!(
            est.total() as f64 <= bound as f64 * 1.05,
            "{est:?} vs {bound}"
        );
    }

    #[test]
    fn one_form_over_several_days_is_read_once() {
        let linked = vec![
            ("u1", d("2026-03-03"), "trip-1"),
            ("u1", d("2026-03-02"), "trip-1"),
            ("u1", d("2026-03-04"), "trip-1"),
            ("u2", d("2026-03-02"), "leave-9"),
        ];
        let flagged = vec![("u1", d("2026-03-02")), ("u3", d("2026-03-07"))];
        let days = approval_days(linked, flagged);
        assert_eq!(
            days,
            vec![
                ("u1".to_owned(), d("2026-03-02")),
                ("u2".to_owned(), d("2026-03-02")),
                ("u3".to_owned(), d("2026-03-07")),
            ]
        );
    }

    #[test]
    fn the_calendar_follows_dingtalks_holiday_list() {
        use crate::model::day_start_ms;
        let listed = |day: &str, kind: HolidayType| Holiday {
            work_date: day_start_ms(d(day)),
            holiday_name: None,
            holiday_type: kind,
            real_work_date: None,
        };
        let list = [
            listed("2026-10-01", HolidayType::Festival),
            listed("2026-10-03", HolidayType::Rest),
            listed("2026-10-10", HolidayType::Overtime),
            listed("2026-10-11", HolidayType::Other),
        ];
        let calendar = WorkCalendar::from_holidays(&list);
        assert!(!calendar.is_workday(d("2026-10-01")), "festival");
        assert!(!calendar.is_workday(d("2026-10-03")), "rest day");
        assert!(
            calendar.is_workday(d("2026-10-10")),
            "make-up workday on a Saturday"
        );
        assert!(
            calendar.is_workday(d("2026-10-11")),
            "unknown kinds change nothing"
        );
        assert!(calendar.is_workday(d("2026-10-12")), "unlisted");
    }

    #[test]
    fn the_forecast_adds_the_remaining_runs() {
        let f = forecast_month(1200, 10, 300, 5000);
        assert_eq!(f.forecast, 4200);
        assert!(!f.over_quota());
        assert!(forecast_month(1200, 20, 300, 5000).over_quota());
        assert!(
            !forecast_month(9_999, 1, 1, 0).over_quota(),
            "0 means no quota"
        );
    }
}
