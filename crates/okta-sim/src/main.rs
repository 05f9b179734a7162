//! `okta-sim`: the command line. Parses flags into `SimOptions`, starts the simulator, prints
//! `{"url":…,"token":…}` as the first stdout line, runs until SIGINT/SIGTERM (or stdin closes with
//! `--exit-on-stdin-close`), then shuts down cleanly (saving `--state`).

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use okta_sim::config::{RateLimitConfig, parse_latency};
use okta_sim::{FaultConfig, SimOptions, Simulator};

#[derive(Parser, Debug)]
#[command(
    name = "okta-sim",
    version,
    about = "A local simulated Okta org (Management API, OAuth, rate limits, faults)"
)]
struct Cli {
    /// Port on 127.0.0.1 (0 = a free ephemeral port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Create N deterministic demo users plus groups and apps (ids derive from N unless --rng-seed is given).
    #[arg(long, value_name = "N")]
    seed: Option<usize>,
    /// Seed of the id generator (default: the --seed value; random without either).
    #[arg(long, value_name = "S")]
    rng_seed: Option<u64>,
    /// The SSWS API token (default: random).
    #[arg(long)]
    token: Option<String>,
    /// Load the org from FILE (if it exists) and save it there atomically on change and on shutdown.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Exit when stdin closes (so a dying parent does not leave the simulator behind).
    #[arg(long)]
    exit_on_stdin_close: bool,
    /// Rate limit per bucket, repeatable: users=600/60s, users:POST=100/10s, default=1000/60s.
    #[arg(long = "rate-limit", value_name = "BUCKET=N/WINDOW")]
    rate_limit: Vec<String>,
    /// Maximum concurrent requests before 429 (Okta's default: 75).
    #[arg(long, default_value_t = 75)]
    concurrency_limit: usize,
    /// Added latency per request: 100ms, or a range 20-200ms.
    #[arg(long)]
    latency: Option<String>,
    /// Probability (0..1) of a 5xx answer.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Status of injected errors (default 500).
    #[arg(long)]
    error_status: Option<u16>,
    /// Probability (0..1) of an injected 429.
    #[arg(long = "throttle-rate", default_value_t = 0.0)]
    throttle_rate: f64,
    /// Probability (0..1) of dropping the connection without an answer.
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// Send bodies slowly: this delay between each of 4 chunks (e.g. 200ms).
    #[arg(long)]
    slow_body: Option<String>,
    /// Probability (0..1) of a truncated JSON body.
    #[arg(long, default_value_t = 0.0)]
    truncate_rate: f64,
    /// Seed of the fault RNG (faults are deterministic for a given request sequence).
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Only paths starting with this prefix get faults.
    #[arg(long)]
    fault_path: Option<String>,
    /// Serve HTTPS with a generated CA; its PEM is written to --tls-dir (default: a temp dir) and named in the
    /// first line as caCertFile.
    #[arg(long)]
    https: bool,
    #[arg(long, value_name = "DIR")]
    tls_dir: Option<PathBuf>,
    /// The device grant answers authorization_pending this many polls before issuing tokens.
    #[arg(long, default_value_t = 1)]
    device_pending_polls: u32,
    /// The interval (seconds) the device authorization tells clients to poll at.
    #[arg(long, default_value_t = 5)]
    device_interval: u64,
    /// Do not require a DPoP nonce at the token endpoint.
    #[arg(long)]
    no_dpop_nonce: bool,
    /// Access token lifetime in seconds.
    #[arg(long, default_value_t = 3600)]
    token_lifetime: u64,
}

fn options(cli: &Cli) -> Result<SimOptions, String> {
    let mut rate_limits = RateLimitConfig {
        concurrency: cli.concurrency_limit,
        ..Default::default()
    };
    for r in &cli.rate_limit {
        rate_limits.set(r)?;
    }
    let (latency_ms, latency_jitter_ms) = match &cli.latency {
        Some(l) => parse_latency(l)?,
        None => (0, 0),
    };
    let slow_body_ms = match &cli.slow_body {
        Some(s) => okta_sim::config::parse_duration(s)?.as_millis() as u64,
        None => 0,
    };
    let faults = FaultConfig {
        latency_ms,
        latency_jitter_ms,
        error_rate: cli.error_rate,
        error_status: cli.error_status,
        rate_limit_rate: cli.throttle_rate,
        drop_rate: cli.drop_rate,
        slow_body_ms,
        truncate_rate: cli.truncate_rate,
        path_prefix: cli.fault_path.clone(),
        seed: Some(cli.fault_seed),
        ..Default::default()
    };
    Ok(SimOptions {
        port: cli.port,
        seed: cli.rng_seed.or(cli.seed.map(|n| n as u64)),
        seed_users: cli.seed.unwrap_or(0),
        token: cli.token.clone(),
        state_file: cli.state.clone(),
        rate_limits,
        faults,
        https: cli.https,
        tls_dir: cli.tls_dir.clone(),
        device_pending_polls: cli.device_pending_polls,
        device_interval_secs: cli.device_interval,
        dpop_nonce: !cli.no_dpop_nonce,
        token_lifetime: std::time::Duration::from_secs(cli.token_lifetime),
    })
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let cli = Cli::parse();
    let opts = match options(&cli) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("okta-sim: {e}");
            std::process::exit(2);
        }
    };
    let sim = match Simulator::start(opts).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("okta-sim: {e}");
            std::process::exit(1);
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", sim.announcement());
        let _ = out.flush();
    }

    let (stdin_tx, mut stdin_rx) = tokio::sync::mpsc::channel::<()>(1);
    if cli.exit_on_stdin_close {
        std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            let mut stdin = std::io::stdin();
            loop {
                match std::io::Read::read(&mut stdin, &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
            let _ = stdin_tx.blocking_send(());
        });
    } else {
        // Keep the sender alive so the receiver never completes.
        std::mem::forget(stdin_tx);
    }

    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    #[cfg(unix)]
    let terminated = term.recv();
    #[cfg(not(unix))]
    let terminated = std::future::pending::<Option<()>>();

    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminated => {}
        _ = stdin_rx.recv() => {}
    }
    sim.shutdown().await;
}
