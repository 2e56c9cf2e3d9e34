//! The ordered rules of the version on screen, as a table: the first rule
//! whose conditions all hold decides a day. Rows move up and down with
//! buttons (keyboard-reachable); conditions and outcomes are edited in
//! place. Exceptions (例外规则) follow below.

use hourbridge_rules::rules::{Exception, Rule};
use leptos::prelude::*;

use super::condition::{new_condition, ConditionEditor, KINDS};
use super::draft::{Draft, ProblemAt};
use super::labels::pick;
use super::outcome::OutcomeEditor;
use super::widgets::ListInput;
use crate::i18n::*;

fn fresh_id(prefix: &str, taken: &[String]) -> String {
    (1..)
        .map(|n| format!("{prefix}-{n}"))
        .find(|id| !taken.contains(id))
        .unwrap_or_default()
}

#[component]
pub fn RuleTable(departments: StoredValue<Vec<(i64, String)>>) -> impl IntoView {
    let i18n = use_i18n();
    let draft = expect_context::<Draft>();
    let rows = move || {
        let vi = draft.version.get();
        let rules: Vec<Rule> = draft.book.with(|b| {
            b.versions
                .get(vi)
                .map(|v| v.rules.clone())
                .unwrap_or_default()
        });
        let count = rules.len();
        let zh = draft.zh.get_untracked();
        rules.into_iter().enumerate().map(|(j, rule)| {
            let move_by = move |delta: isize| draft.update_version(|v| {
                let to = j as isize + delta;
                if to >= 0 && (to as usize) < v.rules.len() {
                    v.rules.swap(j, to as usize);
                }
            });
            let rule_path = format!("versions[{vi}].rules[{j}]");
            view! {
                <tr data-testid="rule-row" data-rule-id=rule.id.clone()>
                    <td class="nowrap">
                        <span class="rule-number">{j + 1}</span>
                        <button type="button" class="link-button" data-testid="rule-up" disabled=j == 0
                            aria-label=pick(zh, ("上移", "move up")) on:click=move |_| move_by(-1)>"↑"</button>
                        <button type="button" class="link-button" data-testid="rule-down" disabled=j + 1 == count
                            aria-label=pick(zh, ("下移", "move down")) on:click=move |_| move_by(1)>"↓"</button>
                    </td>
                    <td>
                        <input type="text" data-testid="rule-name" value=rule.name.clone()
                            aria-label=pick(zh, ("规则名称", "rule name"))
                            on:change=move |ev| { let name = event_target_value(&ev); draft.update_rule(j, |r| r.name = name) } />
                        <div class="muted rule-id">{rule.id.clone()}</div>
                        <ProblemAt path=format!("{rule_path}.id") />
                    </td>
                    <td class="conditions">
                        {rule.when.iter().cloned().enumerate().map(|(k, c)| view! {
                            <ConditionEditor j k condition=c departments />
                        }).collect_view()}
                        {rule.when.is_empty().then(|| view! { <p class="muted">{pick(zh, ("（总是成立）", "(always holds)"))}</p> })}
                        <select data-testid="add-condition" aria-label=pick(zh, ("添加条件", "add a condition")) on:change=move |ev| {
                            let kind = event_target_value(&ev);
                            if let Some(c) = new_condition(&kind) { draft.update_rule(j, |r| r.when.push(c)) }
                        }>
                            <option value="" selected=true>{pick(zh, ("+ 添加条件…", "+ add a condition…"))}</option>
                            {KINDS.iter().map(|(code, z, e)| view! { <option value=*code>{if zh { *z } else { *e }}</option> }).collect_view()}
                        </select>
                        <ProblemAt path=format!("{rule_path}.when") />
                    </td>
                    <td><OutcomeEditor j outcome=rule.then.clone() /></td>
                    <td>
                        <button type="button" class="link-button" data-testid="rule-delete"
                            on:click=move |_| draft.update_version(|v| { if j < v.rules.len() { v.rules.remove(j); } })>
                            {pick(zh, ("删除", "delete"))}
                        </button>
                    </td>
                </tr>
            }
        }).collect_view()
    };
    let add_rule = move |_| {
        draft.update_version(|v| {
            let taken: Vec<String> = v.rules.iter().map(|r| r.id.clone()).collect();
            v.rules.push(Rule {
                id: fresh_id("rule", &taken),
                name: String::new(),
                when: Vec::new(),
                then: None,
            });
        })
    };
    view! {
        <h2 class="section-title">{t!(i18n, rules.rules)}</h2>
        <p class="hint">{t!(i18n, rules.order_hint)}</p>
        <table class="table rule-table" data-testid="rule-table">
            <thead>
                <tr>
                    <th>"#"</th>
                    <th>{t!(i18n, rules.name)}</th>
                    <th>{t!(i18n, rules.conditions)}</th>
                    <th>{t!(i18n, rules.outcome)}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <button type="button" data-testid="add-rule" on:click=add_rule>{t!(i18n, rules.add_rule)}</button>
        <Exceptions />
    }
}

