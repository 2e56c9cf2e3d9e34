//! The drawing: source fields on the left, the system's worklog fields on
//! the right, and a line between them for every mapping line. Drag a source
//! onto a target to connect them; or, with the keyboard, press a source and
//! then a target. Rows have a fixed height, so the lines are drawn from the
//! rows' positions without measuring the page.

use hourbridge_rules::mapping::{target_fields, MappingLine, SourceField, Transform};
use leptos::prelude::*;

use super::MapDraft;
use crate::i18n::*;

/// Row pitch in pixels (row height + gap), as in the stylesheet.
const PITCH: usize = 44;
const ROW: usize = 36;
/// Width of the drawing between the columns.
const GAP: usize = 160;

fn y(index: usize) -> usize {
    index * PITCH + ROW / 2
}

/// Connects `source` to `target`, replacing the target's line (a transform
/// that works on a source — date format, lookup — is kept).
pub fn connect(draft: MapDraft, source: SourceField, target: &str) {
    draft.update_version(|v| {
        let kept = v
            .lines
            .iter()
            .find(|l| l.target == target)
            .and_then(|l| l.transform.clone())
            .filter(|t| matches!(t, Transform::DateFormat { .. } | Transform::Lookup { .. }));
        let line = MappingLine {
            target: target.to_owned(),
            source: Some(source),
            transform: kept,
        };
        match v.lines.iter_mut().find(|l| l.target == target) {
            Some(existing) => *existing = line,
            None => v.lines.push(line),
        }
    });
}

#[component]
pub fn Canvas() -> impl IntoView {
    let i18n = use_i18n();
    let draft = expect_context::<MapDraft>();
    let fields = target_fields(draft.kind);
    let dragging = RwSignal::new(None::<SourceField>);
    let armed = RwSignal::new(None::<SourceField>);
    let rows = SourceField::ALL.len().max(fields.len());
    let height = rows * PITCH;
    let paths = move || {
        draft
            .lines()
            .into_iter()
            .filter_map(|line| {
                let s = SourceField::ALL.iter().position(|f| Some(*f) == line.source)?;
                let t = fields.iter().position(|f| f.key == line.target)?;
                let (y1, y2) = (y(s), y(t));
                let bend = GAP / 2;
                Some(view! {
                    <path class="mapping-line" data-source=line.source.map(SourceField::key) data-target=line.target.clone()
                        d=format!("M0 {y1} C{bend} {y1}, {bend} {y2}, {GAP} {y2}") />
                })
            })
            .collect_view()
    };
    view! {
        <p class="hint">{t!(i18n, mappings.how_to_draw)}</p>
        <div class="mapping-canvas" data-testid="mapping-canvas">
            <ul class="mapping-column sources" aria-label=move || t_string!(i18n, mappings.sources).to_string()>
                {SourceField::ALL.into_iter().map(|source| {
                    let lang = draft.lang;
                    view! {
                        <li>
                            <button type="button" class="mapping-field source" draggable="true"
                                data-testid="source-field" data-key=source.key()
                                aria-pressed=move || if armed.get() == Some(source) { "true" } else { "false" }
                                on:dragstart=move |_| dragging.set(Some(source))
                                on:dragend=move |_| dragging.set(None)
                                on:click=move |_| armed.update(|a| *a = if *a == Some(source) { None } else { Some(source) })>
                                <span>{move || source.label(lang.get())}</span>
                                <code class="field-type">{move || source.kind().label(lang.get())}</code>
                                <span class="dot" aria-hidden="true"></span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <svg class="mapping-lines" width=GAP height=height viewBox=format!("0 0 {GAP} {height}") aria-hidden="true">
                {paths}
            </svg>
            <ul class="mapping-column targets" aria-label=move || t_string!(i18n, mappings.targets).to_string()>
                {fields.iter().map(|field| {
                    let key = field.key;
                    let lang = draft.lang;
                    let mapped = move || draft.lines().iter().any(|l| l.target == key);
                    let missing = move || field.required && !mapped();
                    view! {
                        <li>
                            <button type="button" class="mapping-field target" data-testid="target-field" data-key=key
                                class:required=field.required class:missing=missing
                                aria-disabled=move || if armed.get().is_none() { "true" } else { "false" }
                                on:dragover=move |ev| ev.prevent_default()
                                on:drop=move |ev| {
                                    ev.prevent_default();
                                    if let Some(source) = dragging.get_untracked() {
                                        connect(draft, source, key);
                                        dragging.set(None);
                                    }
                                }
                                on:click=move |_| if let Some(source) = armed.get_untracked() {
                                    connect(draft, source, key);
                                    armed.set(None);
                                }>
                                <span class="dot" aria-hidden="true"></span>
                                <span>{move || field.label(lang.get())}</span>
                                <code>{key}</code>
                                <code class="field-type">{move || field.value_type.label(lang.get())}</code>
                                {field.required.then(|| view! { <span class="required-mark" title="required">"*"</span> })}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
        <ul class="target-problems">
            {fields.iter().map(|field| {
                let key = field.key;
                let lang = draft.lang;
                move || draft.problem_at(&format!("targets.{key}")).map(|p| view! {
                    <li class="field-problem" role="alert" data-testid="target-problem" data-key=key>
                        {format!("{} ({key})：{p}", field.label(lang.get()))}
                    </li>
                })
            }).collect_view()}
        </ul>
    }
}
