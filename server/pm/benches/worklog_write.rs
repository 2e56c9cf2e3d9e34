//! Benchmark: write N worklogs through the Jira (Cloud) and Redmine
//! connectors into their simulators, at the simulators' default rate limits
//! (Jira 20 calls/s, burst 40; Redmine none), while a share of the write
//! answers is dropped after the write (committed, then the connection cut).
//! Every worklog goes through `write_once`, which looks for the external id
//! before writing again, so the goal is no duplicate.
//!
//! The simulators run in this process (they are libraries), so the peak
//! memory reported covers connector and simulator together.
//!
//! ```sh
//! cargo bench -p hourbridge-pm --bench worklog_write -- --worklogs 5000
//! cargo bench -p hourbridge-pm --bench worklog_write -- --system redmine --worklogs 100000
//! ```
//!
//! Options: `--worklogs N` (100 000; at Jira's 20 calls/s that takes about
//! 85 minutes), `--system jira|redmine|both` (both), `--concurrency N` (8),
//! `--drop-ratio R` (0.05), `--attempts N` (4, per `write_once`), `--seed N`
//! (2026, which write answers are dropped).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use clap::{Parser, ValueEnum};
use hourbridge_pm::jira::{Auth, Flavour, Jira, JiraConfig};
use hourbridge_pm::redmine::{Redmine, RedmineConfig};
use hourbridge_pm::{write_once, ExternalId, ItemRef, NewWorklog, Target};
use hourbridge_pm_sim::jira::{JiraConfig as JiraSimConfig, JiraSim};
use hourbridge_pm_sim::redmine::{RedmineConfig as RedmineSimConfig, RedmineSim};
use hourbridge_pm_sim::Stats;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum System {
    Jira,
    Redmine,
    Both,
}

#[derive(Parser, Debug)]
struct Args {
    #[arg(long, default_value_t = 100_000)]
    worklogs: usize,
    #[arg(long, value_enum, default_value_t = System::Both)]
    system: System,
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    #[arg(long, default_value_t = 0.05)]
    drop_ratio: f64,
    #[arg(long, default_value_t = 4)]
    attempts: u32,
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

type Failure = Box<dyn std::error::Error>;

/// Peak resident memory of this process, from `/proc` (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The first day worklogs are written for; day `k` of a slot is this + k.
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()
}

/// N distinct worklogs over `slots` (item, PM user, DingTalk userid): slot
/// `k % slots`, day `k / slots`, so no (person, day, item) repeats.
fn generate(n: usize, slots: &[(ItemRef, String, String)]) -> Vec<NewWorklog> {
    (0..n)
        .map(|k| {
            let (item, person, userid) = &slots[k % slots.len()];
            let date = first_day() + chrono::Duration::days((k / slots.len()) as i64);
            NewWorklog {
                person: person.clone(),
                item: item.clone(),
                date,
                minutes: 240 + (k % 5) as u32 * 60,
                comment: "出勤折算（基准测试）".into(),
                external_id: ExternalId::new(userid, date, &item.id_part()),
            }
        })
        .collect()
}

/// What one run measured.
struct Run {
    system: &'static str,
    worklogs: usize,
    elapsed: Duration,
    ok: usize,
    failures: BTreeMap<String, usize>,
    stats: Stats,
    /// External ids held by the simulator (one per worklog held; `None` =
    /// a worklog held without one).
    held: Vec<Option<String>>,
    rss_kib: u64,
}

/// Writes every worklog through `write_once`, `concurrency` at a time.
async fn write_all(
    target: Arc<dyn Target>,
    worklogs: Vec<NewWorklog>,
    concurrency: usize,
    attempts: u32,
) -> (usize, BTreeMap<String, usize>, Duration) {
    let worklogs = Arc::new(worklogs);
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let ok = Arc::new(AtomicUsize::new(0));
    let total = worklogs.len();
    let clock = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (target, worklogs, next, failures, ok) = (
            target.clone(),
            worklogs.clone(),
            next.clone(),
            failures.clone(),
            ok.clone(),
        );
        workers.push(tokio::spawn(async move {
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(w) = worklogs.get(k) else { break };
                match write_once(target.as_ref(), w, attempts).await {
                    Ok(_) => {
                        let done = ok.fetch_add(1, Ordering::Relaxed) + 1;
                        if done % 1000 == 0 {
                            eprintln!(
                                "  {done}/{total} written, {:.0} s",
                                clock.elapsed().as_secs_f64()
                            );
                        }
                    }
                    Err(e) => {
                        let mut failures = failures.lock().unwrap_or_else(|e| e.into_inner());
                        *failures.entry(e.reason().to_owned()).or_insert(0) += 1;
                        if failures.values().sum::<usize>() <= 5 {
                            eprintln!("  failed: {e}");
                        }
                    }
                }
            }
        }));
    }
    for worker in workers {
        let _ = worker.await;
    }
    let elapsed = clock.elapsed();
    let failures = failures.lock().unwrap_or_else(|e| e.into_inner()).clone();
    (ok.load(Ordering::Relaxed), failures, elapsed)
}

