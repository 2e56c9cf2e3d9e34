//! `dingtalk-sim`: the DingTalk simulator as a program, for the demo, the
//! benchmarks and the browser tests.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use hourbridge_dingtalk_sim::{Company, CompanySpec, SimConfig, Simulator};

#[derive(Parser, Debug)]
#[command(
    name = "dingtalk-sim",
    about = "Serves DingTalk's API over a simulated company"
)]
struct Args {
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// People in the generated company.
    #[arg(long, default_value_t = 300)]
    people: usize,
    /// Departments below the root.
    #[arg(long, default_value_t = 12)]
    departments: usize,
    /// Seed of the generated company.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Calls per second per API (0 = unlimited).
    #[arg(long, default_value_t = 20)]
    qps: u32,
    /// Billable calls per month (0 = unlimited).
    #[arg(long, default_value_t = 5_000)]
    quota: u64,
    /// Serve a golden case file (hours-cases.json format) instead of a generated company.
    #[arg(long)]
    golden: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dingtalk-sim: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let company_data = match &args.golden {
        Some(path) => Some(Company::from_golden_file(path)?),
        None => None,
    };
    let config = SimConfig {
        company: CompanySpec {
            people: args.people,
            departments: args.departments,
            seed: args.seed,
            ..CompanySpec::default()
        },
        company_data,
        qps_per_api: args.qps,
        monthly_quota: args.quota,
        ..SimConfig::default()
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await?;
    let sim = Simulator::start_on(config, listener).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "DingTalk simulator listening on {}", sim.base_url())?;
    out.flush()?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
