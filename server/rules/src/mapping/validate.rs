//! Validation of a mapping: every problem, each at its field's path, and
//! the compiled lines when there is none.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use hourbridge_domain::target::TargetKind;

use crate::error::{FieldError, Problem};
use crate::hours::Hours;

use super::apply::{Compiled, DateValue, HoursValue, TextValue};
use super::fields::{target_field, target_fields, SourceField, TargetField, ValueType};
use super::transform::{constant_date, constant_hours, CompiledDateFormat, CompiledTemplate};
use super::{MappingBook, MappingLine, MappingVersion, Transform};

/// The most versions a mapping book may hold.
pub const MAX_MAPPING_VERSIONS: usize = 1000;

/// A constant cannot put more than a day's hours on one worklog.
const DAY: Hours = Hours::from_hours(24);

/// Every problem of every version of `book` for `kind`.
pub(super) fn book(book: &MappingBook, kind: TargetKind) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if book.versions.is_empty() {
        errors.push(FieldError::new("versions", Problem::NoVersions));
    }
    if book.versions.len() > MAX_MAPPING_VERSIONS {
        errors.push(FieldError::new("versions", Problem::TooMany));
    }
    let mut first_index: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for (i, v) in book.versions.iter().enumerate() {
        let prefix = format!("versions[{i}].");
        if let Some(first) = first_index.get(&v.effective_from) {
            errors.push(FieldError::with_detail(
                format!("{prefix}effective_from"),
                Problem::OverlappingEffectiveDates,
                format!("versions[{first}]"),
            ));
        } else {
            first_index.insert(v.effective_from, i);
        }
        version(v, kind, &prefix, &mut errors);
    }
    errors
}

/// Checks one version (paths start with `prefix`) and returns its lines
/// compiled; they are complete only when no error was added.
pub(super) fn version(
    v: &MappingVersion,
    kind: TargetKind,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) -> Vec<(&'static TargetField, Compiled)> {
    let mut first_line: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut compiled = Vec::new();
    for (j, l) in v.lines.iter().enumerate() {
        let path = format!("{prefix}lines[{j}]");
        let field = target_field(kind, &l.target);
        match field {
            Some(f) => {
                if first_line.insert(f.key, j).is_some() {
                    errors.push(FieldError::with_detail(
                        format!("{path}.target"),
                        Problem::TargetMappedTwice,
                        f.key,
                    ));
                }
            }
            None if l.target.trim().is_empty() => {
                errors.push(FieldError::new(format!("{path}.target"), Problem::Required));
            }
            None => errors.push(FieldError::with_detail(
                format!("{path}.target"),
                Problem::UnknownTarget,
                clip(&l.target),
            )),
        }
        if let Some(c) = line(l, field, &path, errors) {
            if let Some(f) = field {
                compiled.push((f, c));
            }
        }
    }
    for f in target_fields(kind) {
        if f.required && !first_line.contains_key(f.key) {
            errors.push(FieldError::with_detail(
                format!("{prefix}targets.{}", f.key),
                Problem::RequiredFieldUnmapped,
                f.key,
            ));
        }
    }
    compiled
}

