//! `pm-sim`: the PM-system simulators as a program, for the demo, the
//! benchmarks and the browser tests.

use std::io::Write;
use std::time::Duration;

use clap::{Parser, Subcommand};
use hourbridge_dingtalk_sim::CompanySpec;
use hourbridge_pm_sim::common::limits::RateLimit;
use hourbridge_pm_sim::common::server::SimServer;
use hourbridge_pm_sim::feishu::{FeishuConfig, FeishuSim};
use hourbridge_pm_sim::jira::{JiraConfig, JiraSim};
use hourbridge_pm_sim::redmine::{RedmineConfig, RedmineSim};
use hourbridge_pm_sim::tapd::{TapdConfig, TapdSim};
use hourbridge_pm_sim::zentao::{ZentaoConfig, ZentaoSim, ZentaoVersion};

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
    /// TAPD's open API (Basic auth, workspaces, tasks, stories, timesheets).
    Tapd {
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
        /// Project workspaces to generate.
        #[arg(long, default_value_t = 36)]
        projects: usize,
        /// TAPD's id of the company.
        #[arg(long, default_value = "20358620")]
        company_id: String,
        /// Calls per second across all callers (0 = unlimited; TAPD's own limit is unpublished).
        #[arg(long, default_value_t = 20)]
        rate: u32,
        /// Calls allowed in one burst (default: twice the rate).
        #[arg(long)]
        burst: Option<u32>,
    },
    /// Feishu Project's open API (plugin tokens, user keys, man-hour records).
    Feishu {
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
        /// Spaces (projects) to generate.
        #[arg(long, default_value_t = 36)]
        projects: usize,
        /// Calls per second for the plugin (0 = unlimited; Feishu's limit is unpublished).
        #[arg(long, default_value_t = 15)]
        rate: u32,
        /// Calls allowed in one burst (default: twice the rate).
        #[arg(long)]
        burst: Option<u32>,
        /// Seconds a plugin token lives.
        #[arg(long, default_value_t = 7200)]
        token_ttl: u64,
        /// Make the space-member API refuse plugin tokens (clients then read the teams).
        #[arg(long)]
        members_need_user_token: bool,
    },
    /// ZenTao's RESTful API v1 (`/zentao/api.php/v1`, session tokens, efforts on tasks).
    Zentao {
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
        /// Executions (sprints) per project.
        #[arg(long, default_value_t = 2)]
        executions: usize,
        /// Tasks per execution.
        #[arg(long, default_value_t = 12)]
        tasks: usize,
        /// The ZenTao release whose request shapes to speak: 18 (`dates[]`) or 20 (`date[]`).
        #[arg(long, default_value = "20", value_parser = parse_zentao_release)]
        release: ZentaoVersion,
        /// Seconds a token may stay unused before it expires (PHP's default: 1440).
        #[arg(long, default_value_t = 1440)]
        session_idle: u64,
        /// Failed logins before an account is locked for 10 minutes.
        #[arg(long, default_value_t = 6)]
        lock_after: u32,
        /// "Today" for the no-future-dates rule, YYYY-MM-DD (default: today in China).
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
        /// Calls per second across all callers, as a proxy would (0 = unlimited, ZenTao's own).
        #[arg(long, default_value_t = 0)]
        rate: u32,
        /// Calls allowed in one burst (default: twice the rate).
        #[arg(long)]
        burst: Option<u32>,
    },
}

