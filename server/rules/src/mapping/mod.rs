//! The field mapping: how an allocation line becomes a worklog of the chosen
//! PM system.
//!
//! In the browser the admin draws lines from HourBridge's source fields
//! ([`SourceField`]) to the target system's worklog fields
//! ([`target_fields`]); a line may carry a [`Transform`] (a date format, a
//! template, a lookup table, or a constant instead of a source). The
//! mapping is versioned like the rule book: a day is mapped with the
//! version of the latest effective-from date on or before it.
//!
//! Pure code over plain data (also compiled to wasm for the editor): no IO,
//! no threads, no time-zone database.
//!
//! JSON shape:
//!
//! ```json
//! {"versions": [{"effective_from": "2026-01-01", "lines": [
//!    {"target": "issue", "source": "task"},
//!    {"target": "started", "source": "work_date"},
//!    {"target": "timeSpentSeconds", "source": "hours"},
//!    {"target": "comment", "transform": {"kind": "template", "template": "考勤同步 {work_date} {status}"}}
//! ]}]}
//! ```
//!
//! [`MappingBook::validate`] lists every problem at its JSON path;
//! [`CompiledMapping`] applies a valid version to [`SourceValues`] and gives
//! a [`MappedWorklog`] or a [`MapError`] an admin can act on.

mod apply;
mod fields;
mod source;
mod transform;
mod validate;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::RulesError;

pub use apply::{CompiledMapping, MapError, MappedWorklog};
pub use fields::{target_field, target_fields, Role, SourceField, TargetField, ValueType};
pub use hourbridge_domain::target::TargetKind;
pub use source::{SourceValue, SourceValues};
pub use transform::{CompiledDateFormat, CompiledTemplate, TemplateError, Transform};
pub use validate::MAX_MAPPING_VERSIONS;

/// The comment template of [`MappingBook::default_for`].
pub const DEFAULT_COMMENT_TEMPLATE: &str = "考勤同步 {work_date} {status}";

/// Every version of an organisation's mapping for one PM system.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingBook {
    /// The versions, in any order (each has its own effective-from date).
    pub versions: Vec<MappingVersion>,
}

/// One version of the mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingVersion {
    /// The first local date this version maps.
    pub effective_from: NaiveDate,
    /// One line per target field.
    #[serde(default)]
    pub lines: Vec<MappingLine>,
}

/// One line of the editor: a target field, where its value comes from, and
/// how it is transformed on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingLine {
    /// The target system's field key ([`TargetField::key`]).
    pub target: String,
    /// The source field. Not needed for a template or a constant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceField>,
    /// The transform, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<Transform>,
}

impl MappingBook {
    /// Reads a mapping book from JSON.
    pub fn from_json(json: &str) -> Result<MappingBook, RulesError> {
        Ok(serde_json::from_str(json)?)
    }

    /// Pretty JSON, as the editor stores it.
    pub fn to_json(&self) -> Result<String, RulesError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Every problem of every version for `kind`, each at its JSON path
    /// (`versions[0].lines[2].transform.template`,
    /// `versions[0].targets.issue` for a required field without a line).
    pub fn validate(&self, kind: TargetKind) -> Result<(), RulesError> {
        let errors = validate::book(self, kind);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(RulesError::Invalid(errors))
        }
    }

    /// The version in force on `date`: the latest effective-from date on or
    /// before it.
    pub fn version_for(&self, date: NaiveDate) -> Option<&MappingVersion> {
        self.versions
            .iter()
            .filter(|v| v.effective_from <= date)
            .max_by_key(|v| v.effective_from)
    }

    /// A sensible start for `kind`, effective from 2000-01-01: the line's
    /// hours, the work date, the task, the project, the matched PM user, and
    /// the comment [`DEFAULT_COMMENT_TEMPLATE`].
    pub fn default_for(kind: TargetKind) -> MappingBook {
        let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
        MappingBook {
            versions: vec![MappingVersion::default_for(kind, from)],
        }
    }
}

impl MappingVersion {
    /// The default lines for `kind` (see [`MappingBook::default_for`]),
    /// effective from `effective_from`.
    pub fn default_for(kind: TargetKind, effective_from: NaiveDate) -> MappingVersion {
        let lines = target_fields(kind)
            .iter()
            .map(|f| {
                let (source, transform) = match f.role {
                    Role::Person => (Some(SourceField::PmUser), None),
                    Role::Project => (Some(SourceField::Project), None),
                    Role::Task => (Some(SourceField::Task), None),
                    Role::Date => (Some(SourceField::WorkDate), None),
                    Role::Hours => (Some(SourceField::Hours), None),
                    Role::Comment => (
                        None,
                        Some(Transform::Template {
                            template: DEFAULT_COMMENT_TEMPLATE.to_owned(),
                        }),
                    ),
                };
                MappingLine {
                    target: f.key.to_owned(),
                    source,
                    transform,
                }
            })
            .collect();
        MappingVersion {
            effective_from,
            lines,
        }
    }

    /// Every problem of this version for `kind`; paths are relative to the
    /// version (`lines[1].target`, `targets.issue`).
    pub fn validate(&self, kind: TargetKind) -> Result<(), RulesError> {
        let mut errors = Vec::new();
        validate::version(self, kind, "", &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(RulesError::Invalid(errors))
        }
    }
}

#[cfg(test)]
mod tests;
