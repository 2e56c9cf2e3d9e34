//! The crate's one error type, and field-level validation problems.
//!
//! Validation never stops at the first problem: it returns every
//! [`FieldError`] it finds, each naming the path of the field in the rule
//! set's JSON (`versions[0].rules[2].when[1].hours`) so that a form can show
//! the message next to the field.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// A rule set, calendar edit or allocation plan was refused; every
    /// problem found is listed.
    #[error("{} problem(s), first: {}", .0.len(), first_problem(.0))]
    Invalid(Vec<FieldError>),
    /// A JSON document (rule set, case file, calendar data) does not have the
    /// expected shape.
    #[error("not the expected JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A time zone name that is not in the tz database.
    #[error("unknown time zone `{0}`")]
    UnknownTimeZone(String),
    /// Nothing to allocate a day's hours to (no share, no open task, no
    /// logged hours and no fallback).
    #[error("no project to allocate {userid}'s hours to")]
    NothingToAllocate { userid: String },
}

fn first_problem(errors: &[FieldError]) -> String {
    errors
        .first()
        .map_or_else(|| "none".to_owned(), ToString::to_string)
}

impl RulesError {
    /// The field errors of an [`RulesError::Invalid`], or none.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            RulesError::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

/// What is wrong with a field: a stable code the UI turns into a sentence
/// ([`Problem::message`] gives the Chinese and English ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// A required value is empty.
    Required,
    /// A rule without an outcome.
    NoOutcome,
    /// A list of choices (`any_of`, `kinds`) with nothing chosen.
    EmptyChoice,
    /// A negative amount where only zero or more makes sense.
    Negative,
    /// A daily cap below zero.
    NegativeCap,
    /// A rounding step of zero (or below).
    ZeroStep,
    /// Two rule versions with the same effective-from date.
    OverlappingEffectiveDates,
    /// A leave type that is not in the rule set's leave-type list.
    UnknownLeaveType,
    /// Leave types named for a condition or adjustment that does not look at
    /// leave.
    LeaveTypesWithoutLeave,
    /// An id used twice.
    Duplicate,
    /// A reference to a rule id that does not exist.
    UnknownRule,
    /// An exception that names nobody.
    NobodyNamed,
    /// An exception that changes nothing.
    NoEffect,
    /// More entries than the engine accepts.
    TooMany,
    /// A value outside the accepted range (more than 24 h in a fixed day…).
    OutOfRange,
    /// A time window whose end is not after its start.
    EmptyWindow,
    /// A rule book without any version.
    NoVersions,
    /// A version without any rule.
    NoRules,
    /// A change to a version whose days are frozen (already synced or locked).
    FrozenVersionChanged,
    /// A new version that starts on or before the frozen date.
    StartsInFrozenPeriod,
    /// A date outside the year being edited.
    OutsideYear,
    /// A date listed both as a holiday and as a make-up workday.
    Conflict,
    /// Allocation percentages that do not add up to 100 %.
    SharesNot100,
    /// An hours outcome labelled "skipped": skipping is an outcome of its own.
    SkippedWithHours,
    /// A mapping line to a field the chosen PM system does not have.
    UnknownTarget,
    /// Two mapping lines to the same target field.
    TargetMappedTwice,
    /// A mapping line with neither a source field nor a template or constant.
    NoSource,
    /// A value whose type does not fit the target field (text into a date or
    /// hours field…).
    TypeMismatch,
    /// A date format on a source that is not a date.
    DateFormatNeedsDate,
    /// A date format chrono cannot use for a date.
    InvalidDateFormat,
    /// A template placeholder that names no source field.
    UnknownPlaceholder,
    /// A template brace without its pair.
    UnbalancedBrace,
    /// A lookup table without entries.
    EmptyLookup,
    /// A constant that does not read as the target field's type.
    BadConstant,
    /// A required field of the PM system without a mapping line.
    RequiredFieldUnmapped,
}

