//! `pm-sim`: the PM-system simulators as a program, for the demo, the
//! benchmarks and the browser tests.

use std::io::Write;
use std::time::Duration;

use clap::{Parser, Subcommand};
use hourbridge_dingtalk_sim::CompanySpec;
use hourbridge_pm_sim::common::limits::RateLimit;
use hourbridge_pm_sim::common::server::SimServer;
use hourbridge_pm_sim::jira::{JiraConfig, JiraSim};

#[derive(Parser, Debug)]
#[command(
    name = "pm-sim",
    about = "Serves a PM system's API over the simulated company"
)]
struct Args {
    #[command(subcommand)]
    system: System,
}

#[derive(Subcommand, Debug)]
enum System {
    /// Jira Cloud (`/rest/api/3`) and Jira Data Center (`/rest/api/2`) on one port.
    Jira {
        /// Port on 127.0.0.1 (0 = any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// People in the company (as the DingTalk simulator's `--people`).
        #[arg(long, default_value_t = 300)]
        people: usize,
        /// Departments below the root (as the DingTalk simulator's `--departments`).
        #[arg(long, default_value_t = 12)]
        departments: usize,
        /// Seed of the company (as the DingTalk simulator's `--seed`).
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Projects to generate.
        #[arg(long, default_value_t = 36)]
        projects: usize,
        /// Calls per second across all callers (0 = unlimited).
        #[arg(long, default_value_t = 20)]
        rate: u32,
        /// Calls allowed in one burst (default: twice the rate).
        #[arg(long)]
        burst: Option<u32>,
        /// Seconds `worklog/updated` lags behind (Jira: 60).
        #[arg(long, default_value_t = 60)]
        feed_lag: u64,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pm-sim: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let System::Jira {
        port,
        people,
        departments,
        seed,
        projects,
        rate,
        burst,
        feed_lag,
    } = args.system;
    let config = JiraConfig {
        company: CompanySpec {
            people,
            departments,
            seed,
            ..CompanySpec::default()
        },
        projects,
        rate_limit: RateLimit {
            per_second: rate,
            burst: burst.unwrap_or(rate.saturating_mul(2)),
        },
        updated_feed_lag: Duration::from_secs(feed_lag),
        ..JiraConfig::default()
    };
    let sim = JiraSim::start_on(config, SimServer::bind(port).await?).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Jira simulator listening on {}", sim.base_url())?;
    for account in &sim.config().accounts {
        let rights = match &account.worklog_projects {
            None => "may log work on every project".to_owned(),
            Some(keys) if keys.is_empty() => "may not log work".to_owned(),
            Some(keys) => format!("may log work on {}", keys.join(", ")),
        };
        writeln!(
            out,
            "  {} ({rights}): Cloud /rest/api/3 Basic {}:{}; Data Center /rest/api/2 Basic {}:{} or Bearer {}",
            account.display_name,
            account.email,
            account.api_token,
            account.login,
            account.password,
            account.pat
        )?;
    }
    out.flush()?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
