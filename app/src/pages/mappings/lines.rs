//! The lines as a list: each target with its source and its transform
//! (date format, template, lookup table, constant), edited in place with
//! the problem shown beside it; targets can also be filled by a template or
//! a constant without any source.

use std::collections::BTreeMap;

use hourbridge_rules::mapping::{target_fields, MappingLine, SourceField, Transform};
use leptos::prelude::*;

use super::MapDraft;
use crate::i18n::*;

fn kind_of(t: &Option<Transform>) -> &'static str {
    match t {
        None => "",
        Some(Transform::DateFormat { .. }) => "date_format",
        Some(Transform::Template { .. }) => "template",
        Some(Transform::Lookup { .. }) => "lookup",
        Some(Transform::Constant { .. }) => "constant",
    }
}

fn table_text(table: &BTreeMap<String, String>) -> String {
    table
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse_table(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

#[component]
pub fn LineList() -> impl IntoView {
    let i18n = use_i18n();
    let draft = expect_context::<MapDraft>();
    let fields = target_fields(draft.kind);
    let set_line = move |target: String, f: Box<dyn FnOnce(&mut MappingLine)>| {
        draft.update_version(|v| {
            if let Some(line) = v.lines.iter_mut().find(|l| l.target == target) {
                f(line)
            }
        })
    };
    let rows = move || {
        let lang = draft.lang.get();
        draft.lines().into_iter().enumerate().map(|(j, line)| {
            let target = line.target.clone();
            let label = fields.iter().find(|f| f.key == target).map(|f| f.label(lang)).unwrap_or("?");
            let source = line.source.map(|s| s.label(lang)).unwrap_or("—");
            let kind = kind_of(&line.transform);
            let (t1, t2, t3, t4) = (target.clone(), target.clone(), target.clone(), target.clone());
            let editor = match line.transform.clone() {
                Some(Transform::DateFormat { format }) => view! {
                    <input type="text" data-testid="transform-format" value=format aria-label=move || t_string!(i18n, mappings.date_format).to_string()
                        on:change=move |ev| { let format = event_target_value(&ev); set_line(t2.clone(), Box::new(move |l| l.transform = Some(Transform::DateFormat { format }))) } />
                }.into_any(),
                Some(Transform::Template { template }) => view! {
                    <input type="text" class="wide" data-testid="transform-template" value=template aria-label=move || t_string!(i18n, mappings.template).to_string()
                        on:change=move |ev| { let template = event_target_value(&ev); set_line(t2.clone(), Box::new(move |l| l.transform = Some(Transform::Template { template }))) } />
                }.into_any(),
                Some(Transform::Lookup { table, default }) => {
                    let table2 = table.clone();
                    view! {
                        <textarea data-testid="transform-table" rows="3" aria-label=move || t_string!(i18n, mappings.lookup).to_string()
                            placeholder="P1=10001" prop:value=table_text(&table)
                            on:change={
                                let default = default.clone();
                                move |ev| { let table = parse_table(&event_target_value(&ev)); let default = default.clone(); set_line(t2.clone(), Box::new(move |l| l.transform = Some(Transform::Lookup { table, default }))) }
                            }></textarea>
                        <input type="text" value=default.unwrap_or_default() aria-label=move || t_string!(i18n, mappings.lookup_default).to_string()
                            placeholder=move || t_string!(i18n, mappings.lookup_default).to_string()
                            on:change=move |ev| { let d = event_target_value(&ev); let table = table2.clone();
                                set_line(t3.clone(), Box::new(move |l| l.transform = Some(Transform::Lookup { table, default: Some(d).filter(|d| !d.trim().is_empty()) }))) } />
                    }.into_any()
                }
                Some(Transform::Constant { value }) => view! {
                    <input type="text" data-testid="transform-constant" value=value aria-label=move || t_string!(i18n, mappings.constant).to_string()
                        on:change=move |ev| { let value = event_target_value(&ev); set_line(t2.clone(), Box::new(move |l| l.transform = Some(Transform::Constant { value }))) } />
                }.into_any(),
                None => ().into_any(),
            };
            let problem = move || draft.problem_at(&format!("lines[{j}]"));
            view! {
                <tr data-testid="mapping-line" data-target=target.clone()>
                    <td>{label} " " <code>{target.clone()}</code></td>
                    <td data-testid="line-source">{source}</td>
                    <td>
                        <select data-testid="transform-kind" aria-label=move || t_string!(i18n, mappings.transform).to_string() on:change=move |ev| {
                            let transform = match event_target_value(&ev).as_str() {
                                "date_format" => Some(Transform::DateFormat { format: "%Y-%m-%d".into() }),
                                "template" => Some(Transform::Template { template: "{work_date}".into() }),
                                "lookup" => Some(Transform::Lookup { table: BTreeMap::new(), default: None }),
                                "constant" => Some(Transform::Constant { value: String::new() }),
                                _ => None,
                            };
                            set_line(t1.clone(), Box::new(move |l| l.transform = transform));
                        }>
                            <option value="" selected=kind.is_empty()>{t!(i18n, mappings.no_transform)}</option>
                            <option value="date_format" selected=kind == "date_format">{t!(i18n, mappings.date_format)}</option>
                            <option value="template" selected=kind == "template">{t!(i18n, mappings.template)}</option>
                            <option value="lookup" selected=kind == "lookup">{t!(i18n, mappings.lookup)}</option>
                            <option value="constant" selected=kind == "constant">{t!(i18n, mappings.constant)}</option>
                        </select>
                        " " {editor}
                        {move || problem().map(|p| view! { <p class="field-problem" role="alert" data-testid="line-problem">{p}</p> })}
                    </td>
                    <td>
                        <button type="button" class="link-button" data-testid="remove-line"
                            on:click=move |_| draft.update_version(|v| v.lines.retain(|l| l.target != t4))>
                            {t!(i18n, mappings.remove)}
                        </button>
                    </td>
                </tr>
            }
        }).collect_view()
    };
    let unmapped = move || {
        let lines = draft.lines();
        fields
            .iter()
            .filter(|f| !lines.iter().any(|l| l.target == f.key))
            .map(|f| (f.key, f.label(draft.lang.get())))
            .collect::<Vec<_>>()
    };
    view! {
        <h2 class="section-title">{t!(i18n, mappings.lines)}</h2>
        <p class="hint">{t!(i18n, mappings.placeholders)} " "
            {SourceField::ALL.iter().map(|f| format!("{{{}}}", f.key())).collect::<Vec<_>>().join(" ")}
        </p>
        <table class="table" data-testid="mapping-lines">
            <thead>
                <tr>
                    <th>{t!(i18n, mappings.target)}</th>
                    <th>{t!(i18n, mappings.source)}</th>
                    <th>{t!(i18n, mappings.transform)}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {move || {
            let free = unmapped();
            (!free.is_empty()).then(|| view! {
                <label>
                    {t!(i18n, mappings.fill_without_source)} " "
                    <select data-testid="add-constant" on:change=move |ev| {
                        let target = event_target_value(&ev);
                        if target.is_empty() { return }
                        draft.update_version(|v| v.lines.push(MappingLine {
                            target, source: None, transform: Some(Transform::Constant { value: String::new() }) }));
                    }>
                        <option value="" selected=true>"—"</option>
                        {free.into_iter().map(|(key, label)| view! { <option value=key>{format!("{label} ({key})")}</option> }).collect_view()}
                    </select>
                </label>
            })
        }}
    }
}