async fn run_jira(args: &Args) -> Result<Run, Failure> {
    eprintln!("Jira (Cloud): starting the simulator (default rate limit 20/s, burst 40)…");
    let sim = JiraSim::start(JiraSimConfig {
        drop_after_write_ratio: args.drop_ratio,
        drop_after_write_seed: args.seed,
        ..JiraSimConfig::default()
    })
    .await?;
    let dir = sim.directory();
    let people: Vec<_> = dir
        .people()
        .iter()
        .filter(|u| u.dingtalk_userid.is_some())
        .collect();
    if people.is_empty() || dir.issues.is_empty() {
        return Err("the Jira simulator has no people or no issues".into());
    }
    let slots: Vec<(ItemRef, String, String)> = dir
        .issues
        .iter()
        .enumerate()
        .filter_map(|(i, issue)| {
            let project = dir.projects.get(issue.project)?;
            let person = people[i % people.len()];
            Some((
                ItemRef {
                    project: project.key.clone(),
                    task: Some(issue.key.clone()),
                },
                person.account_id.clone(),
                person.dingtalk_userid.clone().unwrap_or_default(),
            ))
        })
        .collect();
    eprintln!(
        "  {} issues, {} people; {} worklogs = up to {} days per issue",
        slots.len(),
        people.len(),
        args.worklogs,
        args.worklogs.div_ceil(slots.len())
    );
    let worklogs = generate(args.worklogs, &slots);
    let account = sim
        .config()
        .integration_account()
        .ok_or("no integration account")?
        .clone();
    let jira = Jira::new(JiraConfig::new(
        &sim.base_url(),
        Flavour::Cloud,
        Auth::Basic {
            user: account.email,
            secret: account.api_token,
        },
    ))?;
    let (ok, failures, elapsed) =
        write_all(Arc::new(jira), worklogs, args.concurrency, args.attempts).await;
    let held = sim
        .worklogs()
        .iter()
        .map(|w| {
            w.properties
                .get("hourbridge")
                .and_then(|p| p.get("externalId"))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        })
        .collect();
    let stats = sim.stats();
    sim.shutdown().await;
    Ok(Run {
        system: "Jira Cloud",
        worklogs: args.worklogs,
        elapsed,
        ok,
        failures,
        stats,
        held,
        rss_kib: peak_rss_kib().unwrap_or(0),
    })
}

async fn run_redmine(args: &Args) -> Result<Run, Failure> {
    eprintln!("Redmine: starting the simulator (no rate limit, as by default)…");
    let sim = RedmineSim::start(RedmineSimConfig {
        drop_after_write_ratio: args.drop_ratio,
        drop_after_write_seed: args.seed,
        ..RedmineSimConfig::default()
    })
    .await?;
    let dir = sim.directory();
    // Every (issue, person) where the person is an active member who may log time.
    let mut slots: Vec<(ItemRef, String, String)> = Vec::new();
    for issue in &dir.issues {
        let Some(project) = dir.project_by_id(issue.project_id) else {
            continue;
        };
        for member in project.members.iter().filter(|m| m.log_time) {
            let Some(user) = dir.user(member.user_id) else {
                continue;
            };
            let Some(userid) = user.dingtalk_userid.clone() else {
                continue;
            };
            if user.is_active() {
                slots.push((
                    ItemRef {
                        project: project.id.to_string(),
                        task: Some(issue.id.to_string()),
                    },
                    user.id.to_string(),
                    userid,
                ));
            }
        }
    }
    if slots.is_empty() {
        return Err("the Redmine simulator has no issue with a member".into());
    }
    eprintln!(
        "  {} (issue, member) pairs; {} worklogs = up to {} days each",
        slots.len(),
        args.worklogs,
        args.worklogs.div_ceil(slots.len())
    );
    let worklogs = generate(args.worklogs, &slots);
    let mut config = RedmineConfig::new(&sim.base_url(), &sim.config().integration_key);
    config.external_id_field = Some(sim.config().custom_field_id);
    let field = sim.config().custom_field_id;
    let redmine = Redmine::new(config)?;
    let (ok, failures, elapsed) =
        write_all(Arc::new(redmine), worklogs, args.concurrency, args.attempts).await;
    let held = sim
        .time_entries()
        .iter()
        .map(|e| e.custom_fields.get(&field).cloned())
        .collect();
    let stats = sim.stats();
    sim.shutdown().await;
    Ok(Run {
        system: "Redmine",
        worklogs: args.worklogs,
        elapsed,
        ok,
        failures,
        stats,
        held,
        rss_kib: peak_rss_kib().unwrap_or(0),
    })
}

