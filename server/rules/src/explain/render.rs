//! A [`Trace`] as one line of Simplified Chinese or English.

use std::fmt::Write as _;

use crate::hours::Hours;
use crate::model::{ApprovalKind, DayType, PunchTime, TimeResult};
use crate::rules::{Op, RoundingMode, Status};

use super::{CheckPoint, Lang, Named, Trace, TraceStep};

impl Trace {
    /// The explanation in `lang`, on one line.
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }

    /// The explanation in Simplified Chinese.
    pub fn zh(&self) -> String {
        let mut out = String::new();
        let _ = write!(out, "{} {}", self.date, day_type_zh(self.day_type));
        if let Some(v) = self.version {
            let _ = write!(out, "，规则版本 {v}");
            if !self.version_name.is_empty() {
                let _ = write!(out, "（{}）", self.version_name);
            }
        }
        if let Some(r) = &self.rule {
            let _ = write!(out, "，第 {} 条规则「{}」", r.number, label(r));
        }
        for e in &self.exceptions {
            let _ = write!(out, "，适用例外「{}」", label(e));
        }
        out.push('：');
        let mut parts: Vec<String> = Vec::new();
        for step in &self.steps {
            match step {
                TraceStep::NoVersion => parts.push("该日期没有生效的规则版本，不记工时".into()),
                TraceStep::NoRuleMatched => parts.push("没有规则匹配，不记工时".into()),
                TraceStep::Skip => parts.push("跳过该日，不生成工时记录".into()),
                TraceStep::Fixed { hours } => parts.push(format!("基础 {hours} 小时")),
                TraceStep::Punches {
                    on_duty_at,
                    off_duty_at,
                    worked,
                    breaks,
                } => parts.push(format!(
                    "按打卡 {}–{} 计 {worked} 小时（扣休息 {breaks} 小时）",
                    punch_text(*on_duty_at),
                    punch_text(*off_duty_at)
                )),
                TraceStep::Penalty {
                    check,
                    result,
                    hours,
                    exception,
                } => {
                    if *hours == Hours::ZERO && exception.is_none() {
                        continue;
                    }
                    let check = match check {
                        CheckPoint::OnDuty => "上班",
                        CheckPoint::OffDuty => "下班",
                    };
                    let mut p = format!("{check}{} −{hours} 小时", result_zh(*result));
                    if let Some(e) = exception {
                        let _ = write!(p, "（例外「{e}」）");
                    }
                    parts.push(p);
                }
                TraceStep::Approvals {
                    op,
                    kinds,
                    leave_types,
                    hours,
                } => {
                    if *hours == Hours::ZERO {
                        continue;
                    }
                    let sign = if *op == Op::Add { "+" } else { "−" };
                    let what = kinds_text(kinds, leave_types, Lang::Zh);
                    parts.push(format!("{what} {sign}{hours} 小时"));
                }
                TraceStep::Floor { from } => parts.push(format!("{from} 小时不足 0，按 0 计")),
                TraceStep::Cap { from, to } => {
                    parts.push(format!("{from} 小时超过每日上限，按 {to} 小时"))
                }
                TraceStep::Round {
                    mode,
                    step,
                    from,
                    to,
                } => parts.push(format!(
                    "按 {step} 小时{}取整 {from} → {to} 小时",
                    mode_zh(*mode)
                )),
                TraceStep::CapAfterRounding { from, to } => {
                    parts.push(format!("取整后 {from} 小时超过上限，改为 {to} 小时"))
                }
            }
        }
        out.push_str(&parts.join("；"));
        let _ = write!(
            out,
            "；结果 {} 小时，{}",
            self.hours,
            status_zh(self.status)
        );
        out
    }

    /// The explanation in English.
    pub fn en(&self) -> String {
        let mut out = String::new();
        let _ = write!(out, "{} {}", self.date, day_type_en(self.day_type));
        if let Some(v) = self.version {
            let _ = write!(out, ", rules of {v}");
            if !self.version_name.is_empty() {
                let _ = write!(out, " ({})", self.version_name);
            }
        }
        if let Some(r) = &self.rule {
            let _ = write!(out, ", rule #{} \"{}\"", r.number, label(r));
        }
        for e in &self.exceptions {
            let _ = write!(out, ", exception \"{}\"", label(e));
        }
        out.push_str(": ");
        let mut parts: Vec<String> = Vec::new();
        for step in &self.steps {
            match step {
                TraceStep::NoVersion => {
                    parts.push("no rule version in force on this date, no worklog".into())
                }
                TraceStep::NoRuleMatched => parts.push("no rule matched, no worklog".into()),
                TraceStep::Skip => parts.push("day skipped, no worklog".into()),
                TraceStep::Fixed { hours } => parts.push(format!("base {hours} h")),
                TraceStep::Punches {
                    on_duty_at,
                    off_duty_at,
                    worked,
                    breaks,
                } => parts.push(format!(
                    "punches {}–{} give {worked} h (breaks {breaks} h)",
                    punch_text(*on_duty_at),
                    punch_text(*off_duty_at)
                )),
                TraceStep::Penalty {
                    check,
                    result,
                    hours,
                    exception,
                } => {
                    if *hours == Hours::ZERO && exception.is_none() {
                        continue;
                    }
                    let check = match check {
                        CheckPoint::OnDuty => "OnDuty",
                        CheckPoint::OffDuty => "OffDuty",
                    };
                    let mut p = format!("{check} {} −{hours} h", result.as_str());
                    if let Some(e) = exception {
                        let _ = write!(p, " (exception \"{e}\")");
                    }
                    parts.push(p);
                }
                TraceStep::Approvals {
                    op,
                    kinds,
                    leave_types,
                    hours,
                } => {
                    if *hours == Hours::ZERO {
                        continue;
                    }
                    let sign = if *op == Op::Add { "+" } else { "−" };
                    let what = kinds_text(kinds, leave_types, Lang::En);
                    parts.push(format!("{what} {sign}{hours} h"));
                }
                TraceStep::Floor { from } => parts.push(format!("{from} h raised to 0")),
                TraceStep::Cap { from, to } => parts.push(format!("{from} h capped at {to} h")),
                TraceStep::Round {
                    mode,
                    step,
                    from,
                    to,
                } => parts.push(format!(
                    "rounded {} to {step} h: {from} → {to} h",
                    mode_en(*mode)
                )),
                TraceStep::CapAfterRounding { from, to } => {
                    parts.push(format!("{from} h after rounding is above the cap: {to} h"))
                }
            }
        }
        out.push_str(&parts.join("; "));
        let _ = write!(out, "; = {} h, {}", self.hours, self.status.code());
        out
    }
}

