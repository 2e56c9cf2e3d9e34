//! Evaluating one day against one compiled version.
//!
//! The same code runs with and without a trace: a [`Recorder`] receives each
//! step, and the no-op recorder `()` compiles away, so the fast path
//! allocates nothing and the explanation path cannot drift from it.

use crate::hours::Hours;
use crate::model::{DayAttendance, Person, PunchTime, TimeResult};
use crate::rules::{Op, Status};

use super::compile::{
    CompiledAdjustment, CompiledBase, CompiledOutcome, CompiledRule, CompiledVersion,
};

/// One step of an evaluation, by index (names are looked up when the trace
/// is built).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawStep {
    Exception(u16),
    Rule(u16),
    NoRuleMatched,
    Skip,
    Fixed(Hours),
    Punches {
        on: Option<PunchTime>,
        off: Option<PunchTime>,
        worked: Hours,
        breaks: Hours,
    },
    Penalty {
        on_duty: bool,
        result: TimeResult,
        hours: Hours,
        waived_by: Option<u16>,
    },
    Approvals {
        adjustment: u16,
        op: Op,
        hours: Hours,
    },
    Floor {
        from: Hours,
    },
    Cap {
        from: Hours,
        to: Hours,
    },
    Round {
        from: Hours,
        to: Hours,
    },
    CapAfterRounding {
        from: Hours,
        to: Hours,
    },
}

/// Receives the steps of an evaluation.
pub(crate) trait Recorder {
    /// Whether steps are wanted at all.
    const ON: bool;
    fn record(&mut self, step: RawStep);
}

impl Recorder for () {
    const ON: bool = false;
    #[inline(always)]
    fn record(&mut self, _: RawStep) {}
}

impl Recorder for Vec<RawStep> {
    const ON: bool = true;
    fn record(&mut self, step: RawStep) {
        self.push(step);
    }
}

/// What the engine needs to know about the person.
pub(crate) trait Who {
    /// Exceptions (by bit) that cover the person.
    fn exceptions(&self) -> u64;
    /// Whether the rule's person conditions hold and no exception exempts
    /// the person from it.
    fn rule_applies(&self, index: usize, rule: &CompiledRule) -> bool;
    /// The replacement penalty for `result`, and the exception giving it.
    fn penalty_override(&self, result: TimeResult) -> Option<(Hours, u16)>;
}

/// The person as given: conditions are checked on the spot.
pub(crate) struct Direct<'a> {
    pub person: &'a Person,
    pub version: &'a CompiledVersion,
    pub exceptions: u64,
}

impl<'a> Direct<'a> {
    pub fn new(person: &'a Person, version: &'a CompiledVersion) -> Self {
        let mut exceptions = 0u64;
        for (bit, e) in version.exceptions.iter().enumerate().take(64) {
            if e.covers(person) {
                exceptions |= 1 << bit;
            }
        }
        Direct {
            person,
            version,
            exceptions,
        }
    }
}

impl Who for Direct<'_> {
    fn exceptions(&self) -> u64 {
        self.exceptions
    }

    fn rule_applies(&self, _: usize, rule: &CompiledRule) -> bool {
        rule.exempted_by & self.exceptions == 0 && rule.person.iter().all(|t| t.holds(self.person))
    }

    fn penalty_override(&self, result: TimeResult) -> Option<(Hours, u16)> {
        penalty_override(self.version, self.exceptions, result)
    }
}

/// The first covering exception's replacement for `result`.
pub(crate) fn penalty_override(
    version: &CompiledVersion,
    exceptions: u64,
    result: TimeResult,
) -> Option<(Hours, u16)> {
    let mut bits = exceptions;
    while bits != 0 {
        let bit = bits.trailing_zeros() as usize;
        bits &= bits - 1;
        if let Some(hours) = version
            .exceptions
            .get(bit)
            .and_then(|e| e.penalties[result.index()])
        {
            return Some((hours, bit as u16));
        }
    }
    None
}

/// The result of one run: hours, status, deciding rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub hours: Hours,
    pub status: Status,
    pub rule: Option<u16>,
}

