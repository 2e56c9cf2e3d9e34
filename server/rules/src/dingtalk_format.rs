//! DingTalk's attendance data exactly as its APIs answer it, for the parts
//! the rules need: punch results (`attendance/list` → `recordresult[]`) and
//! finished approval forms (`getupdatedata` → `approve_list[]`).
//!
//! These are plain serde shapes with lenient scalars (numbers may come as
//! numeric strings), kept here so that this crate needs no HTTP client. The
//! DingTalk connector reads the same answers into its own richer types in
//! `hourbridge_dingtalk::model`, sharing [`TimeResult`] and [`parse_local_time`].

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::hours::Hours;
use crate::model::TimeResult;

/// One check point's result (`recordresult[]` of `attendance/list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordResult {
    /// The result's id; the same id twice is the same record.
    #[serde(deserialize_with = "lenient_i64")]
    pub id: i64,
    /// DingTalk userid.
    #[serde(deserialize_with = "lenient_string")]
    pub user_id: String,
    /// Local midnight of the work date, epoch ms.
    #[serde(deserialize_with = "lenient_i64")]
    pub work_date: i64,
    /// `OnDuty` or `OffDuty`.
    pub check_type: String,
    /// The result.
    pub time_result: TimeResult,
    /// The scheduled time, epoch ms.
    #[serde(default, deserialize_with = "lenient_opt_i64")]
    pub base_check_time: Option<i64>,
    /// The actual punch, epoch ms (absent when `NotSigned`).
    #[serde(default, deserialize_with = "lenient_opt_i64")]
    pub user_check_time: Option<i64>,
}

/// One finished approval form (`approve_list[]` of `getupdatedata`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproveItem {
    /// 1 overtime, 2 business trip / outing, 3 leave.
    #[serde(deserialize_with = "lenient_i64")]
    pub biz_type: i64,
    /// 加班, 出差, 外出, 请假.
    #[serde(default)]
    pub tag_name: Option<String>,
    /// For leave: the leave type (年假, 病假…).
    #[serde(default)]
    pub sub_type: Option<String>,
    /// The form's duration in `duration_unit`s.
    #[serde(default)]
    pub duration: Option<Hours>,
    /// `day`, `halfDay` or `hour`.
    #[serde(default)]
    pub duration_unit: Option<String>,
    /// Local start, `yyyy-MM-dd HH:mm:ss` (or shorter forms).
    #[serde(default)]
    pub begin_time: Option<String>,
    /// Local end.
    #[serde(default)]
    pub end_time: Option<String>,
    /// When the form was approved.
    #[serde(default)]
    pub gmt_finished: Option<String>,
    /// The form's id.
    #[serde(rename = "procInst_id", default)]
    pub proc_inst_id: Option<String>,
}

/// Reads the local times of `getupdatedata`: `yyyy-MM-dd HH:mm:ss`,
/// `yyyy-MM-dd HH:mm`, `yyyy-MM-dd` (midnight) or `yyyy-MM-dd AM|PM`
/// (09:00 / 13:00, the half-day form).
pub fn parse_local_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
        return Some(t);
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M") {
        return Some(t);
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(d.and_time(NaiveTime::MIN));
    }
    let (date, half) = text.split_once(' ')?;
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let hour = match half.trim() {
        "AM" => 9,
        "PM" => 13,
        _ => return None,
    };
    Some(d.and_time(NaiveTime::from_hms_opt(hour, 0, 0)?))
}

fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(I64Visitor)
}

fn lenient_opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(OptI64Visitor)
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(StringVisitor)
}

struct I64Visitor;

impl Visitor<'_> for I64Visitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a numeric string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom("integer too large"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(v as i64)
        } else {
            Err(E::custom("not an integer"))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::custom(format!("`{v}` is not an integer")))
    }
}

struct OptI64Visitor;

impl<'de> Visitor<'de> for OptI64Visitor {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, a numeric string or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
        lenient_opt_i64(d)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<i64>, E> {
        Ok(Some(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<i64>, E> {
        I64Visitor.visit_u64(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<i64>, E> {
        I64Visitor.visit_f64(v).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<i64>, E> {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            I64Visitor.visit_str(v).map(Some)
        }
    }
}

struct StringVisitor;

impl Visitor<'_> for StringVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_accept_numeric_strings_and_unknown_results() {
        let json = r#"{"id":"101","userId":7,"workDate":"1772380800000","checkType":"OnDuty",
            "timeResult":"SomethingNew","baseCheckTime":1772413200000,"userCheckTime":null,"extra":1}"#;
        let r: RecordResult = serde_json::from_str(json).unwrap();
        assert_eq!(r.id, 101);
        assert_eq!(r.user_id, "7");
        assert_eq!(r.time_result, TimeResult::Other);
        assert_eq!(r.user_check_time, None);
    }

    #[test]
    fn approvals_read_decimal_strings_exactly() {
        let json = r#"{"biz_type":"3","tag_name":"请假","sub_type":"调休","duration":"1.25",
            "duration_unit":"hour","begin_time":"2026-03-17 09:00:00","procInst_id":"lv-20"}"#;
        let a: ApproveItem = serde_json::from_str(json).unwrap();
        assert_eq!(a.biz_type, 3);
        assert_eq!(a.duration, Some(Hours::from_minutes(75)));
        assert_eq!(a.proc_inst_id.as_deref(), Some("lv-20"));
    }

    #[test]
    fn approval_times_in_every_documented_form() {
        let t = |s| parse_local_time(s).map(|t| t.to_string());
        assert_eq!(
            t("2026-03-04 09:00:00").as_deref(),
            Some("2026-03-04 09:00:00")
        );
        assert_eq!(
            t("2026-03-04 09:30").as_deref(),
            Some("2026-03-04 09:30:00")
        );
        assert_eq!(t("2026-03-04").as_deref(), Some("2026-03-04 00:00:00"));
        assert_eq!(t("2026-03-04 PM").as_deref(), Some("2026-03-04 13:00:00"));
        assert_eq!(t("04/03/2026"), None);
    }
}
