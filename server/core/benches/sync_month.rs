//! Benchmark: one sync run end to end — DingTalk pull → rules, allocation
//! and mapping → worklogs pushed to Jira — for a generated company, against
//! both simulators at their real limits (DingTalk 20 calls/s per API, Jira
//! 20 calls/s), each its own process, so that the peak memory reported is
//! HourBridge's alone.
//!
//! ```sh
//! cargo build --release -p hourbridge-dingtalk-sim -p hourbridge-pm-sim
//! cargo bench -p hourbridge-core --bench sync_month -- --people 5000 --days 30
//! cargo bench -p hourbridge-core --bench sync_month -- --database-url postgres://postgres@127.0.0.1:5432/test
//! ```
//!
//! The floor is the slower of the two rate limits: DingTalk calls made ÷
//! its QPS, and Jira calls made ÷ its rate (each worklog is one call, and
//! reading open tasks costs a few more). The goal is a wall time ≤ 1.10×
//! the floor.
//!
//! Options: `--people N` (5000), `--departments N` (60), `--days N` (30,
//! ending yesterday), `--qps N` (DingTalk, 20), `--jira-rate N` (20),
//! `--batch N` (people per batch, 50), `--database-url URL` (a fresh
//! SQLite file by default; for PostgreSQL a new database `hb_bench_<pid>`
//! is created beside the one named),
//! `--bin-dir PATH` (where `dingtalk-sim` and `pm-sim` are; default: this
//! benchmark's build folder).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use clap::Parser;
use hourbridge_core::db::Db;
use hourbridge_core::secrets::{Keyring, MasterKey};
use hourbridge_core::services::sync::{pairs, runs, worker};
use hourbridge_core::services::{connections, directory, mappings, pm_connections, rules};
use hourbridge_core::services::{Actor, Origin};
use hourbridge_core::{AppState, Settings, SyncSettings};
use hourbridge_domain::connection::ConnectionForm;
use hourbridge_domain::pm_connection::PmConnectionForm;
use hourbridge_domain::sync::{PairInput, StartRun};
use hourbridge_domain::{Role, UserId};
use hourbridge_rules::allocation::{AllocationPlan, Method, Percent, Share};

