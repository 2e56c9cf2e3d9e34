//! One person-day's outcome, derived on demand as a pure function of
//! (seed, person, date): nothing is stored, so any company size costs
//! O(people) memory.
//!
//! Multi-day episodes (business trips, leave of 2–3 days) are drawn per
//! person-week and stay inside Monday–Friday; everything else is drawn per
//! person-day.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::rngs::StdRng;
use rand::Rng;

use super::rng::{hash, rng, Stream};
use super::types::Person;
use crate::calendar::{Calendar, DayKind};

/// Scheduled on-duty and off-duty times.
pub const ON_DUTY: (u32, u32) = (9, 0);
pub const OFF_DUTY: (u32, u32) = (18, 0);

/// What an approval form is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Overtime,
    Trip,
    Outing,
    Leave(&'static str),
}

/// A generated, finished approval form.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    /// `day` or `hour`.
    pub unit: &'static str,
    /// Days or hours, by `unit`.
    pub duration: f64,
    pub begin: NaiveDateTime,
    pub end: NaiveDateTime,
    pub approve_id: i64,
}

/// One scheduled check point's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub time_result: &'static str,
    pub source_type: &'static str,
    pub location_result: &'static str,
    /// Seconds from the scheduled time to the punch; `None` = no punch.
    pub offset_secs: Option<i64>,
    /// Index into the day's forms when the result comes from an approval.
    pub form: Option<usize>,
}

/// Everything that happened to one person on one date.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DayOutcome {
    /// On-duty and off-duty results (working days only).
    pub checks: Option<[Check; 2]>,
    pub forms: Vec<Form>,
    /// A second on-duty punch a few minutes after the first.
    pub duplicate_punch: bool,
    /// An extra punch rejected by the security check.
    pub invalid_punch: bool,
    /// Punches around rest-day overtime (not in `attendance/list`).
    pub rest_punches: Option<(NaiveDateTime, NaiveDateTime)>,
}

/// The generator's parameters.
#[derive(Debug, Clone)]
pub struct DayGen {
    pub seed: u64,
    pub calendar: Calendar,
    pub first_day: NaiveDate,
    /// Last day with data (the end of the period, or today if earlier).
    pub last_day: NaiveDate,
}

/// Days since 2000-01-01, used in ids.
pub fn day_number(date: NaiveDate) -> u64 {
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    (date - epoch).num_days().rem_euclid(100_000) as u64
}

/// A stable approval id: person, first day and which form of that day.
pub fn approve_id(index: usize, begin: NaiveDate, slot: u64) -> i64 {
    let key = (index as u64 * 100_000 + day_number(begin)) * 8 + slot;
    7_000_000_000_000 + (key % 1_000_000_000_000) as i64
}

/// A UUID-shaped process-instance id derived from an approval id.
pub fn proc_inst_id(approve_id: i64) -> String {
    let h1 = hash(&[approve_id as u64, 1]);
    let h2 = hash(&[approve_id as u64, 2]);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        h1 >> 32,
        (h1 >> 16) & 0xffff,
        h1 & 0xfff,
        0x8000 | ((h2 >> 48) & 0x3fff),
        h2 & 0xffff_ffff_ffff
    )
}

fn at(date: NaiveDate, (h, m): (u32, u32)) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))
}

const FULL_DAY_LEAVES: &[(&str, &str, f64)] = &[
    // (type, unit, weight)
    ("年假", "day", 0.40),
    ("事假", "hour", 0.25),
    ("病假", "day", 0.25),
    ("调休", "hour", 0.10),
];
const PART_DAY_LEAVES: &[&str] = &["事假", "调休", "病假"];

impl DayGen {
    fn active(&self, person: &Person, date: NaiveDate) -> bool {
        self.first_day <= date && date <= self.last_day && person.employed_on(date)
    }

