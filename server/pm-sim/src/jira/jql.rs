//! The little JQL HourBridge sends: clauses joined by `AND` over
//! `project`, `key`/`issuekey`/`id`, `assignee`, `worklogAuthor`,
//! `worklogDate`, `status`, `statusCategory` (with `=`, `!=`, `in (…)`,
//! `not in (…)`, and `>=`, `<=`, `>`, `<` for dates), values bare or quoted,
//! then an optional `ORDER BY`.

use chrono::NaiveDate;

use super::data::{Directory, Issue, StatusCategory};
use super::error::{JiraError, JiraResult};
use super::store::WorklogStore;
use super::Api;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Quoted(String),
    Op(String),
    Comma,
    Open,
    Close,
}

fn tokenize(jql: &str) -> JiraResult<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = jql.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                chars.next();
            }
            ',' => {
                chars.next();
                tokens.push(Token::Comma);
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            '"' | '\'' => {
                chars.next();
                let mut text = String::new();
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some(other) => text.push(other),
                        None => return Err(parse_error("an unterminated string")),
                    }
                }
                tokens.push(Token::Quoted(text));
            }
            '=' | '!' | '<' | '>' | '~' => {
                let mut op = String::new();
                while let Some(&o) = chars.peek() {
                    if matches!(o, '=' | '!' | '<' | '>' | '~') {
                        op.push(o);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(Token::Op(op));
            }
            _ => {
                let mut word = String::new();
                while let Some(&w) = chars.peek() {
                    if w.is_whitespace()
                        || matches!(
                            w,
                            ',' | '(' | ')' | '=' | '!' | '<' | '>' | '~' | '"' | '\''
                        )
                    {
                        break;
                    }
                    word.push(w);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
        }
    }
    Ok(tokens)
}

fn parse_error(what: &str) -> JiraError {
    JiraError::bad_request(format!("Error in the JQL Query: {what}."))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    Project,
    Key,
    Assignee,
    WorklogAuthor,
    WorklogDate,
    Status,
    StatusCategory,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Clause {
    field: Field,
    op: String,
    values: Vec<String>,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jql {
    clauses: Vec<Clause>,
}

impl Jql {
    pub fn parse(jql: &str) -> JiraResult<Jql> {
        let tokens = tokenize(jql)?;
        let mut clauses = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let Some(Token::Word(word)) = tokens.get(i) else {
                return Err(parse_error("expecting a field name"));
            };
            let lower = word.to_ascii_lowercase();
            if lower == "order" {
                break; // ORDER BY …: the order is always by id.
            }
            if lower == "and" && !clauses.is_empty() {
                i += 1;
                continue;
            }
            let field = match lower.as_str() {
                "project" => Field::Project,
                "key" | "issuekey" | "id" | "issue" => Field::Key,
                "assignee" => Field::Assignee,
                "worklogauthor" => Field::WorklogAuthor,
                "worklogdate" => Field::WorklogDate,
                "status" => Field::Status,
                "statuscategory" => Field::StatusCategory,
                _ => {
                    return Err(JiraError::bad_request(format!(
                        "Field '{word}' does not exist or you do not have permission to view it."
                    )))
                }
            };
            i += 1;
            let op = match tokens.get(i) {
                Some(Token::Op(op)) => op.clone(),
                Some(Token::Word(w)) if w.eq_ignore_ascii_case("in") => "in".to_owned(),
                Some(Token::Word(w))
                    if w.eq_ignore_ascii_case("not")
                        && matches!(tokens.get(i + 1), Some(Token::Word(n)) if n.eq_ignore_ascii_case("in")) =>
                {
                    i += 1;
                    "not in".to_owned()
                }
                _ => {
                    return Err(parse_error(&format!(
                        "expecting an operator after '{word}'"
                    )))
                }
            };
            i += 1;
            let mut values = Vec::new();
            if op == "in" || op == "not in" {
                if tokens.get(i) != Some(&Token::Open) {
                    return Err(parse_error("expecting '(' after 'in'"));
                }
                i += 1;
                loop {
                    match tokens.get(i) {
                        Some(Token::Word(v) | Token::Quoted(v)) => values.push(v.clone()),
                        Some(Token::Comma) => {}
                        Some(Token::Close) => break,
                        _ => return Err(parse_error("expecting ')'")),
                    }
                    i += 1;
                }
                i += 1;
            } else {
                match tokens.get(i) {
                    Some(Token::Word(v) | Token::Quoted(v)) => values.push(v.clone()),
                    _ => return Err(parse_error(&format!("expecting a value after '{op}'"))),
                }
                i += 1;
            }
            if !matches!(
                op.as_str(),
                "=" | "!=" | "in" | "not in" | ">=" | "<=" | ">" | "<"
            ) {
                return Err(parse_error(&format!(
                    "the operator '{op}' is not supported"
                )));
            }
            clauses.push(Clause { field, op, values });
        }
        Ok(Jql { clauses })
    }

    /// No restriction at all (Cloud refuses these on `search/jql`).
    pub fn is_unbounded(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Checks values that must exist (projects, users), as Jira does.
    pub fn check(&self, dir: &Directory, api: Api) -> JiraResult<()> {
        for clause in &self.clauses {
            for value in &clause.values {
                let known = match clause.field {
                    Field::Project => dir.project(value).is_some(),
                    Field::Assignee | Field::WorklogAuthor => {
                        value.eq_ignore_ascii_case("empty") || user_index(dir, api, value).is_some()
                    }
                    Field::WorklogDate => date(value).is_some(),
                    Field::StatusCategory => StatusCategory::parse(value).is_some(),
                    Field::Key | Field::Status => true,
                };
                if !known {
                    return Err(JiraError::bad_request(format!(
                        "The value '{value}' does not exist for the field '{}'.",
                        field_name(&clause.field)
                    )));
                }
            }
        }
        Ok(())
    }

    /// The issues matching, by id.
    pub fn select<'a>(&self, dir: &'a Directory, api: Api, store: &WorklogStore) -> Vec<&'a Issue> {
        dir.issues
            .iter()
            .filter(|issue| {
                self.clauses
                    .iter()
                    .all(|c| matches(c, issue, dir, api, store))
            })
            .collect()
    }
}

fn field_name(field: &Field) -> &'static str {
    match field {
        Field::Project => "project",
        Field::Key => "key",
        Field::Assignee => "assignee",
        Field::WorklogAuthor => "worklogAuthor",
        Field::WorklogDate => "worklogDate",
        Field::Status => "status",
        Field::StatusCategory => "statusCategory",
    }
}