#[derive(Parser, Debug)]
struct Args {
    #[arg(long, default_value_t = 5_000)]
    people: usize,
    #[arg(long, default_value_t = 60)]
    departments: usize,
    #[arg(long, default_value_t = 30)]
    days: u64,
    #[arg(long, default_value_t = 20)]
    qps: u32,
    #[arg(long, default_value_t = 20)]
    jira_rate: u32,
    #[arg(long, default_value_t = 50)]
    batch: usize,
    #[arg(long)]
    database_url: Option<String>,
    #[arg(long)]
    bin_dir: Option<PathBuf>,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

type Failure = Box<dyn std::error::Error>;

/// A simulator process, stopped when dropped.
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

fn bin_dir(args: &Args) -> Result<PathBuf, Failure> {
    if let Some(dir) = &args.bin_dir {
        return Ok(dir.clone());
    }
    // target/release/deps/sync_month-… → target/release
    let exe = std::env::current_exe()?;
    Ok(exe
        .parent()
        .and_then(|deps| deps.parent())
        .ok_or("cannot locate the build folder")?
        .to_path_buf())
}

/// Starts `bin args…` and reads its address from the line naming it.
fn start(bin: PathBuf, args: &[String]) -> Result<Sim, Failure> {
    if !bin.exists() {
        return Err(format!(
            "{} not found: run `cargo build --release -p hourbridge-dingtalk-sim -p hourbridge-pm-sim` first",
            bin.display()
        )
        .into());
    }
    let mut child = Command::new(&bin)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no simulator output")?;
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    for _ in 0..20 {
        line.clear();
        reader.read_line(&mut line)?;
        if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            let base_url = url.to_owned();
            // Keep reading (and dropping) its output so it never blocks.
            std::thread::spawn(move || for _ in reader.lines() {});
            return Ok(Sim { child, base_url });
        }
    }
    Err(format!("unexpected output from {}: {line}", bin.display()).into())
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

/// Calls a simulator counted, from its `/_sim/stats` (`calls`: by API).
async fn sim_calls(base_url: &str) -> Result<u64, Failure> {
    let stats: serde_json::Value = reqwest::get(format!("{base_url}/_sim/stats"))
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(match &stats["calls"] {
        serde_json::Value::Object(by_api) => by_api.values().filter_map(|v| v.as_u64()).sum(),
        other => other.as_u64().unwrap_or(0),
    })
}

async fn database(args: &Args) -> Result<(Db, String), Failure> {
    let url = match &args.database_url {
        Some(url) => url.clone(),
        None => {
            let dir =
                std::env::temp_dir().join(format!("hourbridge-sync-bench-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            format!("sqlite:{}", dir.join("bench.db").display())
        }
    };
    // PostgreSQL: a database of its own next to the one named, so that
    // nothing there is touched (left behind for a look afterwards).
    let url = if url.starts_with("postgres") {
        let admin = Db::connect(&url, 1).await?;
        let name = format!("hb_bench_{}", std::process::id());
        if let Db::Postgres(pool) = &admin {
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(pool)
                .await?;
        }
        admin.close().await;
        let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
        eprintln!("benchmark database: {name}");
        format!("{base}/{name}")
    } else {
        url
    };
    let db = Db::connect(&url, 8).await?;
    db.migrate().await?;
    Ok((db, db_name(&url)))
}

fn db_name(url: &str) -> String {
    if url.starts_with("postgres") {
        "PostgreSQL".into()
    } else {
        "SQLite".into()
    }
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let args = Args::parse();
    let bins = bin_dir(&args)?;
    let company = [
        "--port".to_owned(),
        "0".into(),
        "--people".into(),
        args.people.to_string(),
        "--departments".into(),
        args.departments.to_string(),
    ];
    eprintln!("starting the simulators for {} people…", args.people);
    let mut dingtalk_args = company.to_vec();
    dingtalk_args.extend([
        "--quota".into(),
        "0".into(),
        "--qps".into(),
        args.qps.to_string(),
    ]);
    let dingtalk = start(bins.join("dingtalk-sim"), &dingtalk_args)?;
    let mut jira_args = vec!["jira".to_owned()];
    jira_args.extend(company.iter().cloned());
    jira_args.extend([
        "--projects".into(),
        "36".into(),
        "--rate".into(),
        args.jira_rate.to_string(),
    ]);
    let jira = start(bins.join("pm-sim"), &jira_args)?;

    let (db, backend) = database(&args).await?;
    let (key, _) = MasterKey::generate();
    let settings = Settings {
        sync: SyncSettings {
            workers: 1,
            batch_people: args.batch,
            ..SyncSettings::default()
        },
        ..Settings::default()
    };
    let state = AppState::new(db, settings, Keyring::new(key, Vec::new()))?;
    let actor = Actor {
        id: UserId::new("bench"),
        username: "bench".into(),
        role: Role::Admin,
    };
    let origin = Origin::default();
    let dingtalk_id = connections::create(
        &state,
        &actor,
        &origin,
        &ConnectionForm {
            name: "benchmark".into(),
            corp_id: "dingsimcorp0001".into(),
            app_key: "dingsimappkey0001".into(),
            app_secret: "sim-app-secret-0001".into(),
            agent_id: "1000001".into(),
            oapi_base: dingtalk.base_url.clone(),
            api_base: dingtalk.base_url.clone(),
            qps: args.qps.to_string(),
            monthly_quota: String::new(),
            robot_webhook: String::new(),
            robot_secret: String::new(),
        },
    )
    .await?
    .summary
    .id;
    eprintln!("directory, Jira users, rules, allocation…");
    directory::sync(&state, None, &origin, &dingtalk_id).await?;
    let pm = pm_connections::create(
        &state,
        &actor,
        &origin,
        &PmConnectionForm {
            name: "Jira".into(),
            kind: "jira_cloud".into(),
            base_url: jira.base_url.clone(),
            username: "hourbridge@corp.example".into(),
            secret: "sim-jira-api-token-0001".into(),
            ..PmConnectionForm::default()
        },
    )
    .await?;
    pm_connections::sync_users(&state, Some(&actor), &origin, &pm.id).await?;
    rules::start_from_seed_standard(
        &state.db,
        &actor,
        &origin,
        NaiveDate::from_ymd_opt(2020, 1, 1).ok_or("date")?,
    )
    .await?;
    let plan = AllocationPlan {
        method: Method::OpenTasks,
        fallback: vec![Share {
            project: "CRM".into(),
            task: "CRM-1".into(),
            percent: Percent::WHOLE,
        }],
        ..AllocationPlan::default()
    };
    mappings::save_allocation(&state, &actor, &origin, pm.id.as_str(), None, &plan).await?;
    let pair = pairs::create(
        &state,
        &actor,
        &origin,
        &PairInput {
            name: "benchmark".into(),
            dingtalk_connection_id: dingtalk_id.as_str().to_owned(),
            pm_connection_id: pm.id.as_str().to_owned(),
            pause_after_failures: 3,
            ..PairInput::default()
        },
    )
    .await?;
    let today = chrono::Utc::now().date_naive();
    let last = today.checked_sub_days(Days::new(1)).ok_or("date")?;
    let first = last
        .checked_sub_days(Days::new(args.days.max(1) - 1))
        .ok_or("date")?;
    let dingtalk_before = sim_calls(&dingtalk.base_url).await?;
    let jira_before = sim_calls(&jira.base_url).await?;

    eprintln!("syncing {first} … {last}…");
    worker::spawn(state.clone());
    let clock = Instant::now();
    let run = runs::start(
        &state,
        &actor,
        &origin,
        &StartRun {
            pair_id: pair.id.clone(),
            first: first.to_string(),
            last: last.to_string(),
            ..StartRun::default()
        },
    )
    .await?;
    let detail = loop {
        let detail = runs::detail(&state, &run.id).await?;
        if detail.run.state.is_finished() {
            break detail;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let wall = clock.elapsed();
    let dingtalk_calls = sim_calls(&dingtalk.base_url).await? - dingtalk_before;
    let jira_calls = sim_calls(&jira.base_url).await? - jira_before;
    let dingtalk_floor = dingtalk_calls as f64 / f64::from(args.qps);
    let jira_floor = jira_calls as f64 / f64::from(args.jira_rate);
    let floor = dingtalk_floor.max(jira_floor);
    let rss = peak_rss_kib("self").unwrap_or(0);

    println!("| measure ({backend}) | result |");
    println!("|---|---|");
    println!(
        "| run | {} people × {} days ({first} … {last}), state {:?} |",
        args.people, args.days, detail.run.state
    );
    for step in &detail.steps {
        let took = match (step.started_at, step.finished_at) {
            (Some(s), Some(f)) => format!("{:.1} s", (f - s) as f64 / 1000.0),
            _ => "—".into(),
        };
        println!(
            "| step {} | {took}; in {}, out {}, skipped {}, failed {} |",
            step.step.code(),
            step.records_in,
            step.records_out,
            step.skipped,
            step.failed
        );
    }
    println!(
        "| worklogs written | {} ({} failed) |",
        detail.run.records_out, detail.run.failed
    );
    println!(
        "| DingTalk calls ÷ QPS | {dingtalk_calls} ÷ {} = {dingtalk_floor:.1} s |",
        args.qps
    );
    println!(
        "| Jira calls ÷ rate | {jira_calls} ÷ {} = {jira_floor:.1} s |",
        args.jira_rate
    );
    println!(
        "| wall time vs floor | {:.1} s vs {floor:.1} s → {:.3}× (goal ≤ 1.10×) |",
        wall.as_secs_f64(),
        wall.as_secs_f64() / floor.max(f64::EPSILON)
    );
    println!(
        "| peak RSS, HourBridge (this process) | {:.1} MiB |",
        rss as f64 / 1024.0
    );
    Ok(())
}
