//! Rate limits over HTTP: per-bucket fixed windows, headers, 429 E0000047, window reset, concurrency limit.


use crate::common::*;
use okta_sim::{RateLimitConfig, SimOptions};
use std::time::Duration;

fn opts(rates: &[&str], concurrency: usize) -> SimOptions {
    let mut rl = RateLimitConfig {
        concurrency,
        ..Default::default()
    };
    for r in rates {
        rl.set(r).unwrap();
    }
    SimOptions {
        token: Some("test-token".into()),
        rate_limits: rl,
        ..Default::default()
    }
}

#[tokio::test]
async fn window_fills_then_resets() {
    let sim = start(opts(&["users=3/1s"], 75)).await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let r = sim.get("/api/v1/users").await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "x-rate-limit-limit").unwrap(), "3");
        remaining.push(header(&r, "x-rate-limit-remaining").unwrap());
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let r = sim.get("/api/v1/users/someone").await;
    assert_eq!(header(&r, "x-rate-limit-remaining").unwrap(), "0");
    let reset: u64 = header(&r, "x-rate-limit-reset").unwrap().parse().unwrap();
    let date = httpdate::parse_http_date(&header(&r, "date").unwrap()).unwrap();
    let date_secs = date
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        reset >= date_secs && reset <= date_secs + 2,
        "reset {reset} date {date_secs}"
    );
    let b = assert_okta_error(r, 429, "E0000047").await;
    assert!(b["errorSummary"].as_str().unwrap().contains("rate limit"));
    // Another bucket is unaffected.
    assert_eq!(sim.get("/api/v1/groups").await.status(), 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = sim.get("/api/v1/users").await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-rate-limit-remaining").unwrap(), "2");
}

#[tokio::test]
async fn admin_endpoint_changes_limits() {
    let sim = start_default().await;
    let r = sim
        .client
        .put(sim.url("/__sim/rate-limits"))
        .json(&serde_json::json!({"buckets": {"groups:POST": "1/10s"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let g = serde_json::json!({"profile": {"name": "one"}});
    assert_eq!(sim.post("/api/v1/groups", g).await.status(), 200);
    let r = sim
        .post(
            "/api/v1/groups",
            serde_json::json!({"profile": {"name": "two"}}),
        )
        .await;
    assert_eq!(r.status(), 429);
    assert_eq!(
        sim.get("/api/v1/groups").await.status(),
        200,
        "GET is another bucket"
    );
    sim.client
        .post(sim.url("/__sim/rate-limits/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        sim.post(
            "/api/v1/groups",
            serde_json::json!({"profile": {"name": "two"}})
        )
        .await
        .status(),
        200
    );
}

#[tokio::test]
async fn concurrency_limit() {
    let mut o = opts(&[], 2);
    o.faults.latency_ms = 300;
    let sim = start(o).await;
    let futs: Vec<_> = (0..5).map(|_| sim.get("/api/v1/users")).collect();
    let results = futures_util::future::join_all(futs).await;
    let statuses: Vec<u16> = results.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        2,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        3,
        "{statuses:?}"
    );
}