fn user_index(dir: &Directory, api: Api, value: &str) -> Option<usize> {
    match api {
        Api::Cloud => dir.user_by_account_id(value).map(|(i, _)| i),
        Api::DataCenter => dir.user_by_name(value).map(|(i, _)| i),
    }
}

fn date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%Y/%m/%d"))
        .ok()
}

fn matches(
    clause: &Clause,
    issue: &Issue,
    dir: &Directory,
    api: Api,
    store: &WorklogStore,
) -> bool {
    let any = |test: &dyn Fn(&str) -> bool| clause.values.iter().any(|v| test(v));
    let positive = match clause.field {
        Field::Project => any(&|v| dir.project(v).is_some_and(|(i, _)| i == issue.project)),
        Field::Status => any(&|v| v.eq_ignore_ascii_case(issue.status)),
        Field::StatusCategory => {
            let category = StatusCategory::of(issue.status);
            any(&|v| StatusCategory::parse(v) == Some(category))
        }
        Field::Key => {
            any(&|v| v.eq_ignore_ascii_case(&issue.key) || v == issue.id.to_string().as_str())
        }
        Field::Assignee => any(&|v| {
            if v.eq_ignore_ascii_case("empty") {
                issue.assignee.is_none()
            } else {
                user_index(dir, api, v).is_some_and(|u| issue.assignee == Some(u))
            }
        }),
        Field::WorklogAuthor => any(&|v| {
            let Some(u) = user_index(dir, api, v).and_then(|u| dir.users.get(u)) else {
                return false;
            };
            store
                .of_issue(issue.id)
                .iter()
                .any(|w| w.author == u.account_id)
        }),
        Field::WorklogDate => {
            let Some(bound) = clause.values.first().and_then(|v| date(v)) else {
                return false;
            };
            store.of_issue(issue.id).iter().any(|w| {
                let day = w.started.date_naive();
                match clause.op.as_str() {
                    ">=" => day >= bound,
                    "<=" => day <= bound,
                    ">" => day > bound,
                    "<" => day < bound,
                    "!=" => day != bound,
                    _ => day == bound,
                }
            })
        }
    };
    let negated = clause.op == "!=" || clause.op == "not in";
    if negated && clause.field != Field::WorklogDate {
        !positive
    } else {
        positive
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_parse_into_clauses() {
        let q = Jql::parse(r#"project = "CRM" AND assignee in (a, 'b') ORDER BY key"#).unwrap();
        assert_eq!(q.clauses.len(), 2);
        assert_eq!(q.clauses[1].values, ["a", "b"]);
        assert!(Jql::parse("ORDER BY key").unwrap().is_unbounded());
        assert!(Jql::parse("").unwrap().is_unbounded());
        assert!(Jql::parse("nosuch = 1").is_err());
        assert!(Jql::parse("project = ").is_err());
        assert!(Jql::parse("project = \"CRM").is_err());
        let q = Jql::parse(r#"worklogDate >= "2026-03-01" AND status not in (Done, "Closed")"#)
            .unwrap();
        assert_eq!(q.clauses[0].values, ["2026-03-01"]);
        assert_eq!(q.clauses[1].op, "not in");
    }

    fn small() -> Directory {
        Directory::generate(&crate::jira::JiraConfig {
            company: hourbridge_dingtalk_sim::CompanySpec {
                people: 30,
                departments: 3,
                ..Default::default()
            },
            projects: 4,
            ..crate::jira::JiraConfig::default()
        })
    }

    fn keys(dir: &Directory, jql: &str) -> Vec<String> {
        let q = Jql::parse(jql).unwrap();
        q.check(dir, Api::Cloud).unwrap();
        q.select(dir, Api::Cloud, &WorklogStore::default())
            .into_iter()
            .map(|i| i.key.clone())
            .collect()
    }

    #[test]
    fn status_category_separates_open_from_finished_issues() {
        let dir = small();
        let project = &dir.projects[0].key;
        let all = keys(&dir, &format!("project = {project}"));
        let open = keys(
            &dir,
            &format!(r#"project = "{project}" AND statusCategory != Done ORDER BY key"#),
        );
        let done = keys(
            &dir,
            &format!("project = '{project}' AND statusCategory = \"Done\""),
        );
        assert!(!open.is_empty() && !done.is_empty());
        assert_eq!(open.len() + done.len(), all.len());
        for key in &done {
            let status = dir.issue(key).unwrap().status;
            assert!(status == "Done" || status == "Closed", "{status}");
        }
        for key in &open {
            assert_ne!(
                StatusCategory::of(dir.issue(key).unwrap().status),
                StatusCategory::Done
            );
        }
        let listed = keys(
            &dir,
            &format!(r#"project = {project} AND statusCategory in ("To Do", "In Progress")"#),
        );
        assert_eq!(listed, open);
        let not_in = keys(
            &dir,
            &format!("project = {project} AND statusCategory not in (Done)"),
        );
        assert_eq!(not_in, open);
        assert!(Jql::parse("statusCategory = Nope")
            .unwrap()
            .check(&dir, Api::Cloud)
            .is_err());
    }
}