fn label(n: &Named) -> String {
    if n.name.is_empty() {
        n.id.clone()
    } else {
        format!("{} {}", n.id, n.name)
    }
}

fn punch_text(p: Option<PunchTime>) -> String {
    match p {
        Some(p) => {
            let s = p.seconds();
            let (h, m) = (s.div_euclid(3600), s.rem_euclid(3600) / 60);
            format!("{h:02}:{m:02}")
        }
        None => "?".into(),
    }
}

fn kinds_text(kinds: &[ApprovalKind], leave_types: &[String], lang: Lang) -> String {
    let mut names: Vec<&str> = kinds
        .iter()
        .map(|k| match (lang, k) {
            (Lang::Zh, ApprovalKind::Leave) => "请假",
            (Lang::Zh, ApprovalKind::Overtime) => "加班",
            (Lang::Zh, ApprovalKind::BusinessTrip) => "出差",
            (Lang::Zh, ApprovalKind::Outing) => "外出",
            (Lang::En, ApprovalKind::Leave) => "leave",
            (Lang::En, ApprovalKind::Overtime) => "overtime",
            (Lang::En, ApprovalKind::BusinessTrip) => "business trip",
            (Lang::En, ApprovalKind::Outing) => "outing",
        })
        .collect();
    if names.is_empty() {
        names.push(if lang == Lang::Zh {
            "审批"
        } else {
            "approvals"
        });
    }
    let sep = if lang == Lang::Zh { "/" } else { " or " };
    let mut text = names.join(sep);
    if !leave_types.is_empty() {
        let _ = write!(text, "（{}）", leave_types.join("、"));
    }
    text
}

fn day_type_zh(d: DayType) -> &'static str {
    match d {
        DayType::Workday => "工作日",
        DayType::RestDay => "休息日",
        DayType::StatutoryHoliday => "法定节假日",
        DayType::MakeupWorkday => "调休上班日",
    }
}

fn day_type_en(d: DayType) -> &'static str {
    match d {
        DayType::Workday => "workday",
        DayType::RestDay => "rest day",
        DayType::StatutoryHoliday => "statutory holiday",
        DayType::MakeupWorkday => "make-up workday",
    }
}

fn result_zh(r: TimeResult) -> &'static str {
    match r {
        TimeResult::Normal => "正常",
        TimeResult::Early => "早退",
        TimeResult::Late => "迟到",
        TimeResult::SeriousLate => "严重迟到",
        TimeResult::Absenteeism => "旷工",
        TimeResult::NotSigned => "缺卡",
        TimeResult::Other => "其他结果",
    }
}

fn status_zh(s: Status) -> &'static str {
    match s {
        Status::Worked => "出勤",
        Status::Partial => "部分出勤",
        Status::Absent => "缺勤",
        Status::Leave => "请假",
        Status::Trip => "出差/外出",
        Status::Overtime => "加班",
        Status::Rest => "休息",
        Status::Skipped => "跳过（不记工时）",
    }
}

fn mode_zh(m: RoundingMode) -> &'static str {
    match m {
        RoundingMode::Up => "向上",
        RoundingMode::Down => "向下",
        RoundingMode::Nearest => "就近",
    }
}

fn mode_en(m: RoundingMode) -> &'static str {
    match m {
        RoundingMode::Up => "up",
        RoundingMode::Down => "down",
        RoundingMode::Nearest => "to the nearest",
    }
}
