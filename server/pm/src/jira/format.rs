//! Jira's formats: `started` with a colon-less offset, and comments as
//! Atlassian Document Format (Cloud v3) or plain text (v2).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use serde_json::{json, Value};

/// Hour of day worklogs start at, in the organisation's offset: the date
/// Jira shows then never drifts across midnight for viewers nearby.
const START: (u32, u32) = (9, 0);

/// `2026-03-02T09:00:00.000+0800`.
pub fn started(date: NaiveDate, offset: FixedOffset) -> String {
    let time = NaiveTime::from_hms_opt(START.0, START.1, 0).unwrap_or(NaiveTime::MIN);
    let local = date.and_time(time);
    match local.and_local_timezone(offset).single() {
        Some(at) => at.format("%Y-%m-%dT%H:%M:%S%.3f%z").to_string(),
        None => format!("{}T09:00:00.000+0000", date.format("%Y-%m-%d")),
    }
}

/// The date a `started` value falls on in `offset`.
pub fn started_date(text: &str, offset: FixedOffset) -> Option<NaiveDate> {
    DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.3f%z")
        .ok()
        .map(|t| t.with_timezone(&offset).date_naive())
}

/// Milliseconds of `date`'s first and last instant in `offset`.
pub fn day_bounds_ms(date: NaiveDate, offset: FixedOffset) -> Option<(i64, i64)> {
    let start = date
        .and_time(NaiveTime::MIN)
        .and_local_timezone(offset)
        .single()?
        .timestamp_millis();
    Some((start, start + 86_400_000 - 1))
}

/// A comment as one ADF paragraph.
pub fn adf(text: &str) -> Value {
    json!({
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    })
}

/// The plain text of a comment, ADF or string.
pub fn comment_text(comment: &Value) -> String {
    fn walk(node: &Value, out: &mut String) {
        match node {
            Value::String(s) => out.push_str(s),
            Value::Object(map) => {
                if let Some(Value::String(text)) = map.get("text") {
                    out.push_str(text);
                }
                if let Some(Value::Array(children)) = map.get("content") {
                    for (i, child) in children.iter().enumerate() {
                        if i > 0 && child.get("type").and_then(Value::as_str) == Some("paragraph") {
                            out.push('\n');
                        }
                        walk(child, out);
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = String::new();
    walk(comment, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn china() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).expect("offset")
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
    }

    #[test]
    fn started_has_a_colon_less_offset() {
        assert_eq!(started(day(), china()), "2026-03-02T09:00:00.000+0800");
        assert_eq!(
            started_date("2026-03-02T09:00:00.000+0800", china()),
            Some(day())
        );
        // A worklog started late on the 1st in UTC is the 2nd in China.
        assert_eq!(
            started_date("2026-03-01T20:00:00.000+0000", china()),
            Some(day())
        );
        assert_eq!(started_date("2026-03-02", china()), None);
    }

    #[test]
    fn comments_read_back_from_adf_and_text() {
        assert_eq!(
            comment_text(&adf("出勤折算 [hb:u:2026-03-02:EX-1]")),
            "出勤折算 [hb:u:2026-03-02:EX-1]"
        );
        assert_eq!(comment_text(&json!("plain")), "plain");
        assert_eq!(comment_text(&Value::Null), "");
    }

    #[test]
    fn a_day_is_bounded_in_its_offset() {
        let (start, end) = day_bounds_ms(day(), china()).expect("bounds");
        assert_eq!(start, 1_772_380_800_000);
        assert_eq!(end - start, 86_399_999);
    }
}
