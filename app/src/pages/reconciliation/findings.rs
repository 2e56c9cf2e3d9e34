//! The findings of a reconciliation in words: their names, the badge a row
//! shows, and the legend that explains each.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

type I18n = I18nContext<Locale>;

/// The finding codes, in the order the page shows them.
pub const FINDINGS: [&str; 5] = ["missing", "duplicated", "different", "extra", "over_logged"];

/// A finding's name; an unknown code as it is.
pub fn finding_label(i18n: I18n, code: &str) -> String {
    match code {
        "missing" => t_string!(i18n, reconciliation.findings.missing).to_string(),
        "duplicated" => t_string!(i18n, reconciliation.findings.duplicated).to_string(),
        "different" => t_string!(i18n, reconciliation.findings.different).to_string(),
        "extra" => t_string!(i18n, reconciliation.findings.extra).to_string(),
        "over_logged" => t_string!(i18n, reconciliation.findings.over_logged).to_string(),
        other => other.to_owned(),
    }
}

fn finding_explanation(i18n: I18n, code: &str) -> String {
    match code {
        "missing" => t_string!(i18n, reconciliation.explain.missing).to_string(),
        "duplicated" => t_string!(i18n, reconciliation.explain.duplicated).to_string(),
        "different" => t_string!(i18n, reconciliation.explain.different).to_string(),
        "extra" => t_string!(i18n, reconciliation.explain.extra).to_string(),
        "over_logged" => t_string!(i18n, reconciliation.explain.over_logged).to_string(),
        _ => String::new(),
    }
}

/// A finding as a coloured badge (`data-finding` carries its code).
#[component]
pub fn FindingBadge(code: String) -> impl IntoView {
    let i18n = use_i18n();
    let class = format!("badge finding {code}");
    let label = code.clone();
    view! {
        <span class=class data-finding=code>{move || finding_label(i18n, &label)}</span>
    }
}

/// What each finding means.
#[component]
pub fn Legend() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card recon-legend">
            <h2>{t!(i18n, reconciliation.legend_title)}</h2>
            <dl class="legend" data-testid="recon-legend">
                {FINDINGS.into_iter().map(|code| view! {
                    <dt><FindingBadge code=code.to_owned() /></dt>
                    <dd>{move || finding_explanation(i18n, code)}</dd>
                }).collect_view()}
            </dl>
        </div>
    }
}
