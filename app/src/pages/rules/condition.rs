//! One condition of a rule, edited in place: its test, its choices and
//! "not".

use hourbridge_rules::rules::{Compare, Condition, Test};
use hourbridge_rules::{ApprovalKind, DayType, Hours, TimeResult};
use leptos::prelude::*;

use super::draft::{Draft, ProblemAt};
use super::labels::{self, code, from_code, pick};
use super::widgets::{Choices, HoursInput, ListInput};

/// The kinds of condition an admin can add, `(code, zh, en)`.
pub const KINDS: [(&str, &str, &str); 7] = [
    ("day_type", "日期类型", "day type"),
    ("on_duty", "上班打卡结果", "on-duty result"),
    ("off_duty", "下班打卡结果", "off-duty result"),
    ("approval", "审批时长", "approval hours"),
    ("department", "部门", "department"),
    ("title", "职位", "job title"),
    ("person", "人员", "people"),
];

/// A new condition of a kind, with nothing chosen yet.
pub fn new_condition(kind: &str) -> Option<Condition> {
    let test = match kind {
        "day_type" => Test::DayType { any_of: vec![] },
        "on_duty" => Test::OnDuty { any_of: vec![] },
        "off_duty" => Test::OffDuty { any_of: vec![] },
        "approval" => Test::Approval {
            kinds: vec![],
            leave_types: vec![],
            compare: Compare::AtLeast,
            hours: Hours::from_hours(8),
        },
        "department" => Test::Department { any_of: vec![] },
        "title" => Test::Title { any_of: vec![] },
        "person" => Test::Person { any_of: vec![] },
        _ => return None,
    };
    Some(test.into())
}

fn kind_of(test: &Test) -> &'static str {
    match test {
        Test::DayType { .. } => "day_type",
        Test::OnDuty { .. } => "on_duty",
        Test::OffDuty { .. } => "off_duty",
        Test::Approval { .. } => "approval",
        Test::Department { .. } => "department",
        Test::Title { .. } => "title",
        Test::Person { .. } => "person",
    }
}

fn options<T: serde::Serialize + Copy>(
    zh: bool,
    all: &[T],
    label: fn(T) -> (&'static str, &'static str),
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (code(v), pick(zh, label(*v)).to_owned()))
        .collect()
}

fn codes<T: serde::Serialize>(values: &[T]) -> Vec<String> {
    values.iter().map(code).collect()
}

fn parse_all<T: serde::de::DeserializeOwned>(codes: &[String]) -> Vec<T> {
    codes.iter().filter_map(|c| from_code(c)).collect()
}

