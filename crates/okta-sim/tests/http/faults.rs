//! Faults on demand: fail-next, 5xx and 429 rates (deterministic with a seed), dropped connections,
//! truncated JSON, slow bodies, latency; admin endpoints are never faulted.


use crate::common::*;
use okta_sim::{FaultConfig, SimOptions};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn set_faults(sim: &Sim, cfg: Value) {
    let r = sim
        .client
        .put(sim.url("/__sim/faults"))
        .json(&cfg)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn fail_next_then_recover() {
    let sim = start_default().await;
    set_faults(&sim, json!({"failNext": 2, "errorStatus": 503})).await;
    for _ in 0..2 {
        let r = sim.get("/api/v1/users").await;
        assert!(header(&r, "date").is_some() && header(&r, "x-okta-request-id").is_some());
        assert_okta_error(r, 503, "E0000009").await;
    }
    assert_eq!(sim.get("/api/v1/users").await.status(), 200);
    let cfg: Value = sim
        .client
        .get(sim.url("/__sim/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cfg["failNext"], 0);
}

async fn status_pattern(seed: u64) -> Vec<u16> {
    let sim = start(SimOptions {
        token: Some("test-token".into()),
        faults: FaultConfig {
            error_rate: 0.4,
            rate_limit_rate: 0.2,
            seed: Some(seed),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let mut out = Vec::new();
    for _ in 0..30 {
        out.push(sim.get("/api/v1/users").await.status().as_u16());
    }
    out
}

#[tokio::test]
async fn rates_are_deterministic_with_a_seed() {
    let a = status_pattern(11).await;
    let b = status_pattern(11).await;
    assert_eq!(a, b);
    assert!(
        a.contains(&500) && a.contains(&429) && a.contains(&200),
        "{a:?}"
    );
    let c = status_pattern(12).await;
    assert_ne!(a, c, "another seed, another pattern");
}

#[tokio::test]
async fn dropped_connection_and_admin_unaffected() {
    let sim = start_default().await;
    set_faults(&sim, json!({"dropRate": 1.0})).await;
    let r = sim
        .client
        .get(sim.url("/api/v1/users"))
        .header("Authorization", "SSWS test-token")
        .send()
        .await;
    assert!(r.is_err(), "connection should drop: {r:?}");
    // Admin endpoints still answer, so the fault can be cleared.
    let r = sim
        .client
        .delete(sim.url("/__sim/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(sim.get("/api/v1/users").await.status(), 200);
}

#[tokio::test]
async fn truncated_json() {
    let sim = start_seeded(3).await;
    set_faults(
        &sim,
        json!({"truncateRate": 1.0, "pathPrefix": "/api/v1/users"}),
    )
    .await;
    let r = sim.get("/api/v1/users").await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(!text.is_empty());
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "body should be cut: {text}"
    );
    // Other paths are not faulted.
    assert!(
        sim.get("/api/v1/groups")
            .await
            .json::<Value>()
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn slow_body_and_latency() {
    let sim = start_seeded(3).await;
    set_faults(&sim, json!({"slowBodyMs": 100, "slowBodyChunks": 4})).await;
    let t = Instant::now();
    let r = sim.get("/api/v1/users").await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert!(
        t.elapsed() >= Duration::from_millis(290),
        "{:?}",
        t.elapsed()
    );
    set_faults(&sim, json!({"latencyMs": 150, "latencyJitterMs": 50})).await;
    let t = Instant::now();
    assert_eq!(sim.get("/api/v1/users").await.status(), 200);
    let e = t.elapsed();
    assert!(e >= Duration::from_millis(150), "{e:?}");
}
