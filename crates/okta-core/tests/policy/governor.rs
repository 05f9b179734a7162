//! The proactive governor: requests wait before a bucket runs out (no 429 needed), count their
//! own requests in flight, leave MaxApiCapacity's reserve to others, respect the per-org
//! concurrency cap, and share all of that between every client of one org.

use std::sync::Arc;
use std::time::Duration;

use okta_core::{Client, Config, TransportKind};
use tokio::task::JoinSet;
use tokio::time::Instant;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

use crate::common::*;

async fn bucket_server(limit: u64) -> (MockServer, FakeBucket) {
    let server = fresh_server().await;
    let bucket = FakeBucket::new(limit);
    Mock::given(any())
        .respond_with(bucket.clone())
        .mount(&server)
        .await;
    (server, bucket)
}

#[tokio::test(start_paused = true)]
async fn requests_wait_before_the_bucket_runs_out_instead_of_after_a_429() {
    let (server, bucket) = bucket_server(5).await;
    let client = client(&server);
    let started = Instant::now();
    let mut paced = Vec::new();
    let mut heard = Vec::new();
    for _ in 0..12 {
        let recorder = Arc::new(Recorder::default());
        let logged = client
            .send_logged(request("GET", "/api/v1/users"), recorder.clone())
            .await;
        heard.push(recorder.0.lock().unwrap().clone());
        assert_eq!(logged.result.unwrap().status, 200);
        assert_eq!(logged.attempts.len(), 1, "no retry was needed");
        paced.push((
            logged.attempts[0].paced_ms,
            logged.attempts[0].paced_reason.clone(),
        ));
    }
    let counts = bucket.counts();
    assert_eq!(counts.rejected, 0, "no 429 at all");
    assert_eq!(counts.served, 12);
    // 5 in the first window, the 6th waits for the reset at 60 s, the 11th for 120 s.
    assert_eq!(started.elapsed(), Duration::from_secs(120));
    assert_eq!(paced[5].0, 60_000);
    let reason = paced[5].1.as_deref().unwrap();
    assert!(
        reason.contains("GET|POST /api/v1/users") && reason.contains("0 of 5 left"),
        "{reason}"
    );
    assert!(paced[..5].iter().all(|(ms, why)| *ms == 0 && why.is_none()));
    // The observer heard the wait when it began, then the attempt.
    assert_eq!(heard[5].len(), 2, "{:?}", heard[5]);
    assert!(
        heard[5][0].starts_with("pacing 1: bucket GET|POST /api/v1/users: 0 of 5 left"),
        "{:?}",
        heard[5]
    );
    assert_eq!(heard[5][1], "attempt 1: Some(200) Done wait 0 ms");
}

#[tokio::test(start_paused = true)]
async fn requests_in_flight_count_against_the_bucket() {
    let (server, bucket) = bucket_server(5).await;
    let client = client(&server);
    let mut tasks = JoinSet::new();
    for _ in 0..10 {
        let client = client.clone();
        tasks.spawn(async move { client.send(request("POST", "/api/v1/users")).await });
    }
    while let Some(outcome) = tasks.join_next().await {
        assert_eq!(outcome.unwrap().unwrap().status, 200);
    }
    let counts = bucket.counts();
    assert_eq!(
        counts.rejected, 0,
        "ten at once into a bucket of five: paced, not rejected"
    );
    assert_eq!(counts.served, 10);
    assert!(counts.busiest_window <= 5);
}

#[tokio::test(start_paused = true)]
async fn max_api_capacity_leaves_the_rest_of_each_bucket_to_other_clients() {
    let (server, bucket) = bucket_server(10).await;
    let client = Client::new(Config {
        max_api_capacity: Some(50),
        ..config(&server.uri())
    })
    .unwrap();
    let started = Instant::now();
    let mut last = None;
    for _ in 0..6 {
        let logged = client
            .send_logged(
                request("GET", "/api/v1/logs"),
                Arc::new(Recorder::default()),
            )
            .await;
        assert!(logged.result.is_ok());
        last = Some(logged.attempts[0].clone());
    }
    assert_eq!(bucket.counts().busiest_window, 5, "half of 10 per window");
    assert_eq!(started.elapsed(), Duration::from_secs(60));
    let reason = last.unwrap().paced_reason.unwrap();
    assert!(reason.contains("MaxApiCapacity 50 %"), "{reason}");
}

