//! Golden case files (`hours-cases.json` format): person-days as DingTalk
//! delivers them, with the hours HR computed by hand.
//!
//! The whole file is loaded as one company's data: every case's records go
//! into one batch (duplicates, other days and other people included) and
//! every case's approvals are the forms of that case's person. Each case is
//! then the person-day (userid, work date) read from that batch and
//! evaluated by the [`Engine`], exactly as the sync does.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::calendar::{Calendar, HolidayPeriod, ScheduleStatus, YearSchedule};
use crate::dingtalk_format::{ApproveItem, RecordResult};
use crate::engine::{Engine, Evaluation};
use crate::error::RulesError;
use crate::explain::Trace;
use crate::hours::Hours;
use crate::model::Person;
use crate::person_days::{Batch, DayUnits};
use crate::rules::RuleBook;
use crate::seed;

/// The name of the shipped rule set in a case file's `rules` field.
pub const SEED_STANDARD: &str = "seed-standard";

/// A case file.
#[derive(Debug, Clone, Deserialize)]
pub struct CaseFile {
    /// `seed-standard`, or a rule book file relative to the case file.
    #[serde(default)]
    pub rules: Option<String>,
    /// The organisation's time zone.
    #[serde(default = "default_time_zone")]
    pub timezone: String,
    /// Holidays and make-up workdays; without it, China's shipped calendar.
    #[serde(default)]
    pub calendar: Option<CaseCalendar>,
    /// Job titles whose lateness and early leave are waived (seed-standard).
    #[serde(default)]
    pub exception_titles: Vec<String>,
    /// DingTalk users by userid.
    #[serde(default)]
    pub people: BTreeMap<String, CasePerson>,
    /// The cases.
    pub cases: Vec<Case>,
}

fn default_time_zone() -> String {
    crate::calendar::DEFAULT_TIME_ZONE.to_owned()
}

/// The calendar of a case file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseCalendar {
    /// Statutory holidays.
    #[serde(default)]
    pub festival: Vec<NaiveDate>,
    /// Make-up workdays.
    #[serde(default)]
    pub makeup_workday: Vec<NaiveDate>,
}

/// A DingTalk user of a case file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CasePerson {
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Job title.
    #[serde(default)]
    pub title: String,
    /// Department ids.
    #[serde(default)]
    pub dept_id_list: Vec<i64>,
}

/// One case.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    /// Its id (`P01`).
    pub id: String,
    /// Whose day.
    pub userid: String,
    /// Which local date.
    pub work_date: NaiveDate,
    /// `recordresult` entries as DingTalk returns them.
    #[serde(default)]
    pub records: Vec<RecordResult>,
    /// `approve_list` entries as DingTalk returns them.
    #[serde(default)]
    pub approvals: Vec<ApproveItem>,
    /// What the case is about.
    #[serde(default)]
    pub note: String,
    /// The hours HR expects (binding).
    pub expected_hours: Hours,
    /// A label for humans (not binding).
    #[serde(default)]
    pub expected_status: String,
}

/// One evaluated case.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    /// The case id.
    pub id: String,
    /// What the case is about.
    pub note: String,
    /// Expected hours.
    pub expected: Hours,
    /// Expected status label.
    pub expected_status: String,
    /// What the engine decided.
    pub evaluation: Evaluation,
    /// How.
    pub trace: Trace,
}

impl CaseOutcome {
    /// Computed hours equal the expected ones.
    pub fn passed(&self) -> bool {
        self.evaluation.hours == self.expected
    }
}

/// Every case of a file, evaluated.
#[derive(Debug, Clone, Default)]
pub struct GoldenRun {
    /// In file order.
    pub outcomes: Vec<CaseOutcome>,
}

impl GoldenRun {
    /// How many cases passed.
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.passed()).count()
    }

    /// How many cases failed.
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }

    /// `N passed, N failed`.
    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed(), self.failed())
    }
}

impl CaseFile {
    /// Reads a case file.
    pub fn from_json(json: &str) -> Result<CaseFile, RulesError> {
        Ok(serde_json::from_str(json)?)
    }

    /// Reads a case file from disk.
    pub fn load(path: &Path) -> Result<CaseFile, RulesError> {
        CaseFile::from_json(&read(path)?)
    }

    /// The file's calendar in its time zone.
    pub fn calendar(&self) -> Result<Calendar, RulesError> {
        let tz = Calendar::parse_time_zone(&self.timezone)?;
        let Some(listed) = &self.calendar else {
            return Calendar::china_in(tz);
        };
        let mut calendar = Calendar::weekends_only(tz);
        let mut by_year: BTreeMap<i32, (Vec<NaiveDate>, Vec<NaiveDate>)> = BTreeMap::new();
        for d in &listed.festival {
            by_year.entry(d.year()).or_default().0.push(*d);
        }
        for d in &listed.makeup_workday {
            by_year.entry(d.year()).or_default().1.push(*d);
        }
        for (y, (festival, makeup)) in by_year {
            calendar.set_year(YearSchedule {
                year: y,
                status: ScheduleStatus::Admin,
                notice: None,
                issued: None,
                note: "from the case file".to_owned(),
                holidays: festival
                    .into_iter()
                    .map(|d| HolidayPeriod {
                        name: "festival".to_owned(),
                        from: d,
                        to: d,
                    })
                    .collect(),
                makeup_workdays: makeup,
            })?;
        }
        Ok(calendar)
    }

    /// The rule book the file names: seed-standard (with the file's
    /// exception titles) or a rule book file relative to `base_dir`.
    pub fn rule_book(&self, base_dir: Option<&Path>) -> Result<RuleBook, RulesError> {
        match self.rules.as_deref() {
            None | Some(SEED_STANDARD) => {
                let from = self
                    .cases
                    .iter()
                    .map(|c| c.work_date)
                    .min()
                    .unwrap_or_default()
                    .min(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default());
                seed::seed_standard_from(from, &self.exception_titles)
            }
            Some(file) => {
                let path = match base_dir {
                    Some(dir) => dir.join(file),
                    None => Path::new(file).to_path_buf(),
                };
                RuleBook::from_json(&read(&path)?)
            }
        }
    }

    /// The person of `userid` as the file describes them.
    pub fn person(&self, userid: &str) -> Person {
        let p = self.people.get(userid);
        Person {
            userid: userid.to_owned(),
            title: p
                .map(|p| p.title.trim())
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
            departments: p.map(|p| p.dept_id_list.clone()).unwrap_or_default(),
        }
    }

    /// Evaluates every case with `book`.
    pub fn run(&self, book: &RuleBook) -> Result<GoldenRun, RulesError> {
        let engine = Engine::new(book)?;
        let calendar = self.calendar()?;
        let mut batch = Batch::new(DayUnits::default());
        for case in &self.cases {
            batch.add_records(&calendar, &case.records);
            batch.add_approvals(&case.userid, &case.approvals);
        }
        let outcomes = self
            .cases
            .iter()
            .map(|case| {
                let person = self.person(&case.userid);
                let day = batch.attendance(&calendar, &case.userid, case.work_date);
                let evaluation = engine.evaluate_for(&person, &day);
                let trace = engine.explain(&person, &day);
                CaseOutcome {
                    id: case.id.clone(),
                    note: case.note.clone(),
                    expected: case.expected_hours,
                    expected_status: case.expected_status.clone(),
                    evaluation,
                    trace,
                }
            })
            .collect();
        Ok(GoldenRun { outcomes })
    }
}

fn read(path: &Path) -> Result<String, RulesError> {
    std::fs::read_to_string(path).map_err(|source| RulesError::Io {
        path: path.display().to_string(),
        source,
    })
}
