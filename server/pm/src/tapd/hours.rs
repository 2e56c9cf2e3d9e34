//! TAPD's `timespent`: hours as text, at most two decimals ("7.5", "0.33").
//!
//! A workspace can be set to count effort in days instead (unconfirmed how
//! the API then reads `timespent`); HourBridge writes hours.

/// Minutes as TAPD's hours text: rounded to two decimals, no trailing zeros.
pub fn timespent(minutes: u32) -> String {
    let hundredths = (u64::from(minutes) * 100 + 30) / 60;
    let (whole, cents) = (hundredths / 100, hundredths % 100);
    match cents {
        0 => whole.to_string(),
        c if c % 10 == 0 => format!("{whole}.{}", c / 10),
        c => format!("{whole}.{c:02}"),
    }
}

/// Hours as whole minutes (0 for anything not positive).
pub fn minutes(hours: f64) -> u32 {
    let m = (hours * 60.0).round();
    if m.is_finite() && m > 0.0 {
        m.min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_become_hours_with_two_decimals_and_back() {
        assert_eq!(timespent(450), "7.5");
        assert_eq!(timespent(480), "8");
        assert_eq!(timespent(20), "0.33");
        assert_eq!(timespent(1), "0.02");
        assert_eq!(timespent(63), "1.05");
        for m in [1, 20, 59, 63, 450, 481, 600] {
            let h: f64 = timespent(m).parse().expect("number");
            assert_eq!(minutes(h), m, "{m} minutes");
        }
        assert_eq!(minutes(-2.0), 0);
        assert_eq!(minutes(f64::NAN), 0);
    }
}
