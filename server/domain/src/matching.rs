//! Matching DingTalk people to the users of a PM system: by e-mail, then
//! mobile, then job number, then exact name. A rule only matches when it
//! names exactly one user on each side; two candidates are shown for a
//! decision, never guessed. A decision made by hand always wins, and a
//! person is keyed by DingTalk `userid`, so renames never break a match.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A DingTalk person, as the directory holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub userid: String,
    pub name: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub job_number: Option<String>,
}

/// A user of the PM system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub login: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
}

/// How a match was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Email,
    Mobile,
    JobNumber,
    Name,
    /// Chosen by an administrator.
    Manual,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Email => "email",
            Method::Mobile => "mobile",
            Method::JobNumber => "job_number",
            Method::Name => "name",
            Method::Manual => "manual",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Method::Email,
            Method::Mobile,
            Method::JobNumber,
            Method::Name,
            Method::Manual,
        ]
        .into_iter()
        .find(|m| m.as_str() == text)
    }
}

/// What matching says about one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Matched {
        account: String,
        method: Method,
    },
    /// Several users fit the first rule that found any: a person decides.
    Ambiguous {
        method: Method,
        candidates: Vec<String>,
    },
    /// An administrator said this person has no account here.
    NoAccount,
    Unmatched,
}

/// A decision made by hand: the account, or `None` for "no account here".
pub type Decisions = HashMap<String, Option<String>>;

fn email_key(e: &str) -> Option<String> {
    let e = e.trim().to_lowercase();
    (e.contains('@') && e.len() > 2).then_some(e)
}

/// Mobile numbers compare on their digits, without a +86 / 0086 prefix.
fn mobile_key(m: &str) -> Option<String> {
    let digits: String = m.chars().filter(char::is_ascii_digit).collect();
    let digits = digits
        .strip_prefix("0086")
        .or_else(|| digits.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(&digits)
        .to_owned();
    (digits.len() >= 6).then_some(digits)
}

fn text_key(t: &str) -> Option<String> {
    let t: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// The accounts under each key of one rule.
fn index(
    accounts: &[Account],
    key: impl Fn(&Account) -> Option<String>,
) -> HashMap<String, Vec<String>> {
    let mut by: HashMap<String, Vec<String>> = HashMap::new();
    for a in accounts {
        if let Some(k) = key(a) {
            by.entry(k).or_default().push(a.id.clone());
        }
    }
    by
}

/// How many people share each key of one rule (a shared name is no proof).
fn counts(people: &[Person], key: impl Fn(&Person) -> Option<String>) -> HashMap<String, usize> {
    let mut by = HashMap::new();
    for p in people {
        if let Some(k) = key(p) {
            *by.entry(k).or_default() += 1;
        }
    }
    by
}

/// One rule's keys: the accounts under each, and how many people share it.
struct RuleIndex {
    method: Method,
    accounts: HashMap<String, Vec<String>>,
    people: HashMap<String, usize>,
}

/// Matches every person; the answer is keyed by `userid`.
pub fn match_people(
    people: &[Person],
    accounts: &[Account],
    decisions: &Decisions,
) -> BTreeMap<String, Outcome> {
    type Rule<'a> = (
        Method,
        Box<dyn Fn(&Person) -> Option<String> + 'a>,
        Box<dyn Fn(&Account) -> Option<String> + 'a>,
    );
    let rules: Vec<Rule> = vec![
        (
            Method::Email,
            Box::new(|p| p.email.as_deref().and_then(email_key)),
            Box::new(|a| a.email.as_deref().and_then(email_key)),
        ),
        (
            Method::Mobile,
            Box::new(|p| p.mobile.as_deref().and_then(mobile_key)),
            Box::new(|a| a.mobile.as_deref().and_then(mobile_key)),
        ),
        (
            Method::JobNumber,
            Box::new(|p| p.job_number.as_deref().and_then(text_key)),
            Box::new(|a| a.login.as_deref().and_then(text_key)),
        ),
        (
            Method::Name,
            Box::new(|p| text_key(&p.name)),
            Box::new(|a| text_key(&a.name)),
        ),
    ];
    let indexed: Vec<RuleIndex> = rules
        .iter()
        .map(|(method, person_key, account_key)| RuleIndex {
            method: *method,
            accounts: index(accounts, account_key),
            people: counts(people, person_key),
        })
        .collect();
    let known: std::collections::HashSet<&str> = accounts.iter().map(|a| a.id.as_str()).collect();

    let mut out = BTreeMap::new();
    for person in people {
        let outcome = match decisions.get(&person.userid) {
            Some(Some(account)) if known.contains(account.as_str()) => Outcome::Matched {
                account: account.clone(),
                method: Method::Manual,
            },
            Some(None) => Outcome::NoAccount,
            // A decision for an account that no longer exists: decide again.
            Some(Some(_)) => Outcome::Unmatched,
            None => rules
                .iter()
                .zip(&indexed)
                .find_map(|((_, person_key, _), rule)| {
                    let key = person_key(person)?;
                    let candidates = rule.accounts.get(&key)?;
                    let shared = rule.people.get(&key).copied().unwrap_or(0) > 1;
                    Some(if candidates.len() == 1 && !shared {
                        Outcome::Matched {
                            account: candidates[0].clone(),
                            method: rule.method,
                        }
                    } else {
                        Outcome::Ambiguous {
                            method: rule.method,
                            candidates: candidates.clone(),
                        }
                    })
                })
                .unwrap_or(Outcome::Unmatched),
        };
        out.insert(person.userid.clone(), outcome);
    }
    out
}

/// Where a person stands, for the matching page's filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    Matched,
    Ambiguous,
    Unmatched,
    NoAccount,
}

