//! The engine's input for one person-day, independent of DingTalk's wire
//! format: who the person is ([`Person`]) and what their day looked like
//! ([`DayAttendance`]).
//!
//! Punch results keep DingTalk's own spelling (`Normal`, `Late`,
//! `SeriousLate`, `Early`, `NotSigned`, `Absenteeism`), as the DingTalk
//! connector's `TimeResult` does.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::hours::Hours;

/// What kind of day a local date is for this organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayType {
    /// An ordinary working day (normally Monday–Friday).
    Workday,
    /// An ordinary rest day (normally Saturday or Sunday).
    RestDay,
    /// A statutory holiday (法定节假日), including the days of a holiday
    /// period given by the State Council's schedule.
    StatutoryHoliday,
    /// A rest day that is worked instead of a holiday (调休上班).
    MakeupWorkday,
}

impl DayType {
    /// Every day type, in a fixed order.
    pub const ALL: [DayType; 4] = [
        DayType::Workday,
        DayType::RestDay,
        DayType::StatutoryHoliday,
        DayType::MakeupWorkday,
    ];

    /// True for a workday or a make-up workday.
    pub fn is_working(self) -> bool {
        matches!(self, DayType::Workday | DayType::MakeupWorkday)
    }

    /// A bit of its own, for masks.
    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The result of one scheduled check point, in DingTalk's `timeResult`
/// spelling. `Other` keeps values DingTalk may add later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TimeResult {
    /// On time.
    Normal,
    /// Left early.
    Early,
    /// Late.
    Late,
    /// Seriously late.
    SeriousLate,
    /// Late enough to count as absence (旷工迟到).
    Absenteeism,
    /// No punch (缺卡).
    NotSigned,
    /// A result this version does not know.
    #[serde(other)]
    Other,
}

impl TimeResult {
    /// Every result, in a fixed order (the index of a penalty table).
    pub const ALL: [TimeResult; 7] = [
        TimeResult::Normal,
        TimeResult::Early,
        TimeResult::Late,
        TimeResult::SeriousLate,
        TimeResult::Absenteeism,
        TimeResult::NotSigned,
        TimeResult::Other,
    ];

    /// DingTalk's own name.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeResult::Normal => "Normal",
            TimeResult::Early => "Early",
            TimeResult::Late => "Late",
            TimeResult::SeriousLate => "SeriousLate",
            TimeResult::Absenteeism => "Absenteeism",
            TimeResult::NotSigned => "NotSigned",
            TimeResult::Other => "Other",
        }
    }

    /// Reads DingTalk's name; unknown names are `Other`.
    pub fn from_name(name: &str) -> TimeResult {
        TimeResult::ALL
            .into_iter()
            .find(|r| r.as_str() == name)
            .unwrap_or(TimeResult::Other)
    }

    /// Position in [`TimeResult::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// A bit of its own, for masks.
    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The kind of an approval form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalKind {
    /// 请假 (DingTalk `biz_type` 3); the form's leave type says which.
    Leave,
    /// 加班 (`biz_type` 1).
    Overtime,
    /// 出差 (`biz_type` 2, `tag_name` 出差).
    BusinessTrip,
    /// 外出 (`biz_type` 2, `tag_name` 外出).
    Outing,
}

impl ApprovalKind {
    /// Every kind, in a fixed order.
    pub const ALL: [ApprovalKind; 4] = [
        ApprovalKind::Leave,
        ApprovalKind::Overtime,
        ApprovalKind::BusinessTrip,
        ApprovalKind::Outing,
    ];

    /// A bit of its own, for masks.
    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The part of one approved form that falls on this day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayApproval {
    /// Leave, overtime, business trip or outing.
    pub kind: ApprovalKind,
    /// For leave: the leave type as DingTalk names it (年假, 病假, 事假, 调休…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_type: Option<String>,
    /// The form's hours on this day.
    pub hours: Hours,
    /// The form's id (`procInst_id`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_id: Option<String>,
}

/// A punch time as seconds after local midnight of the work date. It may be
/// above 24 h for a shift that ends after midnight, or below zero for a punch
/// the evening before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PunchTime(pub i32);

impl PunchTime {
    /// `hour:minute` on the work date.
    pub fn at(hour: i32, minute: i32) -> PunchTime {
        PunchTime(
            hour.saturating_mul(3600)
                .saturating_add(minute.saturating_mul(60)),
        )
    }

    /// The local date-time `at` relative to `work_date`. `None` when it is more
    /// than a few days away from the work date.
    pub fn from_local(work_date: NaiveDate, at: NaiveDateTime) -> Option<PunchTime> {
        let midnight = work_date.and_hms_opt(0, 0, 0)?;
        let seconds = at.signed_duration_since(midnight).num_seconds();
        // Three days either way is far more than any real shift.
        if seconds.abs() > 3 * 86_400 {
            return None;
        }
        i32::try_from(seconds).ok().map(PunchTime)
    }