#[tokio::test(start_paused = true)]
async fn every_client_of_one_org_shares_one_governor() {
    let (server, bucket) = bucket_server(3).await;
    let alice = client(&server);
    let bob = Client::new(Config {
        api_token: Some("another-token".into()),
        ..config(&server.uri())
    })
    .unwrap();
    for _ in 0..3 {
        alice.send(request("GET", "/api/v1/groups")).await.unwrap();
    }
    let started = Instant::now();
    bob.send(request("GET", "/api/v1/groups")).await.unwrap();
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(60),
        "bob waited for alice's bucket"
    );
    assert_eq!(bucket.counts().rejected, 0);

    // Another bucket of the same org is not held up by it.
    let started = Instant::now();
    bob.send(request("GET", "/api/v1/apps")).await.unwrap();
    assert_eq!(started.elapsed(), Duration::ZERO);

    // Another org (another server) has a governor of its own.
    let (other, _) = bucket_server(3).await;
    for _ in 0..3 {
        client(&other)
            .send(request("GET", "/api/v1/groups"))
            .await
            .unwrap();
    }
    let started = Instant::now();
    client(&server)
        .send(request("GET", "/api/v1/groups"))
        .await
        .unwrap();
    client(&other)
        .send(request("GET", "/api/v1/groups"))
        .await
        .unwrap();
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(60),
        "only `other` was spent"
    );
}

#[tokio::test(start_paused = true)]
async fn a_governor_wait_past_the_deadline_fails_at_once() {
    let (server, bucket) = bucket_server(2).await;
    let client = Client::new(Config {
        request_timeout_ms: Some(5_000),
        ..config(&server.uri())
    })
    .unwrap();
    for _ in 0..2 {
        client
            .send(request("GET", "/api/v1/users/u1"))
            .await
            .unwrap();
    }
    let started = Instant::now();
    let error = client
        .send(request("GET", "/api/v1/users/u1"))
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(error.transport_kind(), Some(TransportKind::Timeout));
    let message = error.to_string();
    assert!(
        message.contains("RequestTimeout deadline of 5000 ms"),
        "{message}"
    );
    assert!(
        message.contains("GET /api/v1/users/{idOrLogin}"),
        "{message}"
    );
    assert_eq!(bucket.counts().served, 2, "nothing was sent");
}

fn held_server(hold: Duration) -> RawServer {
    RawServer::start(move |_| RawReply::RespondAfter(hold, raw_response("200 OK", "", "{}")))
}

#[tokio::test(start_paused = true)]
async fn the_concurrency_cap_bounds_requests_in_flight_per_org() {
    for (cap, requests) in [(Some(3u32), 12usize), (None, 25)] {
        let server = held_server(Duration::from_millis(25));
        let client = Client::new(Config {
            max_concurrency: cap,
            ..config(&server.url)
        })
        .unwrap();
        let mut tasks = JoinSet::new();
        for n in 0..requests {
            let client = client.clone();
            // Several buckets: the cap is per org, not per bucket.
            let path = ["/api/v1/users", "/api/v1/groups", "/api/v1/apps"][n % 3];
            tasks.spawn(async move { client.send(request("GET", path)).await });
        }
        while let Some(outcome) = tasks.join_next().await {
            outcome.unwrap().unwrap();
        }
        let expected = cap.unwrap_or(okta_core::DEFAULT_MAX_CONCURRENCY) as usize;
        let max = server
            .max_in_flight
            .load(std::sync::atomic::Ordering::SeqCst);
        assert!(max <= expected, "cap {expected}, saw {max} in flight");
        assert!(max >= 2, "the requests did overlap ({max})");
        assert_eq!(server.connections(), requests);
    }
}
