//! Benchmark: the whole path from a person-day to worklog fields on one
//! thread — evaluation, allocation over projects, and field mapping.
//!
//! 10 000 people × 365 days (2025, China's calendar) evaluated (profiled)
//! with the engine benchmark's rule book (seed-standard plus 20 extra
//! rules); each day's hours split by fixed shares over 1–3 projects, to the
//! half hour; every allocation line mapped with the compiled default mapping
//! of Jira Cloud and of TAPD into a `MappedWorklog`. Skipped days give no
//! worklog. Every day's mapped hours must add up to the day's hours.
//!
//! Passes: evaluate + allocate only (the baseline), then with mapping for
//! each system reusing one `MappedWorklog` (`apply_into`), then TAPD with a
//! new `MappedWorklog` per line (`apply`).
//!
//! ```sh
//! cargo bench -p hourbridge-rules --bench allocation_mapping
//! cargo bench -p hourbridge-rules --bench allocation_mapping -- --people 2000 --days 30
//! ```

use std::hint::black_box;
use std::time::Instant;

use chrono::NaiveDate;
use hourbridge_rules::allocation::{Allocator, Basis, Line, Percent, Share};
use hourbridge_rules::mapping::TargetKind;
use hourbridge_rules::model::{DayAttendance, DayType, Person};
use hourbridge_rules::{
    CompiledMapping, Engine, Hours, Lang, MappedWorklog, MappingBook, SourceField, SourceValues,
    Status,
};

mod common;

use common::{args, dates, mix, people, pool, rule_book, Rng};

/// What the directory knows about a person besides the engine's input.
struct Directory {
    names: Vec<String>,
    unionids: Vec<String>,
    pm_users: Vec<String>,
    departments: Vec<String>,
}

