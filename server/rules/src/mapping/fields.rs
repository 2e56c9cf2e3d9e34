//! What can be mapped: the source fields HourBridge offers for one
//! allocation line, and each PM system's worklog fields (the target
//! catalog).

use serde::{Deserialize, Serialize};

use hourbridge_domain::target::TargetKind;

use crate::explain::Lang;

/// The type of a value: what a field holds and what a transform produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// Any text (ids, names, comments).
    Text,
    /// A calendar date (written `YYYY-MM-DD` when it becomes text).
    Date,
    /// An amount of hours (written as a decimal, `6.5`, when it becomes text).
    Hours,
}

impl ValueType {
    /// The snake_case code (`text`).
    pub fn code(self) -> &'static str {
        match self {
            ValueType::Text => "text",
            ValueType::Date => "date",
            ValueType::Hours => "hours",
        }
    }

    /// What people call it.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ValueType::Text, Lang::Zh) => "文本",
            (ValueType::Text, Lang::En) => "text",
            (ValueType::Date, Lang::Zh) => "日期",
            (ValueType::Date, Lang::En) => "date",
            (ValueType::Hours, Lang::Zh) => "工时",
            (ValueType::Hours, Lang::En) => "hours",
        }
    }
}

/// A value HourBridge knows about one allocation line of one person-day:
/// the left-hand side of the mapping editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceField {
    /// The person's name in DingTalk.
    PersonName,
    /// The DingTalk `userid`.
    Userid,
    /// The DingTalk `unionid`.
    Unionid,
    /// The id of the PM user the person is matched to.
    PmUser,
    /// The person's job title.
    JobTitle,
    /// The person's department name(s).
    Department,
    /// The day the hours were worked.
    WorkDate,
    /// This allocation line's hours.
    Hours,
    /// The whole day's hours (all lines of the day together).
    DayHours,
    /// The day's status label.
    Status,
    /// The rules engine's explanation of the day.
    Explanation,
    /// The project the line is allocated to.
    Project,
    /// The task / issue the line is allocated to.
    Task,
    /// The ids of the day's approval instances, comma-separated.
    ApprovalIds,
}

impl SourceField {
    /// Every source field, in the editor's order.
    pub const ALL: [SourceField; 14] = [
        SourceField::PersonName,
        SourceField::Userid,
        SourceField::Unionid,
        SourceField::PmUser,
        SourceField::JobTitle,
        SourceField::Department,
        SourceField::WorkDate,
        SourceField::Hours,
        SourceField::DayHours,
        SourceField::Status,
        SourceField::Explanation,
        SourceField::Project,
        SourceField::Task,
        SourceField::ApprovalIds,
    ];

    /// The snake_case key, as in JSON and in template placeholders.
    pub fn key(self) -> &'static str {
        match self {
            SourceField::PersonName => "person_name",
            SourceField::Userid => "userid",
            SourceField::Unionid => "unionid",
            SourceField::PmUser => "pm_user",
            SourceField::JobTitle => "job_title",
            SourceField::Department => "department",
            SourceField::WorkDate => "work_date",
            SourceField::Hours => "hours",
            SourceField::DayHours => "day_hours",
            SourceField::Status => "status",
            SourceField::Explanation => "explanation",
            SourceField::Project => "project",
            SourceField::Task => "task",
            SourceField::ApprovalIds => "approval_ids",
        }
    }

    /// The field with this key, if any.
    pub fn from_key(key: &str) -> Option<SourceField> {
        SourceField::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The type of its value.
    pub fn kind(self) -> ValueType {
        match self {
            SourceField::WorkDate => ValueType::Date,
            SourceField::Hours | SourceField::DayHours => ValueType::Hours,
            _ => ValueType::Text,
        }
    }

    /// What the editor calls it.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            SourceField::PersonName => ("姓名", "Name"),
            SourceField::Userid => ("钉钉 userid", "DingTalk userid"),
            SourceField::Unionid => ("钉钉 unionid", "DingTalk unionid"),
            SourceField::PmUser => ("项目管理系统用户", "PM user"),
            SourceField::JobTitle => ("职位", "Job title"),
            SourceField::Department => ("部门", "Department"),
            SourceField::WorkDate => ("工作日期", "Work date"),
            SourceField::Hours => ("分配工时", "Allocated hours"),
            SourceField::DayHours => ("当日工时", "Hours of the day"),
            SourceField::Status => ("出勤状态", "Day status"),
            SourceField::Explanation => ("工时说明", "Explanation"),
            SourceField::Project => ("项目", "Project"),
            SourceField::Task => ("任务", "Task"),
            SourceField::ApprovalIds => ("审批单号", "Approval ids"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// What a worklog field means to HourBridge: which part of a
/// [`MappedWorklog`](super::MappedWorklog) it fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Whose hours (the PM user).
    Person,
    /// The project.
    Project,
    /// The task / issue / work item.
    Task,
    /// The day.
    Date,
    /// The amount.
    Hours,
    /// Free text.
    Comment,
}

/// One worklog field of a PM system: the right-hand side of the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TargetField {
    /// The system's own name for the field (`timeSpentSeconds`).
    pub key: &'static str,
    /// Its name in Simplified Chinese.
    pub label_zh: &'static str,
    /// Its name in English.
    pub label_en: &'static str,
    /// What it fills.
    pub role: Role,
    /// A worklog cannot be written without it.
    pub required: bool,
    /// The type it accepts.
    pub value_type: ValueType,
}