fn report(args: &Args, runs: &[Run]) {
    println!();
    println!(
        "{} worklogs each, {} at a time, `write_once(…, {})`, {:.1} % of write answers dropped (seed {})",
        args.worklogs,
        args.concurrency,
        args.attempts,
        args.drop_ratio * 100.0,
        args.seed
    );
    println!();
    print!("| measure |");
    for run in runs {
        print!(" {} |", run.system);
    }
    println!();
    print!("|---|");
    for _ in runs {
        print!("---|");
    }
    println!();
    let row = |name: &str, cell: &dyn Fn(&Run) -> String| {
        print!("| {name} |");
        for run in runs {
            print!(" {} |", cell(run));
        }
        println!();
    };
    row("worklogs written (ok) / asked", &|r| {
        format!("{} / {}", r.ok, r.worklogs)
    });
    row("wall time", &|r| {
        format!("{:.1} s", r.elapsed.as_secs_f64())
    });
    row("**worklogs per second**", &|r| {
        format!(
            "**{:.1}/s**",
            r.ok as f64 / r.elapsed.as_secs_f64().max(f64::EPSILON)
        )
    });
    row("**HTTP calls per worklog** (all calls ÷ N)", &|r| {
        format!(
            "**{:.3}** ({} calls)",
            r.stats.total_calls() as f64 / r.worklogs.max(1) as f64,
            r.stats.total_calls()
        )
    });
    row("calls carried out per worklog (without 429s)", &|r| {
        let carried = r.stats.total_calls().saturating_sub(r.stats.rate_limited);
        format!("{:.3}", carried as f64 / r.worklogs.max(1) as f64)
    });
    row("429 answers", &|r| r.stats.rate_limited.to_string());
    row("answers dropped after the write", &|r| {
        format!(
            "{} ({:.2} % of {} writes)",
            r.stats.dropped_after_write,
            100.0 * r.stats.dropped_after_write as f64 / r.stats.writes.max(1) as f64,
            r.stats.writes
        )
    });
    row("calls by route", &|r| {
        r.stats
            .calls
            .iter()
            .map(|(route, n)| format!("`{route}` {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    row("worklogs held by the simulator vs N", &|r| {
        format!("{} vs {}", r.held.len(), r.worklogs)
    });
    row(
        "**duplicates** (extra copies of an external id; goal 0)",
        &|r| {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for id in r.held.iter().flatten() {
                *counts.entry(id.as_str()).or_insert(0) += 1;
            }
            let extra: usize = counts.values().map(|c| c - 1).sum();
            let ids = counts.values().filter(|c| **c > 1).count();
            let without = r.held.iter().filter(|id| id.is_none()).count();
            format!("**{extra}** ({ids} ids held more than once, {without} held without an id)")
        },
    );
    row("failures", &|r| {
        if r.failures.is_empty() {
            "0".to_owned()
        } else {
            r.failures
                .iter()
                .map(|(reason, n)| format!("{n} {reason}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    });
    row(
        "peak RSS after the run (process: connector + simulator)",
        &|r| format!("{:.1} MiB", r.rss_kib as f64 / 1024.0),
    );
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let args = Args::parse();
    if args.worklogs == 0 {
        return Err("--worklogs must be at least 1".into());
    }
    let mut runs = Vec::new();
    if matches!(args.system, System::Redmine | System::Both) {
        runs.push(run_redmine(&args).await?);
    }
    if matches!(args.system, System::Jira | System::Both) {
        runs.push(run_jira(&args).await?);
    }
    report(&args, &runs);
    Ok(())
}
