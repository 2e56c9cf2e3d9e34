//! The body of `POST /tasks/{id}/estimate`: parallel arrays, one element
//! per effort row, under the version's field names (20+: `date[]`; ≤ 18:
//! `dates[]`); other keys are ignored. Validated as ZenTao does
//! (`checkWorkhour`), in its zh-cn words: 20+ answers every message keyed
//! by field (`{"consumed[0]":…}`), ≤ 18 the first one as plain text.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::config::ZentaoVersion;
use super::error::ZentaoError;
use super::store::Record;

/// `zt_effort.work` is `varchar(255)`; ≤ 18 checks `strlen` (bytes).
pub const MAX_WORK: usize = 255;

/// The body as an object (JSON, or a form as the web page posts it).
pub fn object(body: &[u8]) -> Result<Map<String, Value>, ZentaoError> {
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        return Ok(map);
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    if pairs.is_empty() {
        return Err(ZentaoError::message("error"));
    }
    let mut map = Map::new();
    for (key, value) in pairs {
        let name = key
            .trim_end_matches("[]")
            .split('[')
            .next()
            .unwrap_or(&key)
            .to_owned();
        match map.get_mut(&name) {
            Some(Value::Array(items)) => items.push(Value::String(value)),
            _ => {
                map.insert(name, Value::Array(vec![Value::String(value)]));
            }
        }
    }
    Ok(map)
}

/// Element `i` of an array field (a scalar counts as element 0).
fn at<'a>(map: &'a Map<String, Value>, field: &str, i: usize) -> Option<&'a Value> {
    match map.get(field)? {
        Value::Array(items) => items.get(i),
        Value::Object(items) => items.values().nth(i),
        scalar if i == 0 => Some(scalar),
        _ => None,
    }
}

fn len(map: &Map<String, Value>, field: &str) -> usize {
    match map.get(field) {
        Some(Value::Array(items)) => items.len(),
        Some(Value::Object(items)) => items.len(),
        Some(Value::Null) | None => 0,
        Some(_) => 1,
    }
}

fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(other) => other.to_string(),
    }
}

/// What PHP's `is_numeric` accepts, near enough.
fn numeric(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The rows to record, or ZenTao's refusal.
pub fn records(
    map: &Map<String, Value>,
    version: ZentaoVersion,
    today: NaiveDate,
) -> Result<Vec<Record>, ZentaoError> {
    let date_field = version.date_field();
    let rows = [date_field, "consumed", "left", "work"]
        .iter()
        .map(|f| len(map, f))
        .max()
        .unwrap_or(0);
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    for i in 0..rows {
        let date_text = text(at(map, date_field, i));
        let consumed_text = text(at(map, "consumed", i));
        let left_text = text(at(map, "left", i));
        let work = text(at(map, "work", i));
        if work.is_empty() && numeric(&consumed_text).unwrap_or(0.0) == 0.0 {
            continue;
        }
        let mut fail =
            |field: &str, message: String| errors.push((format!("{field}[{i}]"), message));
        let date = NaiveDate::parse_from_str(&date_text, "%Y-%m-%d").ok();
        match date {
            None => fail("date", "『日期』不能为空。".to_owned()),
            Some(d) if d > today => fail("date", format!("ID #{i} 日期不能大于今天")),
            Some(_) => {}
        }
        let consumed = numeric(&consumed_text);
        match consumed {
            // PHP's `!$consumed`: "" and "0" are both empty.
            _ if consumed_text.is_empty() || consumed_text == "0" => {
                fail("consumed", "请填写\"工时\"".to_owned())
            }
            None => fail("consumed", format!("ID #{i} \"总计消耗\"必须为数字")),
            Some(c) if c <= 0.0 => fail("consumed", format!("『ID #{i} 工时』应当大于『0』。")),
            Some(_) => {}
        }
        let left = numeric(&left_text);
        match left {
            _ if left_text.is_empty() => fail("left", "请填写\"剩余\"".to_owned()),
            None => fail("left", format!("ID #{i} \"预计剩余\"必须为数字")),
            Some(l) if l < 0.0 => fail("left", format!("『ID #{i} 剩余』应当大于『0』。")),
            Some(_) => {}
        }
        let too_long = match version {
            ZentaoVersion::V18 => work.len() > MAX_WORK,
            ZentaoVersion::V20 => work.chars().count() > MAX_WORK,
        };
        if too_long {
            fail("work", format!("\"备注\"必须小于{MAX_WORK}个字符"));
        }
        if let (Some(date), Some(consumed), Some(left)) = (date, consumed, left) {
            out.push(Record {
                date,
                consumed,
                left,
                work,
            });
        }
    }
    if errors.is_empty() {
        return Ok(out);
    }
    Err(match version {
        ZentaoVersion::V20 => ZentaoError::BadRequest(Value::Object(
            errors
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        )),
        ZentaoVersion::V18 => ZentaoError::message(
            errors
                .into_iter()
                .next()
                .map(|(_, v)| v)
                .unwrap_or_default(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
    }

    fn read(body: Value, version: ZentaoVersion) -> Result<Vec<Record>, ZentaoError> {
        let Value::Object(map) = body else {
            panic!("an object")
        };
        records(&map, version, today())
    }

    #[test]
    fn each_version_reads_its_own_date_field() {
        let portable = json!({"id":[0],"date":["2026-03-02"],"dates":["2026-03-02"],
            "consumed":[7.5],"left":[8],"work":["x"],"objectType":"task","objectID":9});
        for version in [ZentaoVersion::V18, ZentaoVersion::V20] {
            let rows = read(portable.clone(), version).expect("accepted");
            assert_eq!(rows.len(), 1);
            assert_eq!((rows[0].consumed, rows[0].left), (7.5, 8.0));
        }
        let v20_only = json!({"date":["2026-03-02"],"consumed":[7.5],"left":[8],"work":["x"]});
        assert!(read(v20_only.clone(), ZentaoVersion::V20).is_ok());
        assert_eq!(
            read(v20_only, ZentaoVersion::V18),
            Err(ZentaoError::message("『日期』不能为空。"))
        );
    }

    #[test]
    fn refusals_are_keyed_by_field_in_20_and_plain_in_18() {
        let bad = json!({"date":["2026-03-03"],"dates":["2026-03-03"],"consumed":["0"],"left":[-1],"work":["x"]});
        let v20 = read(bad.clone(), ZentaoVersion::V20).expect_err("refused");
        assert_eq!(
            v20,
            ZentaoError::BadRequest(json!({
                "date[0]": "ID #0 日期不能大于今天",
                "consumed[0]": "请填写\"工时\"",
                "left[0]": "『ID #0 剩余』应当大于『0』。",
            }))
        );
        let v18 = read(bad, ZentaoVersion::V18).expect_err("refused");
        assert_eq!(v18, ZentaoError::message("ID #0 日期不能大于今天"));
        let long =
            json!({"dates":["2026-03-02"],"consumed":[1],"left":[1],"work":["长".repeat(100)]});
        assert!(read(long.clone(), ZentaoVersion::V18).is_err(), "300 bytes");
        let long =
            json!({"date":["2026-03-02"],"consumed":[1],"left":[1],"work":["长".repeat(100)]});
        assert!(read(long, ZentaoVersion::V20).is_ok(), "100 characters");
    }
}
