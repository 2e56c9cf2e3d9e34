//! DingTalk's holiday API answers as an organisation's calendar keeps them:
//! each answer covers a range of dates and lists the days it types; a newer
//! answer replaces older ones where they overlap.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Calendar, DingTalkHolidayType};
use crate::error::RulesError;

/// One answer: the range asked for and the days DingTalk listed in it
/// (`workDate` in epoch milliseconds, and its type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DingTalkAnswer {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub days: Vec<(i64, DingTalkHolidayType)>,
}

/// Every answer kept for one DingTalk connection, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DingTalkAnswers {
    pub answers: Vec<DingTalkAnswer>,
}

impl DingTalkAnswers {
    /// Adds a newer answer; older answers it wholly covers are dropped.
    pub fn merge(&mut self, newer: DingTalkAnswer) {
        self.answers
            .retain(|a| !(newer.first <= a.first && a.last <= newer.last));
        self.answers.push(newer);
    }

    /// Applies every answer to `calendar`, oldest first, so newer answers
    /// win. An answer the calendar refuses (an empty week would make every
    /// weekend a workday) is skipped and returned with its reason.
    pub fn apply(&self, calendar: &mut Calendar) -> Vec<(NaiveDate, NaiveDate, RulesError)> {
        let mut skipped = Vec::new();
        for a in &self.answers {
            if let Err(e) = calendar.apply_dingtalk(a.first, a.last, a.days.iter().copied()) {
                skipped.push((a.first, a.last, e));
            }
        }
        skipped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DayType;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_newer_answer_replaces_what_it_covers_and_wins_where_it_overlaps() {
        let mut calendar = Calendar::china().unwrap();
        let midnight = |s: &str| calendar.day_start_ms(d(s)).unwrap();
        // The company works on Saturday 2026-03-07, then takes Monday 03-09 off.
        let older = DingTalkAnswer {
            first: d("2026-03-01"),
            last: d("2026-03-14"),
            days: vec![
                (midnight("2026-03-01"), DingTalkHolidayType::Rest),
                (midnight("2026-03-08"), DingTalkHolidayType::Rest),
                (midnight("2026-03-14"), DingTalkHolidayType::Rest),
            ],
        };
        let newer = DingTalkAnswer {
            first: d("2026-03-07"),
            last: d("2026-03-09"),
            days: vec![
                (midnight("2026-03-08"), DingTalkHolidayType::Rest),
                (midnight("2026-03-09"), DingTalkHolidayType::Festival),
            ],
        };
        let mut kept = DingTalkAnswers::default();
        kept.merge(older.clone());
        kept.merge(newer.clone());
        assert_eq!(kept.answers.len(), 2);
        assert!(kept.apply(&mut calendar).is_empty());
        assert_eq!(calendar.day_type(d("2026-03-07")), DayType::Workday);
        assert_eq!(
            calendar.day_type(d("2026-03-09")),
            DayType::StatutoryHoliday
        );
        assert_eq!(calendar.day_type(d("2026-03-14")), DayType::RestDay);

        // An answer covering both replaces them.
        kept.merge(DingTalkAnswer {
            first: d("2026-03-01"),
            last: d("2026-03-31"),
            days: older.days.clone(),
        });
        assert_eq!(kept.answers.len(), 1);
    }

    #[test]
    fn an_answer_the_calendar_refuses_is_skipped_with_its_reason() {
        let mut calendar = Calendar::china().unwrap();
        let kept = DingTalkAnswers {
            answers: vec![DingTalkAnswer {
                first: d("2026-05-01"),
                last: d("2026-05-31"),
                days: vec![],
            }],
        };
        let skipped = kept.apply(&mut calendar);
        assert_eq!(skipped.len(), 1);
        // Unchanged: the shipped Labour Day holiday still holds.
        assert_eq!(
            calendar.day_type(d("2026-05-01")),
            DayType::StatutoryHoliday
        );
    }
}
