//! The organisation's holiday calendar: China's statutory holidays and
//! make-up workdays as shipped (2024–2027, from the State Council's
//! notices), with whole years replaced by an admin's edits.

use hourbridge_domain::audit::AuditAction;
use hourbridge_rules::calendar::{
    Calendar, DingTalkAnswer, DingTalkAnswers, ScheduleStatus, YearSchedule,
};
use hourbridge_rules::{FieldError, Problem};

use super::documents;
use super::{audit, org_settings, Actor, Origin};
use crate::db::rule_documents::{self, DocKind};
use crate::{AppState, CoreError};

/// The years an admin may edit.
pub const EDITABLE_YEARS: std::ops::RangeInclusive<i32> = 2024..=2035;

/// One year as the calendar page shows it.
#[derive(Debug, Clone)]
pub struct YearView {
    pub schedule: YearSchedule,
    /// The revision of the admin's edit, if the year was edited.
    pub revision: Option<i64>,
    pub saved_by: Option<String>,
}

/// China's calendar in the organisation's time zone, with the admin's edits
/// and the DingTalk connections' holiday answers.
pub async fn calendar(state: &AppState) -> Result<Calendar, CoreError> {
    Ok(calendar_and_edits(state).await?.0)
}

/// The calendar, and the admin's year edits it was built with (by year).
async fn calendar_and_edits(
    state: &AppState,
) -> Result<(Calendar, Vec<(String, rule_documents::DocRow)>), CoreError> {
    let tz = org_settings::time_zone(&state.db).await?;
    let zone =
        Calendar::parse_time_zone(tz.as_str()).map_err(|e| CoreError::internal("time zone", e))?;
    let mut calendar = Calendar::china_in(zone)?;
    let edits = rule_documents::latest_of_kind(&state.db, DocKind::Calendar).await?;
    for (_, edit) in &edits {
        let year: YearSchedule = serde_json::from_str(&edit.body)
            .map_err(|e| CoreError::internal("stored calendar edit", e))?;
        calendar.set_year(year)?;
    }
    for (connection, row) in
        rule_documents::latest_of_kind(&state.db, DocKind::DingTalkHolidays).await?
    {
        let answers: DingTalkAnswers = serde_json::from_str(&row.body)
            .map_err(|e| CoreError::internal("stored DingTalk holidays", e))?;
        for (first, last, reason) in answers.apply(&mut calendar) {
            tracing::warn!(%connection, %first, %last, %reason, "DingTalk holiday answer not used");
        }
    }
    Ok((calendar, edits))
}

/// Keeps an answer of a DingTalk connection's holiday API: from then on it
/// decides the day types of the dates it covers, over the shipped and
/// edited years.
pub async fn remember_dingtalk_answer(
    state: &AppState,
    connection_id: &str,
    answer: DingTalkAnswer,
) -> Result<(), CoreError> {
    let kind = DocKind::DingTalkHolidays;
    let system = Actor {
        id: hourbridge_domain::UserId::new("system"),
        username: "dingtalk".into(),
        role: hourbridge_domain::Role::Admin,
    };
    // Two pulls of one connection may race: the second retries on the first's revision.
    for _ in 0..3 {
        let stored = documents::load::<DingTalkAnswers>(&state.db, kind, connection_id).await?;
        let based_on = stored.as_ref().map(|s| s.revision);
        let mut answers = stored.map(|s| s.doc).unwrap_or_default();
        if answers.answers.last() == Some(&answer) {
            return Ok(());
        }
        answers.merge(answer.clone());
        match documents::save(&state.db, &system, kind, connection_id, based_on, &answers).await {
            Err(CoreError::Conflict { .. }) => continue,
            other => return other.map(|_| ()),
        }
    }
    Err(CoreError::internal(
        "DingTalk holidays",
        "the stored answers kept changing while being saved",
    ))
}

/// Every year the calendar knows, shipped or edited, in order.
pub async fn years(state: &AppState) -> Result<Vec<YearView>, CoreError> {
    let (calendar, edits) = calendar_and_edits(state).await?;
    Ok(calendar
        .years()
        .map(|schedule| {
            let edit = edits
                .iter()
                .find(|(scope, _)| *scope == schedule.year.to_string());
            YearView {
                schedule: schedule.clone(),
                revision: edit.map(|(_, row)| row.revision),
                saved_by: edit.map(|(_, row)| row.saved_by.clone()),
            }
        })
        .collect())
}

/// Replaces a year with the admin's schedule (saved as the revision after
/// `based_on`); refused with every problem at its field.
pub async fn save_year(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    based_on: Option<i64>,
    mut schedule: YearSchedule,
) -> Result<i64, CoreError> {
    if !EDITABLE_YEARS.contains(&schedule.year) {
        return Err(CoreError::DocumentInvalid(vec![FieldError::new(
            "year",
            Problem::OutOfRange,
        )]));
    }
    schedule.status = ScheduleStatus::Admin;
    let errors = schedule.validate();
    if !errors.is_empty() {
        return Err(CoreError::DocumentInvalid(errors));
    }
    let scope = schedule.year.to_string();
    let revision = documents::save(
        &state.db,
        actor,
        DocKind::Calendar,
        &scope,
        based_on,
        &schedule,
    )
    .await?;
    let detail = format!(
        "{}: {} holiday period(s), {} make-up workday(s), revision {revision}",
        schedule.year,
        schedule.holidays.len(),
        schedule.makeup_workdays.len()
    );
    audit::record(
        &state.db,
        Some(actor),
        origin,
        AuditAction::CalendarChanged,
        Some(&scope),
        Some(&detail),
    )
    .await?;
    Ok(revision)
}
