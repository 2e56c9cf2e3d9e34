//! What a rule does: skip the day, or hours from a base and adjustments;
//! and how a version rounds.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::hours::Hours;
use crate::model::{ApprovalKind, TimeResult};

use super::Status;

/// What a rule does with the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Outcome {
    /// No worklog for this day at all.
    Skip,
    /// Hours: a base, then adjustments in order.
    Hours {
        base: Base,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        adjust: Vec<Adjustment>,
        /// The day's status; without one it follows from the hours
        /// ([`Status`] "auto": worked / partial / absent on a working day,
        /// overtime / rest otherwise).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<Status>,
    },
}

/// Where a day's hours start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Base {
    /// A fixed amount.
    Fixed { hours: Hours },
    /// OffDuty punch minus OnDuty punch, minus the parts of `breaks` in
    /// between; zero when either punch is missing.
    Punches {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        breaks: Vec<Break>,
    },
}

/// A daily break, local time on the work date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Break {
    /// Start (`"12:00"`).
    pub from: ClockTime,
    /// End (`"13:00"`), after the start.
    pub to: ClockTime,
}

/// A time of day, `HH:MM` or `HH:MM:SS`, from 00:00 to 24:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u32);

impl ClockTime {
    /// `hour:minute`; `None` outside 00:00–24:00.
    pub fn hm(hour: u32, minute: u32) -> Option<ClockTime> {
        ClockTime::hms(hour, minute, 0)
    }

    /// `hour:minute:second`; `None` outside 00:00–24:00.
    pub fn hms(hour: u32, minute: u32, second: u32) -> Option<ClockTime> {
        if minute > 59 || second > 59 {
            return None;
        }
        let s = hour * 3600 + minute * 60 + second;
        (s <= 86_400).then_some(ClockTime(s))
    }

    /// Seconds after midnight.
    pub fn seconds(self) -> u32 {
        self.0
    }

    /// Reads `HH:MM` or `HH:MM:SS`.
    pub fn parse(text: &str) -> Option<ClockTime> {
        let mut parts = text.trim().split(':');
        let hour = parts.next()?.parse().ok()?;
        let minute = parts.next()?.parse().ok()?;
        let second = match parts.next() {
            Some(s) => s.parse().ok()?,
            None => 0,
        };
        if parts.next().is_some() {
            return None;
        }
        ClockTime::hms(hour, minute, second)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = (self.0 / 3600, self.0 / 60 % 60, self.0 % 60);
        if s == 0 {
            write!(f, "{h:02}:{m:02}")
        } else {
            write!(f, "{h:02}:{m:02}:{s:02}")
        }
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ClockTime::parse(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "`{text}` is not a time HH:MM between 00:00 and 24:00"
            ))
        })
    }
}

/// A step after the base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Adjustment {
    /// Minus the table's hours for the day's OnDuty and/or OffDuty result
    /// (results not in the table cost nothing).
    Penalty {
        table: PenaltyTable,
        #[serde(default)]
        checks: Checks,
    },
    /// Plus or minus the day's hours of approvals of these kinds (leave
    /// restricted to `leave_types` when given).
    Approvals {
        op: Op,
        kinds: Vec<ApprovalKind>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        leave_types: Vec<String>,
    },
}

/// Hours per punch result, e.g. `{"Late": 1, "NotSigned": 4}`.
pub type PenaltyTable = BTreeMap<TimeResult, Hours>;

/// Which check points a penalty table applies to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Checks {
    /// OnDuty and OffDuty.
    #[default]
    Both,
    /// OnDuty only.
    OnDuty,
    /// OffDuty only.
    OffDuty,
}

/// Add or subtract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Plus.
    Add,
    /// Minus (the running total stops at zero).
    Subtract,
}

/// How a day's hours are rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rounding {
    /// Up, down or to the nearest step (halves go up).
    pub mode: RoundingMode,
    /// The step (0.5 = half hours).
    pub step: Hours,
}

/// The direction of rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// To the step above (unless already on a step).
    Up,
    /// To the step below (unless already on a step).
    Down,
    /// To the nearest step; exactly half way goes up.
    Nearest,
}

impl Rounding {
    /// `hours` rounded; a step of zero or below leaves it unchanged.
    pub fn apply(self, hours: Hours) -> Hours {
        let step = self.step.seconds();
        if step <= 0 {
            return hours;
        }
        let h = hours.seconds();
        let down = h.div_euclid(step).saturating_mul(step);
        let rounded = match self.mode {
            RoundingMode::Down => down,
            RoundingMode::Up => {
                if down == h {
                    h
                } else {
                    down.saturating_add(step)
                }
            }
            RoundingMode::Nearest => {
                // Compare twice the remainder with the step: no halving error.
                let rest = h - down;
                if rest.saturating_mul(2) >= step {
                    down.saturating_add(step)
                } else {
                    down
                }
            }
        };
        Hours::from_seconds(rounded)
    }

    /// `hours` rounded down to the step (used to keep a rounded day under the
    /// cap).
    pub fn floor(self, hours: Hours) -> Hours {
        Rounding {
            mode: RoundingMode::Down,
            step: self.step,
        }
        .apply(hours)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(x: &str) -> Hours {
        Hours::parse_decimal(x).unwrap()
    }

    #[test]
    fn rounding_up_down_nearest() {
        let r = |mode, step: &str, x: &str| {
            Rounding {
                mode,
                step: h(step),
            }
            .apply(h(x))
        };
        assert_eq!(r(RoundingMode::Down, "0.5", "6.75"), h("6.5"));
        assert_eq!(r(RoundingMode::Down, "0.5", "6.5"), h("6.5"));
        assert_eq!(r(RoundingMode::Up, "0.5", "6.1"), h("6.5"));
        assert_eq!(r(RoundingMode::Up, "1", "6.1"), h("7"));
        assert_eq!(r(RoundingMode::Up, "0.5", "6.5"), h("6.5"));
        assert_eq!(r(RoundingMode::Nearest, "0.5", "6.24"), h("6"));
        assert_eq!(r(RoundingMode::Nearest, "0.5", "6.25"), h("6.5"));
        assert_eq!(r(RoundingMode::Nearest, "0.25", "1.1"), h("1"));
        assert_eq!(r(RoundingMode::Down, "0", "1.1"), h("1.1"));
        assert_eq!(r(RoundingMode::Nearest, "1", "-0.4"), h("0"));
    }

    #[test]
    fn outcomes_and_breaks_round_trip() {
        let json = r#"{"do":"hours","base":{"from":"punches","breaks":[{"from":"12:00","to":"13:30"}]},"adjust":[{"by":"penalty","table":{"Late":1,"NotSigned":4},"checks":"on_duty"},{"by":"approvals","op":"subtract","kinds":["leave"]}],"status":"worked"}"#;
        let o: Outcome = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&o).unwrap(), json);
        let skip: Outcome = serde_json::from_str(r#"{"do":"skip"}"#).unwrap();
        assert_eq!(skip, Outcome::Skip);
        assert!(serde_json::from_str::<Break>(r#"{"from":"25:00","to":"26:00"}"#).is_err());
        assert_eq!(
            ClockTime::parse("08:30:15").map(|t| t.seconds()),
            Some(30_615)
        );
        assert_eq!(ClockTime::parse("24:00").map(|t| t.seconds()), Some(86_400));
        assert_eq!(ClockTime::parse("24:01"), None);
        assert_eq!(ClockTime::parse("8"), None);
    }
}
