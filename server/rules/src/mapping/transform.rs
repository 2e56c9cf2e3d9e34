//! Transforms a mapping line may carry, and their compiled forms: templates
//! cut into literal text and placeholders, and date formats parsed into
//! chrono's items once.

use std::collections::BTreeMap;
use std::fmt;

use chrono::format::{Item, StrftimeItems};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::hours::Hours;

use super::fields::SourceField;
use super::source::SourceValues;

/// What happens to a value on its way from the source to the target field.
///
/// JSON: `{"kind": "date_format", "format": "%Y/%m/%d"}`,
/// `{"kind": "template", "template": "考勤同步 {work_date}"}`,
/// `{"kind": "lookup", "table": {"P1": "10001"}, "default": "10000"}`,
/// `{"kind": "constant", "value": "EX-1"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Transform {
    /// Writes a date source as text with a chrono `strftime` format.
    DateFormat {
        /// The format (`%Y/%m/%d`, `%Y年%m月%d日`).
        format: String,
    },
    /// Text with placeholders: `{work_date}`, `{status}`… (any
    /// [`SourceField`] key); `{{` and `}}` stand for literal braces. Needs no
    /// source of its own.
    Template {
        /// The template text.
        template: String,
    },
    /// Translates the source value (as text) through a table, e.g.
    /// HourBridge project names to the system's project ids.
    Lookup {
        /// Source text → target text.
        table: BTreeMap<String, String>,
        /// For values not in the table; without it such a line fails.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default: Option<String>,
    },
    /// The same value on every worklog; needs no source. It must read as
    /// the target's type: a date as `YYYY-MM-DD`, hours as a decimal.
    Constant {
        /// The value as text.
        value: String,
    },
}

/// A problem found while compiling a template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `{name}` where `name` is no source field key.
    #[error("unknown placeholder `{{{0}}}`")]
    UnknownPlaceholder(String),
    /// A `{` without its `}`, or a lone `}`; holds the text from the brace.
    #[error("unbalanced brace at `{0}`")]
    UnbalancedBrace(String),
}

impl TemplateError {
    /// The problem code for a field error.
    pub fn problem(&self) -> Problem {
        match self {
            TemplateError::UnknownPlaceholder(_) => Problem::UnknownPlaceholder,
            TemplateError::UnbalancedBrace(_) => Problem::UnbalancedBrace,
        }
    }

    /// The placeholder name, or the text from the unbalanced brace.
    pub fn detail(&self) -> &str {
        match self {
            TemplateError::UnknownPlaceholder(name) | TemplateError::UnbalancedBrace(name) => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Field(SourceField),
}

/// A template cut into literal text and placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledTemplate {
    segments: Vec<Segment>,
}

/// How much of the text after an unbalanced brace an error quotes.
const QUOTE_CHARS: usize = 24;

impl CompiledTemplate {
    /// Compiles `text`, or lists every unknown placeholder and unbalanced
    /// brace in it.
    pub fn compile(text: &str) -> Result<CompiledTemplate, Vec<TemplateError>> {
        let mut segments = Vec::new();
        let mut errors = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(i) = rest.find(['{', '}']) {
            literal.push_str(&rest[..i]);
            let from_brace = &rest[i..];
            let after = &from_brace[1..];
            if from_brace.starts_with('{') {
                if let Some(after_escape) = after.strip_prefix('{') {
                    literal.push('{');
                    rest = after_escape;
                    continue;
                }
                let Some(end) = after.find('}') else {
                    errors.push(TemplateError::UnbalancedBrace(
                        from_brace.chars().take(QUOTE_CHARS).collect(),
                    ));
                    rest = "";
                    break;
                };
                let name = &after[..end];
                match SourceField::from_key(name) {
                    Some(field) => {
                        if !literal.is_empty() {
                            segments.push(Segment::Literal(std::mem::take(&mut literal)));
                        }
                        segments.push(Segment::Field(field));
                    }
                    None => errors.push(TemplateError::UnknownPlaceholder(
                        name.chars().take(QUOTE_CHARS).collect(),
                    )),
                }
                rest = &after[end + 1..];
            } else if let Some(after_escape) = after.strip_prefix('}') {
                literal.push('}');
                rest = after_escape;
            } else {
                errors.push(TemplateError::UnbalancedBrace("}".to_owned()));
                rest = after;
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            segments.push(Segment::Literal(literal));
        }
        if errors.is_empty() {
            Ok(CompiledTemplate { segments })
        } else {
            Err(errors)
        }
    }

    /// The source fields the template reads, in order (repeats included).
    pub fn placeholders(&self) -> impl Iterator<Item = SourceField> + '_ {
        self.segments.iter().filter_map(|s| match s {
            Segment::Field(f) => Some(*f),
            Segment::Literal(_) => None,
        })
    }

    /// Appends the template filled with `values` to `out`.
    pub fn render(&self, values: &SourceValues<'_>, out: &mut String) {
        for segment in &self.segments {
            match segment {
                Segment::Literal(text) => out.push_str(text),
                Segment::Field(field) => values.write_text(*field, out),
            }
        }
    }
}

/// A chrono `strftime` format parsed once, known to format any date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledDateFormat {
    items: Vec<Item<'static>>,
}

impl CompiledDateFormat {
    /// Parses `format`. `None` when chrono does not know a specifier in it
    /// or when it asks for something a date does not have (a time, an
    /// offset).
    pub fn compile(format: &str) -> Option<CompiledDateFormat> {
        let items = StrftimeItems::new(format).parse_to_owned().ok()?;
        let compiled = CompiledDateFormat { items };
        // Whether a format needs a time or an offset does not depend on the
        // date: one trial tells.
        let mut probe = String::new();
        compiled
            .write(NaiveDate::from_ymd_opt(2026, 1, 31)?, &mut probe)
            .ok()?;
        Some(compiled)
    }

    /// Appends `date` in this format to `out`.
    pub fn write(&self, date: NaiveDate, out: &mut String) -> fmt::Result {
        date.format_with_items(self.items.iter()).write_to(out)
    }
}

/// Reads a constant date: `YYYY-MM-DD`.
pub(super) fn constant_date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

/// Reads a constant amount: a decimal number of hours.
pub(super) fn constant_hours(value: &str) -> Option<Hours> {
    Hours::parse_decimal(value)
}