    /// The outcome of `person` on `date` (empty outside employment or the period).
    pub fn outcome(&self, person: &Person, date: NaiveDate) -> DayOutcome {
        if !self.active(person, date) {
            return DayOutcome::default();
        }
        let kind = self.calendar.kind(date);
        let mut r = rng(&[
            self.seed,
            Stream::Day as u64,
            person.index as u64,
            day_number(date),
        ]);
        let episode = self
            .week_episode(person, date)
            .filter(|f| f.begin.date() <= date && date <= f.end.date());
        if !kind.is_working() {
            let mut out = DayOutcome {
                forms: episode.into_iter().collect(),
                ..DayOutcome::default()
            };
            if matches!(kind, DayKind::Rest | DayKind::Festival) {
                self.rest_overtime(&mut r, person, date, &mut out);
            }
            return out;
        }
        match episode {
            Some(form) => {
                let approve = |offset| Check {
                    time_result: "Normal",
                    source_type: "APPROVE",
                    location_result: "Normal",
                    offset_secs: Some(offset),
                    form: Some(0),
                };
                DayOutcome {
                    checks: Some([approve(0), approve(0)]),
                    forms: vec![form],
                    ..DayOutcome::default()
                }
            }
            None => self.ordinary_day(&mut r, person, date),
        }
    }

    /// The multi-day episode of the week holding `date`, if any.
    pub fn week_episode(&self, person: &Person, date: NaiveDate) -> Option<Form> {
        let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
        let mut r = rng(&[
            self.seed,
            Stream::Week as u64,
            person.index as u64,
            day_number(monday),
        ]);
        let x: f64 = r.gen();
        let (kind, len) = if x < 0.03 {
            (FormKind::Trip, r.gen_range(2..=5))
        } else if x < 0.04 {
            let leave = if r.gen_bool(0.1) { "婚假" } else { "年假" };
            (FormKind::Leave(leave), r.gen_range(2..=3))
        } else {
            return None;
        };
        let start = monday + Duration::days(r.gen_range(0..=(5 - len)));
        let end = start + Duration::days(len - 1);
        let days: Vec<NaiveDate> = start.iter_days().take(len as usize).collect();
        if !days.iter().all(|d| self.active(person, *d)) {
            return None;
        }
        let working = days
            .iter()
            .filter(|d| self.calendar.kind(**d).is_working())
            .count();
        if working == 0 {
            return None;
        }
        Some(Form {
            kind,
            unit: "day",
            duration: working as f64,
            begin: at(start, ON_DUTY),
            end: at(end, OFF_DUTY),
            approve_id: approve_id(person.index, start, 0),
        })
    }

    fn rest_overtime(
        &self,
        r: &mut StdRng,
        person: &Person,
        date: NaiveDate,
        out: &mut DayOutcome,
    ) {
        if !r.gen_bool(0.02) {
            return;
        }
        let hours: i64 = r.gen_range(4..=8);
        let begin = at(date, (r.gen_range(9..=10), 0));
        let end = begin + Duration::hours(hours);
        out.forms.push(Form {
            kind: FormKind::Overtime,
            unit: "hour",
            duration: hours as f64,
            begin,
            end,
            approve_id: approve_id(person.index, date, 4),
        });
        out.rest_punches = Some((
            begin - Duration::minutes(r.gen_range(5..=20)),
            end + Duration::minutes(r.gen_range(1..=15)),
        ));
    }

