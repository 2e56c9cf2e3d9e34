//! Applying a compiled mapping to one allocation line.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use hourbridge_domain::target::TargetKind;

use crate::error::RulesError;
use crate::explain::Lang;
use crate::hours::Hours;

use super::fields::{Role, SourceField, TargetField};
use super::source::{SourceValue, SourceValues};
use super::transform::{CompiledDateFormat, CompiledTemplate};
use super::{validate, MappingVersion};

/// A worklog's fields as the mapping filled them, by role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedWorklog {
    /// The PM user (`None`: the system has no person field, or an optional
    /// one came out empty).
    pub person: Option<String>,
    /// The project.
    pub project: Option<String>,
    /// The task / issue / work item.
    pub task: Option<String>,
    /// The day.
    pub date: NaiveDate,
    /// The amount.
    pub hours: Hours,
    /// The comment (empty when unmapped).
    pub comment: String,
}

/// Why one allocation line could not be mapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    /// A lookup table without this value and without a default.
    #[error("the lookup table of field `{target}` has no entry for `{value}` and no default")]
    NoLookupEntry {
        /// The target field's key.
        target: &'static str,
        /// The source value that was looked up.
        value: String,
    },
    /// A required field came out empty.
    #[error("field `{target}` is required, but its value is empty")]
    Empty {
        /// The target field's key.
        target: &'static str,
    },
    /// The date format could not write this date.
    #[error("the date format of field `{target}` cannot write {date}")]
    DateFormat {
        /// The target field's key.
        target: &'static str,
        /// The date.
        date: NaiveDate,
    },
}

impl MapError {
    /// The error as a sentence in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (MapError::NoLookupEntry { target, value }, Lang::Zh) => {
                format!("字段 {target} 的对照表中没有“{value}”，也没有默认值")
            }
            (MapError::Empty { target }, Lang::Zh) => format!("字段 {target} 必填，但值为空"),
            (MapError::DateFormat { target, date }, Lang::Zh) => {
                format!("字段 {target} 的日期格式无法写出 {date}")
            }
            (error, Lang::En) => error.to_string(),
        }
    }
}

/// A text field's value, compiled.
#[derive(Debug, Clone)]
pub(super) enum TextValue {
    Source(SourceField),
    DateFormat(SourceField, CompiledDateFormat),
    Template(CompiledTemplate),
    Lookup {
        source: SourceField,
        table: BTreeMap<String, String>,
        default: Option<String>,
    },
    Constant(String),
}

/// A date field's value, compiled.
#[derive(Debug, Clone, Copy)]
pub(super) enum DateValue {
    Source(SourceField),
    Constant(NaiveDate),
}

/// An hours field's value, compiled.
#[derive(Debug, Clone, Copy)]
pub(super) enum HoursValue {
    Source(SourceField),
    Constant(Hours),
}

/// One line, compiled for its target's type.
#[derive(Debug, Clone)]
pub(super) enum Compiled {
    Text(TextValue),
    Date(DateValue),
    Hours(HoursValue),
}

#[derive(Debug, Clone)]
struct TextSlot {
    field: &'static TargetField,
    value: TextValue,
}

/// A validated mapping version for one PM system, ready to apply to many
/// lines.
#[derive(Debug, Clone)]
pub struct CompiledMapping {
    kind: TargetKind,
    effective_from: NaiveDate,
    person: Option<TextSlot>,
    project: Option<TextSlot>,
    task: Option<TextSlot>,
    comment: Option<TextSlot>,
    date: DateValue,
    hours: HoursValue,
}

impl CompiledMapping {
    /// Validates `version` for `kind` (paths relative to the version:
    /// `lines[2].transform.template`, `targets.issue`) and compiles it.
    pub fn new(version: &MappingVersion, kind: TargetKind) -> Result<CompiledMapping, RulesError> {
        let mut errors = Vec::new();
        let lines = validate::version(version, kind, "", &mut errors);
        if !errors.is_empty() {
            return Err(RulesError::Invalid(errors));
        }
        let mut mapping = CompiledMapping {
            kind,
            effective_from: version.effective_from,
            person: None,
            project: None,
            task: None,
            comment: None,
            // Validation guarantees both (every catalog requires them);
            // these stand in only until the lines below set them.
            date: DateValue::Source(SourceField::WorkDate),
            hours: HoursValue::Source(SourceField::Hours),
        };
        for (field, compiled) in lines {
            match (field.role, compiled) {
                (Role::Date, Compiled::Date(v)) => mapping.date = v,
                (Role::Hours, Compiled::Hours(v)) => mapping.hours = v,
                (role, Compiled::Text(value)) => {
                    let slot = Some(TextSlot { field, value });
                    match role {
                        Role::Person => mapping.person = slot,
                        Role::Project => mapping.project = slot,
                        Role::Task => mapping.task = slot,
                        _ => mapping.comment = slot,
                    }
                }
                // Validation compiles each line for its field's type.
                _ => {}
            }
        }
        Ok(mapping)
    }

