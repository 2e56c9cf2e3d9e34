//! The rules page's live preview: a draft rule book evaluated over stored
//! attendance, then allocated and mapped into the worklog lines a PM
//! connection would receive — read-only, nothing is written anywhere.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate};
use hourbridge_domain::preview::{
    Preview, PreviewDay, PreviewLine, PreviewQuery, MAX_PREVIEW_DAYS, MAX_PREVIEW_PEOPLE,
};
use hourbridge_domain::target::TargetKind;
use hourbridge_domain::{ConnectionId, FieldError, Problem};
use hourbridge_rules::allocation::{AllocationPlan, Allocator, Inputs, Method};
use hourbridge_rules::calendar::Calendar;
use hourbridge_rules::dingtalk_format::{parse_local_time, ApproveItem, RecordResult};
use hourbridge_rules::mapping::{target_fields, CompiledMapping, MappedWorklog, MappingBook, Role};
use hourbridge_rules::person_days::{Batch, DayUnits};
use hourbridge_rules::{Engine, Hours, Lang, Person, RuleBook, Status, TimeResult};
use hourbridge_sync::{day_lines, DayFacts};

use super::documents;
use super::{allocation_inputs, calendar, matching, pm_connections};
use crate::db::attendance::{self, FormRecord, StoredResult};
use crate::db::directory::{self, PersonRecord};
use crate::db::rule_documents::DocKind;
use crate::{AppState, CoreError};

/// What one PM connection turns a day into (the sync's compute step
/// builds the same).
pub(crate) struct Target {
    pub(crate) kind: TargetKind,
    pub(crate) plan: AllocationPlan,
    /// Shares and open tasks.
    pub(crate) inputs: Inputs,
    /// For hours logged by hand: one set of inputs per week (by its Monday).
    pub(crate) weeks: BTreeMap<NaiveDate, Inputs>,
    /// Each mapping version by its effective-from date, compiled once (or
    /// why it cannot be).
    pub(crate) mappings: BTreeMap<NaiveDate, Result<CompiledMapping, String>>,
    pub(crate) accounts: HashMap<String, String>,
}

impl Target {
    /// What allocation reads for a day.
    pub(crate) fn inputs_on(&self, date: NaiveDate) -> &Inputs {
        self.weeks.get(&monday(date)).unwrap_or(&self.inputs)
    }

    /// The mapping version in force on a day.
    pub(crate) fn mapping_on(&self, date: NaiveDate) -> Result<&CompiledMapping, String> {
        match self.mappings.range(..=date).next_back() {
            Some((_, compiled)) => compiled.as_ref().map_err(Clone::clone),
            None => Err(format!("no field mapping is in force on {date}")),
        }
    }
}

fn monday(date: NaiveDate) -> NaiveDate {
    date - Days::new(u64::from(date.weekday().num_days_from_monday()))
}

