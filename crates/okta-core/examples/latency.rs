//! Per-call latency floor against a running server (okta-sim): a raw reqwest loop beside okta-core's
//! `Client::send_blocking` (retries, governor, headers), same pool, same request. Prints P50/P95 side by side.
//!
//! `cargo run --release -p okta-core --example latency -- <base-url> <token> [calls]`
//!
//! The benchmark suite (`tests/bench/Invoke-Benchmarks.ps1`) uses two machine-readable floors, raw reqwest only,
//! each printing one JSON line:
//! - `latency get <base-url> <token> <calls> <path>`: `{"samplesMs":[...]}` after 200 warm-up calls;
//! - `latency list <base-url> <token> <limit>`: follows `rel="next"` from `/api/v1/users?limit=N` and prints
//!   `{"count":N,"pages":P,"ms":T}` (items counted by their `"id"` keys at the top level of each page's array).
//! - `latency pages <base-url> <token> <limit> [work-ms]`: the same list through okta-core's `PageStream` (our
//!   client, one page of prefetch), spinning `work-ms` per page as a stand-in for turning it into objects; prints
//!   the same line plus how long the consumer waited for pages. With work below the latency, prefetch should
//!   hide it: ms ≈ the raw loop's.

use std::time::Instant;

use okta_core::{ApiRequest, Client, Config, runtime};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(label: &str, mut samples: Vec<f64>) {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("{label:<40} P50 {:>7.3} ms   P95 {:>7.3} ms", percentile(&samples, 0.5), percentile(&samples, 0.95));
}

/// The `rel="next"` URL of a `Link` header value, if any.
fn next_link(response: &reqwest::Response) -> Option<String> {
    response.headers().get_all("link").iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        v.split(',').find(|part| part.contains("rel=\"next\"")).and_then(|part| {
            let start = part.find('<')? + 1;
            let end = part.find('>')?;
            Some(part[start..end].to_string())
        })
    })
}

fn floor_get(base: &str, token: &str, calls: usize, path: &str) {
    let raw = reqwest::Client::builder().build().unwrap();
    let url = format!("{base}{path}");
    let mut samples = Vec::with_capacity(calls);
    for i in 0..calls + 200 {
        let started = Instant::now();
        runtime().block_on(async {
            let response = raw.get(&url).header("Authorization", format!("SSWS {token}")).header("Accept", "application/json").send().await.unwrap();
            assert!(response.status().is_success(), "GET {url}: {}", response.status());
            let _ = response.bytes().await.unwrap();
        });
        if i >= 200 {
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    println!("{}", serde_json::json!({ "samplesMs": samples }));
}

fn floor_list(base: &str, token: &str, limit: usize) {
    let raw = reqwest::Client::builder().build().unwrap();
    let started = Instant::now();
    let (count, pages) = runtime().block_on(async {
        let mut url = Some(format!("{base}/api/v1/users?limit={limit}"));
        let (mut count, mut pages) = (0usize, 0usize);
        while let Some(current) = url.take() {
            let response = raw.get(&current).header("Authorization", format!("SSWS {token}")).header("Accept", "application/json").send().await.unwrap();
            assert!(response.status().is_success(), "GET {current}: {}", response.status());
            url = next_link(&response);
            // Parsed into serde_json values: the least any client does with a page.
            let page: Vec<serde_json::Value> = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
            count += page.len();
            pages += 1;
        }
        (count, pages)
    });
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    println!("{}", serde_json::json!({ "count": count, "pages": pages, "ms": ms }));
}

fn core_pages(base: &str, token: &str, limit: usize, work_ms: f64) {
    use okta_core::{CancelSignal, EndAt, PageStream};
    let config = Config { base_url: base.to_string(), api_token: Some(token.to_string()), ..Config::default() };
    let client = Client::new(config).unwrap();
    let mut request = ApiRequest::new("GET", "/api/v1/users");
    request.query.push(("limit".into(), limit.to_string()));
    let cancel = CancelSignal::new();
    let started = Instant::now();
    let mut stream = PageStream::open(client, request, EndAt::NoNextLink);
    let (mut pages, mut bytes, mut waited) = (0usize, 0usize, 0f64);
    loop {
        let asked = Instant::now();
        let Some(page) = stream.next_blocking(&cancel).unwrap() else { break };
        waited += asked.elapsed().as_secs_f64() * 1000.0;
        pages += 1;
        bytes += page.body.len();
        let spin = Instant::now();
        while spin.elapsed().as_secs_f64() * 1000.0 < work_ms {
            std::hint::spin_loop();
        }
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    println!("{}", serde_json::json!({ "pages": pages, "bytes": bytes, "ms": ms, "waitedMs": waited }));
}

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    match all.first().map(String::as_str) {
        Some("get") => {
            let calls = all[3].parse().expect("calls");
            return floor_get(&all[1], &all[2], calls, &all[4]);
        }
        Some("list") => return floor_list(&all[1], &all[2], all[3].parse().expect("limit")),
        Some("pages") => {
            let work = all.get(4).map_or(0.0, |w| w.parse().expect("work-ms"));
            return core_pages(&all[1], &all[2], all[3].parse().expect("limit"), work);
        }
        _ => {}
    }
    let mut args = all.into_iter();
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
