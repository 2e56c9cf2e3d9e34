//! The worklogs the simulator holds, and the ids of those deleted.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::Value;

/// A worklog's comment as it was sent: ADF (Cloud) or plain text (v2).
#[derive(Debug, Clone, PartialEq)]
pub enum Comment {
    Adf(Value),
    Text(String),
}

impl Comment {
    /// The comment's text (ADF text nodes joined, paragraphs on new lines).
    pub fn text(&self) -> String {
        match self {
            Comment::Text(text) => text.clone(),
            Comment::Adf(doc) => adf_text(doc),
        }
    }

    /// The comment as ADF (plain text becomes one paragraph).
    pub fn adf(&self) -> Value {
        match self {
            Comment::Adf(doc) => doc.clone(),
            Comment::Text(text) => serde_json::json!({
                "type": "doc", "version": 1,
                "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}]
            }),
        }
    }
}

fn adf_text(node: &Value) -> String {
    if let Some(text) = node.get("text").and_then(Value::as_str) {
        return text.to_owned();
    }
    let Some(children) = node.get("content").and_then(Value::as_array) else {
        return String::new();
    };
    let separator = if node.get("type").and_then(Value::as_str) == Some("doc") {
        "\n"
    } else {
        ""
    };
    children
        .iter()
        .map(adf_text)
        .collect::<Vec<_>>()
        .join(separator)
}

/// One worklog.
#[derive(Debug, Clone, PartialEq)]
pub struct Worklog {
    pub id: u64,
    pub issue_id: u64,
    pub issue_key: String,
    /// The caller who created it (Cloud account id).
    pub author: String,
    pub update_author: String,
    pub comment: Option<Comment>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub started: DateTime<FixedOffset>,
    pub time_spent_seconds: u64,
    pub properties: BTreeMap<String, Value>,
}

impl Worklog {
    /// The comment's plain text (empty without a comment).
    pub fn comment_text(&self) -> String {
        self.comment.as_ref().map(Comment::text).unwrap_or_default()
    }
}

#[derive(Debug)]
pub struct WorklogStore {
    next_id: u64,
    worklogs: BTreeMap<u64, Worklog>,
    /// (worklog id, deleted at ms).
    deleted: Vec<(u64, i64)>,
}

impl Default for WorklogStore {
    fn default() -> Self {
        Self {
            next_id: 100_000,
            worklogs: BTreeMap::new(),
            deleted: Vec::new(),
        }
    }
}

impl WorklogStore {
    /// Stores a new worklog, giving it the next id.
    pub fn insert(&mut self, mut worklog: Worklog) -> Worklog {
        worklog.id = self.next_id;
        self.next_id += 1;
        self.worklogs.insert(worklog.id, worklog.clone());
        worklog
    }

    pub fn get(&self, id: u64) -> Option<&Worklog> {
        self.worklogs.get(&id)
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut Worklog> {
        self.worklogs.get_mut(&id)
    }

    pub fn remove(&mut self, id: u64, now: DateTime<Utc>) -> Option<Worklog> {
        let removed = self.worklogs.remove(&id)?;
        self.deleted.push((id, now.timestamp_millis()));
        Some(removed)
    }

    /// The worklogs of one issue, oldest first.
    pub fn of_issue(&self, issue_id: u64) -> Vec<&Worklog> {
        self.worklogs
            .values()
            .filter(|w| w.issue_id == issue_id)
            .collect()
    }

    pub fn all(&self) -> impl Iterator<Item = &Worklog> {
        self.worklogs.values()
    }

    pub fn deleted(&self) -> &[(u64, i64)] {
        &self.deleted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn adf_comments_read_as_text() {
        let doc = json!({"type":"doc","version":1,"content":[
            {"type":"paragraph","content":[{"type":"text","text":"出勤折算 "},{"type":"text","text":"[hb:x]"}]},
            {"type":"paragraph","content":[{"type":"text","text":"second"}]}]});
        assert_eq!(Comment::Adf(doc).text(), "出勤折算 [hb:x]\nsecond");
        let text = Comment::Text("plain".to_owned());
        assert_eq!(Comment::Adf(text.adf()).text(), "plain");
    }
}
