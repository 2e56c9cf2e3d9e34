//! `hourbridge`: reads the configuration and serves until stopped.

use clap::Parser;
use hourbridge_server::{config, startup, telemetry};

fn main() -> std::process::ExitCode {
    return_large_allocations_to_the_os();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(serve()),
        Err(e) => {
            eprintln!("hourbridge: cannot start the async runtime: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve() -> std::process::ExitCode {
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
    let demo = cfg.demo;
    let server = match startup::build(cfg, listener).await {
        Ok(server) => server,
        Err(e) => {
            tracing::error!(error = %e, "HourBridge did not start");
            eprintln!("hourbridge: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Kept alive for as long as the server runs.
    let _simulator = if demo {
        match hourbridge_server::demo::start(&server.state).await {
            Ok(sim) => Some(sim),
            Err(e) => {
                tracing::error!(error = %e, "demo mode did not start");
                eprintln!("hourbridge: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    server.announce(&public_url);
    if let Err(e) = server.run_until_stopped(startup::shutdown_signal()).await {
        tracing::error!(error = %e, "server stopped with an error");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}

/// argon2id allocates `argon2_memory_kib` (19 MiB) per hash. glibc raises its
/// mmap threshold after the first such block is freed and then keeps later
/// ones in per-thread arenas, so the server's memory would only ever grow.
/// A fixed threshold keeps blocks of 1 MiB and more on mmap, returned on free.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_allocations_to_the_os() {
    // SAFETY: mallopt only tunes the allocator; it runs before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_allocations_to_the_os() {}