impl Problem {
    /// The problem in Simplified Chinese and in English.
    pub fn message(self) -> (&'static str, &'static str) {
        match self {
            Problem::Required => ("必填", "required"),
            Problem::NoOutcome => ("规则没有结果", "the rule has no outcome"),
            Problem::EmptyChoice => ("至少选择一项", "choose at least one"),
            Problem::Negative => ("不能为负数", "must not be negative"),
            Problem::NegativeCap => ("每日上限不能小于 0", "the daily cap must not be below zero"),
            Problem::ZeroStep => ("取整步长必须大于 0", "the rounding step must be above zero"),
            Problem::OverlappingEffectiveDates => (
                "生效日期与另一个版本重叠",
                "the effective-from date overlaps another version",
            ),
            Problem::UnknownLeaveType => ("未知的假期类型", "unknown leave type"),
            Problem::LeaveTypesWithoutLeave => (
                "只有包含“请假”时才能指定假期类型",
                "leave types need the leave kind",
            ),
            Problem::Duplicate => ("重复", "used twice"),
            Problem::UnknownRule => ("没有这条规则", "no rule with this id"),
            Problem::NobodyNamed => (
                "例外规则必须指定人员、职位或部门",
                "an exception must name people, titles or departments",
            ),
            Problem::NoEffect => ("例外规则没有任何效果", "the exception changes nothing"),
            Problem::TooMany => ("数量过多", "too many entries"),
            Problem::OutOfRange => ("超出允许范围", "out of range"),
            Problem::EmptyWindow => (
                "结束时间必须晚于开始时间",
                "the end must be after the start",
            ),
            Problem::NoVersions => ("至少需要一个规则版本", "at least one version is needed"),
            Problem::NoRules => ("版本中没有规则", "the version has no rule"),
            Problem::FrozenVersionChanged => (
                "该版本已用于锁定的日期，不能修改",
                "this version covers frozen days and cannot change",
            ),
            Problem::StartsInFrozenPeriod => (
                "生效日期必须晚于已锁定的日期",
                "the effective-from date must be after the frozen days",
            ),
            Problem::OutsideYear => ("日期不在该年份内", "the date is not in this year"),
            Problem::Conflict => (
                "同一天不能既是节假日又是调休上班日",
                "a day cannot be both a holiday and a make-up workday",
            ),
            Problem::SharesNot100 => ("比例之和必须为 100%", "the shares must add up to 100 %"),
            Problem::SkippedWithHours => (
                "要跳过该日请选择“跳过”结果",
                "to skip the day choose the skip outcome",
            ),
            Problem::UnknownTarget => (
                "所选系统没有这个工时字段",
                "the chosen system has no such worklog field",
            ),
            Problem::TargetMappedTwice => (
                "该字段已由另一条连线填写",
                "another line already fills this field",
            ),
            Problem::NoSource => (
                "请选择来源字段，或使用模板或常量",
                "choose a source field, or use a template or a constant",
            ),
            Problem::TypeMismatch => (
                "值的类型与目标字段不符（文本不能写入日期或工时字段）",
                "the value's type does not fit the field (text cannot go into a date or hours field)",
            ),
            Problem::DateFormatNeedsDate => (
                "日期格式只能用于日期类的来源字段",
                "a date format needs a date source field",
            ),
            Problem::InvalidDateFormat => (
                "日期格式无效（例如 %Y-%m-%d）",
                "not a valid date format (e.g. %Y-%m-%d)",
            ),
            Problem::UnknownPlaceholder => (
                "模板中的占位符不是已知的来源字段",
                "a placeholder in the template names no source field",
            ),
            Problem::UnbalancedBrace => (
                "模板中的花括号不成对（字面花括号请写 {{ 或 }}）",
                "a brace in the template has no pair (write {{ or }} for a literal brace)",
            ),
            Problem::EmptyLookup => ("对照表至少需要一行", "the lookup table needs at least one entry"),
            Problem::BadConstant => (
                "常量与字段类型不符（日期写作 YYYY-MM-DD，工时写作小数）",
                "the constant does not fit the field (a date as YYYY-MM-DD, hours as a decimal)",
            ),
            Problem::RequiredFieldUnmapped => (
                "目标系统的必填字段还没有连线",
                "this required field of the target system has no line",
            ),
        }
    }
}

/// One problem at one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Where, as a path into the JSON (`versions[0].rules[2].then`).
    pub path: String,
    /// What is wrong.
    pub problem: Problem,
    /// The offending value, when it helps (an unknown leave type's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl FieldError {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, problem: Problem) -> Self {
        FieldError {
            path: path.into(),
            problem,
            detail: None,
        }
    }

    /// A problem at `path` about the value `detail`.
    pub fn with_detail(
        path: impl Into<String>,
        problem: Problem,
        detail: impl Into<String>,
    ) -> Self {
        FieldError {
            path: path.into(),
            problem,
            detail: Some(detail.into()),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (_, en) = self.problem.message();
        match &self.detail {
            Some(detail) => write!(f, "{}: {en} (`{detail}`)", self.path),
            None => write!(f, "{}: {en}", self.path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_lists_the_first_problem() {
        let err = RulesError::Invalid(vec![
            FieldError::new("versions[0].rounding.step", Problem::ZeroStep),
            FieldError::with_detail("x", Problem::UnknownLeaveType, "婚嫁"),
        ]);
        assert_eq!(
            err.to_string(),
            "2 problem(s), first: versions[0].rounding.step: the rounding step must be above zero"
        );
        assert_eq!(err.field_errors().len(), 2);
        assert_eq!(
            err.field_errors()[1].to_string(),
            "x: unknown leave type (`婚嫁`)"
        );
    }

    #[test]
    fn problems_are_snake_case_codes_with_two_languages() {
        let json = serde_json::to_string(&FieldError::new("a", Problem::NegativeCap)).unwrap();
        assert_eq!(json, r#"{"path":"a","problem":"negative_cap"}"#);
        let (zh, en) = Problem::NoOutcome.message();
        assert!(!zh.is_empty() && !en.is_empty());
    }
}
