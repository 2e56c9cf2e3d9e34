//! Benchmark: pull the directory and one month of punch results, leave and
//! approval forms for a large company from the DingTalk simulator at its
//! real limits (20 calls per second per API), into a fresh SQLite database.
//!
//! The simulator runs as its own process (the `dingtalk-sim` binary), so the
//! peak memory reported is HourBridge's alone.
//!
//! ```sh
//! cargo build --release -p hourbridge-dingtalk-sim
//! cargo bench -p hourbridge-core --bench dingtalk_pull -- --people 5000
//! ```
//!
//! Options: `--people N` (5000), `--departments N` (60), `--month YYYY-MM`
//! (the previous month), `--qps N` (20), `--sim PATH` (or `DINGTALK_SIM_BIN`;
//! default: `dingtalk-sim` next to this benchmark's build folder).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Datelike, Months, NaiveDate};
use clap::Parser;
use hourbridge_core::db::Db;
use hourbridge_core::secrets::{Keyring, MasterKey};
use hourbridge_core::services::{attendance, connections, directory, Actor, Origin};
use hourbridge_core::{AppState, Settings};
use hourbridge_dingtalk::plan::Limits;
use hourbridge_domain::connection::ConnectionForm;
use hourbridge_domain::{Role, UserId};

#[derive(Parser, Debug)]
struct Args {
    #[arg(long, default_value_t = 5_000)]
    people: usize,
    #[arg(long, default_value_t = 60)]
    departments: usize,
    /// The month to pull, `YYYY-MM` (default: the previous month).
    #[arg(long)]
    month: Option<String>,
    #[arg(long, default_value_t = 20)]
    qps: u32,
    #[arg(long, env = "DINGTALK_SIM_BIN")]
    sim: Option<PathBuf>,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

type Failure = Box<dyn std::error::Error>;

/// The simulator process, stopped when dropped.
struct Sim {
    child: Child,
    base_url: String,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sim_binary(args: &Args) -> Result<PathBuf, Failure> {
    if let Some(path) = &args.sim {
        return Ok(path.clone());
    }
    // target/release/deps/dingtalk_pull-… → target/release/dingtalk-sim
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .ok_or("cannot locate the build folder")?;
    let path = dir.join("dingtalk-sim");
    if !path.exists() {
        return Err(format!(
            "{} not found: run `cargo build --release -p hourbridge-dingtalk-sim` first",
            path.display()
        )
        .into());
    }
    Ok(path)
}

fn start_sim(args: &Args) -> Result<Sim, Failure> {
    let mut child = Command::new(sim_binary(args)?)
        .args(["--port", "0", "--quota", "0"])
        .args(["--people", &args.people.to_string()])
        .args(["--departments", &args.departments.to_string()])
        .args(["--qps", &args.qps.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no simulator output")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let base_url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .ok_or_else(|| format!("unexpected simulator output: {line}"))?
        .to_owned();
    Ok(Sim { child, base_url })
}

/// Peak resident memory of a process, from `/proc` (Linux), in KiB.
fn peak_rss_kib(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn month_range(args: &Args) -> Result<(NaiveDate, NaiveDate), Failure> {
    let first = match &args.month {
        Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")?,
        None => {
            let today = chrono::Utc::now().date_naive();
            today
                .with_day(1)
                .and_then(|d| d.checked_sub_months(Months::new(1)))
                .ok_or("no previous month")?
        }
    };
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .ok_or("month out of range")?;
    Ok((first, last))
}

async fn sim_stats(base_url: &str) -> Result<serde_json::Value, Failure> {
    Ok(reqwest::get(format!("{base_url}/_sim/stats"))
        .await?
        .error_for_status()?
        .json()
        .await?)
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let args = Args::parse();
    let (first, last) = month_range(&args)?;
    let dir = std::env::temp_dir().join(format!("hourbridge-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db_url = format!("sqlite:{}", dir.join("bench.db").display());

    eprintln!("generating a company of {} people…", args.people);
    let sim = start_sim(&args)?;
    let db = Db::connect(&db_url, 8).await?;
    db.migrate().await?;
    let (key, _) = MasterKey::generate();
    let state = AppState::new(db, Settings::default(), Keyring::new(key, Vec::new()))?;
    let actor = Actor {
        id: UserId::new("bench"),
        username: "bench".into(),
        role: Role::Admin,
    };
    let form = ConnectionForm {
        name: "benchmark".into(),
        corp_id: "dingsimcorp0001".into(),
        app_key: "dingsimappkey0001".into(),
        app_secret: "sim-app-secret-0001".into(),
        agent_id: "1000001".into(),
        oapi_base: sim.base_url.clone(),
        api_base: sim.base_url.clone(),
        qps: args.qps.to_string(),
        monthly_quota: String::new(),
        robot_webhook: String::new(),
        robot_secret: String::new(),
    };
    let id = connections::create(&state, &actor, &Origin::default(), &form)
        .await?
        .summary
        .id;

    eprintln!("pulling the directory…");
    let clock = Instant::now();
    let (departments, people) = directory::sync(&state, None, &Origin::default(), &id).await?;
    let directory_time = clock.elapsed();
    let after_directory = sim_stats(&sim.base_url).await?;
    let directory_calls = after_directory["calls"]
        .as_object()
        .map_or(0, |m| m.values().filter_map(|v| v.as_u64()).sum::<u64>());

    eprintln!("pulling {first} … {last}…");
    let clock = Instant::now();
    let report = attendance::pull(&state, id.as_str(), first, last).await?;
    let pull_time = clock.elapsed();
    let stats = sim_stats(&sim.base_url).await?;
    let pull_calls: u64 = report
        .calls
        .values()
        .map(|c| c.ok + c.throttled + c.failed)
        .sum();
    let billable = report.billable();
    let bound = report.lower_bound(&Limits::default());
    let qps = f64::from(args.qps);
    let ideal = Duration::from_secs_f64(pull_calls as f64 / qps);
    let ideal_directory = Duration::from_secs_f64(directory_calls as f64 / qps);
    let rss = peak_rss_kib("self").unwrap_or(0);
    let sim_rss = peak_rss_kib(&sim.child.id().to_string()).unwrap_or(0);
    let stored = report.stored();

    println!("| measure | result |");
    println!("|---|---|");
    println!(
        "| month pulled | {first} … {last} ({} working days, {} windows) |",
        report.working_days, report.windows
    );
    println!("| directory | {departments} departments, {people} people, {directory_calls} calls (free), {:.1} s (calls ÷ QPS {:.1} s) |", directory_time.as_secs_f64(), ideal_directory.as_secs_f64());
    println!("| people pulled | {} |", report.people);
    println!(
        "| stored | {} punch results, {} leave entries, {} approval forms ({} person-days read) |",
        report.results, report.leave_entries, report.forms, report.form_days
    );
    for (api, count) in &report.calls {
        println!(
            "| calls `{api}` | {} ok ({} billable), {} throttled, {} failed |",
            count.ok, count.billable, count.throttled, count.failed
        );
    }
    println!(
        "| billable calls vs computed minimum | {billable} vs {bound} = {:.3}× (goal ≤ 1.05×) |",
        billable as f64 / bound.max(1) as f64
    );
    println!(
        "| pull wall time vs calls ÷ QPS | {:.1} s vs {pull_calls} ÷ {} = {:.1} s → {:.3}× (goal ≤ 1.05×) |",
        pull_time.as_secs_f64(),
        args.qps,
        ideal.as_secs_f64(),
        pull_time.as_secs_f64() / ideal.as_secs_f64().max(f64::EPSILON)
    );
    println!(
        "| throttle answers | {} seen by the client, {} sent by the simulator (goal 0) |",
        report.throttled(),
        stats["throttled"].as_u64().unwrap_or(0)
    );
    println!(
        "| rows stored per second | {:.0}/s while writing ({stored} rows in {:.2} s of database time); {:.0}/s over the whole pull |",
        stored as f64 / report.storing.as_secs_f64().max(f64::EPSILON),
        report.storing.as_secs_f64(),
        stored as f64 / pull_time.as_secs_f64().max(f64::EPSILON)
    );
    println!(
        "| peak RSS, HourBridge (this process) | {:.1} MiB |",
        rss as f64 / 1024.0
    );
    println!(
        "| peak RSS, simulator (separate process) | {:.1} MiB |",
        sim_rss as f64 / 1024.0
    );
    println!(
        "| simulator: billable calls counted | {} |",
        stats["billable"].as_u64().unwrap_or(0)
    );
    drop(sim);
    state.db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