/// Evaluates `book` for the people and dates of `query`.
pub async fn preview(
    state: &AppState,
    book: &RuleBook,
    query: &PreviewQuery,
    lang: Lang,
) -> Result<Preview, CoreError> {
    let (first, last) = dates(query)?;
    let engine = Engine::new(book)?;
    let people = chosen_people(state, query).await?;
    let calendar = calendar::calendar(state).await?;
    let departments: HashMap<i64, String> = directory::all_departments(&state.db)
        .await?
        .into_iter()
        .map(|d| (d.dept_id, d.name))
        .collect();
    let target = match &query.pm_connection {
        Some(id) if !id.is_empty() => {
            let mut accounts = matching::matched_accounts(state, id).await?;
            accounts.retain(|userid, _| people.iter().any(|p| p.userid == *userid));
            Some(target(state, id, accounts, first, last).await?)
        }
        _ => None,
    };
    let mut preview = Preview::default();
    let mut allocator = Allocator::new();
    for record in &people {
        let person = person_of(record);
        let department = person
            .departments
            .iter()
            .filter_map(|d| departments.get(d).map(String::as_str))
            .collect::<Vec<_>>()
            .join(", ");
        let Stored {
            batch,
            any,
            form_ids,
        } = attendance_of(state, &calendar, &person, first, last).await?;
        if !any {
            preview.people_without_attendance += 1;
        }
        let mut date = first;
        while date <= last {
            let day = batch.attendance(&calendar, &person.userid, date);
            // One evaluation: the explanation carries the hours and status.
            let trace = engine.explain(&person, &day);
            let mut out = PreviewDay {
                userid: person.userid.clone(),
                name: record.name.clone(),
                date: date.to_string(),
                day_type: day_type_code(day.day_type),
                hours: trace.hours.to_string(),
                status: trace.status.code().to_owned(),
                rule: trace.rule.as_ref().map(|r| r.name.clone()),
                explanation: trace.render(lang),
                lines: Vec::new(),
                problem: None,
            };
            if let (Some(target), true) = (&target, trace.status != Status::Skipped) {
                let facts = DayFacts {
                    person: &person,
                    person_name: &record.name,
                    pm_user: target
                        .accounts
                        .get(&person.userid)
                        .map_or("", String::as_str),
                    job_title: record.title.as_deref().unwrap_or(""),
                    department: &department,
                    date,
                    hours: trace.hours,
                    status: status_label(trace.status, lang),
                    explanation: &out.explanation,
                    approval_ids: form_ids.get(&date).map_or("", String::as_str),
                };
                match lines(target, &mut allocator, &facts) {
                    Ok(lines) => out.lines = lines,
                    Err(problem) => out.problem = Some(problem),
                }
            }
            preview.days.push(out);
            date = date + Days::new(1);
        }
    }
    Ok(preview)
}

fn dates(query: &PreviewQuery) -> Result<(NaiveDate, NaiveDate), CoreError> {
    let parse = |field: &str, raw: &str| {
        NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map_err(|_| FieldError::new(field, Problem::Required))
    };
    let first = parse("first", &query.first)?;
    let last = parse("last", &query.last)?;
    let days = (last - first).num_days();
    if !(0..MAX_PREVIEW_DAYS).contains(&days) {
        return Err(FieldError::new("last", Problem::OutOfRange).into());
    }
    if query.people.len() > MAX_PREVIEW_PEOPLE {
        return Err(FieldError::new("people", Problem::OutOfRange).into());
    }
    Ok((first, last))
}

async fn chosen_people(
    state: &AppState,
    query: &PreviewQuery,
) -> Result<Vec<PersonRecord>, CoreError> {
    let everyone = directory::all_active(&state.db).await?;
    let chosen: Vec<PersonRecord> = if !query.people.is_empty() {
        everyone
            .into_iter()
            .filter(|p| query.people.iter().any(|q| *q == p.userid || *q == p.name))
            .collect()
    } else if let Some(dept) = query.department {
        everyone
            .into_iter()
            .filter(|p| person_of(p).departments.contains(&dept))
            .collect()
    } else {
        return Err(FieldError::new("people", Problem::Required).into());
    };
    if chosen.is_empty() {
        return Err(FieldError::new("people", Problem::InvalidChoice).into());
    }
    if chosen.len() > MAX_PREVIEW_PEOPLE {
        return Err(FieldError::new("people", Problem::OutOfRange).into());
    }
    Ok(chosen)
}

pub(crate) fn person_of(record: &PersonRecord) -> Person {
    Person {
        userid: record.userid.clone(),
        title: record.title.clone(),
        departments: record
            .dept_ids
            .split(',')
            .filter_map(|d| d.trim().parse().ok())
            .collect(),
    }
}

/// What one person's stored attendance gives the preview.
pub(crate) struct Stored {
    pub(crate) batch: Batch,
    /// Any punch result or form at all in the range.
    pub(crate) any: bool,
    /// The approval forms touching each date, comma-separated.
    pub(crate) form_ids: BTreeMap<NaiveDate, String>,
}

