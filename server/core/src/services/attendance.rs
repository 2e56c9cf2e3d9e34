//! Pulling attendance from DingTalk into the database: punch results, leave
//! and finished approval forms for everyone in the synced directory over a
//! range of days, planned for the fewest billable calls.
//!
//! The steps, in order:
//! 1. the holiday calendar (one call) decides which days are working days;
//! 2. punch results in ≤ 7-day windows over working days (`plan::work_windows`)
//!    for batches of ≤ 50 people, stored batch by batch while the next
//!    batches are being fetched;
//! 3. leave over the whole range (≤ 100 people × ≤ 180 days a call);
//! 4. `getupdatedata` once per approval form seen in the results and once
//!    per person-day an event asked to re-read (`plan::approval_days`).
//!
//! A failed step fails the pull with DingTalk's reason; what was stored
//! before it stays stored, and the calls made are counted either way.

use chrono::NaiveDate;
use futures::stream::{self, StreamExt};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

use super::{alerts, connections};
use crate::clock::{new_id, now_ms};
use crate::db::attendance::{
    self as table, FormRecord, LeaveRecord, PullEnd, PullLog, PullRow, ResultRecord,
};
use crate::db::connections as connection_table;
use crate::db::dingtalk_events;
use crate::{AppState, CoreError};
use hourbridge_dingtalk::client::ApiCount;
use hourbridge_dingtalk::model::{
    day_start_ms, local_date, Approval, HolidayType, LeaveStatus, PunchResult,
};
use hourbridge_dingtalk::plan::{self, DayWindow, WorkCalendar};
use hourbridge_dingtalk::{DingTalkClient, UpstreamError};
use hourbridge_domain::{alert, FieldError, Problem};
use hourbridge_rules::calendar::{DingTalkAnswer, DingTalkHolidayType};

/// What one pull did.
#[derive(Debug, Clone, Default)]
pub struct PullReport {
    pub people: usize,
    pub working_days: usize,
    pub windows: usize,
    pub results: usize,
    pub leave_entries: usize,
    pub forms: usize,
    /// Person-days read with `getupdatedata`.
    pub form_days: usize,
    /// Calls made during the pull, by API.
    pub calls: BTreeMap<&'static str, ApiCount>,
    /// Time spent writing to the database.
    pub storing: Duration,
}

impl PullReport {
    pub fn billable(&self) -> u64 {
        self.calls.values().map(|c| c.billable).sum()
    }

    pub fn throttled(&self) -> u64 {
        self.calls.values().map(|c| c.throttled).sum()
    }

    /// Rows written: results, leave entries and forms.
    pub fn stored(&self) -> usize {
        self.results + self.leave_entries + self.forms
    }

    /// The fewest billable calls any plan could have used for what this
    /// pull found (`plan::lower_bound`).
    pub fn lower_bound(&self, limits: &plan::Limits) -> u64 {
        plan::lower_bound(
            limits,
            self.people,
            self.results,
            self.leave_entries,
            self.form_days,
        )
    }
}

