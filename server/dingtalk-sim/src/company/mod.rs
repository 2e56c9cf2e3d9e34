//! The simulated company: its directory, calendar and attendance data.
//!
//! A generated company stores only its directory; each person-day's
//! attendance is derived on demand from (seed, person, date). A company
//! loaded from a golden file serves that file's records and approvals as
//! they are.

mod build;
mod daygen;
mod directory;
mod golden;
mod identity;
mod leave;
mod rng;
mod types;

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::Path;

use chrono::{Duration, NaiveDate, NaiveDateTime};

pub use directory::ROOT_DEPT;
pub use golden::GoldenError;
pub use identity::{
    person_email, person_index, person_job_number, person_mobile, person_name, person_unionid,
    person_userid,
};
pub use types::{Approval, AttendanceRecord, Department, LeaveStatus, LeaveType, Person, Punch};

use crate::calendar::{china_datetime, china_ms, today_in_china, Calendar};
use crate::config::CompanySpec;
use daygen::{DayGen, DayOutcome};
use golden::GoldenData;

/// Where attendance data comes from.
#[derive(Debug, Clone)]
enum Source {
    Generated(DayGen),
    Golden(GoldenData),
}

/// A company: departments, people, calendar and attendance.
#[derive(Debug, Clone)]
pub struct Company {
    departments: Vec<Department>,
    people: Vec<Person>,
    by_userid: HashMap<String, usize>,
    calendar: Calendar,
    exception_titles: Vec<String>,
    first_day: NaiveDate,
    last_day: NaiveDate,
    today: NaiveDate,
    source: Source,
}

/// Order of check points within a day.
fn check_rank(check_type: &str) -> u8 {
    if check_type == "OnDuty" {
        0
    } else {
        1
    }
}

impl Company {
    /// Generates a company from the spec (deterministic for a seed and a
    /// "today"; data stops at today when the period reaches past it).
    pub fn generate(spec: &CompanySpec, org_name: &str) -> Company {
        Self::generate_as_of(spec, org_name, today_in_china())
    }

    /// As [`generate`](Self::generate) with an explicit "today".
    pub fn generate_as_of(spec: &CompanySpec, org_name: &str, today: NaiveDate) -> Company {
        let departments = directory::departments(org_name, spec.departments);
        let people = directory::people(spec, &departments);
        let gen = DayGen {
            seed: spec.seed,
            calendar: Calendar::china(),
            first_day: spec.first_day,
            last_day: spec.last_day.min(today),
        };
        Company::assemble(
            departments,
            people,
            gen.calendar.clone(),
            vec![
                "司机".to_owned(),
                "前台".to_owned(),
                "外勤工程师".to_owned(),
            ],
            (spec.first_day, spec.last_day),
            today,
            Source::Generated(gen),
        )
    }

    /// Loads a golden case file's JSON text as a company.
    pub fn from_golden(json: &str) -> Result<Company, GoldenError> {
        let loaded = golden::load(json, "星桥科技（模拟）")?;
        Ok(Company::assemble(
            loaded.departments,
            loaded.people,
            loaded.calendar,
            loaded.exception_titles,
            (loaded.first_day, loaded.last_day),
            today_in_china(),
            Source::Golden(loaded.data),
        ))
    }

    /// Loads a golden case file from disk.
    pub fn from_golden_file(path: impl AsRef<Path>) -> Result<Company, GoldenError> {
        Company::from_golden(&std::fs::read_to_string(path)?)
    }