    fn ordinary_day(&self, r: &mut StdRng, person: &Person, date: NaiveDate) -> DayOutcome {
        let mut out = DayOutcome::default();
        let mut on = punched(r, "Normal", -1_800..=-60);
        let mut off = punched(r, "Normal", 0..=2_700);
        let mut worked = true;
        let x: f64 = r.gen();
        match x {
            x if x < 0.855 => {}
            x if x < 0.905 => on = punched(r, "Late", 60..=1_800),
            x if x < 0.915 => on = punched(r, "SeriousLate", 1_801..=5_400),
            x if x < 0.945 => off = punched(r, "Early", -3_600..=-60),
            x if x < 0.965 => {
                if r.gen_bool(0.5) {
                    on = not_signed();
                } else {
                    off = not_signed();
                }
            }
            x if x < 0.975 => {
                worked = false;
                off = not_signed();
                on = if r.gen_bool(0.7) {
                    not_signed()
                } else {
                    punched(r, "Absenteeism", 5_401..=9_000)
                };
            }
            x if x < 0.985 => {
                worked = false;
                let (name, unit) = pick_full_day_leave(r);
                out.forms.push(Form {
                    kind: FormKind::Leave(name),
                    unit,
                    duration: if unit == "day" { 1.0 } else { 8.0 },
                    begin: at(date, ON_DUTY),
                    end: at(date, OFF_DUTY),
                    approve_id: approve_id(person.index, date, 1),
                });
                on = approved(0);
                off = approved(0);
            }
            _ => {
                let hours: i64 = r.gen_range(2..=4);
                let kind = if x < 0.995 {
                    FormKind::Leave(PART_DAY_LEAVES[r.gen_range(0..PART_DAY_LEAVES.len())])
                } else {
                    FormKind::Outing
                };
                let morning = r.gen_bool(0.5);
                let (begin, end) = if morning {
                    let b = at(date, ON_DUTY);
                    (b, b + Duration::hours(hours))
                } else {
                    let e = at(date, OFF_DUTY);
                    (e - Duration::hours(hours), e)
                };
                out.forms.push(Form {
                    kind,
                    unit: "hour",
                    duration: hours as f64,
                    begin,
                    end,
                    approve_id: approve_id(person.index, date, 2),
                });
                if morning {
                    on = approved(0);
                } else {
                    off = approved(0);
                }
            }
        }
        if worked && off.offset_secs.is_some() && r.gen_bool(0.05) {
            let hours: i64 = r.gen_range(1..=3);
            let begin = at(date, OFF_DUTY) + Duration::minutes(30);
            out.forms.push(Form {
                kind: FormKind::Overtime,
                unit: "hour",
                duration: hours as f64,
                begin,
                end: begin + Duration::hours(hours),
                approve_id: approve_id(person.index, date, 3),
            });
            if off.source_type != "APPROVE" {
                off.offset_secs = Some(1_800 + hours * 3_600 + r.gen_range(60..=600));
            }
        }
        out.duplicate_punch = on.source_type == "USER" && r.gen_bool(0.03);
        out.invalid_punch = on.offset_secs.is_some() && r.gen_bool(0.005);
        out.checks = Some([on, off]);
        out
    }
}

fn punched(
    r: &mut StdRng,
    time_result: &'static str,
    offset: std::ops::RangeInclusive<i64>,
) -> Check {
    Check {
        time_result,
        offset_secs: Some(r.gen_range(offset)),
        source_type: if r.gen_bool(0.9) { "USER" } else { "ATM" },
        location_result: if r.gen_bool(0.02) {
            "Outside"
        } else {
            "Normal"
        },
        form: None,
    }
}

fn not_signed() -> Check {
    Check {
        time_result: "NotSigned",
        source_type: "SYSTEM",
        location_result: "NotSigned",
        offset_secs: None,
        form: None,
    }
}

fn approved(form: usize) -> Check {
    Check {
        time_result: "Normal",
        source_type: "APPROVE",
        location_result: "Normal",
        offset_secs: Some(0),
        form: Some(form),
    }
}

/// A full-day leave type and its unit, by weight.
fn pick_full_day_leave(r: &mut StdRng) -> (&'static str, &'static str) {
    let mut x = r.gen::<f64>();
    for (name, unit, weight) in FULL_DAY_LEAVES {
        x -= weight;
        if x < 0.0 {
            return (name, unit);
        }
    }
    ("年假", "day")
}
