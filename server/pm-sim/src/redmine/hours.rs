//! Redmine's reading of `hours` (`String#to_hours`): `7.5`, `"7,5"`,
//! `"7h"`, `"1:30"`, `"1h30m"`, `"90m"`, `"1 hour 30 min"`.

use serde_json::Value;

/// The hours a JSON value stands for, `None` when it is not a number of hours.
pub fn parse_hours(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(text) => parse_text(text),
        _ => None,
    }
}

fn parse_text(text: &str) -> Option<f64> {
    let s = text.trim().to_ascii_lowercase();
    if s.is_empty() {
        return None;
    }
    // What `Kernel.Float` reads on its own: "-1", "1e3" (then refused as
    // negative or over the daily cap rather than as no number).
    if s.starts_with(|c: char| c == '-' || c == '+' || c.is_ascii_digit()) {
        if let Ok(plain) = s.parse::<f64>() {
            return plain.is_finite().then_some(plain);
        }
    }
    // "7.5", "7,5", "7.5h"
    let plain = s.strip_suffix('h').unwrap_or(&s).replace(',', ".");
    if is_decimal(&plain) {
        return plain.parse().ok();
    }
    // "1:30"
    if let Some((h, m)) = s.split_once(':') {
        if is_digits(h) && is_digits(m) {
            return Some(h.parse::<f64>().ok()? + m.parse::<f64>().ok()? / 60.0);
        }
        return None;
    }
    // "1h30m", "1h 30", "2 hours", "30m", "30 min"
    let (hours, rest) = match split_unit(&s, &["hours", "hour", "h"]) {
        Some((h, rest)) => (Some(h), rest),
        None => (None, s.as_str()),
    };
    let rest = rest.trim();
    let minutes = if rest.is_empty() {
        None
    } else {
        let digits = rest
            .strip_suffix("min")
            .or_else(|| rest.strip_suffix('m'))
            .unwrap_or(rest)
            .trim();
        if !is_digits(digits) || (hours.is_none() && digits == rest) {
            return None;
        }
        Some(digits.parse::<f64>().ok()?)
    };
    if hours.is_none() && minutes.is_none() {
        return None;
    }
    Some(hours.unwrap_or(0.0) + minutes.unwrap_or(0.0) / 60.0)
}

/// `"<digits><unit>rest"` → (digits, rest).
fn split_unit<'a>(s: &'a str, units: &[&str]) -> Option<(f64, &'a str)> {
    let end = s.find(|c: char| !c.is_ascii_digit())?;
    let (digits, tail) = s.split_at(end);
    if digits.is_empty() {
        return None;
    }
    let tail = tail.trim_start();
    let unit = units.iter().find(|u| tail.starts_with(**u))?;
    Some((digits.parse().ok()?, tail.get(unit.len()..)?))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_decimal(s: &str) -> bool {
    match s.split_once('.') {
        Some((a, b)) => is_digits(a) && is_digits(b),
        None => is_digits(s),
    }
}

/// Rounded to two decimals, as Redmine shows hours.
pub fn round2(hours: f64) -> f64 {
    (hours * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hours_read_as_redmine_reads_them() {
        let h = |v: Value| parse_hours(&v);
        assert_eq!(h(json!(7.5)), Some(7.5));
        assert_eq!(h(json!("1.5")), Some(1.5));
        assert_eq!(h(json!("1,5")), Some(1.5));
        assert_eq!(h(json!("2h")), Some(2.0));
        assert_eq!(h(json!("1:30")), Some(1.5));
        assert_eq!(h(json!("1h30m")), Some(1.5));
        assert_eq!(h(json!("1h 30")), Some(1.5));
        assert_eq!(h(json!("45m")), Some(0.75));
        assert_eq!(h(json!("2 hours")), Some(2.0));
        assert_eq!(h(json!("abc")), None);
        assert_eq!(h(json!("")), None);
        assert_eq!(h(json!("1:3x")), None);
        assert_eq!(h(json!("30")), Some(30.0));
        assert_eq!(h(json!("-1")), Some(-1.0));
        assert_eq!(h(json!("1e3")), Some(1000.0));
        assert_eq!(h(json!("inf")), None);
        assert_eq!(h(json!(null)), None);
        assert_eq!(round2(7.333_333), 7.33);
    }
}