/// The approval forms touching each date (by their begin and end dates, a
/// year at most).
fn form_ids_by_date(forms: &[FormRecord]) -> BTreeMap<NaiveDate, String> {
    let mut out: BTreeMap<NaiveDate, String> = BTreeMap::new();
    for f in forms {
        let day = |t: &Option<String>| t.as_deref().and_then(parse_local_time).map(|t| t.date());
        let Some(begin) = day(&f.begin_time) else {
            continue;
        };
        let end = day(&f.end_time).unwrap_or(begin);
        for date in begin.iter_days().take_while(|d| *d <= end).take(366) {
            let ids = out.entry(date).or_default();
            if !ids.is_empty() {
                ids.push(',');
            }
            ids.push_str(&f.form_id);
        }
    }
    out
}

/// The person's stored punch results and forms over the range.
pub(crate) async fn attendance_of(
    state: &AppState,
    calendar: &Calendar,
    person: &Person,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Stored, CoreError> {
    let results = attendance::person_results(
        &state.db,
        &person.userid,
        &first.to_string(),
        &last.to_string(),
    )
    .await?;
    let after_last = last + Days::new(1);
    let forms = attendance::person_forms(
        &state.db,
        &person.userid,
        &first.to_string(),
        &after_last.to_string(),
    )
    .await?;
    let any = !results.is_empty() || !forms.is_empty();
    let records: Vec<RecordResult> = results
        .iter()
        .filter_map(|r| record_of(calendar, &person.userid, r))
        .collect();
    let items: Vec<ApproveItem> = forms.iter().map(form_of).collect();
    let mut batch = Batch::new(DayUnits::default());
    batch.add_records(calendar, &records);
    batch.add_approvals(&person.userid, &items);
    Ok(Stored {
        batch,
        any,
        form_ids: form_ids_by_date(&forms),
    })
}

fn record_of(calendar: &Calendar, userid: &str, r: &StoredResult) -> Option<RecordResult> {
    let date = NaiveDate::parse_from_str(&r.work_date, "%Y-%m-%d").ok()?;
    Some(RecordResult {
        id: r.result_id,
        user_id: userid.to_owned(),
        work_date: calendar.day_start_ms(date)?,
        check_type: r.check_type.clone(),
        time_result: TimeResult::from_name(&r.time_result),
        base_check_time: r.base_check_time,
        user_check_time: r.user_check_time,
    })
}

fn form_of(f: &FormRecord) -> ApproveItem {
    ApproveItem {
        biz_type: f.biz_type,
        tag_name: f.tag_name.clone(),
        sub_type: f.sub_type.clone(),
        duration: f.duration.and_then(Hours::from_f64),
        duration_unit: f.duration_unit.clone(),
        begin_time: f.begin_time.clone(),
        end_time: f.end_time.clone(),
        gmt_finished: f.finished_at.clone(),
        proc_inst_id: Some(f.form_id.clone()),
    }
}

/// The connection's plan, inputs and mapping for the chosen people (their
/// PM accounts, by userid). The
/// open tasks and hours logged by hand are read from the PM system when the
/// plan's method needs them.
pub(crate) async fn target(
    state: &AppState,
    id: &str,
    accounts: HashMap<String, String>,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Target, CoreError> {
    let summary = pm_connections::get(state, &ConnectionId::new(id)).await?;
    let plan = documents::load::<AllocationPlan>(&state.db, DocKind::Allocation, id)
        .await?
        .map(|s| s.doc)
        .unwrap_or_default();
    let mapping = documents::load::<MappingBook>(&state.db, DocKind::Mapping, id)
        .await?
        .map(|s| s.doc)
        .unwrap_or_else(|| MappingBook::default_for(summary.kind));
    let mut inputs = Inputs {
        shares: plan.shares.clone(),
        ..Inputs::default()
    };
    let mut weeks = BTreeMap::new();
    let upstream =
        |e: hourbridge_pm::PmError| CoreError::Upstream(format!("{}: {e}", summary.name));
    match plan.method {
        Method::FixedShares => {}
        Method::OpenTasks => {
            let connector = pm_connections::target(state, id).await?;
            inputs.open_tasks = allocation_inputs::open_tasks(connector.as_ref(), &accounts)
                .await
                .map_err(upstream)?;
        }
        Method::LoggedThisWeek => {
            let connector = pm_connections::target(state, id).await?;
            let mut week = monday(first);
            while week <= last {
                let logged = allocation_inputs::logged_by_hand(
                    connector.as_ref(),
                    &accounts,
                    week,
                    week + Days::new(6),
                )
                .await
                .map_err(upstream)?;
                let this_week = Inputs {
                    shares: plan.shares.clone(),
                    logged,
                    ..Inputs::default()
                };
                weeks.insert(week, this_week);
                week = week + Days::new(7);
            }
        }
    }
    let mappings = mapping
        .versions
        .iter()
        .map(|v| {
            let compiled = CompiledMapping::new(v, summary.kind).map_err(|e| e.to_string());
            (v.effective_from, compiled)
        })
        .collect();
    Ok(Target {
        kind: summary.kind,
        plan,
        inputs,
        weeks,
        mappings,
        accounts,
    })
}

/// The day's worklog lines, or why there are none.
fn lines(
    target: &Target,
    allocator: &mut Allocator,
    day: &DayFacts<'_>,
) -> Result<Vec<PreviewLine>, String> {
    let mapping = target.mapping_on(day.date)?;
    let computed = day_lines(
        allocator,
        &target.plan,
        target.inputs_on(day.date),
        mapping,
        day,
    )
    .map_err(|e| e.to_string())?;
    Ok(computed
        .into_iter()
        .map(|line| PreviewLine {
            fields: target_fields(target.kind)
                .iter()
                .filter_map(|f| Some((f.key.to_owned(), value_of(&line.worklog, f.role)?)))
                .collect(),
            project: line.project,
            task: line.task,
            hours: line.hours.to_string(),
        })
        .collect())
}

/// The text a field of `role` receives.
fn value_of(mapped: &MappedWorklog, role: Role) -> Option<String> {
    match role {
        Role::Person => mapped.person.clone(),
        Role::Project => mapped.project.clone(),
        Role::Task => mapped.task.clone(),
        Role::Date => Some(mapped.date.to_string()),
        Role::Hours => Some(mapped.hours.to_string()),
        Role::Comment => Some(mapped.comment.clone()).filter(|c| !c.is_empty()),
    }
}

fn day_type_code(day_type: hourbridge_rules::DayType) -> String {
    serde_json::to_value(day_type)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The status as a worklog text shows it.
pub fn status_label(status: Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (Status::Worked, Lang::Zh) => "正常出勤",
        (Status::Partial, Lang::Zh) => "部分出勤",
        (Status::Absent, Lang::Zh) => "缺勤",
        (Status::Leave, Lang::Zh) => "请假",
        (Status::Trip, Lang::Zh) => "出差",
        (Status::Overtime, Lang::Zh) => "加班",
        (Status::Rest, Lang::Zh) => "休息",
        (Status::Skipped, Lang::Zh) => "跳过",
        (Status::Worked, Lang::En) => "worked",
        (Status::Partial, Lang::En) => "partial day",
        (Status::Absent, Lang::En) => "absent",
        (Status::Leave, Lang::En) => "leave",
        (Status::Trip, Lang::En) => "business trip",
        (Status::Overtime, Lang::En) => "overtime",
        (Status::Rest, Lang::En) => "rest",
        (Status::Skipped, Lang::En) => "skipped",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(id: &str, begin: &str, end: Option<&str>) -> FormRecord {
        FormRecord {
            form_id: id.into(),
            userid: "u1".into(),
            biz_type: 3,
            tag_name: None,
            sub_type: Some("年假".into()),
            duration: None,
            duration_unit: None,
            begin_time: Some(begin.into()),
            end_time: end.map(Into::into),
            finished_at: None,
        }
    }

    #[test]
    fn each_date_names_the_forms_touching_it() {
        let ids = form_ids_by_date(&[
            form("P1", "2026-03-02 09:00", Some("2026-03-04 18:00")),
            form("P2", "2026-03-03 AM", None),
            form("P3", "not a time", None),
        ]);
        let on = |d: &str| ids.get(&d.parse().unwrap()).cloned();
        assert_eq!(on("2026-03-02").as_deref(), Some("P1"));
        assert_eq!(on("2026-03-03").as_deref(), Some("P1,P2"));
        assert_eq!(on("2026-03-04").as_deref(), Some("P1"));
        assert_eq!(on("2026-03-05"), None);
    }
}