fn directory(people: &[Person]) -> Directory {
    Directory {
        names: (0..people.len()).map(|i| format!("员工{i}")).collect(),
        unionids: (0..people.len())
            .map(|i| format!("iPiSiiE{i:08x}"))
            .collect(),
        pm_users: (0..people.len())
            .map(|i| format!("5b10ac8d82e05b22cc7d{i:04x}"))
            .collect(),
        departments: people
            .iter()
            .map(|p| {
                p.departments
                    .iter()
                    .map(|d| format!("部门{d}"))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect(),
    }
}

/// Fixed shares over 1, 2 or 3 projects, for 7 groups of people.
fn share_lists() -> Vec<Vec<Share>> {
    const SPLITS: [&[u32]; 3] = [&[100], &[60, 40], &[50, 30, 20]];
    (0..21)
        .map(|i| {
            let (group, split) = (i / 3, SPLITS[i % 3]);
            split
                .iter()
                .enumerate()
                .map(|(j, pct)| Share {
                    project: format!("P{group}{j}"),
                    task: format!("P{group}{j}-{}", 100 + j),
                    percent: Percent(pct * 100),
                })
                .collect()
        })
        .collect()
}

/// How lines are mapped in a pass.
#[derive(Clone, Copy)]
enum Mapping<'a> {
    /// Not at all (evaluate and allocate only).
    None,
    /// Into one reused worklog.
    Into(&'a CompiledMapping),
    /// Into a new worklog per line.
    New(&'a CompiledMapping),
}

struct Run<'a> {
    engine: &'a Engine,
    people: &'a [Person],
    directory: &'a Directory,
    dates: &'a [(NaiveDate, DayType)],
    shares: &'a [Vec<Share>],
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Totals {
    lines: usize,
    skipped: usize,
    hours: Hours,
    comment_bytes: usize,
}

impl Run<'_> {
    /// One pass over every person-day; returns the totals and the seconds.
    fn pass(&self, pool: &mut [DayAttendance], mapping: Mapping<'_>) -> (Totals, f64) {
        let step = Hours::from_minutes(30);
        let mut allocator = Allocator::new();
        let mut lines: Vec<Line<'_>> = Vec::new();
        let mut out = MappedWorklog::default();
        let mut totals = Totals::default();
        let compiled = match mapping {
            Mapping::None => None,
            Mapping::Into(m) | Mapping::New(m) => Some(m),
        };
        let explain = compiled.is_some_and(|m| m.uses(SourceField::Explanation));
        let started = Instant::now();
        for (p, person) in self.people.iter().enumerate() {
            let profile = self.engine.profile(person);
            let shares = &self.shares[p % self.shares.len()];
            for (d, (date, day_type)) in self.dates.iter().enumerate() {
                let day = &mut pool[mix(p, d as u64)];
                day.date = *date;
                day.day_type = *day_type;
                let e = self.engine.evaluate_profiled(&profile, black_box(day));
                if e.status == Status::Skipped {
                    totals.skipped += 1;
                    continue;
                }
                allocator.allocate(e.hours, step, Basis::Shares(shares), &mut lines);
                totals.lines += lines.len();
                let Some(m) = compiled else {
                    let sum = lines.iter().fold(Hours::ZERO, |t, l| t.plus(l.hours));
                    assert_eq!(sum, e.hours, "{} {date}: lines ≠ day", person.userid);
                    totals.hours = totals.hours.plus(sum);
                    continue;
                };
                // Only computed when the mapping reads it (the defaults do not).
                let explanation = if explain {
                    self.engine.explain(person, day).render(Lang::Zh)
                } else {
                    String::new()
                };
                let mut sum = Hours::ZERO;
                for line in &lines {
                    let values = SourceValues {
                        person_name: &self.directory.names[p],
                        userid: &person.userid,
                        unionid: &self.directory.unionids[p],
                        pm_user: &self.directory.pm_users[p],
                        job_title: person.title.as_deref().unwrap_or(""),
                        department: &self.directory.departments[p],
                        work_date: day.date,
                        hours: line.hours,
                        day_hours: e.hours,
                        status: e.status.code(),
                        explanation: &explanation,
                        project: line.project,
                        task: line.task,
                        approval_ids: "",
                    };
                    let mapped = match mapping {
                        Mapping::New(m) => m.apply(&values).map(|w| out = w),
                        _ => m.apply_into(&values, &mut out),
                    };
                    if let Err(err) = mapped {
                        panic!("{} {date}: {err}", person.userid);
                    }
                    sum = sum.plus(out.hours);
                    totals.comment_bytes += out.comment.len();
                }
                assert_eq!(sum, e.hours, "{} {date}: mapped ≠ day", person.userid);
                totals.hours = totals.hours.plus(sum);
            }
        }
        (totals, started.elapsed().as_secs_f64())
    }
}

fn compiled(kind: TargetKind) -> CompiledMapping {
    let book = MappingBook::default_for(kind);
    match book.versions.first().map(|v| CompiledMapping::new(v, kind)) {
        Some(Ok(m)) => m,
        Some(Err(e)) => panic!("default mapping for {kind:?} refused: {e}"),
        None => panic!("default mapping for {kind:?} has no version"),
    }
}

fn main() {
    let args = args();
    let mut rng = Rng(2026);
    let engine = match Engine::new(&rule_book()) {
        Ok(e) => e,
        Err(e) => panic!("bench rule book refused: {e}"),
    };
    let dates = dates(args.days);
    let people = people(args.people, &mut rng);
    let mut pool = pool(&mut rng);
    let directory = directory(&people);
    let shares = share_lists();
    let jira = compiled(TargetKind::JiraCloud);
    let tapd = compiled(TargetKind::Tapd);
    let run = Run {
        engine: &engine,
        people: &people,
        directory: &directory,
        dates: &dates,
        shares: &shares,
    };
    let person_days = people.len() * dates.len();
    println!(
        "evaluate + allocate + map: {} people × {} days = {person_days} person-days, fixed shares over 1–3 projects (half hours), 1 thread",
        people.len(),
        dates.len()
    );

    let passes = [
        ("evaluate + allocate", Mapping::None),
        ("+ map Jira (apply_into)", Mapping::Into(&jira)),
        ("+ map TAPD (apply_into)", Mapping::Into(&tapd)),
        ("+ map TAPD (apply)", Mapping::New(&tapd)),
    ];
    let mut baseline: Option<(Totals, f64)> = None;
    for (name, mapping) in passes {
        let (totals, seconds) = run.pass(&mut pool, mapping);
        let mapping_only = match &baseline {
            Some((base, base_seconds)) if seconds > *base_seconds => {
                assert_eq!(
                    (totals.lines, totals.hours),
                    (base.lines, base.hours),
                    "{name}: other lines than the baseline"
                );
                format!(
                    ", mapping alone ≈ {:.0} lines/s",
                    totals.lines as f64 / (seconds - base_seconds)
                )
            }
            _ => String::new(),
        };
        println!(
            "  {name:<24} {:>10.0} person-days/s {:>10.0} lines/s  ({seconds:.3} s{mapping_only})",
            person_days as f64 / seconds,
            totals.lines as f64 / seconds,
        );
        if baseline.is_none() {
            println!(
                "    {} lines, {} skipped days, checksum: {} h (= {} s) over all lines",
                totals.lines,
                totals.skipped,
                totals.hours,
                totals.hours.seconds()
            );
            baseline = Some((totals, seconds));
        } else {
            println!(
                "    checksum: {} h, {} comment bytes; every day's mapped hours = the day's hours",
                totals.hours, totals.comment_bytes
            );
        }
    }
}
