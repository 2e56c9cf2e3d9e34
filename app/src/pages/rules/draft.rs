//! The rule book being edited: one signal the whole editor writes to, the
//! version on screen, and its problems — checked in the browser on every
//! change with the same validation the server applies on save.

use hourbridge_rules::rules::{Rule, RuleSet};
use hourbridge_rules::{FieldError, RuleBook};
use leptos::prelude::*;

use crate::components::versions::{problem_message, problem_under};

/// Shared by every part of the editor (a context).
#[derive(Clone, Copy)]
pub struct Draft {
    pub book: RwSignal<RuleBook>,
    /// Index into `book.versions` of the version on screen.
    pub version: RwSignal<usize>,
    /// Problems of the draft as it is now.
    pub problems: Memo<Vec<FieldError>>,
    /// Problems the server reported for the last save (cleared by any edit).
    pub refused: RwSignal<Vec<FieldError>>,
    /// The reader's language is Chinese.
    pub zh: Signal<bool>,
}

impl Draft {
    pub fn new(book: RuleBook, version: usize, zh: Signal<bool>) -> Draft {
        let book = RwSignal::new(book);
        let problems = Memo::new(move |_| {
            book.with(|b| {
                b.validate()
                    .err()
                    .map(|e| e.field_errors().to_vec())
                    .unwrap_or_default()
            })
        });
        Draft {
            book,
            version: RwSignal::new(version),
            problems,
            refused: RwSignal::new(Vec::new()),
            zh,
        }
    }

    /// Changes the version on screen.
    pub fn update_version(&self, f: impl FnOnce(&mut RuleSet)) {
        let vi = self.version.get_untracked();
        self.book.update(|b| {
            if let Some(v) = b.versions.get_mut(vi) {
                f(v);
            }
        });
        self.refused.set(Vec::new());
    }

    /// Changes rule `j` of the version on screen.
    pub fn update_rule(&self, j: usize, f: impl FnOnce(&mut Rule)) {
        self.update_version(|v| {
            if let Some(rule) = v.rules.get_mut(j) {
                f(rule);
            }
        });
    }

    /// The path of the version on screen (`versions[0]`).
    pub fn version_path(&self) -> String {
        format!("versions[{}]", self.version.get())
    }

    /// The message for `path` or one of its items (`path[2]`), from the
    /// live check or the server.
    pub fn problem_at(&self, path: &str) -> Option<String> {
        let zh = self.zh.get();
        let (live, refused) = (self.problems.get(), self.refused.get());
        problem_under(live.iter().chain(refused.iter()), path).map(|e| problem_message(zh, e))
    }

    /// Every problem, live and refused, without repeats.
    pub fn all_problems(&self) -> Vec<FieldError> {
        let mut all = self.problems.get();
        for e in self.refused.get() {
            if !all.contains(&e) {
                all.push(e);
            }
        }
        all
    }
}

/// The message under a field, when it has a problem.
#[component]
pub fn ProblemAt(#[prop(into)] path: Signal<String>) -> impl IntoView {
    let draft = expect_context::<Draft>();
    move || {
        let path = path.get();
        draft.problem_at(&path).map(|text| {
            view! { <p class="field-problem" role="alert" data-path=path>{text}</p> }
        })
    }
}
