//! Person-days from DingTalk data as it arrives: batches of punch results
//! (with duplicates, other days and other people) and approval forms.
//!
//! - A record counts for the person and the **local** date of its
//!   `workDate`; a record id counts once. A missing OnDuty or OffDuty
//!   record is `NotSigned`. With several check points of one kind on a day
//!   (multi-shift schedules) the earliest OnDuty and the latest OffDuty
//!   count.
//! - A form counts once per person (by `procInst_id`, or by its whole content
//!   when it has none). A `day`-unit form gives a standard day (8 h) on every
//!   date from its begin date to its end date — except a form of less than
//!   one day on a single date, which gives that fraction of a day. An
//!   `hour`-unit form (and one of an unknown unit) gives its duration on its
//!   begin date (without a duration: the time between begin and end). A
//!   `halfDay`-unit form gives duration × half a day, filled in date by date
//!   from the begin date at most a standard day per date.
//! - `biz_type` 1 is overtime, 2 a business trip (an outing when `tag_name`
//!   says 外出), 3 leave of type `sub_type`; other types are ignored.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Days, NaiveDate};

use crate::calendar::Calendar;
use crate::dingtalk_format::{parse_local_time, ApproveItem, RecordResult};
use crate::hours::Hours;
use crate::model::{
    ApprovalKind, DayApproval, DayAttendance, Person, PersonDay, PunchTime, TimeResult,
};

/// The longest span one form is spread over (a year), so a malformed form
/// cannot make the loader loop for ages.
const MAX_FORM_DAYS: u64 = 366;

/// How forms in day units become hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayUnits {
    /// Hours of one `day` (8 h).
    pub day: Hours,
}

impl Default for DayUnits {
    fn default() -> Self {
        DayUnits {
            day: Hours::from_hours(8),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Check {
    result: TimeResult,
    at: Option<PunchTime>,
    /// Scheduled time, for choosing among several check points.
    base: i64,
}

#[derive(Debug, Clone, Copy, Default)]
struct DayChecks {
    on: Option<Check>,
    off: Option<Check>,
}

/// Punch results and approval forms of any number of people and days.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    units: DayUnits,
    seen_records: HashSet<i64>,
    checks: HashMap<String, BTreeMap<NaiveDate, DayChecks>>,
    forms: HashMap<String, Vec<ApproveItem>>,
    /// (userid, date) → that day's share of every form.
    approvals: HashMap<String, BTreeMap<NaiveDate, Vec<DayApproval>>>,
}

impl Batch {
    /// An empty batch.
    pub fn new(units: DayUnits) -> Batch {
        Batch {
            units,
            ..Batch::default()
        }
    }

    /// Adds punch results; returns how many were new (not seen by id).
    pub fn add_records<'a>(
        &mut self,
        calendar: &Calendar,
        records: impl IntoIterator<Item = &'a RecordResult>,
    ) -> usize {
        let mut added = 0;
        for r in records {
            if !self.seen_records.insert(r.id) {
                continue;
            }
            added += 1;
            let Some(date) = calendar.local_date(r.work_date) else {
                continue;
            };
            let at = r
                .user_check_time
                .and_then(|ms| calendar.local_datetime(ms))
                .and_then(|t| PunchTime::from_local(date, t));
            let check = Check {
                result: r.time_result,
                at,
                base: r.base_check_time.unwrap_or(r.work_date),
            };
            let day = self
                .checks
                .entry(r.user_id.clone())
                .or_default()
                .entry(date)
                .or_default();
            match r.check_type.as_str() {
                "OnDuty" if day.on.is_none_or(|c| check.base < c.base) => day.on = Some(check),
                "OffDuty" if day.off.is_none_or(|c| check.base > c.base) => day.off = Some(check),
                _ => {}
            }
        }
        added
    }

    /// Adds `userid`'s approval forms (a form already added is ignored).
    pub fn add_approvals<'a>(
        &mut self,
        userid: &str,
        forms: impl IntoIterator<Item = &'a ApproveItem>,
    ) {
        for form in forms {
            let known = self.forms.entry(userid.to_owned()).or_default();
            let duplicate = known
                .iter()
                .any(|k| match (&k.proc_inst_id, &form.proc_inst_id) {
                    (Some(a), Some(b)) => a == b,
                    _ => k == form,
                });
            if duplicate {
                continue;
            }
            known.push(form.clone());
            let days = self.approvals.entry(userid.to_owned()).or_default();
            for (date, approval) in spread(form, self.units) {
                days.entry(date).or_default().push(approval);
            }
        }
    }

