//! The field-mapping page (admins): for the chosen PM connection, lines from
//! HourBridge's source fields to the system's worklog fields, drawn by
//! dragging (or with the keyboard: pick a source, then a target), each with
//! an optional transform; checked as it is drawn and saved as a new
//! revision, versioned by effective-from date like the rules.

mod allocation;
mod canvas;
mod lines;

use crate::api::mappings::{get_mapping, MappingView, SaveMapping};
use crate::components::form::{action_error, FormError};
use crate::components::layout::{AreaGuard, ErrorBanner};
use crate::components::versions::{
    day_after, latest_index, problem_message, problem_under, VersionBar,
};
use crate::i18n::*;
use chrono::NaiveDate;
use hourbridge_domain::role::Area;
use hourbridge_domain::target::TargetKind;
use hourbridge_rules::mapping::{MappingBook, MappingLine, MappingVersion};
use hourbridge_rules::{FieldError, Lang};
use leptos::prelude::*;

#[component]
pub fn MappingsPage() -> impl IntoView {
    view! {
        <AreaGuard area=Area::Mappings>
            <Mappings />
        </AreaGuard>
    }
}

#[component]
fn Mappings() -> impl IntoView {
    let i18n = use_i18n();
    let connection = RwSignal::new(String::new());
    let data = Resource::new(move || connection.get(), get_mapping);
    view! {
        <section class="page">
            <h1>{t!(i18n, mappings.title)}</h1>
            <p class="hint">{t!(i18n, mappings.intro)}</p>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
                        Ok(v) if v.connections.is_empty() => view! {
                            <p class="empty" data-testid="no-targets">{t!(i18n, mappings.no_targets)}</p>
                        }.into_any(),
                        Ok(v) => {
                            let selected = v.selected.clone().unwrap_or_default();
                            view! {
                                <label>
                                    {t!(i18n, mappings.connection)} " "
                                    <select data-testid="mapping-connection" on:change=move |ev| connection.set(event_target_value(&ev))>
                                        {v.connections.iter().cloned().map(|(id, name)| {
                                            let chosen = id == selected;
                                            view! { <option value=id selected=chosen>{name}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                                <Editor view=v />
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// The mapping being drawn, shared by the canvas and the line list.
#[derive(Clone, Copy)]
pub struct MapDraft {
    pub kind: TargetKind,
    pub book: RwSignal<MappingBook>,
    /// Index into `book.versions` of the version on screen.
    pub version: RwSignal<usize>,
    pub problems: Memo<Vec<FieldError>>,
    pub refused: RwSignal<Vec<FieldError>>,
    pub lang: Signal<Lang>,
}

impl MapDraft {
    /// The lines of the version on screen.
    pub fn lines(&self) -> Vec<MappingLine> {
        let vi = self.version.get();
        self.book.with(|b| {
            b.versions
                .get(vi)
                .map(|v| v.lines.clone())
                .unwrap_or_default()
        })
    }

    pub fn update_version(&self, f: impl FnOnce(&mut MappingVersion)) {
        let vi = self.version.get_untracked();
        self.book.update(|b| {
            if let Some(v) = b.versions.get_mut(vi) {
                f(v)
            }
        });
        self.refused.set(Vec::new());
    }

    /// The message at `path` (relative to the version: `lines[2].transform`,
    /// `targets.issue`) or one of its items.
    pub fn problem_at(&self, path: &str) -> Option<String> {
        let full = format!("versions[{}].{path}", self.version.get());
        let zh = self.lang.get() == Lang::Zh;
        let (live, refused) = (self.problems.get(), self.refused.get());
        problem_under(live.iter().chain(refused.iter()), &full).map(|e| problem_message(zh, e))
    }
}

#[component]
fn Editor(view: MappingView) -> impl IntoView {
    let i18n = use_i18n();
    let (Some(kind), Some(book), Some(connection_id)) =
        (view.kind, view.book.clone(), view.selected.clone())
    else {
        return ().into_any();
    };
    let lang = Signal::derive(move || {
        if i18n.get_locale() == Locale::zh {
            Lang::Zh
        } else {
            Lang::En
        }
    });
    let latest = latest_index(book.versions.iter().map(|v| v.effective_from));
    let book = RwSignal::new(book);
    let problems = Memo::new(move |_| {
        book.with(|b| {
            b.validate(kind)
                .err()
                .map(|e| e.field_errors().to_vec())
                .unwrap_or_default()
        })
    });
    let draft = MapDraft {
        kind,
        book,
        version: RwSignal::new(latest),
        problems,
        refused: RwSignal::new(Vec::new()),
        lang,
    };
    provide_context(draft);
    let allocation_id = connection_id.clone();
    let based_on = RwSignal::new(view.revision);
    let save = ServerAction::<SaveMapping>::new();
    let save_error = action_error(save);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(revision)) => based_on.set(Some(revision)),
        Some(Err(crate::api::AppError::DocumentInvalid { problems })) => {
            draft.refused.set(problems)
        }
        _ => {}
    });
    let status = match &view.saved_by {
        Some(who) => t_string!(i18n, mappings.saved_by, who = who.clone()).to_string(),
        None => t_string!(i18n, mappings.default_mapping).to_string(),
    };
    view! {
        <div class="mapping-editor" data-testid="mapping-editor" data-kind=kind.as_str()>
            <div class="card-head">
                <span class="badge">{kind.label()}</span>
                <span class="badge" data-testid="mapping-revision">{move || based_on.get().map(|r| format!("#{r}")).unwrap_or_default()}</span>
                <span class="muted">{status}</span>
                <span class="spacer"></span>
                <button type="button" data-testid="save-mapping" disabled=move || save.pending().get()
                    on:click=move |_| { save.dispatch(SaveMapping { connection_id: connection_id.clone(), based_on: based_on.get_untracked(), book: book.get_untracked() }); }>
                    {t!(i18n, mappings.save)}
                </button>
            </div>
            <FormError error=save_error />
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                <p class="banner banner-ok" role="status" data-testid="mapping-saved">
                    {t_string!(i18n, mappings.saved, revision = based_on.get().unwrap_or_default()).to_string()}
                </p>
            })}
            <VersionBar versions=Signal::derive(move || book.with(|b| b.versions.iter().enumerate()
                    .map(|(i, v)| (i, v.effective_from, String::new())).collect::<Vec<_>>()))
                selected=draft.version new_from=day_after(&view.today)
                on_new=Callback::new(move |date: NaiveDate| {
                    let vi = draft.version.get_untracked();
                    let mut added = None;
                    book.update(|b| if let Some(mut v) = b.versions.get(vi).cloned() {
                        v.effective_from = date;
                        b.versions.push(v);
                        added = Some(b.versions.len() - 1);
                    });
                    if let Some(i) = added { draft.version.set(i) }
                }) />
            {move || draft.problem_at("effective_from").map(|p| view! { <p class="field-problem" role="alert">{p}</p> })}
            <canvas::Canvas />
            <lines::LineList />
            <allocation::AllocationEditor connection_id=allocation_id plan=view.allocation.clone()
                revision=view.allocation_revision departments=view.departments.clone() />
        </div>
    }
    .into_any()
}