fn parse_zentao_release(text: &str) -> Result<ZentaoVersion, String> {
    ZentaoVersion::parse(text).ok_or_else(|| format!("`{text}` is not 18 or 20"))
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
        System::Tapd {
            port,
            people,
            departments,
            seed,
            projects,
            company_id,
            rate,
            burst,
        } => {
            let config = TapdConfig {
                company: CompanySpec {
                    people,
                    departments,
                    seed,
                    ..CompanySpec::default()
                },
                projects,
                company_id,
                rate_limit: RateLimit {
                    per_second: rate,
                    burst: burst.unwrap_or(rate.saturating_mul(2)),
                },
                ..TapdConfig::default()
            };
            run_tapd(config, port).await
        }
        System::Feishu {
            port,
            people,
            departments,
            seed,
            projects,
            rate,
            burst,
            token_ttl,
            members_need_user_token,
        } => {
            let config = FeishuConfig {
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
                token_ttl: Duration::from_secs(token_ttl),
                members_need_user_token,
                ..FeishuConfig::default()
            };
            run_feishu(config, port).await
        }
        System::Zentao {
            port,
            people,
            departments,
            seed,
            projects,
            executions,
            tasks,
            release,
            session_idle,
            lock_after,
            today,
            rate,
            burst,
        } => {
            let config = ZentaoConfig {
                company: CompanySpec {
                    people,
                    departments,
                    seed,
                    ..CompanySpec::default()
                },
                projects,
                executions_per_project: executions,
                tasks_per_execution: tasks,
                version: release,
                session_idle: Duration::from_secs(session_idle),
                lock_after,
                today,
                rate_limit: RateLimit {
                    per_second: rate,
                    burst: burst.unwrap_or(rate.saturating_mul(2)),
                },
                ..ZentaoConfig::default()
            };
            run_zentao(config, port).await
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

async fn run_tapd(config: TapdConfig, port: u16) -> Result<(), Box<dyn std::error::Error>> {
    let sim = TapdSim::start_on(config, SimServer::bind(port).await?).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "TAPD simulator listening on {}", sim.base_url())?;
    let config = sim.config();
    writeln!(out, "  company id: {}", config.company_id)?;
    for account in &config.accounts {
        let rights = if account.denied_workspaces.is_empty() {
            "every workspace".to_owned()
        } else {
            format!(
                "every workspace but {}",
                account.denied_workspaces.join(", ")
            )
        };
        writeln!(
            out,
            "  {} ({rights}): Basic {}:{}",
            account.api_user, account.api_user, account.api_password
        )?;
    }
    out.flush()?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}

async fn run_feishu(config: FeishuConfig, port: u16) -> Result<(), Box<dyn std::error::Error>> {
    let sim = FeishuSim::start_on(config, SimServer::bind(port).await?).await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Feishu Project simulator listening on {}",
        sim.base_url()
    )?;
    let config = sim.config();
    writeln!(
        out,
        "  plugin (POST /open_api/authen/plugin_token): plugin_id {} plugin_secret {} (tokens live {} s)",
        config.plugin_id,
        config.plugin_secret,
        config.token_ttl.as_secs()
    )?;
    writeln!(
        out,
        "  operator (administrator of every space): X-USER-KEY {}",
        config.operator_user_key
    )?;
    if let Some(space) = sim.directory().spaces.first() {
        writeln!(
            out,
            "  first space: project_key {} ({}, {})",
            space.project_key, space.simple_name, space.name
        )?;
    }
    writeln!(
        out,
        "  people: X-USER-KEY 70 + 17 digits by company position (first: {})",
        hourbridge_pm_sim::feishu::person_user_key(1)
    )?;
    out.flush()?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}

async fn run_zentao(config: ZentaoConfig, port: u16) -> Result<(), Box<dyn std::error::Error>> {
    let sim = ZentaoSim::start_on(config, SimServer::bind(port).await?).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "ZenTao simulator listening on {}", sim.base_url())?;
    let config = sim.config();
    let release = match config.version {
        ZentaoVersion::V18 => "18 (dates[])",
        ZentaoVersion::V20 => "20 (date[])",
    };
    writeln!(
        out,
        "  API {}/api.php/v1, ZenTao {release}, tokens expire after {} s idle",
        sim.base_url(),
        config.session_idle.as_secs()
    )?;
    writeln!(
        out,
        "  {} (every project, company-browse, records effort): account {} password {}",
        config.admin_account, config.admin_account, config.admin_password
    )?;
    writeln!(
        out,
        "  {} (every project, no company-browse, may not record effort): account {} password {}",
        config.observer_account, config.observer_account, config.observer_password
    )?;
    writeln!(
        out,
        "  people: account = e-mail local part, password = {{account}}@Zt2026, e.g.:"
    )?;
    for user in sim.directory().people().filter(|u| !u.deleted).take(3) {
        writeln!(
            out,
            "  {} <{}>: account {} password {}",
            user.realname, user.email, user.account, user.password
        )?;
    }
    out.flush()?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