    /// `userid`'s attendance on `date`.
    pub fn attendance(&self, calendar: &Calendar, userid: &str, date: NaiveDate) -> DayAttendance {
        let mut day = DayAttendance::empty(date, calendar.day_type(date));
        if let Some(checks) = self.checks.get(userid).and_then(|m| m.get(&date)) {
            if let Some(on) = checks.on {
                day.on_duty = on.result;
                day.on_duty_at = on.at;
            }
            if let Some(off) = checks.off {
                day.off_duty = off.result;
                day.off_duty_at = off.at;
            }
        }
        if let Some(list) = self.approvals.get(userid).and_then(|m| m.get(&date)) {
            day.approvals = list.clone();
        }
        day
    }

    /// `person`'s person-day on `date`.
    pub fn person_day(&self, calendar: &Calendar, person: &Person, date: NaiveDate) -> PersonDay {
        PersonDay {
            person: person.clone(),
            attendance: self.attendance(calendar, &person.userid, date),
        }
    }
}

/// The kind of a form, or `None` for a type the rules do not use.
pub fn approval_kind(form: &ApproveItem) -> Option<ApprovalKind> {
    match form.biz_type {
        1 => Some(ApprovalKind::Overtime),
        2 if form.tag_name.as_deref().is_some_and(|t| t.contains("外出")) => {
            Some(ApprovalKind::Outing)
        }
        2 => Some(ApprovalKind::BusinessTrip),
        3 => Some(ApprovalKind::Leave),
        _ => None,
    }
}

/// The dates a form touches and its hours on each.
pub fn spread(form: &ApproveItem, units: DayUnits) -> Vec<(NaiveDate, DayApproval)> {
    let Some(kind) = approval_kind(form) else {
        return Vec::new();
    };
    let Some(begin) = form.begin_time.as_deref().and_then(parse_local_time) else {
        return Vec::new();
    };
    let end = form.end_time.as_deref().and_then(parse_local_time);
    let first = begin.date();
    let last = end.map_or(first, |e| e.date()).max(first);
    let span = ((last - first).num_days().max(0) as u64 + 1).min(MAX_FORM_DAYS);
    let dates = (0..span).filter_map(|i| first.checked_add_days(Days::new(i)));
    let make = |hours: Hours| DayApproval {
        kind,
        leave_type: match kind {
            ApprovalKind::Leave => form.sub_type.clone().filter(|s| !s.trim().is_empty()),
            _ => None,
        },
        hours,
        form_id: form.proc_inst_id.clone(),
    };
    let duration = form.duration.map(Hours::at_least_zero);
    match form.duration_unit.as_deref() {
        Some("day") => {
            let per_day = match duration {
                Some(d) if span == 1 && d < Hours::from_hours(1) => {
                    // A fraction of a day on one date: that fraction of 8 h.
                    Hours::from_seconds(d.seconds().saturating_mul(units.day.seconds()) / 3600)
                }
                _ => units.day,
            };
            dates.map(|d| (d, make(per_day))).collect()
        }
        Some("halfDay") => {
            let half = units.day.seconds() / 2;
            let mut left = Hours::from_seconds(
                duration.map_or(0, |d| d.seconds()).saturating_mul(half) / 3600,
            );
            let mut out = Vec::new();
            let dates: Vec<NaiveDate> = dates.collect();
            for (i, d) in dates.iter().enumerate() {
                if left <= Hours::ZERO {
                    break;
                }
                let take = if i + 1 == dates.len() {
                    left
                } else {
                    left.min(units.day)
                };
                out.push((*d, make(take)));
                left = left.minus(take);
            }
            out
        }
        _ => {
            let hours = match (duration, end) {
                (Some(d), _) => d,
                (None, Some(e)) => {
                    Hours::from_seconds(e.signed_duration_since(begin).num_seconds())
                        .at_least_zero()
                }
                (None, None) => Hours::ZERO,
            };
            vec![(first, make(hours))]
        }
    }
}

#[cfg(test)]
mod tests;
