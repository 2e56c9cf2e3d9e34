//! Small inputs of the rule editor: hours, comma-separated lists and groups
//! of checkboxes. Each commits on change; text that cannot be read is
//! flagged at the input and leaves the draft unchanged.

use hourbridge_rules::Hours;
use leptos::prelude::*;

/// Hours as a decimal (`7.5`); with `optional`, empty means none.
#[component]
pub fn HoursInput(
    value: Option<Hours>,
    on_set: Callback<Option<Hours>>,
    #[prop(optional)] optional: bool,
    #[prop(into)] label: String,
    #[prop(optional, into)] testid: String,
) -> impl IntoView {
    let zh = expect_context::<super::draft::Draft>().zh;
    let unreadable = RwSignal::new(false);
    let text = value.map(|h| h.to_string()).unwrap_or_default();
    view! {
        <input class="hours" type="text" inputmode="decimal" value=text aria-label=label
            data-testid=testid
            aria-invalid=move || if unreadable.get() { "true" } else { "false" }
            on:change=move |ev| {
                let raw = event_target_value(&ev);
                let raw = raw.trim();
                if raw.is_empty() && optional {
                    unreadable.set(false);
                    on_set.run(None);
                } else if let Some(h) = Hours::parse_decimal(raw) {
                    unreadable.set(false);
                    on_set.run(Some(h));
                } else {
                    unreadable.set(true);
                }
            } />
        <Show when=move || unreadable.get()>
            <span class="field-problem" role="alert">
                {move || if zh.get() { "请输入小时数，如 7.5" } else { "enter hours, e.g. 7.5" }}
            </span>
        </Show>
    }
}

/// A comma-separated list of texts.
#[component]
pub fn ListInput(
    value: Vec<String>,
    on_set: Callback<Vec<String>>,
    #[prop(into)] label: String,
    #[prop(optional, into)] placeholder: String,
) -> impl IntoView {
    view! {
        <input type="text" value=value.join(", ") aria-label=label placeholder=placeholder
            on:change=move |ev| {
                let items = event_target_value(&ev)
                    .split([',', '，'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                on_set.run(items);
            } />
    }
}

/// A group of checkboxes over `options` (`(code, label)`), reporting the
/// checked codes in the options' order.
#[component]
pub fn Choices(
    options: Vec<(String, String)>,
    chosen: Vec<String>,
    on_set: Callback<Vec<String>>,
    #[prop(into)] label: String,
) -> impl IntoView {
    let chosen = RwSignal::new(chosen);
    let order: Vec<String> = options.iter().map(|(c, _)| c.clone()).collect();
    view! {
        <span class="choices" role="group" aria-label=label>
            {options.into_iter().map(|(code, text)| {
                let checked = chosen.with_untracked(|c| c.contains(&code));
                let order = order.clone();
                let code2 = code.clone();
                view! {
                    <label class="choice">
                        <input type="checkbox" value=code.clone() checked=checked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|x| x != &code2);
                                    if on {
                                        c.push(code2.clone());
                                    }
                                    c.sort_by_key(|x| order.iter().position(|o| o == x));
                                });
                                on_set.run(chosen.get_untracked());
                            } />
                        {text}
                    </label>
                }
            }).collect_view()}
        </span>
    }
}
