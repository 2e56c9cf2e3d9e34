//! `hourbridge`: reads the configuration and serves until stopped.

use clap::Parser;
use hourbridge_server::{config, startup, telemetry};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = config::Cli::parse();
    let cfg = match config::Config::load(cli) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("hourbridge: configuration error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(&cfg.log);
    tracing::info!(config = ?cfg, "starting HourBridge");
    let listener = match tokio::net::TcpListener::bind(cfg.bind).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(bind = %cfg.bind, error = %e, "cannot listen");
            return std::process::ExitCode::FAILURE;
        }
    };
    let public_url = cfg.public_url.clone();
    let server = match startup::build(cfg, listener).await {
        Ok(server) => server,
        Err(e) => {
            tracing::error!(error = %e, "HourBridge did not start");
            eprintln!("hourbridge: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    server.announce(&public_url);
    if let Err(e) = server.run_until_stopped(startup::shutdown_signal()).await {
        tracing::error!(error = %e, "server stopped with an error");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