impl TargetField {
    /// Its name in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.label_zh,
            Lang::En => self.label_en,
        }
    }
}

const fn field(
    key: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    role: Role,
    required: bool,
) -> TargetField {
    let value_type = match role {
        Role::Date => ValueType::Date,
        Role::Hours => ValueType::Hours,
        _ => ValueType::Text,
    };
    TargetField {
        key,
        label_zh,
        label_en,
        role,
        required,
        value_type,
    }
}

/// Jira writes as the connection's account: there is no person field.
const JIRA: [TargetField; 4] = [
    field("issue", "问题", "Issue", Role::Task, true),
    field("started", "开始日期", "Started", Role::Date, true),
    field("timeSpentSeconds", "耗时", "Time spent", Role::Hours, true),
    field("comment", "备注", "Comment", Role::Comment, false),
];

const REDMINE: [TargetField; 6] = [
    field("project_id", "项目", "Project", Role::Project, true),
    field("issue_id", "问题", "Issue", Role::Task, false),
    field("spent_on", "日期", "Date", Role::Date, true),
    field("hours", "耗时", "Hours", Role::Hours, true),
    field("user_id", "用户", "User", Role::Person, true),
    field("comments", "注释", "Comment", Role::Comment, false),
];

const ZENTAO: [TargetField; 5] = [
    field("task", "任务", "Task", Role::Task, true),
    field("date", "日期", "Date", Role::Date, true),
    field("consumed", "消耗工时", "Consumed", Role::Hours, true),
    field("account", "用户账号", "Account", Role::Person, true),
    field("work", "工作内容", "Work", Role::Comment, false),
];

const TAPD: [TargetField; 5] = [
    field("entity_id", "工作项", "Work item", Role::Task, true),
    field("spentdate", "花费日期", "Date spent", Role::Date, true),
    field("timespent", "花费工时", "Time spent", Role::Hours, true),
    field("owner", "花费人", "Owner", Role::Person, true),
    field("memo", "备注", "Memo", Role::Comment, false),
];

const FEISHU_PROJECT: [TargetField; 5] = [
    field("work_item_id", "工作项", "Work item", Role::Task, true),
    field("work_date", "工作日期", "Work date", Role::Date, true),
    field("man_hour", "工时", "Man-hours", Role::Hours, true),
    field("user_key", "用户", "User", Role::Person, true),
    field("description", "描述", "Description", Role::Comment, false),
];

/// The worklog fields of `kind`, in the editor's order. Each role appears at
/// most once.
pub fn target_fields(kind: TargetKind) -> &'static [TargetField] {
    match kind {
        TargetKind::JiraCloud | TargetKind::JiraDataCenter => &JIRA,
        TargetKind::Redmine => &REDMINE,
        TargetKind::Zentao => &ZENTAO,
        TargetKind::Tapd => &TAPD,
        TargetKind::FeishuProject => &FEISHU_PROJECT,
    }
}

/// The worklog field of `kind` named `key`, if there is one.
pub fn target_field(kind: TargetKind, key: &str) -> Option<&'static TargetField> {
    target_fields(kind).iter().find(|f| f.key == key)
}
