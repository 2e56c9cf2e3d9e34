//! A rule's outcome, edited in place: skip the day, or hours from a base
//! (fixed, or punch times minus breaks) with adjustments (a penalty per
//! punch result; approval hours added or subtracted) and a status.

use hourbridge_rules::rules::{Adjustment, Base, Break, Checks, ClockTime, Op, Outcome};
use hourbridge_rules::{ApprovalKind, Hours, Status, TimeResult};
use leptos::prelude::*;

use super::draft::{Draft, ProblemAt};
use super::labels::{self, code, from_code, pick};
use super::widgets::{Choices, HoursInput, ListInput};

/// A change to the parts of an hours outcome.
type HoursEdit = Box<dyn FnOnce(&mut Base, &mut Vec<Adjustment>, &mut Option<Status>)>;

fn breaks_text(breaks: &[Break]) -> String {
    breaks
        .iter()
        .map(|b| format!("{}-{}", b.from, b.to))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_breaks(items: &[String]) -> Option<Vec<Break>> {
    items
        .iter()
        .map(|item| {
            let (from, to) = item.split_once('-')?;
            Some(Break {
                from: ClockTime::parse(from)?,
                to: ClockTime::parse(to)?,
            })
        })
        .collect()
}

/// The outcome of rule `j`.
#[component]
pub fn OutcomeEditor(j: usize, outcome: Option<Outcome>) -> impl IntoView {
    let draft = expect_context::<Draft>();
    let zh = draft.zh.get_untracked();
    let set = move |o: Option<Outcome>| draft.update_rule(j, |r| r.then = o);
    let path = move || format!("{}.rules[{j}].then", draft.version_path());
    let mode = match &outcome {
        None => "",
        Some(Outcome::Skip) => "skip",
        Some(Outcome::Hours { .. }) => "hours",
    };
    let chooser = view! {
        <select data-testid="outcome-kind" aria-label=if zh { "结果" } else { "outcome" } on:change=move |ev| {
            set(match event_target_value(&ev).as_str() {
                "skip" => Some(Outcome::Skip),
                "hours" => Some(Outcome::Hours { base: Base::Fixed { hours: Hours::from_hours(8) }, adjust: vec![], status: None }),
                _ => None,
            })
        }>
            <option value="" selected=mode.is_empty()>{if zh { "（未选择）" } else { "(choose)" }}</option>
            <option value="skip" selected=mode == "skip">{if zh { "跳过该日（不记工时）" } else { "skip the day (no worklog)" }}</option>
            <option value="hours" selected=mode == "hours">{if zh { "计工时" } else { "hours" }}</option>
        </select>
    };
    let details = match outcome {
        Some(Outcome::Hours {
            base,
            adjust,
            status,
        }) => {
            let update = move |f: HoursEdit| {
                draft.update_rule(j, |r| {
                    if let Some(Outcome::Hours {
                        base,
                        adjust,
                        status,
                    }) = r.then.as_mut()
                    {
                        f(base, adjust, status);
                    }
                })
            };
            Some(view! {
                <div class="outcome-hours">
                    <BaseEditor zh base=base.clone() update=Callback::new(move |b: Base| update(Box::new(move |base, _, _| *base = b))) />
                    <ProblemAt path=Signal::derive(move || format!("{}.base.hours", path())) />
                    <ProblemAt path=Signal::derive(move || format!("{}.base.breaks", path())) />
                    {adjust.iter().cloned().enumerate().map(|(a, adj)| view! {
                        <AdjustmentEditor zh adjustment=adj
                            update=Callback::new(move |new: Option<Adjustment>| update(Box::new(move |_, adjust, _| {
                                match new { Some(n) => if let Some(x) = adjust.get_mut(a) { *x = n }, None => if a < adjust.len() { adjust.remove(a); } }
                            }))) />
                        <ProblemAt path=Signal::derive(move || format!("{}.adjust[{a}]", path())) />
                    }).collect_view()}
                    <div class="row-actions">
                        <button type="button" class="link-button" on:click=move |_| update(Box::new(|_, adjust, _| adjust.push(Adjustment::Penalty {
                            table: [(TimeResult::Late, Hours::from_hours(1))].into_iter().collect(), checks: Checks::Both })))>
                            {if zh { "+ 打卡扣减" } else { "+ punch penalty" }}
                        </button>
                        <button type="button" class="link-button" on:click=move |_| update(Box::new(|_, adjust, _| adjust.push(Adjustment::Approvals {
                            op: Op::Add, kinds: vec![ApprovalKind::Overtime], leave_types: vec![] })))>
                            {if zh { "+ 审批时长" } else { "+ approval hours" }}
                        </button>
                    </div>
                    <label>
                        {if zh { "状态" } else { "status" }} " "
                        <select on:change=move |ev| { let s = from_code::<Status>(&event_target_value(&ev)); update(Box::new(move |_, _, status| *status = s)) }>
                            <option value="" selected=status.is_none()>{if zh { "自动" } else { "automatic" }}</option>
                            {Status::ALL.into_iter().map(|s| view! {
                                <option value=code(&s) selected=status == Some(s)>{pick(zh, labels::status(s))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <ProblemAt path=Signal::derive(move || format!("{}.status", path())) />
                </div>
            })
        }
        _ => None,
    };
    view! {
        <div class="outcome" data-testid="outcome">
            {chooser}
            {details}
            <ProblemAt path=Signal::derive(path) />
        </div>
    }
}

#[component]
fn BaseEditor(zh: bool, base: Base, update: Callback<Base>) -> impl IntoView {
    let is_fixed = matches!(base, Base::Fixed { .. });
    let editor = match base {
        Base::Fixed { hours } => view! {
            <HoursInput testid="base-hours" label=if zh { "固定工时" } else { "fixed hours" } value=Some(hours)
                on_set=Callback::new(move |h: Option<Hours>| if let Some(hours) = h { update.run(Base::Fixed { hours }) }) />
        }.into_any(),
        Base::Punches { breaks } => {
            let bad = RwSignal::new(false);
            view! {
                <ListInput label=if zh { "休息时段" } else { "breaks" } placeholder="12:00-13:00"
                    value=vec![breaks_text(&breaks)]
                    on_set=Callback::new(move |items: Vec<String>| match parse_breaks(&items) {
                        Some(breaks) => { bad.set(false); update.run(Base::Punches { breaks }) }
                        None => bad.set(true),
                    }) />
                <Show when=move || bad.get()>
                    <span class="field-problem" role="alert">{if zh { "格式：12:00-13:00, 18:00-18:30" } else { "format: 12:00-13:00, 18:00-18:30" }}</span>
                </Show>
            }.into_any()
        }
    };
    view! {
        <select aria-label=if zh { "基础工时" } else { "base" } on:change=move |ev| {
            update.run(if event_target_value(&ev) == "punches" { Base::Punches { breaks: vec![] } } else { Base::Fixed { hours: Hours::from_hours(8) } })
        }>
            <option value="fixed" selected=is_fixed>{if zh { "固定工时" } else { "fixed hours" }}</option>
            <option value="punches" selected=!is_fixed>{if zh { "按打卡时间减休息" } else { "punch times minus breaks" }}</option>
        </select>
        {editor}
    }
}

#[component]
fn AdjustmentEditor(
    zh: bool,
    adjustment: Adjustment,
    update: Callback<Option<Adjustment>>,
) -> impl IntoView {
    let remove = view! {
        <button type="button" class="link-button" aria-label=if zh { "删除调整" } else { "remove adjustment" }
            on:click=move |_| update.run(None)>"×"</button>
    };
    match adjustment {
        Adjustment::Penalty { table, checks } => {
            let entries = TimeResult::ALL[1..6].iter().copied().map(|r| {
                let table = table.clone();
                let value = table.get(&r).copied();
                view! {
                    <label class="penalty">
                        {pick(zh, labels::time_result(r))}
                        <HoursInput optional=true label=pick(zh, labels::time_result(r)) value
                            on_set=Callback::new(move |h: Option<Hours>| {
                                let mut table = table.clone();
                                match h { Some(h) => { table.insert(r, h); } None => { table.remove(&r); } }
                                update.run(Some(Adjustment::Penalty { table, checks }));
                            }) />
                    </label>
                }
            }).collect_view();
            let table2 = table.clone();
            view! {
                <div class="adjustment" data-kind="penalty">
                    <span class="condition-kind">{if zh { "打卡扣减（小时）" } else { "punch penalty (hours)" }}</span>
                    {entries}
                    <select aria-label=if zh { "检查" } else { "checks" } on:change=move |ev| {
                        if let Some(checks) = from_code::<Checks>(&event_target_value(&ev)) {
                            update.run(Some(Adjustment::Penalty { table: table2.clone(), checks }));
                        }
                    }>
                        {[Checks::Both, Checks::OnDuty, Checks::OffDuty].into_iter().map(|c| view! {
                            <option value=code(&c) selected=c == checks>{pick(zh, labels::checks(c))}</option>
                        }).collect_view()}
                    </select>
                    {remove}
                </div>
            }.into_any()
        }
        Adjustment::Approvals {
            op,
            kinds,
            leave_types,
        } => {
            let (k2, l2) = (kinds.clone(), leave_types.clone());
            let (k3, l3) = (kinds.clone(), leave_types.clone());
            view! {
                <div class="adjustment" data-kind="approvals">
                    <select aria-label=if zh { "加或减" } else { "add or subtract" } on:change=move |ev| {
                        if let Some(op) = from_code::<Op>(&event_target_value(&ev)) {
                            update.run(Some(Adjustment::Approvals { op, kinds: k2.clone(), leave_types: l2.clone() }));
                        }
                    }>
                        {[Op::Add, Op::Subtract].into_iter().map(|o| view! {
                            <option value=code(&o) selected=o == op>{pick(zh, labels::op(o))}</option>
                        }).collect_view()}
                    </select>
                    <Choices label=if zh { "审批类型" } else { "approval kinds" }
                        options=ApprovalKind::ALL.iter().map(|k| (code(k), pick(zh, labels::approval_kind(*k)).to_owned())).collect()
                        chosen=kinds.iter().map(code).collect()
                        on_set=Callback::new(move |c: Vec<String>| update.run(Some(Adjustment::Approvals {
                            op, kinds: c.iter().filter_map(|x| from_code(x)).collect(), leave_types: l3.clone() }))) />
                    <ListInput label=if zh { "假期类型" } else { "leave types" } value=leave_types
                        placeholder=if zh { "假期类型（留空=全部）" } else { "leave types (empty: any)" }
                        on_set=Callback::new(move |l: Vec<String>| update.run(Some(Adjustment::Approvals { op, kinds: k3.clone(), leave_types: l }))) />
                    {remove}
                </div>
            }.into_any()
        }
    }
}