impl Outcome {
    pub fn status(&self) -> MatchStatus {
        match self {
            Outcome::Matched { .. } => MatchStatus::Matched,
            Outcome::Ambiguous { .. } => MatchStatus::Ambiguous,
            Outcome::Unmatched => MatchStatus::Unmatched,
            Outcome::NoAccount => MatchStatus::NoAccount,
        }
    }

    /// Needs a person to decide (shown under "unmatched").
    pub fn needs_decision(&self) -> bool {
        matches!(self, Outcome::Ambiguous { .. } | Outcome::Unmatched)
    }
}

/// A PM user as the matching page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub login: Option<String>,
}

/// One person's row on the matching page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRow {
    pub userid: String,
    pub name: String,
    pub email: Option<String>,
    pub status: MatchStatus,
    /// How the match was made, when matched or ambiguous.
    pub method: Option<Method>,
    pub account: Option<AccountView>,
    pub candidates: Vec<AccountView>,
}

/// The matching page for one PM connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchPage {
    pub rows: Vec<MatchRow>,
    /// Rows after the filter and search, before paging.
    pub matching: u64,
    pub page: u64,
    pub people: u64,
    pub needs_decision: u64,
    /// The PM users, for choosing by hand.
    pub accounts: Vec<AccountView>,
}

pub const MATCH_PAGE_SIZE: u64 = 50;

#[cfg(test)]
mod tests {
    use super::*;

    fn person(userid: &str, name: &str, email: Option<&str>, mobile: Option<&str>) -> Person {
        Person {
            userid: userid.into(),
            name: name.into(),
            email: email.map(Into::into),
            mobile: mobile.map(Into::into),
            job_number: None,
        }
    }

    fn account(id: &str, name: &str, email: Option<&str>) -> Account {
        Account {
            id: id.into(),
            login: None,
            name: name.into(),
            email: email.map(Into::into),
            mobile: None,
        }
    }

    fn matched(account: &str, method: Method) -> Outcome {
        Outcome::Matched {
            account: account.into(),
            method,
        }
    }

    #[test]
    fn email_wins_over_name_and_ignores_case() {
        let people = [person("u1", "李雷", Some("Li.Lei@corp.cn"), None)];
        let accounts = [
            account("a1", "李雷", None),
            account("a2", "Lei Li", Some("li.lei@CORP.cn")),
        ];
        let out = match_people(&people, &accounts, &Decisions::new());
        assert_eq!(out["u1"], matched("a2", Method::Email));
    }

    #[test]
    fn mobiles_match_without_the_country_code() {
        let people = [person("u1", "韩梅梅", None, Some("+86 138-0013-8000"))];
        let mut a = account("a1", "Meimei", None);
        a.mobile = Some("13800138000".into());
        let out = match_people(&people, &[a], &Decisions::new());
        assert_eq!(out["u1"], matched("a1", Method::Mobile));
    }

    #[test]
    fn a_job_number_matches_a_login() {
        let mut p = person("u1", "王芳", None, None);
        p.job_number = Some("E1024".into());
        let mut a = account("a1", "Fang", None);
        a.login = Some("E1024".into());
        let out = match_people(&[p], &[a], &Decisions::new());
        assert_eq!(out["u1"], matched("a1", Method::JobNumber));
    }

    #[test]
    fn two_users_with_the_same_name_are_never_guessed() {
        let people = [person("u1", "张伟", None, None)];
        let accounts = [account("a1", "张伟", None), account("a2", "张伟", None)];
        let out = match_people(&people, &accounts, &Decisions::new());
        assert_eq!(
            out["u1"],
            Outcome::Ambiguous {
                method: Method::Name,
                candidates: vec!["a1".into(), "a2".into()],
            }
        );
    }

    #[test]
    fn two_people_with_the_same_name_are_never_guessed_either() {
        let people = [
            person("u1", "张伟", None, None),
            person("u2", "张伟", None, None),
        ];
        let out = match_people(&people, &[account("a1", "张伟", None)], &Decisions::new());
        assert!(matches!(out["u1"], Outcome::Ambiguous { .. }));
        assert!(matches!(out["u2"], Outcome::Ambiguous { .. }));
    }

    #[test]
    fn a_decision_by_hand_wins_and_survives_renames() {
        let people = [person("u1", "李雷（新名字）", Some("lilei@corp.cn"), None)];
        let accounts = [
            account("a1", "李雷", Some("lilei@corp.cn")),
            account("a2", "Other", None),
        ];
        let mut decisions = Decisions::new();
        decisions.insert("u1".into(), Some("a2".into()));
        assert_eq!(
            match_people(&people, &accounts, &decisions)["u1"],
            matched("a2", Method::Manual)
        );
        decisions.insert("u1".into(), None);
        assert_eq!(
            match_people(&people, &accounts, &decisions)["u1"],
            Outcome::NoAccount
        );
        decisions.insert("u1".into(), Some("gone".into()));
        assert_eq!(
            match_people(&people, &accounts, &decisions)["u1"],
            Outcome::Unmatched
        );
    }

    #[test]
    fn nobody_fitting_is_unmatched() {
        let people = [person("u1", "赵六", Some("zl@corp.cn"), None)];
        let out = match_people(&people, &[account("a1", "钱七", None)], &Decisions::new());
        assert_eq!(out["u1"], Outcome::Unmatched);
    }

    #[test]
    fn methods_round_trip() {
        for m in [
            Method::Email,
            Method::Mobile,
            Method::JobNumber,
            Method::Name,
            Method::Manual,
        ] {
            assert_eq!(Method::parse(m.as_str()), Some(m));
        }
    }
}
