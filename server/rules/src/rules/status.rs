//! The status of an evaluated day.

use serde::{Deserialize, Serialize};

use crate::hours::Hours;
use crate::model::DayType;

/// The status of an evaluated day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At least a standard day on a working day.
    Worked,
    /// Some hours, less than a standard day, on a working day.
    Partial,
    /// No hours on a working day.
    Absent,
    /// On leave.
    Leave,
    /// On a business trip or outing.
    Trip,
    /// Hours on a rest day or holiday.
    Overtime,
    /// A rest day or holiday without hours.
    Rest,
    /// No worklog at all.
    Skipped,
}

impl Status {
    /// Every status, in a fixed order.
    pub const ALL: [Status; 8] = [
        Status::Worked,
        Status::Partial,
        Status::Absent,
        Status::Leave,
        Status::Trip,
        Status::Overtime,
        Status::Rest,
        Status::Skipped,
    ];

    /// The status of `hours` on a day of `day_type` when a rule does not name
    /// one.
    pub fn auto(hours: Hours, day_type: DayType, standard_day: Hours) -> Status {
        if day_type.is_working() {
            if hours >= standard_day && hours > Hours::ZERO {
                Status::Worked
            } else if hours > Hours::ZERO {
                Status::Partial
            } else {
                Status::Absent
            }
        } else if hours > Hours::ZERO {
            Status::Overtime
        } else {
            Status::Rest
        }
    }

    /// The snake_case code (`worked`).
    pub fn code(self) -> &'static str {
        match self {
            Status::Worked => "worked",
            Status::Partial => "partial",
            Status::Absent => "absent",
            Status::Leave => "leave",
            Status::Trip => "trip",
            Status::Overtime => "overtime",
            Status::Rest => "rest",
            Status::Skipped => "skipped",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(x: &str) -> Hours {
        Hours::parse_decimal(x).unwrap()
    }

    #[test]
    fn auto_status_follows_the_day_type() {
        let std = h("8");
        assert_eq!(Status::auto(h("8"), DayType::Workday, std), Status::Worked);
        assert_eq!(
            Status::auto(h("7"), DayType::MakeupWorkday, std),
            Status::Partial
        );
        assert_eq!(Status::auto(h("0"), DayType::Workday, std), Status::Absent);
        assert_eq!(
            Status::auto(h("6"), DayType::RestDay, std),
            Status::Overtime
        );
        assert_eq!(
            Status::auto(h("0"), DayType::StatutoryHoliday, std),
            Status::Rest
        );
    }
}
