//! Per-call latency floor against a running server (okta-sim): a raw reqwest loop beside okta-core's
//! `Client::send_blocking` (retries, governor, headers), same pool, same request. Prints P50/P95 side by side.
//!
//! `cargo run --release -p okta-core --example latency -- <base-url> <token> [calls]`

use std::time::Instant;

use okta_core::{ApiRequest, Client, Config, runtime};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(label: &str, mut samples: Vec<f64>) {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("{label:<40} P50 {:>7.3} ms   P95 {:>7.3} ms", percentile(&samples, 0.5), percentile(&samples, 0.95));
}

fn main() {
    let mut args = std::env::args().skip(1);
    let base = args.next().expect("usage: latency <base-url> <token> [calls]");
    let token = args.next().expect("usage: latency <base-url> <token> [calls]");
    let calls: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(2000);
    let path = "/api/v1/users?limit=1";

    let raw = reqwest::Client::builder().build().unwrap();
    let url = format!("{base}{path}");
    let mut samples = Vec::with_capacity(calls);
    for i in 0..calls + 200 {
        let started = Instant::now();
        runtime().block_on(async {
            let response = raw.get(&url).header("Authorization", format!("SSWS {token}")).header("Accept", "application/json").send().await.unwrap();
            let _ = response.bytes().await.unwrap();
        });
        if i >= 200 {
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    report("raw reqwest (floor)", samples);

    for (label, retries) in [("okta-core Client, retries on", None), ("okta-core Client, MaxRetries 0", Some(0))] {
        let config = Config { base_url: base.clone(), api_token: Some(token.clone()), max_retries: retries, ..Config::default() };
        let client = Client::new(config).unwrap();
        let mut samples = Vec::with_capacity(calls);
        for i in 0..calls + 200 {
            let mut request = ApiRequest::new("GET", "/api/v1/users");
            request.query.push(("limit".into(), "1".into()));
            let started = Instant::now();
            client.send_blocking(request).unwrap();
            if i >= 200 {
                samples.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
        report(label, samples);
    }
}
