//! Loading a golden case file (`hours-cases.json` format) as a company.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use super::identity::{person_email, person_job_number, person_mobile, person_unionid};
use super::types::{Approval, AttendanceRecord, Department, Person};
use crate::calendar::{china_datetime, Calendar};

#[derive(Debug, thiserror::Error)]
pub enum GoldenError {
    #[error("cannot read the golden file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the golden file is not in the expected format: {0}")]
    Format(#[from] serde_json::Error),
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    calendar: FileCalendar,
    #[serde(default)]
    exception_titles: Vec<String>,
    people: BTreeMap<String, FilePerson>,
    cases: Vec<FileCase>,
}

#[derive(Deserialize, Default)]
struct FileCalendar {
    #[serde(default)]
    festival: Vec<NaiveDate>,
    #[serde(default)]
    makeup_workday: Vec<NaiveDate>,
}

#[derive(Deserialize)]
struct FilePerson {
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    dept_id_list: Vec<i64>,
}

#[derive(Deserialize)]
struct FileCase {
    userid: String,
    work_date: NaiveDate,
    #[serde(default)]
    records: Vec<AttendanceRecord>,
    #[serde(default)]
    approvals: Vec<Approval>,
}

/// The data of a golden file, served as it is.
#[derive(Debug, Clone, Default)]
pub struct GoldenData {
    /// userid → record id → record.
    pub records: BTreeMap<String, BTreeMap<i64, AttendanceRecord>>,
    /// The approvals given for a (userid, date) case.
    pub case_approvals: HashMap<(String, NaiveDate), Vec<Approval>>,
    /// userid → every distinct approval (by `procInst_id`).
    pub approvals: BTreeMap<String, Vec<Approval>>,
}

/// What a golden file yields: the directory, calendar and data.
pub struct Loaded {
    pub people: Vec<Person>,
    pub departments: Vec<Department>,
    pub calendar: Calendar,
    pub exception_titles: Vec<String>,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub data: GoldenData,
}

/// The local date of a record's `workDate`.
pub fn record_date(record: &AttendanceRecord) -> Option<NaiveDate> {
    china_datetime(record.work_date).map(|t| t.date())
}

pub fn load(json: &str, org_name: &str) -> Result<Loaded, GoldenError> {
    let file: File = serde_json::from_str(json)?;
    let mut data = GoldenData::default();
    let mut dates = BTreeSet::new();
    for case in &file.cases {
        dates.insert(case.work_date);
        for record in &case.records {
            data.records
                .entry(record.user_id.clone())
                .or_default()
                .insert(record.id, record.clone());
            if let Some(d) = record_date(record) {
                dates.insert(d);
            }
        }
        let key = (case.userid.clone(), case.work_date);
        let list = data.case_approvals.entry(key).or_default();
        for approval in &case.approvals {
            if !list.iter().any(|a| a.proc_inst_id == approval.proc_inst_id) {
                list.push(approval.clone());
            }
            let all = data.approvals.entry(case.userid.clone()).or_default();
            if !all.iter().any(|a| a.proc_inst_id == approval.proc_inst_id) {
                all.push(approval.clone());
            }
        }
    }
    let first_day = dates.first().copied().unwrap_or(NaiveDate::MIN);
    let last_day = dates.last().copied().unwrap_or(NaiveDate::MIN);
    let mut dept_ids = BTreeSet::new();
    let people: Vec<Person> = file
        .people
        .into_iter()
        .enumerate()
        .map(|(i, (userid, p))| {
            let index = i + 1;
            dept_ids.extend(p.dept_id_list.iter().copied());
            Person {
                index,
                userid,
                unionid: person_unionid(index),
                name: p.name,
                mobile: person_mobile(index),
                email: person_email(index),
                job_number: person_job_number(index),
                title: p.title,
                dept_id_list: p.dept_id_list,
                hired_date: first_day
                    .checked_sub_signed(Duration::days(365))
                    .unwrap_or(first_day),
                left_date: None,
                boss: false,
            }
        })
        .collect();
    let mut departments = vec![Department {
        dept_id: super::directory::ROOT_DEPT,
        name: org_name.to_owned(),
        parent_id: None,
    }];
    departments.extend(
        dept_ids
            .into_iter()
            .filter(|id| *id != super::directory::ROOT_DEPT)
            .map(|id| Department {
                dept_id: id,
                name: format!("部门{id}"),
                parent_id: Some(super::directory::ROOT_DEPT),
            }),
    );
    let china = Calendar::china();
    let calendar = Calendar::from_dates(
        file.calendar.festival.into_iter().map(|d| {
            let name = china.festival_name(d);
            (d, name.unwrap_or_else(|| "法定节假日".to_owned()))
        }),
        file.calendar.makeup_workday,
    );
    Ok(Loaded {
        people,
        departments,
        calendar,
        exception_titles: file.exception_titles,
        first_day,
        last_day,
        data,
    })
}