    /// Seconds after local midnight of the work date.
    pub fn seconds(self) -> i32 {
        self.0
    }
}

/// Who the person is: what rules can look at besides the day itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// DingTalk `userid`, the unique key of a person.
    pub userid: String,
    /// Job title (职位), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// DingTalk department ids (`dept_id_list`). A department condition
    /// matches any id listed here; pass ancestors too if a rule on a parent
    /// department should cover its children.
    #[serde(default)]
    pub departments: Vec<i64>,
}

/// One local date of one person's attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayAttendance {
    /// The organisation's local date.
    pub date: NaiveDate,
    /// From the organisation's calendar.
    pub day_type: DayType,
    /// The OnDuty check point's result (`NotSigned` when there is none).
    pub on_duty: TimeResult,
    /// The OffDuty check point's result (`NotSigned` when there is none).
    pub off_duty: TimeResult,
    /// The actual OnDuty punch, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_duty_at: Option<PunchTime>,
    /// The actual OffDuty punch, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off_duty_at: Option<PunchTime>,
    /// Approved forms' hours on this day.
    #[serde(default)]
    pub approvals: Vec<DayApproval>,
}

impl DayAttendance {
    /// A day with no punch and no approval.
    pub fn empty(date: NaiveDate, day_type: DayType) -> DayAttendance {
        DayAttendance {
            date,
            day_type,
            on_duty: TimeResult::NotSigned,
            off_duty: TimeResult::NotSigned,
            on_duty_at: None,
            off_duty_at: None,
            approvals: Vec::new(),
        }
    }

    /// The hours of this day's approvals of the kinds in `kinds_mask`,
    /// restricted for leave to `leave_types` when it is not empty.
    pub(crate) fn approval_hours(&self, kinds_mask: u8, leave_types: &[String]) -> Hours {
        let mut total = Hours::ZERO;
        for a in &self.approvals {
            if kinds_mask & a.kind.bit() == 0 {
                continue;
            }
            if a.kind == ApprovalKind::Leave && !leave_types.is_empty() {
                let Some(t) = a.leave_type.as_deref() else {
                    continue;
                };
                if !leave_types.iter().any(|x| x == t) {
                    continue;
                }
            }
            total = total.plus(a.hours.at_least_zero());
        }
        total
    }
}

/// A person and one of their days: the whole input of one evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDay {
    /// Who.
    pub person: Person,
    /// Which day, and what happened.
    pub attendance: DayAttendance,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    #[test]
    fn results_use_dingtalks_spelling() {
        for r in TimeResult::ALL {
            assert_eq!(TimeResult::from_name(r.as_str()), r);
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
        }
        assert_eq!(TimeResult::from_name("Brandnew"), TimeResult::Other);
        let r: TimeResult = serde_json::from_str("\"Brandnew\"").unwrap();
        assert_eq!(r, TimeResult::Other);
    }

    #[test]
    fn punch_times_are_relative_to_the_work_date() {
        let at = day().and_hms_opt(9, 30, 0).unwrap();
        assert_eq!(PunchTime::from_local(day(), at), Some(PunchTime::at(9, 30)));
        let next = day().succ_opt().unwrap().and_hms_opt(1, 0, 0).unwrap();
        assert_eq!(
            PunchTime::from_local(day(), next),
            Some(PunchTime::at(25, 0))
        );
        let far = NaiveDate::from_ymd_opt(2030, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert_eq!(PunchTime::from_local(day(), far), None);
    }

    #[test]
    fn approval_hours_filter_by_kind_and_leave_type() {
        let mut d = DayAttendance::empty(day(), DayType::Workday);
        d.approvals = vec![
            DayApproval {
                kind: ApprovalKind::Leave,
                leave_type: Some("病假".into()),
                hours: Hours::from_hours(3),
                form_id: None,
            },
            DayApproval {
                kind: ApprovalKind::Leave,
                leave_type: Some("事假".into()),
                hours: Hours::from_hours(2),
                form_id: None,
            },
            DayApproval {
                kind: ApprovalKind::Overtime,
                leave_type: None,
                hours: Hours::from_hours(4),
                form_id: None,
            },
        ];
        let leave = ApprovalKind::Leave.bit();
        assert_eq!(d.approval_hours(leave, &[]), Hours::from_hours(5));
        assert_eq!(
            d.approval_hours(leave, &["病假".into()]),
            Hours::from_hours(3)
        );
        let both = leave | ApprovalKind::Overtime.bit();
        assert_eq!(
            d.approval_hours(both, &["病假".into()]),
            Hours::from_hours(7)
        );
        assert_eq!(
            d.approval_hours(ApprovalKind::Outing.bit(), &[]),
            Hours::ZERO
        );
    }
}
