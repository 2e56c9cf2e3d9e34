//! The values of the source fields for one allocation line.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::hours::Hours;

use super::fields::SourceField;

/// Everything known about one allocation line of one person-day, borrowed:
/// the values the source fields stand for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourceValues<'a> {
    /// [`SourceField::PersonName`].
    pub person_name: &'a str,
    /// [`SourceField::Userid`].
    pub userid: &'a str,
    /// [`SourceField::Unionid`].
    pub unionid: &'a str,
    /// [`SourceField::PmUser`].
    pub pm_user: &'a str,
    /// [`SourceField::JobTitle`].
    pub job_title: &'a str,
    /// [`SourceField::Department`].
    pub department: &'a str,
    /// [`SourceField::WorkDate`].
    pub work_date: NaiveDate,
    /// [`SourceField::Hours`].
    pub hours: Hours,
    /// [`SourceField::DayHours`].
    pub day_hours: Hours,
    /// [`SourceField::Status`].
    pub status: &'a str,
    /// [`SourceField::Explanation`].
    pub explanation: &'a str,
    /// [`SourceField::Project`].
    pub project: &'a str,
    /// [`SourceField::Task`].
    pub task: &'a str,
    /// [`SourceField::ApprovalIds`].
    pub approval_ids: &'a str,
}

/// One source value, typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceValue<'a> {
    /// Text.
    Text(&'a str),
    /// A date.
    Date(NaiveDate),
    /// Hours.
    Hours(Hours),
}

impl<'a> SourceValues<'a> {
    /// The value of `field`.
    pub fn get(&self, field: SourceField) -> SourceValue<'a> {
        match field {
            SourceField::PersonName => SourceValue::Text(self.person_name),
            SourceField::Userid => SourceValue::Text(self.userid),
            SourceField::Unionid => SourceValue::Text(self.unionid),
            SourceField::PmUser => SourceValue::Text(self.pm_user),
            SourceField::JobTitle => SourceValue::Text(self.job_title),
            SourceField::Department => SourceValue::Text(self.department),
            SourceField::WorkDate => SourceValue::Date(self.work_date),
            SourceField::Hours => SourceValue::Hours(self.hours),
            SourceField::DayHours => SourceValue::Hours(self.day_hours),
            SourceField::Status => SourceValue::Text(self.status),
            SourceField::Explanation => SourceValue::Text(self.explanation),
            SourceField::Project => SourceValue::Text(self.project),
            SourceField::Task => SourceValue::Text(self.task),
            SourceField::ApprovalIds => SourceValue::Text(self.approval_ids),
        }
    }

    /// Appends `field` as text to `out`: dates as `YYYY-MM-DD`, hours as a
    /// decimal (`6.5`).
    pub fn write_text(&self, field: SourceField, out: &mut String) {
        match self.get(field) {
            SourceValue::Text(text) => out.push_str(text),
            // Writing to a String cannot fail.
            SourceValue::Date(date) => {
                let _ = write!(out, "{date}");
            }
            SourceValue::Hours(hours) => {
                let _ = write!(out, "{hours}");
            }
        }
    }
}