/// Exceptions (例外规则): who they cover, waived penalties, exempt rules.
#[component]
fn Exceptions() -> impl IntoView {
    let i18n = use_i18n();
    let draft = expect_context::<Draft>();
    let update = move |e: usize, f: Box<dyn FnOnce(&mut Exception)>| {
        draft.update_version(|v| {
            if let Some(x) = v.exceptions.get_mut(e) {
                f(x)
            }
        })
    };
    let rows = move || {
        let vi = draft.version.get();
        let zh = draft.zh.get_untracked();
        let list: Vec<Exception> = draft.book.with(|b| {
            b.versions
                .get(vi)
                .map(|v| v.exceptions.clone())
                .unwrap_or_default()
        });
        list.into_iter().enumerate().map(|(e, x)| {
            let path = format!("versions[{vi}].exceptions[{e}]");
            let waived: Vec<String> = x.penalties.iter().map(|(r, h)| format!("{}={h}", r.as_str())).collect();
            view! {
                <tr data-testid="exception-row">
                    <td>
                        <input type="text" value=x.name.clone() aria-label=pick(zh, ("例外名称", "exception name"))
                            on:change=move |ev| { let n = event_target_value(&ev); update(e, Box::new(move |x| x.name = n)) } />
                    </td>
                    <td>
                        <ListInput label=pick(zh, ("职位", "job titles")) value=x.titles.clone() placeholder=pick(zh, ("职位", "job titles"))
                            on_set=Callback::new(move |l: Vec<String>| update(e, Box::new(move |x| x.titles = l))) />
                        <ListInput label=pick(zh, ("人员", "people")) value=x.people.clone() placeholder=pick(zh, ("钉钉 userid", "DingTalk userids"))
                            on_set=Callback::new(move |l: Vec<String>| update(e, Box::new(move |x| x.people = l))) />
                    </td>
                    <td>
                        <ListInput label=pick(zh, ("扣减改为", "penalties instead")) value=waived placeholder="Late=0, Early=0"
                            on_set=Callback::new(move |l: Vec<String>| {
                                let table = l.iter().filter_map(|item| {
                                    let (r, h) = item.split_once('=')?;
                                    Some((hourbridge_rules::TimeResult::from_name(r.trim()), hourbridge_rules::Hours::parse_decimal(h.trim())?))
                                }).collect();
                                update(e, Box::new(move |x| x.penalties = table))
                            }) />
                    </td>
                    <td>
                        <ListInput label=pick(zh, ("不适用的规则", "exempt from rules")) value=x.exempt_from.clone() placeholder=pick(zh, ("规则 id", "rule ids"))
                            on_set=Callback::new(move |l: Vec<String>| update(e, Box::new(move |x| x.exempt_from = l))) />
                        <ProblemAt path=format!("{path}.exempt_from") />
                    </td>
                    <td>
                        <button type="button" class="link-button" on:click=move |_| draft.update_version(|v| { if e < v.exceptions.len() { v.exceptions.remove(e); } })>
                            {pick(zh, ("删除", "delete"))}
                        </button>
                        <ProblemAt path=path.clone() />
                    </td>
                </tr>
            }
        }).collect_view()
    };
    view! {
        <h2 class="section-title">{t!(i18n, rules.exceptions)}</h2>
        <table class="table" data-testid="exception-table">
            <thead>
                <tr>
                    <th>{t!(i18n, rules.name)}</th>
                    <th>{t!(i18n, rules.covers)}</th>
                    <th>{t!(i18n, rules.penalties)}</th>
                    <th>{t!(i18n, rules.exempt_from)}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <button type="button" on:click=move |_| draft.update_version(|v| {
            let taken: Vec<String> = v.exceptions.iter().map(|x| x.id.clone()).collect();
            v.exceptions.push(Exception {
                id: fresh_id("exception", &taken), name: String::new(), people: vec![], titles: vec![],
                departments: vec![], penalties: Default::default(), exempt_from: vec![],
            });
        })>{t!(i18n, rules.add_exception)}</button>
    }
}
