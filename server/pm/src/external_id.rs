//! HourBridge's id for a worklog it writes: built from what must never be
//! written twice (the person, the day, the item), so that a retry finds the
//! worklog it already wrote instead of adding a second one.
//!
//! Stored where each system allows (Jira worklog property, Redmine custom
//! field, Feishu `X-IDEM-UUID`) and always as a `[hb:…]` marker at the end of
//! the comment, which every system keeps.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// `hb:{dingtalk userid}:{YYYY-MM-DD}:{item}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ExternalId(String);

impl TryFrom<String> for ExternalId {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        ExternalId::parse(&text).ok_or_else(|| format!("not an HourBridge id: {text}"))
    }
}

impl From<ExternalId> for String {
    fn from(id: ExternalId) -> Self {
        id.0
    }
}

const PREFIX: &str = "hb:";
/// Longest id accepted: Jira property keys and Redmine string fields take 255.
const MAX_LEN: usize = 255;

/// Characters that would break the marker or a URL filter.
fn clean(part: &str) -> String {
    part.chars()
        .map(|c| match c {
            ':' | '[' | ']' | '&' | '#' | '?' | '%' => '_',
            c if c.is_whitespace() || c.is_control() => '_',
            c => c,
        })
        .collect()
}

impl ExternalId {
    pub fn new(person: &str, date: NaiveDate, item: &str) -> Self {
        let mut id = format!(
            "{PREFIX}{}:{}:{}",
            clean(person),
            date.format("%Y-%m-%d"),
            clean(item)
        );
        if id.len() > MAX_LEN {
            let mut cut = MAX_LEN;
            while !id.is_char_boundary(cut) {
                cut -= 1;
            }
            id.truncate(cut);
        }
        ExternalId(id)
    }

    /// Reads an id back (from a property, a custom field or a marker).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let ok = text.starts_with(PREFIX)
            && text.len() <= MAX_LEN
            && text.split(':').count() == 4
            && !text.contains(['[', ']'])
            && !text.chars().any(char::is_whitespace);
        ok.then(|| ExternalId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The marker appended to a comment: `[hb:…]`.
    pub fn marker(&self) -> String {
        format!("[{}]", self.0)
    }

    /// The comment with the marker at its end (once).
    pub fn tag(&self, comment: &str) -> String {
        let comment = comment.trim_end();
        if Self::find_in(comment).as_ref() == Some(self) {
            return comment.to_owned();
        }
        if comment.is_empty() {
            self.marker()
        } else {
            format!("{comment} {}", self.marker())
        }
    }

    /// The last `[hb:…]` marker in a text, if any.
    pub fn find_in(text: &str) -> Option<Self> {
        let start = text.rfind("[hb:")?;
        let rest = &text[start + 1..];
        let end = rest.find(']')?;
        Self::parse(&rest[..end])
    }
}

impl fmt::Display for ExternalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
    }

    #[test]
    fn the_id_names_person_day_and_item() {
        let id = ExternalId::new("manager4561", day(), "EX-12");
        assert_eq!(id.as_str(), "hb:manager4561:2026-03-02:EX-12");
        assert_eq!(ExternalId::parse(id.as_str()), Some(id));
    }

    #[test]
    fn separators_in_parts_cannot_forge_another_id() {
        let id = ExternalId::new("a:b", day(), "x]y [z");
        assert_eq!(id.as_str(), "hb:a_b:2026-03-02:x_y__z");
        assert!(ExternalId::parse(id.as_str()).is_some());
    }

    #[test]
    fn the_marker_is_found_again_and_added_once() {
        let id = ExternalId::new("u1", day(), "42");
        let tagged = id.tag("出勤折算");
        assert_eq!(tagged, "出勤折算 [hb:u1:2026-03-02:42]");
        assert_eq!(id.tag(&tagged), tagged);
        assert_eq!(ExternalId::find_in(&tagged), Some(id));
        assert_eq!(ExternalId::find_in("no marker here"), None);
        assert_eq!(ExternalId::find_in("[hb:broken"), None);
    }

    #[test]
    fn a_long_item_is_cut_to_what_the_systems_store() {
        let id = ExternalId::new("u1", day(), &"项".repeat(200));
        assert!(id.as_str().len() <= MAX_LEN);
        assert!(id.as_str().is_char_boundary(id.as_str().len()));
    }
}