/// Condition `k` of rule `j`.
#[component]
pub fn ConditionEditor(
    j: usize,
    k: usize,
    condition: Condition,
    departments: StoredValue<Vec<(i64, String)>>,
) -> impl IntoView {
    let draft = expect_context::<Draft>();
    let zh = draft.zh.get_untracked();
    let set_test = move |test: Test| {
        draft.update_rule(j, |r| {
            if let Some(c) = r.when.get_mut(k) {
                c.test = test;
            }
        })
    };
    let path = move || format!("{}.rules[{j}].when[{k}]", draft.version_path());
    let kind = kind_of(&condition.test);
    let title = KINDS
        .iter()
        .find(|(c, _, _)| *c == kind)
        .map(|(_, z, e)| if zh { *z } else { *e })
        .unwrap_or_default();
    let body = match condition.test.clone() {
        Test::DayType { any_of } => view! {
            <Choices label=title options=options(zh, &DayType::ALL, labels::day_type) chosen=codes(&any_of)
                on_set=Callback::new(move |c: Vec<String>| set_test(Test::DayType { any_of: parse_all(&c) })) />
        }.into_any(),
        Test::OnDuty { any_of } => view! {
            <Choices label=title options=options(zh, &TimeResult::ALL[..6], labels::time_result) chosen=codes(&any_of)
                on_set=Callback::new(move |c: Vec<String>| set_test(Test::OnDuty { any_of: parse_all(&c) })) />
        }.into_any(),
        Test::OffDuty { any_of } => view! {
            <Choices label=title options=options(zh, &TimeResult::ALL[..6], labels::time_result) chosen=codes(&any_of)
                on_set=Callback::new(move |c: Vec<String>| set_test(Test::OffDuty { any_of: parse_all(&c) })) />
        }.into_any(),
        Test::Approval { kinds, leave_types, compare, hours } => {
            let current = Test::Approval { kinds: kinds.clone(), leave_types: leave_types.clone(), compare, hours };
            let (c1, c2, c3) = (current.clone(), current.clone(), current.clone());
            let with = move |base: &Test, f: &dyn Fn(&mut Test)| { let mut t = base.clone(); f(&mut t); set_test(t) };
            view! {
                <Choices label=title options=options(zh, &ApprovalKind::ALL, labels::approval_kind) chosen=codes(&kinds)
                    on_set=Callback::new(move |c: Vec<String>| with(&c1, &|t| if let Test::Approval { kinds, .. } = t { *kinds = parse_all(&c) })) />
                <ListInput label=if zh { "假期类型" } else { "leave types" } placeholder=if zh { "假期类型，逗号分隔（留空=全部）" } else { "leave types, comma-separated (empty: any)" }
                    value=leave_types on_set=Callback::new(move |l: Vec<String>| with(&c2, &|t| if let Test::Approval { leave_types, .. } = t { *leave_types = l.clone() })) />
                <select aria-label=if zh { "比较" } else { "comparison" } on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    let cmp = [Compare::AtLeast, Compare::Above, Compare::AtMost, Compare::Below, Compare::Equal]
                        .into_iter().find(|c| labels::compare(*c) == chosen);
                    if let Some(cmp) = cmp { with(&c3, &|t| if let Test::Approval { compare, .. } = t { *compare = cmp }) }
                }>
                    {[Compare::AtLeast, Compare::Above, Compare::AtMost, Compare::Below, Compare::Equal].into_iter().map(|c| view! {
                        <option value=labels::compare(c) selected=c == compare>{labels::compare(c)}</option>
                    }).collect_view()}
                </select>
                <HoursInput label=if zh { "小时" } else { "hours" } value=Some(hours)
                    on_set=Callback::new(move |h: Option<Hours>| if let Some(h) = h { with(&current, &|t| if let Test::Approval { hours, .. } = t { *hours = h }) }) />
                <ProblemAt path=Signal::derive(move || format!("{}.hours", path())) />
            }.into_any()
        }
        Test::Department { any_of } => {
            let options: Vec<(String, String)> = departments.get_value().into_iter().map(|(id, name)| (id.to_string(), name)).collect();
            let chosen = any_of.iter().map(i64::to_string).collect();
            view! {
                <Choices label=title options chosen
                    on_set=Callback::new(move |c: Vec<String>| set_test(Test::Department { any_of: c.iter().filter_map(|d| d.parse().ok()).collect() })) />
            }.into_any()
        }
        Test::Title { any_of } => view! {
            <ListInput label=title value=any_of placeholder=if zh { "职位，逗号分隔" } else { "job titles, comma-separated" }
                on_set=Callback::new(move |l: Vec<String>| set_test(Test::Title { any_of: l })) />
        }.into_any(),
        Test::Person { any_of } => view! {
            <ListInput label=title value=any_of placeholder=if zh { "钉钉 userid，逗号分隔" } else { "DingTalk userids, comma-separated" }
                on_set=Callback::new(move |l: Vec<String>| set_test(Test::Person { any_of: l })) />
        }.into_any(),
    };
    let negated = condition.not;
    view! {
        <div class="condition" data-testid="condition" data-kind=kind>
            <span class="condition-kind">{title}</span>
            <label class="choice">
                <input type="checkbox" checked=negated on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    draft.update_rule(j, |r| if let Some(c) = r.when.get_mut(k) { c.not = on });
                } />
                {if zh { "不满足" } else { "not" }}
            </label>
            {body}
            <button type="button" class="link-button" aria-label=if zh { "删除条件" } else { "remove condition" }
                on:click=move |_| draft.update_rule(j, |r| { if k < r.when.len() { r.when.remove(k); } })>"×"</button>
            <ProblemAt path=Signal::derive(move || format!("{}.any_of", path())) />
            <ProblemAt path=Signal::derive(move || format!("{}.kinds", path())) />
            <ProblemAt path=Signal::derive(move || format!("{}.leave_types", path())) />
        </div>
    }
}