/// A date as stored: `YYYY-MM-DD`.
fn iso_day(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn holiday_type(t: HolidayType) -> DingTalkHolidayType {
    match t {
        HolidayType::Festival => DingTalkHolidayType::Festival,
        HolidayType::Rest => DingTalkHolidayType::Rest,
        HolidayType::Overtime => DingTalkHolidayType::Overtime,
        HolidayType::Other => DingTalkHolidayType::Other,
    }
}

fn upstream(error: UpstreamError) -> CoreError {
    CoreError::Upstream(connections::describe(&error))
}

/// Pulls `first..=last` for everyone in the connection's directory.
pub async fn pull(
    state: &AppState,
    connection_id: &str,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<PullReport, CoreError> {
    pull_people(state, connection_id, first, last, None).await
}

/// Pulls `first..=last` for the people of the directory in `only` (all of
/// them when `None`): a pilot scope spends DingTalk calls on its own people.
pub async fn pull_people(
    state: &AppState,
    connection_id: &str,
    first: NaiveDate,
    last: NaiveDate,
    only: Option<&std::collections::BTreeSet<String>>,
) -> Result<PullReport, CoreError> {
    if last < first {
        return Err(FieldError::new("last_day", Problem::OutOfRange).into());
    }
    let client = connections::client(state, connection_id).await?;
    let started = now_ms();
    let mut people = table::people_to_pull(&state.db, connection_id, day_start_ms(first)).await?;
    if let Some(only) = only {
        people.retain(|userid| only.contains(userid));
    }
    let log = PullLog {
        id: new_id(),
        first_day: iso_day(first),
        last_day: iso_day(last),
        people: people.len() as i64,
        started_at: started,
    };
    table::start_pull(&state.db, connection_id, &log).await?;

    let mut report = PullReport {
        people: people.len(),
        ..PullReport::default()
    };
    let job = Pull {
        state,
        client: &client,
        connection_id,
        people: &people,
        first,
        last,
        started,
    };
    let outcome = job.run(&mut report).await;
    report.calls = connections::flush_calls(state, connection_id, &client).await?;
    let detail = outcome.as_ref().err().map(|e| match e {
        CoreError::Upstream(reason) => reason.clone(),
        other => other.to_string(),
    });
    table::finish_pull(
        &state.db,
        &log.id,
        &PullEnd {
            results: report.results as i64,
            leave_entries: report.leave_entries as i64,
            forms: report.forms as i64,
            billable_calls: report.billable() as i64,
            finished_at: now_ms(),
            outcome: if outcome.is_ok() { "ok" } else { "failed" },
            detail: detail.as_deref(),
        },
    )
    .await?;
    if let Some(reason) = &detail {
        let name = connection_table::get(&state.db, connection_id)
            .await?
            .map_or_else(|| connection_id.to_owned(), |row| row.name);
        let alert = alert::pull_failed(&name, &log.first_day, &log.last_day, reason);
        alerts::send(state, connection_id, &alert).await;
    }
    outcome.map(|()| report)
}

/// The connection's most recent pull, as logged.
pub async fn last_pull(
    state: &AppState,
    connection_id: &str,
) -> Result<Option<PullRow>, CoreError> {
    Ok(table::last_pull(&state.db, connection_id).await?)
}

/// One batch × window of results, ready to store.
struct Fetched {
    batch: Vec<String>,
    window: DayWindow,
    results: Vec<ResultRecord>,
}

/// One pull in progress: what it covers, for each of its steps.
struct Pull<'a> {
    state: &'a AppState,
    client: &'a Arc<DingTalkClient>,
    connection_id: &'a str,
    people: &'a [String],
    first: NaiveDate,
    last: NaiveDate,
    /// When the pull started: the stamp of every row it writes.
    started: i64,
}

impl Pull<'_> {
    async fn run(&self, report: &mut PullReport) -> Result<(), CoreError> {
        let Pull {
            state,
            client,
            connection_id,
            people,
            first,
            last,
            started,
        } = *self;
        if people.is_empty() {
            return Ok(());
        }
        let holidays = client
            .holidays(&people[..1], first, last)
            .await
            .map_err(upstream)?;
        let calendar = WorkCalendar::from_holidays(holidays.iter().flat_map(|u| &u.holidays));
        super::calendar::remember_dingtalk_answer(
            state,
            connection_id,
            DingTalkAnswer {
                first,
                last,
                days: holidays
                    .iter()
                    .flat_map(|u| &u.holidays)
                    .map(|h| (h.work_date, holiday_type(h.holiday_type)))
                    .collect(),
            },
        )
        .await?;
        let windows =
            plan::work_windows(first, last, client.config().limits.attendance_days, |d| {
                calendar.is_workday(d)
            });
        report.working_days = windows
            .iter()
            .map(|w| plan::working_days(*w, |d| calendar.is_workday(d)))
            .sum();
        report.windows = windows.len();

        self.results(&windows, report).await?;
        self.leave(report).await?;
        self.forms(report).await?;
        table::clear_pull_requests(
            &state.db,
            connection_id,
            &iso_day(first),
            &iso_day(last),
            started,
        )
        .await?;
        Ok(())
    }

    async fn results(
        &self,
        windows: &[DayWindow],
        report: &mut PullReport,
    ) -> Result<(), CoreError> {
        let Pull {
            state,
            client,
            connection_id,
            people,
            started,
            ..
        } = *self;
        let batch_size = client.config().limits.attendance_users.max(1);
        let concurrency = client.config().concurrency.max(1);
        // Owned batches: a future borrowing them through a closure would not
        // be provably `Send` (rustc's higher-ranked closure inference).
        let jobs: Vec<(Vec<String>, DayWindow)> = windows
            .iter()
            .flat_map(|w| people.chunks(batch_size).map(move |b| (b.to_vec(), *w)))
            .collect();
        let (sender, mut receiver) = mpsc::channel::<Fetched>(concurrency * 2);

        // Fetching and storing run side by side: while one batch is written,
        // the next ones are already on their way.
        let fetch = async move {
            let mut pages = stream::iter(jobs)
                .map(|(batch, window)| async move {
                    let results = client.punch_results(&batch, window).await?;
                    Ok::<_, UpstreamError>(Fetched {
                        batch,
                        window,
                        results: results.iter().filter_map(result_record).collect(),
                    })
                })
                .buffer_unordered(concurrency);
            while let Some(fetched) = pages.next().await {
                if sender.send(fetched.map_err(upstream)?).await.is_err() {
                    break;
                }
            }
            Ok::<(), CoreError>(())
        };
        let store = async {
            let mut stored = 0usize;
            let mut storing = Duration::ZERO;
            while let Some(f) = receiver.recv().await {
                let clock = Instant::now();
                table::replace_results(
                    &state.db,
                    connection_id,
                    &f.batch,
                    &iso_day(f.window.first),
                    &iso_day(f.window.last),
                    &f.results,
                    started,
                )
                .await?;
                storing += clock.elapsed();
                stored += f.results.len();
            }
            Ok::<_, CoreError>((stored, storing))
        };
        let ((), (stored, storing)) = tokio::try_join!(fetch, store)?;
        report.results += stored;
        report.storing += storing;
        Ok(())
    }

    async fn leave(&self, report: &mut PullReport) -> Result<(), CoreError> {
        let Pull {
            state,
            client,
            connection_id,
            people,
            first,
            last,
            started,
        } = *self;
        let entries: Vec<LeaveRecord> = client
            .leave_status_for(people, first, last)
            .await
            .map_err(upstream)?
            .iter()
            .map(leave_record)
            .collect();
        let to_ms = last.succ_opt().map_or(i64::MAX, |d| day_start_ms(d) - 1);
        let clock = Instant::now();
        table::replace_leave(
            &state.db,
            connection_id,
            people,
            day_start_ms(first),
            to_ms,
            &entries,
            started,
        )
        .await?;
        report.storing += clock.elapsed();
        report.leave_entries = entries.len();
        Ok(())
    }

    async fn forms(&self, report: &mut PullReport) -> Result<(), CoreError> {
        let Pull {
            state,
            client,
            connection_id,
            first,
            last,
            started,
            ..
        } = *self;
        let (from, to) = (iso_day(first), iso_day(last));
        let linked = table::form_days(&state.db, connection_id, &from, &to).await?;
        let flagged: Vec<(String, NaiveDate)> =
            dingtalk_events::pending_pulls(&state.db, connection_id)
                .await?
                .into_iter()
                .filter_map(|p| {
                    let day = NaiveDate::parse_from_str(&p.work_date, "%Y-%m-%d").ok()?;
                    (first <= day && day <= last).then_some((p.userid, day))
                })
                .collect();
        let linked_days: Vec<(&str, NaiveDate, &str)> = linked
            .iter()
            .filter_map(|l| {
                let day = NaiveDate::parse_from_str(&l.work_date, "%Y-%m-%d").ok()?;
                Some((l.userid.as_str(), day, l.form_id.as_str()))
            })
            .collect();
        let days = plan::approval_days(linked_days, flagged.iter().map(|(u, d)| (u.as_str(), *d)));
        report.form_days = days.len();
        let concurrency = client.config().concurrency.max(1);
        let answers: Vec<Result<(String, Vec<Approval>), UpstreamError>> = stream::iter(days)
            .map(|(userid, day)| async move {
                let answer = client.user_day(&userid, day).await?;
                Ok((userid, answer.approve_list))
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        let mut forms: BTreeMap<String, FormRecord> = BTreeMap::new();
        for answer in answers {
            let (userid, approvals) = answer.map_err(upstream)?;
            for approval in &approvals {
                let record = form_record(&userid, approval);
                forms.insert(record.form_id.clone(), record);
            }
        }
        let forms: Vec<FormRecord> = forms.into_values().collect();
        let clock = Instant::now();
        table::upsert_forms(&state.db, connection_id, &forms, started).await?;
        report.storing += clock.elapsed();
        report.forms = forms.len();
        Ok(())
    }
}

/// A punch result as stored; `None` when DingTalk's work date is not a date.
fn result_record(r: &PunchResult) -> Option<ResultRecord> {
    Some(ResultRecord {
        result_id: r.id,
        userid: r.user_id.clone(),
        work_date: iso_day(local_date(r.work_date)?),
        check_type: r.check_type.as_str().to_owned(),
        time_result: r.time_result.as_str().to_owned(),
        location_result: r.location_result.clone(),
        source_type: r.source_type.clone(),
        base_check_time: r.base_check_time,
        user_check_time: r.user_check_time,
        plan_id: r.plan_id,
        group_id: r.group_id,
        form_id: r.form(),
    })
}

fn leave_record(l: &LeaveStatus) -> LeaveRecord {
    LeaveRecord {
        userid: l.userid.clone(),
        start_time: l.start_time,
        end_time: l.end_time,
        leave_code: l.leave_code.clone().unwrap_or_default(),
        duration_unit: l.duration_unit.clone(),
        duration_percent: l.duration_percent,
    }
}

/// An approval form as stored, keyed by its process instance; a form
/// without one is keyed by what identifies it on that person's list.
fn form_record(userid: &str, a: &Approval) -> FormRecord {
    let form_id = a.proc_inst_id.clone().unwrap_or_else(|| {
        format!(
            "{userid}/{}/{}",
            a.biz_type,
            a.begin_time.as_deref().unwrap_or("")
        )
    });
    FormRecord {
        form_id,
        userid: userid.to_owned(),
        biz_type: a.biz_type,
        tag_name: a.tag_name.clone(),
        sub_type: a.sub_type.clone(),
        duration: a.duration,
        duration_unit: a.duration_unit.clone(),
        begin_time: a.begin_time.clone(),
        end_time: a.end_time.clone(),
        finished_at: a.gmt_finished.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approval(proc_inst_id: Option<&str>) -> Approval {
        Approval {
            biz_type: 3,
            tag_name: Some("请假".into()),
            sub_type: Some("年假".into()),
            duration: Some(1.0),
            duration_unit: Some("day".into()),
            begin_time: Some("2026-03-02 09:00".into()),
            end_time: Some("2026-03-02 18:00".into()),
            gmt_finished: None,
            proc_inst_id: proc_inst_id.map(Into::into),
        }
    }

    #[test]
    fn a_form_is_keyed_by_its_process_instance() {
        assert_eq!(form_record("u1", &approval(Some("p-9"))).form_id, "p-9");
        let without = form_record("u1", &approval(None));
        assert_eq!(without.form_id, "u1/3/2026-03-02 09:00");
        assert_eq!(without.sub_type.as_deref(), Some("年假"));
    }

    #[test]
    fn a_result_is_stored_on_its_local_work_date() {
        let json = serde_json::json!({
            "id": "77", "userId": "u1", "workDate": 1_772_380_800_000_i64,
            "checkType": "OnDuty", "timeResult": "Late", "procInstId": "p-1"
        });
        let result: PunchResult = serde_json::from_value(json).expect("a punch result");
        let record = result_record(&result).expect("a record");
        assert_eq!(record.work_date, "2026-03-02");
        assert_eq!(record.check_type, "OnDuty");
        assert_eq!(record.time_result, "Late");
        assert_eq!(record.form_id.as_deref(), Some("p-1"));
    }
}
