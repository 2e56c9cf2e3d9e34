//! `pm-sim`: the PM-system simulators as a program, for the demo, the
//! benchmarks and the browser tests.

use std::io::Write;
use std::time::Duration;

use clap::{Parser, Subcommand};
use hourbridge_dingtalk_sim::CompanySpec;
use hourbridge_pm_sim::common::limits::RateLimit;
use hourbridge_pm_sim::common::server::SimServer;
use hourbridge_pm_sim::jira::{JiraConfig, JiraSim};
use hourbridge_pm_sim::redmine::{RedmineConfig, RedmineSim};

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
    /// Redmine 5.0's REST API (`.json` paths, API keys, switch-user).
    Redmine {
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
        /// Id of the "HourBridge ID" time-entry custom field.
        #[arg(long, default_value_t = 7)]
        custom_field: u64,
        /// Make that field not *Used as a filter* (`cf_N=` is then ignored).
        #[arg(long)]
        no_cf_filter: bool,
        /// Maximum hours per day and user (none by default).
        #[arg(long)]
        max_hours_per_day: Option<f64>,
        /// Calls per second across all callers, as a proxy would (0 = unlimited, Redmine's own).
        #[arg(long, default_value_t = 0)]
        rate: u32,
        /// Calls allowed in one burst (default: twice the rate).
        #[arg(long)]
        burst: Option<u32>,
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
    match args.system {
        System::Jira {
            port,
            people,
            departments,
            seed,
            projects,
            rate,
            burst,
            feed_lag,
        } => {
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
            run_jira(config, port).await
        }
        System::Redmine {
            port,
            people,
            departments,
            seed,
            projects,
            custom_field,
            no_cf_filter,
            max_hours_per_day,
            rate,
            burst,
        } => {
            let config = RedmineConfig {
                company: CompanySpec {
                    people,
                    departments,
                    seed,
                    ..CompanySpec::default()
                },
                projects,
                custom_field_id: custom_field,
                custom_field_filterable: !no_cf_filter,
                max_hours_per_day,
                rate_limit: RateLimit {
                    per_second: rate,
                    burst: burst.unwrap_or(rate.saturating_mul(2)),
                },
                ..RedmineConfig::default()
            };
            run_redmine(config, port).await
        }
    }
}

async fn run_redmine(config: RedmineConfig, port: u16) -> Result<(), Box<dyn std::error::Error>> {
    let sim = RedmineSim::start_on(config, SimServer::bind(port).await?).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Redmine simulator listening on {}", sim.base_url())?;
    let config = sim.config();
    writeln!(
        out,
        "  admin (administrator, may use X-Redmine-Switch-User): X-Redmine-API-Key: {}",
        config.admin_key
    )?;
    writeln!(
        out,
        "  hourbridge (member of every project, may log time for other users): X-Redmine-API-Key: {}",
        config.integration_key
    )?;
    writeln!(
        out,
        "  time-entry custom field \"HourBridge ID\": id {}{}",
        config.custom_field_id,
        if config.custom_field_filterable {
            ", used as a filter"
        } else {
            ", not a filter"
        }
    )?;
    out.flush()?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}

async fn run_jira(config: JiraConfig, port: u16) -> Result<(), Box<dyn std::error::Error>> {
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