/// Evaluates `day` for `who` under `v`.
pub(crate) fn run<W: Who, R: Recorder>(
    v: &CompiledVersion,
    who: &W,
    day: &DayAttendance,
    rec: &mut R,
) -> Outcome {
    if R::ON {
        let mut bits = who.exceptions();
        while bits != 0 {
            let bit = bits.trailing_zeros();
            bits &= bits - 1;
            rec.record(RawStep::Exception(bit as u16));
        }
    }
    let day_bit = day.day_type.bit();
    let on_bit = day.on_duty.bit();
    let off_bit = day.off_duty.bit();
    let mut chosen = None;
    for (i, rule) in v.rules.iter().enumerate() {
        if rule.day_mask & day_bit == 0
            || rule.on_mask & on_bit == 0
            || rule.off_mask & off_bit == 0
        {
            continue;
        }
        if !who.rule_applies(i, rule) {
            continue;
        }
        let approvals_hold = rule.approvals.iter().all(|t| {
            let hours = day.approval_hours(t.kinds, &t.leave_types);
            t.compare.holds(hours, t.hours) != t.not
        });
        if approvals_hold {
            chosen = Some((i, rule));
            break;
        }
    }
    let Some((index, rule)) = chosen else {
        rec.record(RawStep::NoRuleMatched);
        return Outcome {
            hours: Hours::ZERO,
            status: Status::Skipped,
            rule: None,
        };
    };
    let index = u16::try_from(index).unwrap_or(u16::MAX);
    rec.record(RawStep::Rule(index));
    let (base, adjust, status) = match &rule.outcome {
        CompiledOutcome::Skip => {
            rec.record(RawStep::Skip);
            return Outcome {
                hours: Hours::ZERO,
                status: Status::Skipped,
                rule: Some(index),
            };
        }
        CompiledOutcome::Hours {
            base,
            adjust,
            status,
        } => (base, adjust, status),
    };
    let mut hours = match base {
        CompiledBase::Fixed(h) => {
            rec.record(RawStep::Fixed(*h));
            *h
        }
        CompiledBase::Punches(breaks) => {
            let (worked, in_breaks) = punch_hours(day.on_duty_at, day.off_duty_at, breaks);
            rec.record(RawStep::Punches {
                on: day.on_duty_at,
                off: day.off_duty_at,
                worked,
                breaks: in_breaks,
            });
            worked
        }
    };
    for (a, adjustment) in adjust.iter().enumerate() {
        match adjustment {
            CompiledAdjustment::Penalty {
                table,
                on_duty,
                off_duty,
            } => {
                for (is_on, applies, result) in [
                    (true, *on_duty, day.on_duty),
                    (false, *off_duty, day.off_duty),
                ] {
                    if !applies {
                        continue;
                    }
                    let (cost, waived_by) = match who.penalty_override(result) {
                        Some((h, e)) => (h, Some(e)),
                        None => (table[result.index()], None),
                    };
                    rec.record(RawStep::Penalty {
                        on_duty: is_on,
                        result,
                        hours: cost,
                        waived_by,
                    });
                    hours = hours.minus(cost);
                }
            }
            CompiledAdjustment::Approvals {
                op,
                kinds,
                leave_types,
            } => {
                let amount = day.approval_hours(*kinds, leave_types);
                rec.record(RawStep::Approvals {
                    adjustment: u16::try_from(a).unwrap_or(u16::MAX),
                    op: *op,
                    hours: amount,
                });
                hours = match op {
                    Op::Add => hours.plus(amount),
                    Op::Subtract => hours.minus(amount),
                };
            }
        }
        if hours.is_negative() {
            rec.record(RawStep::Floor { from: hours });
            hours = Hours::ZERO;
        }
    }
    let hours = finish(v, hours, rec);
    let status = status.unwrap_or_else(|| Status::auto(hours, day.day_type, v.standard_day));
    // Refused by validation; a skipped day never carries hours.
    let hours = if status == Status::Skipped {
        Hours::ZERO
    } else {
        hours
    };
    Outcome {
        hours,
        status,
        rule: Some(index),
    }
}

/// Cap, then rounding, then the cap again (rounding up must not pass it).
fn finish<R: Recorder>(v: &CompiledVersion, hours: Hours, rec: &mut R) -> Hours {
    let mut hours = hours.at_least_zero();
    if let Some(cap) = v.cap {
        if hours > cap {
            rec.record(RawStep::Cap {
                from: hours,
                to: cap,
            });
            hours = cap;
        }
    }
    if let Some(rounding) = v.rounding {
        let rounded = rounding.apply(hours);
        if rounded != hours {
            rec.record(RawStep::Round {
                from: hours,
                to: rounded,
            });
            hours = rounded;
        }
        if let Some(cap) = v.cap {
            if hours > cap {
                let under = rounding.floor(cap);
                rec.record(RawStep::CapAfterRounding {
                    from: hours,
                    to: under,
                });
                hours = under;
            }
        }
    }
    hours.at_least_zero()
}

/// Time between the punches, and the part of it inside breaks. Zero when a
/// punch is missing or OffDuty is not after OnDuty.
fn punch_hours(
    on: Option<PunchTime>,
    off: Option<PunchTime>,
    breaks: &[(i64, i64)],
) -> (Hours, Hours) {
    let (Some(on), Some(off)) = (on, off) else {
        return (Hours::ZERO, Hours::ZERO);
    };
    let (start, end) = (i64::from(on.seconds()), i64::from(off.seconds()));
    if end <= start {
        return (Hours::ZERO, Hours::ZERO);
    }
    let mut in_breaks = 0i64;
    for &(from, to) in breaks {
        let overlap = end.min(to) - start.max(from);
        if overlap > 0 {
            in_breaks += overlap;
        }
    }
    let worked = (end - start - in_breaks).max(0);
    (Hours::from_seconds(worked), Hours::from_seconds(in_breaks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punch_hours_subtract_overlapping_breaks_only() {
        let lunch = [(12 * 3600, 13 * 3600)];
        let (w, b) = punch_hours(
            Some(PunchTime::at(9, 0)),
            Some(PunchTime::at(18, 0)),
            &lunch,
        );
        assert_eq!((w, b), (Hours::from_hours(8), Hours::from_hours(1)));
        let (w, b) = punch_hours(
            Some(PunchTime::at(12, 30)),
            Some(PunchTime::at(18, 0)),
            &lunch,
        );
        assert_eq!((w, b), (Hours::from_hours(5), Hours::from_minutes(30)));
        let (w, _) = punch_hours(
            Some(PunchTime::at(14, 0)),
            Some(PunchTime::at(18, 0)),
            &lunch,
        );
        assert_eq!(w, Hours::from_hours(4));
        let (w, _) = punch_hours(None, Some(PunchTime::at(18, 0)), &lunch);
        assert_eq!(w, Hours::ZERO);
        let (w, _) = punch_hours(
            Some(PunchTime::at(18, 0)),
            Some(PunchTime::at(9, 0)),
            &lunch,
        );
        assert_eq!(w, Hours::ZERO);
        // A night shift ending after midnight.
        let (w, _) = punch_hours(
            Some(PunchTime::at(20, 0)),
            Some(PunchTime::at(28, 0)),
            &lunch,
        );
        assert_eq!(w, Hours::from_hours(8));
    }
}