    fn assemble(
        departments: Vec<Department>,
        people: Vec<Person>,
        calendar: Calendar,
        exception_titles: Vec<String>,
        (first_day, last_day): (NaiveDate, NaiveDate),
        today: NaiveDate,
        source: Source,
    ) -> Company {
        let by_userid = people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.userid.clone(), i))
            .collect();
        Company {
            departments,
            people,
            by_userid,
            calendar,
            exception_titles,
            first_day,
            last_day,
            today,
            source,
        }
    }

    /// Renames the root department (the organisation).
    pub fn set_org_name(&mut self, org_name: &str) {
        for d in &mut self.departments {
            if d.dept_id == ROOT_DEPT {
                d.name = org_name.to_owned();
            }
        }
    }

    pub fn people(&self) -> &[Person] {
        &self.people
    }

    pub fn departments(&self) -> &[Department] {
        &self.departments
    }

    pub fn person(&self, userid: &str) -> Option<&Person> {
        self.by_userid.get(userid).and_then(|i| self.people.get(*i))
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Titles whose lateness and early leave are waived by HR's rules.
    pub fn exception_titles(&self) -> &[String] {
        &self.exception_titles
    }

    /// The period with attendance data.
    pub fn period(&self) -> (NaiveDate, NaiveDate) {
        (self.first_day, self.last_day)
    }

    /// The "today" the directory was taken on.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// People in the directory today (hired, not gone).
    pub fn in_directory(&self, person: &Person) -> bool {
        directory::in_directory(person, self.today)
    }

    /// The department, if it exists.
    pub fn department(&self, dept_id: i64) -> Option<&Department> {
        self.departments.iter().find(|d| d.dept_id == dept_id)
    }

    /// Direct children of a department.
    pub fn child_departments(&self, dept_id: i64) -> Vec<&Department> {
        self.departments
            .iter()
            .filter(|d| d.parent_id == Some(dept_id))
            .collect()
    }

    /// People directly in a department who are in the directory today.
    pub fn department_people(&self, dept_id: i64) -> Vec<&Person> {
        self.people
            .iter()
            .filter(|p| p.dept_id_list.contains(&dept_id) && self.in_directory(p))
            .collect()
    }

    fn outcome(&self, gen: &DayGen, person: &Person, date: NaiveDate) -> DayOutcome {
        gen.outcome(person, date)
    }

    /// Punch results of one person for the dates in `range`, ordered by
    /// work date, then OnDuty before OffDuty.
    pub fn records(&self, userid: &str, range: RangeInclusive<NaiveDate>) -> Vec<AttendanceRecord> {
        match &self.source {
            Source::Generated(gen) => {
                let Some(person) = self.person(userid) else {
                    return Vec::new();
                };
                clamp_days(&range, gen.first_day, gen.last_day)
                    .flat_map(|d| build::records(person, d, &self.outcome(gen, person, d)))
                    .collect()
            }
            Source::Golden(data) => {
                let mut out: Vec<AttendanceRecord> = data
                    .records
                    .get(userid)
                    .into_iter()
                    .flat_map(|m| m.values())
                    .filter(|r| golden::record_date(r).is_some_and(|d| range.contains(&d)))
                    .cloned()
                    .collect();
                out.sort_by_key(|r| (r.work_date, check_rank(&r.check_type), r.id));
                out
            }
        }
    }

    /// Raw punches of one person whose time lies in `[from, to]` (China time).
    pub fn punches(&self, userid: &str, from: NaiveDateTime, to: NaiveDateTime) -> Vec<Punch> {
        let Some(person) = self.person(userid) else {
            return Vec::new();
        };
        let (from_ms, to_ms) = (china_ms(from), china_ms(to));
        let days = from.date()..=to.date();
        let all: Vec<Punch> = match &self.source {
            Source::Generated(gen) => clamp_days(&days, gen.first_day, gen.last_day)
                .flat_map(|d| build::punches(person, d, &self.outcome(gen, person, d)))
                .collect(),
            Source::Golden(_) => self
                .records(userid, days)
                .iter()
                .filter_map(|r| build::punch_of_record(person, r))
                .collect(),
        };
        all.into_iter()
            .filter(|p| from_ms <= p.user_check_time && p.user_check_time <= to_ms)
            .collect()
    }

    /// Finished approval forms of one person on a date (as `getupdatedata`).
    pub fn approvals(&self, userid: &str, date: NaiveDate) -> Vec<Approval> {
        match &self.source {
            Source::Generated(gen) => {
                let Some(person) = self.person(userid) else {
                    return Vec::new();
                };
                self.outcome(gen, person, date)
                    .forms
                    .iter()
                    .map(build::approval)
                    .filter(|a| a.applies_to(date))
                    .collect()
            }
            Source::Golden(data) => {
                if let Some(list) = data.case_approvals.get(&(userid.to_owned(), date)) {
                    return list.clone();
                }
                data.approvals
                    .get(userid)
                    .into_iter()
                    .flatten()
                    .filter(|a| a.applies_to(date))
                    .cloned()
                    .collect()
            }
        }
    }

    /// Every distinct approval of one person that begins on a date in `range`.
    pub fn approvals_beginning(
        &self,
        userid: &str,
        range: RangeInclusive<NaiveDate>,
    ) -> Vec<Approval> {
        let mut out: Vec<Approval> = Vec::new();
        // A form is visible on its begin date.
        for d in range.start().iter_days().take_while(|d| d <= range.end()) {
            for a in self.approvals(userid, d) {
                let begins_in = a.begin().is_some_and(|b| range.contains(&b.date()));
                if begins_in && !out.iter().any(|o| o.proc_inst_id == a.proc_inst_id) {
                    out.push(a);
                }
            }
        }
        out
    }

    /// Leave of these people overlapping `[start_ms, end_ms]`, ordered by
    /// person (as given), then start time.
    pub fn leave_status(&self, userids: &[String], start_ms: i64, end_ms: i64) -> Vec<LeaveStatus> {
        let (Some(start), Some(end)) = (china_datetime(start_ms), china_datetime(end_ms)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for userid in userids {
            // Forms overlapping the window begin at most a week before it.
            let earliest = start.date().checked_sub_signed(Duration::days(7));
            let begins = earliest.unwrap_or(start.date())..=end.date();
            let mut list: Vec<LeaveStatus> = self
                .approvals_beginning(userid, begins)
                .iter()
                .filter_map(|a| leave::leave_status(userid, a, start_ms, end_ms))
                .collect();
            list.sort_by_key(|l| (l.start_time, l.end_time));
            out.extend(list);
        }
        out
    }

    /// The organisation's leave types.
    pub fn leave_types(&self) -> Vec<LeaveType> {
        leave::leave_types()
    }
}

/// The days of `range` that lie inside `[first, last]`.
fn clamp_days(
    range: &RangeInclusive<NaiveDate>,
    first: NaiveDate,
    last: NaiveDate,
) -> impl Iterator<Item = NaiveDate> {
    let start = (*range.start()).max(first);
    let end = (*range.end()).min(last);
    start.iter_days().take_while(move |d| *d <= end)
}

#[cfg(test)]
mod tests;
