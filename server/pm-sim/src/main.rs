//! `pm-sim`: the PM-system simulators as a program, for the demo, the
//! benchmarks and the browser tests.

use std::error::Error;
use std::future::Future;
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

/// The options every simulator takes, first in each one's help: where to
/// listen, the company and how many projects to generate (systems that call
/// them otherwise say so in their help, through `mut_arg`).
#[derive(clap::Args, Debug)]
struct Common {
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
}

impl Common {
    fn company(&self) -> CompanySpec {
        CompanySpec {
            people: self.people,
            departments: self.departments,
            seed: self.seed,
            ..CompanySpec::default()
        }
    }
}

#[derive(Subcommand, Debug)]
enum System {
    /// Jira Cloud (`/rest/api/3`) and Jira Data Center (`/rest/api/2`) on one port.
    Jira {
        #[command(flatten)]
        common: Common,
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
        #[command(flatten)]
        common: Common,
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
    #[command(mut_arg("projects", |a| a.help("Project workspaces to generate")))]
    Tapd {
        #[command(flatten)]
        common: Common,
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
    #[command(mut_arg("projects", |a| a.help("Spaces (projects) to generate")))]
    Feishu {
        #[command(flatten)]
        common: Common,
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
        #[command(flatten)]
        common: Common,
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

/// `--rate` and `--burst` (default: twice the rate), which every system
/// takes with its own default rate and help.
fn rate_limit(rate: u32, burst: Option<u32>) -> RateLimit {
    RateLimit {
        per_second: rate,
        burst: burst.unwrap_or(rate.saturating_mul(2)),
    }
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

async fn run(args: Args) -> Result<(), Box<dyn Error>> {
    match args.system {
        System::Jira {
            common,
            rate,
            burst,
            feed_lag,
        } => {
            let config = JiraConfig {
                company: common.company(),
                projects: common.projects,
                rate_limit: rate_limit(rate, burst),
                updated_feed_lag: Duration::from_secs(feed_lag),
                ..JiraConfig::default()
            };
            let sim = JiraSim::start_on(config, SimServer::bind(common.port).await?).await?;
            serve("Jira", sim.base_url(), jira_lines(&sim), sim.shutdown()).await
        }
        System::Redmine {
            common,
            custom_field,
            no_cf_filter,
            max_hours_per_day,
            rate,
            burst,
        } => {
            let config = RedmineConfig {
                company: common.company(),
                projects: common.projects,
                custom_field_id: custom_field,
                custom_field_filterable: !no_cf_filter,
                max_hours_per_day,
                rate_limit: rate_limit(rate, burst),
                ..RedmineConfig::default()
            };
            let sim = RedmineSim::start_on(config, SimServer::bind(common.port).await?).await?;
            serve(
                "Redmine",
                sim.base_url(),
                redmine_lines(&sim),
                sim.shutdown(),
            )
            .await
        }
        System::Tapd {
            common,
            company_id,
            rate,
            burst,
        } => {
            let config = TapdConfig {
                company: common.company(),
                projects: common.projects,
                company_id,
                rate_limit: rate_limit(rate, burst),
                ..TapdConfig::default()
            };
            let sim = TapdSim::start_on(config, SimServer::bind(common.port).await?).await?;
            serve("TAPD", sim.base_url(), tapd_lines(&sim), sim.shutdown()).await
        }
        System::Feishu {
            common,
            rate,
            burst,
            token_ttl,
            members_need_user_token,
        } => {
            let config = FeishuConfig {
                company: common.company(),
                projects: common.projects,
                rate_limit: rate_limit(rate, burst),
                token_ttl: Duration::from_secs(token_ttl),
                members_need_user_token,
                ..FeishuConfig::default()
            };
            let sim = FeishuSim::start_on(config, SimServer::bind(common.port).await?).await?;
            let lines = feishu_lines(&sim);
            serve("Feishu Project", sim.base_url(), lines, sim.shutdown()).await
        }
        System::Zentao {
            common,
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
                company: common.company(),
                projects: common.projects,
                executions_per_project: executions,
                tasks_per_execution: tasks,
                version: release,
                session_idle: Duration::from_secs(session_idle),
                lock_after,
                today,
                rate_limit: rate_limit(rate, burst),
                ..ZentaoConfig::default()
            };
            let sim = ZentaoSim::start_on(config, SimServer::bind(common.port).await?).await?;
            serve("ZenTao", sim.base_url(), zentao_lines(&sim), sim.shutdown()).await
        }
    }
}

/// Prints `<System> simulator listening on <base_url>` and the lines that
/// follow it (the accounts and how to use them; the browser tests read
/// both), serves until Ctrl-C, then awaits `shutdown` (the simulator's own,
/// which does nothing before it is awaited).
async fn serve(
    system: &str,
    base_url: String,
    lines: Vec<String>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Box<dyn Error>> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{system} simulator listening on {base_url}")?;
    for line in lines {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    shutdown.await;
    Ok(())
}

fn jira_lines(sim: &JiraSim) -> Vec<String> {
    let accounts = &sim.config().accounts;
    accounts
        .iter()
        .map(|account| {
            let rights = match &account.worklog_projects {
                None => "may log work on every project".to_owned(),
                Some(keys) if keys.is_empty() => "may not log work".to_owned(),
                Some(keys) => format!("may log work on {}", keys.join(", ")),
            };
            format!(
                "  {} ({rights}): Cloud /rest/api/3 Basic {}:{}; Data Center /rest/api/2 Basic {}:{} or Bearer {}",
                account.display_name,
                account.email,
                account.api_token,
                account.login,
                account.password,
                account.pat
            )
        })
        .collect()
}

fn redmine_lines(sim: &RedmineSim) -> Vec<String> {
    let config = sim.config();
    vec![
        format!(
            "  admin (administrator, may use X-Redmine-Switch-User): X-Redmine-API-Key: {}",
            config.admin_key
        ),
        format!(
            "  hourbridge (member of every project, may log time for other users): X-Redmine-API-Key: {}",
            config.integration_key
        ),
        format!(
            "  time-entry custom field \"HourBridge ID\": id {}{}",
            config.custom_field_id,
            if config.custom_field_filterable {
                ", used as a filter"
            } else {
                ", not a filter"
            }
        ),
    ]
}

fn tapd_lines(sim: &TapdSim) -> Vec<String> {
    let config = sim.config();
    let mut lines = vec![format!("  company id: {}", config.company_id)];
    for account in &config.accounts {
        let rights = if account.denied_workspaces.is_empty() {
            "every workspace".to_owned()
        } else {
            format!(
                "every workspace but {}",
                account.denied_workspaces.join(", ")
            )
        };
        lines.push(format!(
            "  {} ({rights}): Basic {}:{}",
            account.api_user, account.api_user, account.api_password
        ));
    }
    lines
}

fn feishu_lines(sim: &FeishuSim) -> Vec<String> {
    let config = sim.config();
    let mut lines = vec![
        format!(
            "  plugin (POST /open_api/authen/plugin_token): plugin_id {} plugin_secret {} (tokens live {} s)",
            config.plugin_id,
            config.plugin_secret,
            config.token_ttl.as_secs()
        ),
        format!(
            "  operator (administrator of every space): X-USER-KEY {}",
            config.operator_user_key
        ),
    ];
    if let Some(space) = sim.directory().spaces.first() {
        lines.push(format!(
            "  first space: project_key {} ({}, {})",
            space.project_key, space.simple_name, space.name
        ));
    }
    lines.push(format!(
        "  people: X-USER-KEY 70 + 17 digits by company position (first: {})",
        hourbridge_pm_sim::feishu::person_user_key(1)
    ));
    lines
}

fn zentao_lines(sim: &ZentaoSim) -> Vec<String> {
    let config = sim.config();
    let release = match config.version {
        ZentaoVersion::V18 => "18 (dates[])",
        ZentaoVersion::V20 => "20 (date[])",
    };
    let mut lines = vec![
        format!(
            "  API {}/api.php/v1, ZenTao {release}, tokens expire after {} s idle",
            sim.base_url(),
            config.session_idle.as_secs()
        ),
        format!(
            "  {} (every project, company-browse, records effort): account {} password {}",
            config.admin_account, config.admin_account, config.admin_password
        ),
        format!(
            "  {} (every project, no company-browse, may not record effort): account {} password {}",
            config.observer_account, config.observer_account, config.observer_password
        ),
        "  people: account = e-mail local part, password = {account}@Zt2026, e.g.:".to_owned(),
    ];
    for user in sim.directory().people().filter(|u| !u.deleted).take(3) {
        lines.push(format!(
            "  {} <{}>: account {} password {}",
            user.realname, user.email, user.account, user.password
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Args;

    #[test]
    fn the_command_line_is_well_formed() {
        // Among others: every `mut_arg` names an option that exists.
        Args::command().debug_assert();
    }
}