    /// The PM system it is for.
    pub fn kind(&self) -> TargetKind {
        self.kind
    }

    /// The version's effective-from date.
    pub fn effective_from(&self) -> NaiveDate {
        self.effective_from
    }

    /// True when applying reads `field`, so that a caller can skip
    /// computing costly values (the explanation) nobody maps.
    pub fn uses(&self, field: SourceField) -> bool {
        let text = |slot: &Option<TextSlot>| {
            slot.as_ref().is_some_and(|s| match &s.value {
                TextValue::Source(f)
                | TextValue::DateFormat(f, _)
                | TextValue::Lookup { source: f, .. } => *f == field,
                TextValue::Template(t) => t.placeholders().any(|f| f == field),
                TextValue::Constant(_) => false,
            })
        };
        text(&self.person)
            || text(&self.project)
            || text(&self.task)
            || text(&self.comment)
            || matches!(self.date, DateValue::Source(f) if f == field)
            || matches!(self.hours, HoursValue::Source(f) if f == field)
    }

    /// Maps one line.
    pub fn apply(&self, values: &SourceValues<'_>) -> Result<MappedWorklog, MapError> {
        let mut out = MappedWorklog::default();
        self.apply_into(values, &mut out)?;
        Ok(out)
    }

    /// Maps one line into `out`, reusing its strings' space. On an error
    /// `out` is left partly written.
    pub fn apply_into(
        &self,
        values: &SourceValues<'_>,
        out: &mut MappedWorklog,
    ) -> Result<(), MapError> {
        out.date = match self.date {
            DateValue::Source(f) => match values.get(f) {
                SourceValue::Date(d) => d,
                _ => values.work_date,
            },
            DateValue::Constant(d) => d,
        };
        out.hours = match self.hours {
            HoursValue::Source(f) => match values.get(f) {
                SourceValue::Hours(h) => h,
                _ => values.hours,
            },
            HoursValue::Constant(h) => h,
        };
        fill(self.person.as_ref(), values, &mut out.person)?;
        fill(self.project.as_ref(), values, &mut out.project)?;
        fill(self.task.as_ref(), values, &mut out.task)?;
        out.comment.clear();
        if let Some(slot) = &self.comment {
            slot.write(values, &mut out.comment)?;
            if slot.field.required && out.comment.trim().is_empty() {
                return Err(MapError::Empty {
                    target: slot.field.key,
                });
            }
        }
        Ok(())
    }
}

/// Fills an optional text field: `None` when unmapped, or when an optional
/// field comes out empty; an error when a required one does.
fn fill(
    slot: Option<&TextSlot>,
    values: &SourceValues<'_>,
    out: &mut Option<String>,
) -> Result<(), MapError> {
    let Some(slot) = slot else {
        *out = None;
        return Ok(());
    };
    let mut text = out.take().unwrap_or_default();
    text.clear();
    slot.write(values, &mut text)?;
    if text.trim().is_empty() {
        if slot.field.required {
            return Err(MapError::Empty {
                target: slot.field.key,
            });
        }
    } else {
        *out = Some(text);
    }
    Ok(())
}

impl TextSlot {
    fn write(&self, values: &SourceValues<'_>, out: &mut String) -> Result<(), MapError> {
        let target = self.field.key;
        match &self.value {
            TextValue::Source(f) => values.write_text(*f, out),
            TextValue::DateFormat(f, format) => {
                let date = match values.get(*f) {
                    SourceValue::Date(d) => d,
                    _ => values.work_date,
                };
                format
                    .write(date, out)
                    .map_err(|_| MapError::DateFormat { target, date })?;
            }
            TextValue::Template(template) => template.render(values, out),
            TextValue::Lookup {
                source,
                table,
                default,
            } => {
                let found = match values.get(*source) {
                    SourceValue::Text(key) => lookup(table, default, key, target)?,
                    _ => {
                        let mut key = String::new();
                        values.write_text(*source, &mut key);
                        lookup(table, default, &key, target)?
                    }
                };
                out.push_str(found);
            }
            TextValue::Constant(text) => out.push_str(text),
        }
        Ok(())
    }
}

fn lookup<'t>(
    table: &'t BTreeMap<String, String>,
    default: &'t Option<String>,
    key: &str,
    target: &'static str,
) -> Result<&'t str, MapError> {
    table
        .get(key)
        .or(default.as_ref())
        .map(String::as_str)
        .ok_or_else(|| MapError::NoLookupEntry {
            target,
            value: key.to_owned(),
        })
}