/// Checks one line; its compiled form when it has no problem and its
/// target is known.
fn line(
    l: &MappingLine,
    field: Option<&'static TargetField>,
    path: &str,
    errors: &mut Vec<FieldError>,
) -> Option<Compiled> {
    let before = errors.len();
    let mut need_source = || {
        if l.source.is_none() {
            errors.push(FieldError::new(format!("{path}.source"), Problem::NoSource));
        }
        l.source
    };
    // What the line produces, and its text form when that is text.
    let (output, text): (Option<ValueType>, Option<TextValue>) = match &l.transform {
        None => {
            let source = need_source();
            (source.map(SourceField::kind), source.map(TextValue::Source))
        }
        Some(Transform::DateFormat { format }) => {
            let source = need_source();
            if let Some(s) = source.filter(|s| s.kind() != ValueType::Date) {
                errors.push(FieldError::with_detail(
                    format!("{path}.source"),
                    Problem::DateFormatNeedsDate,
                    s.key(),
                ));
            }
            let compiled = if format.is_empty() {
                errors.push(FieldError::new(
                    format!("{path}.transform.format"),
                    Problem::Required,
                ));
                None
            } else {
                let compiled = CompiledDateFormat::compile(format);
                if compiled.is_none() {
                    errors.push(FieldError::with_detail(
                        format!("{path}.transform.format"),
                        Problem::InvalidDateFormat,
                        clip(format),
                    ));
                }
                compiled
            };
            let text = source
                .zip(compiled)
                .map(|(s, f)| TextValue::DateFormat(s, f));
            (Some(ValueType::Text), text)
        }
        Some(Transform::Template { template }) => {
            let text = match CompiledTemplate::compile(template) {
                Ok(t) => Some(TextValue::Template(t)),
                Err(problems) => {
                    for p in problems {
                        errors.push(FieldError::with_detail(
                            format!("{path}.transform.template"),
                            p.problem(),
                            p.detail(),
                        ));
                    }
                    None
                }
            };
            (Some(ValueType::Text), text)
        }
        Some(Transform::Lookup { table, default }) => {
            let source = need_source();
            if table.is_empty() {
                errors.push(FieldError::new(
                    format!("{path}.transform.table"),
                    Problem::EmptyLookup,
                ));
            }
            let text = source.map(|source| TextValue::Lookup {
                source,
                table: table.clone(),
                default: default.clone(),
            });
            (Some(ValueType::Text), text)
        }
        Some(Transform::Constant { value }) => {
            // A constant is read as the target's type; unknown target: no
            // type to check against.
            let compiled = field.and_then(|f| constant(value, f, path, errors));
            return compiled.filter(|_| errors.len() == before);
        }
    };
    let field = field?;
    if let Some(output) = output {
        if field.value_type != ValueType::Text && output != field.value_type {
            let at = if l.transform.is_some() {
                "transform"
            } else {
                "source"
            };
            errors.push(FieldError::with_detail(
                format!("{path}.{at}"),
                Problem::TypeMismatch,
                format!("{} → {}", output.code(), field.value_type.code()),
            ));
        }
    }
    if errors.len() != before {
        return None;
    }
    match (field.value_type, l.source) {
        (ValueType::Text, _) => text.map(Compiled::Text),
        (ValueType::Date, Some(s)) => Some(Compiled::Date(DateValue::Source(s))),
        (ValueType::Hours, Some(s)) => Some(Compiled::Hours(HoursValue::Source(s))),
        _ => None,
    }
}

/// Reads a constant as `field`'s type.
fn constant(
    value: &str,
    field: &'static TargetField,
    path: &str,
    errors: &mut Vec<FieldError>,
) -> Option<Compiled> {
    let at = format!("{path}.transform.value");
    let bad = |errors: &mut Vec<FieldError>, problem| {
        errors.push(FieldError::with_detail(at.clone(), problem, clip(value)));
        None
    };
    match field.value_type {
        ValueType::Text if field.required && value.trim().is_empty() => {
            errors.push(FieldError::new(at.clone(), Problem::Required));
            None
        }
        ValueType::Text => Some(Compiled::Text(TextValue::Constant(value.to_owned()))),
        ValueType::Date => match constant_date(value) {
            Some(d) => Some(Compiled::Date(DateValue::Constant(d))),
            None => bad(errors, Problem::BadConstant),
        },
        ValueType::Hours => match constant_hours(value) {
            Some(h) if h.is_negative() => bad(errors, Problem::Negative),
            Some(h) if h > DAY => bad(errors, Problem::OutOfRange),
            Some(h) => Some(Compiled::Hours(HoursValue::Constant(h))),
            None => bad(errors, Problem::BadConstant),
        },
    }
}

/// A user's text, shortened for an error's detail.
fn clip(text: &str) -> String {
    const MAX: usize = 64;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(MAX).collect();
        short.push('…');
        short
    }
}
