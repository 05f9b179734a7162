//! How long a retry waits (read from the answer's headers, or backoff), and the one
//! RequestTimeout deadline over every attempt and wait. Times are exact: the clock is paused.

use std::sync::Arc;
use std::time::Duration;

use okta_core::{Client, Config, Error, Next, TransportKind};
use tokio::time::Instant;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

async fn then_ok(server: &MockServer, first: ResponseTemplate, times: u64) {
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .with_priority(2)
        .mount(server)
        .await;
}

/// Sends one GET and returns how long it took on the paused clock, and its attempt log.
async fn timed(client: &Client) -> (Duration, okta_core::Logged) {
    let started = Instant::now();
    let logged = client
        .send_logged(
            request("GET", "/api/v1/users"),
            Arc::new(Recorder::default()),
        )
        .await;
    (started.elapsed(), logged)
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_reset_minus_the_answers_date_not_the_local_clock() {
    // The server's clock is years away from ours: only Reset − Date counts.
    let server = fresh_server().await;
    then_ok(&server, too_many(600, 0, 4_000_000_045, 4_000_000_000), 1).await;
    let (elapsed, logged) = timed(&client(&server)).await;
    assert_eq!(logged.result.unwrap().status, 200);
    assert_eq!(elapsed, Duration::from_secs(45));
}

#[tokio::test(start_paused = true)]
async fn a_repeated_reset_header_waits_for_the_lowest() {
    let server = fresh_server().await;
    let answer = too_many(600, 0, D0 + 50, D0)
        .append_header("X-Rate-Limit-Reset", (D0 + 20).to_string().as_str())
        .append_header("X-Rate-Limit-Reset", (D0 + 40).to_string().as_str());
    then_ok(&server, answer, 1).await;
    let (elapsed, logged) = timed(&client(&server)).await;
    assert!(logged.result.is_ok());
    assert_eq!(elapsed, Duration::from_secs(20));
}

#[tokio::test(start_paused = true)]
async fn garbage_rate_limit_headers_fall_back_to_capped_jittered_backoff() {
    let server = fresh_server().await;
    let answer = ResponseTemplate::new(429)
        .insert_header("X-Rate-Limit-Limit", "lots")
        .insert_header("X-Rate-Limit-Remaining", "")
        .insert_header("X-Rate-Limit-Reset", "soon")
        .insert_header("Date", "the day after tomorrow");
    then_ok(&server, answer, 3).await;
    let (elapsed, logged) = timed(&client(&server)).await;
    assert!(logged.result.is_ok());
    assert_eq!(logged.attempts.len(), 4);
    // Full jitter under 500 ms, 1 s, 2 s: never more than their sum.
    assert!(elapsed < Duration::from_millis(3_500), "{elapsed:?}");
    for (n, attempt) in logged.attempts[..3].iter().enumerate() {
        assert!(attempt.reason.contains("backing off"), "{}", attempt.reason);
        assert!(
            attempt.wait_ms < 500 << n,
            "attempt {n}: {}",
            attempt.wait_ms
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_429_without_date_backs_off_instead_of_trusting_the_local_clock() {
    // wiremock always adds Date; the raw server does not. Reset says "an hour from now" by our
    // clock: obeying it through the local clock would wait an hour.
    let in_an_hour = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3_600;
    let server = RawServer::start(move |n| {
        if n == 0 {
            RawReply::Respond(raw_response(
                "429 Too Many Requests",
                &format!(
                    "X-Rate-Limit-Limit: 600\r\nX-Rate-Limit-Remaining: 0\r\nX-Rate-Limit-Reset: {in_an_hour}\r\n"
                ),
                "{}",
            ))
        } else {
            RawReply::Respond(raw_response("200 OK", "", "{}"))
        }
    });
    let client = Client::new(config(&server.url)).unwrap();
    let (elapsed, logged) = timed(&client).await;
    assert_eq!(logged.result.unwrap().status, 200);
    assert!(elapsed < Duration::from_millis(500), "{elapsed:?}");
    assert!(
        logged.attempts[0].reason.contains("without a usable"),
        "{}",
        logged.attempts[0].reason
    );
    assert_eq!(server.connections(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_concurrent_limit_429_backs_off_briefly_instead_of_waiting_for_reset() {
    let server = fresh_server().await;
    then_ok(&server, too_many(0, 0, D0 + 60, D0), 2).await;
    let (elapsed, logged) = timed(&client(&server)).await;
    assert!(logged.result.is_ok());
    // Equal jitter: [0.5, 1) s, then [1, 2) s; never the 60 s "reset".
    let waits: Vec<u64> = logged.attempts.iter().map(|a| a.wait_ms).collect();
    assert!((500..1_000).contains(&waits[0]), "{waits:?}");
    assert!((1_000..2_000).contains(&waits[1]), "{waits:?}");
    assert!(elapsed >= Duration::from_millis(1_500) && elapsed < Duration::from_secs(3));
    assert!(
        logged.attempts[0].reason.contains("concurrent"),
        "{}",
        logged.attempts[0].reason
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_for_503() {
    let server = fresh_server().await;
    then_ok(
        &server,
        ResponseTemplate::new(503).insert_header("Retry-After", "7"),
        1,
    )
    .await;
    let (elapsed, logged) = timed(&client(&server)).await;
    assert!(logged.result.is_ok());
    assert_eq!(elapsed, Duration::from_secs(7));
}

fn with_timeout(server: &MockServer, ms: u64) -> Client {
    Client::new(Config {
        request_timeout_ms: Some(ms),
        ..config(&server.uri())
    })
    .unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_wait_that_would_pass_the_deadline_fails_at_once_naming_it() {
    let server = fresh_server().await;
    then_ok(&server, too_many(600, 0, D0 + 30, D0), 1).await;
    let (elapsed, logged) = timed(&with_timeout(&server, 10_000)).await;
    assert_eq!(elapsed, Duration::ZERO, "it did not sleep first");
    let error = logged.result.unwrap_err();
    assert_eq!(error.transport_kind(), Some(TransportKind::Timeout));
    let message = error.to_string();
    for part in [
        "RequestTimeout deadline of 10000 ms",
        "GET /api/v1/users",
        "30.0 s",
        "429",
        "E0000047",
    ] {
        assert!(message.contains(part), "{part:?} missing from: {message}");
    }
    assert!(!message.contains("test-token"));
    assert_eq!(requests_received(&server).await.len(), 1);
    assert_eq!(logged.attempts[0].next, Next::GiveUp);
}

#[tokio::test(start_paused = true)]
async fn one_deadline_covers_every_attempt_and_wait() {
    // Every answer: 429, resets in 2 s. With 5 s: waits at 0 → 2 and 2 → 4; the third wait
    // (4 → 6) would pass the deadline.
    let server = fresh_server().await;
    Mock::given(any())
        .respond_with(too_many(600, 0, D0 + 2, D0))
        .mount(&server)
        .await;
    let (elapsed, logged) = timed(&with_timeout(&server, 5_000)).await;
    let error = logged.result.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("before attempt 4"), "{error}");
    assert_eq!(elapsed, Duration::from_secs(4));
    assert_eq!(requests_received(&server).await.len(), 3);
    assert_eq!(logged.attempts.len(), 3);
}

#[tokio::test(start_paused = true)]
async fn without_a_deadline_long_waits_are_waited() {
    let server = fresh_server().await;
    then_ok(&server, too_many(600, 0, D0 + 600, D0), 1).await;
    let (elapsed, logged) = timed(&client(&server)).await;
    assert!(logged.result.is_ok());
    assert_eq!(elapsed, Duration::from_secs(600));
}
