//! A connection pair's pilot scope (灰度): everyone, or only chosen
//! departments and people. Widening it names who came in, so the admin can
//! be offered a backfill for them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// Who a connection pair syncs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// DingTalk department ids (a person in any of them is in).
    #[serde(default)]
    pub departments: BTreeSet<i64>,
    /// DingTalk userids.
    #[serde(default)]
    pub people: BTreeSet<String>,
}

impl Scope {
    /// Everyone (no department or person chosen).
    pub fn is_everyone(&self) -> bool {
        self.departments.is_empty() && self.people.is_empty()
    }

    /// Whether the person (`userid`, in `departments`, ancestors included)
    /// is synced.
    pub fn includes(&self, userid: &str, departments: &[i64]) -> bool {
        self.is_everyone()
            || self.people.contains(userid)
            || departments.iter().any(|d| self.departments.contains(d))
    }

    /// Who `self` adds to `before`: the people of `everyone` (userid and
    /// departments) synced now but not before — the backfill to offer.
    pub fn widened_from<'a>(
        &self,
        before: &Scope,
        everyone: impl IntoIterator<Item = (&'a str, &'a [i64])>,
    ) -> Vec<&'a str> {
        everyone
            .into_iter()
            .filter(|(userid, depts)| {
                self.includes(userid, depts) && !before.includes(userid, depts)
            })
            .map(|(userid, _)| userid)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(departments: &[i64], people: &[&str]) -> Scope {
        Scope {
            departments: departments.iter().copied().collect(),
            people: people.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn an_empty_scope_is_everyone_otherwise_departments_or_named_people() {
        assert!(Scope::default().includes("anyone", &[]));
        let pilot = scope(&[10], &["u9"]);
        assert!(pilot.includes("u1", &[1, 10]));
        assert!(pilot.includes("u9", &[2]));
        assert!(!pilot.includes("u2", &[2]));
    }

    #[test]
    fn widening_names_only_the_people_who_came_in() {
        let everyone: Vec<(&str, &[i64])> = vec![
            ("u1", &[10]),
            ("u2", &[20]),
            ("u3", &[20, 30]),
            ("u4", &[40]),
        ];
        let before = scope(&[10], &[]);
        let after = scope(&[10, 20], &["u4"]);
        assert_eq!(
            after.widened_from(&before, everyone.clone()),
            vec!["u2", "u3", "u4"]
        );
        // Narrowing adds no one; everyone adds whoever was still out.
        assert!(before.widened_from(&after, everyone.clone()).is_empty());
        assert_eq!(
            Scope::default().widened_from(&before, everyone),
            vec!["u2", "u3", "u4"]
        );
    }
}
