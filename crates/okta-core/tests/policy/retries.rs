//! Which outcomes are retried for which method, the retry headers, MaxRetries and the attempt log.

use std::sync::Arc;

use okta_core::{Client, Config, Error, Next};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

/// Mounts `first` for the first `times` requests, then 200.
async fn server_failing(first: ResponseTemplate, times: u64) -> MockServer {
    let server = fresh_server().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

#[tokio::test(start_paused = true)]
async fn rate_limited_requests_are_retried_for_every_method() {
    for method in ["GET", "POST", "PATCH", "PUT", "DELETE"] {
        let server = server_failing(too_many(600, 0, D0 + 30, D0), 1).await;
        let response = client(&server)
            .send(request(method, "/api/v1/users"))
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"));
        assert_eq!(response.status, 200, "{method}");
        assert_eq!(
            requests_received(&server).await.len(),
            2,
            "{method}: a 429 was not processed"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn gateway_errors_are_retried_for_idempotent_methods_only() {
    for status in [502u16, 503, 504] {
        for method in ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"] {
            let server = server_failing(ResponseTemplate::new(status), 2).await;
            let response = client(&server)
                .send(request(method, "/api/v1/groups/g1"))
                .await;
            assert_eq!(response.unwrap().status, 200, "{method} after {status}");
            assert_eq!(
                requests_received(&server).await.len(),
                3,
                "{method} {status}"
            );
        }
        for method in ["POST", "PATCH"] {
            let server = server_failing(ResponseTemplate::new(status), 2).await;
            let logged = client(&server)
                .send_logged(
                    request(method, "/api/v1/users"),
                    Arc::new(Recorder::default()),
                )
                .await;
            let error = logged.result.unwrap_err();
            assert_eq!(error.api().map(|api| api.status), Some(status), "{method}");
            assert_eq!(
                requests_received(&server).await.len(),
                1,
                "{method} {status} was repeated"
            );
            assert_eq!(logged.attempts.len(), 1);
            assert_eq!(logged.attempts[0].next, Next::GiveUp);
            assert!(
                logged.attempts[0].reason.contains("may have applied"),
                "{:?}",
                logged.attempts
            );
        }
    }
}

#[tokio::test(start_paused = true)]
async fn other_client_and_server_errors_are_never_retried() {
    for status in [400u16, 401, 403, 404, 405, 409, 412, 500, 501] {
        let server = server_failing(ResponseTemplate::new(status), 1).await;
        let error = client(&server)
            .send(request("GET", "/api/v1/users/u1"))
            .await
            .unwrap_err();
        assert_eq!(error.api().map(|api| api.status), Some(status));
        assert_eq!(
            requests_received(&server).await.len(),
            1,
            "{status} was retried"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn retries_name_the_first_request_and_count_themselves() {
    let server = fresh_server().await;
    for (n, id) in [(1u64, "req-first"), (1, "req-second")] {
        Mock::given(any())
            .respond_with(ResponseTemplate::new(503).insert_header("X-Okta-Request-Id", id))
            .up_to_n_times(n)
            .with_priority(if id == "req-first" { 1 } else { 2 })
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).insert_header("X-Okta-Request-Id", "req-third"))
        .with_priority(3)
        .mount(&server)
        .await;
    let response = client(&server)
        .send(request("GET", "/api/v1/users/u1"))
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some("req-third"));
    let received = requests_received(&server).await;
    assert_eq!(received.len(), 3);
    assert_eq!(header_of(&received[0], "x-okta-retry-for"), None);
    assert_eq!(header_of(&received[0], "x-okta-retry-count"), None);
    for (n, request) in received.iter().enumerate().skip(1) {
        assert_eq!(
            header_of(request, "x-okta-retry-for").as_deref(),
            Some("req-first")
        );
        assert_eq!(
            header_of(request, "x-okta-retry-count"),
            Some(n.to_string())
        );
        assert_eq!(
            header_of(request, "authorization").as_deref(),
            Some("SSWS test-token"),
            "a retry is the same request"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn max_retries_bounds_the_attempts_and_zero_turns_retries_off() {
    for (max_retries, attempts) in [(None, 5usize), (Some(1), 2), (Some(0), 1)] {
        let server = server_failing(ResponseTemplate::new(503), 100).await;
        let client = Client::new(Config {
            max_retries,
            ..config(&server.uri())
        })
        .unwrap();
        let logged = client
            .send_logged(
                request("GET", "/api/v1/logs"),
                Arc::new(Recorder::default()),
            )
            .await;
        assert_eq!(
            logged.result.unwrap_err().api().map(|a| a.status),
            Some(503)
        );
        assert_eq!(
            requests_received(&server).await.len(),
            attempts,
            "{max_retries:?}"
        );
        assert_eq!(logged.attempts.len(), attempts);
        let last = logged.attempts.last().unwrap();
        assert_eq!(last.next, Next::GiveUp);
        assert!(last.reason.contains("MaxRetries"), "{}", last.reason);
        assert!(
            logged.attempts[..attempts - 1]
                .iter()
                .all(|a| a.next == Next::Retry)
        );
    }
}

#[tokio::test(start_paused = true)]
async fn the_attempt_log_and_the_observer_tell_each_attempt_and_wait() {
    let server = fresh_server().await;
    Mock::given(any())
        .respond_with(too_many(600, 0, D0 + 30, D0).insert_header("X-Okta-Request-Id", "r1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).insert_header("X-Okta-Request-Id", "r2"))
        .with_priority(2)
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let logged = client(&server)
        .send_logged(request("POST", "/api/v1/users"), recorder.clone())
        .await;
    assert_eq!(logged.result.unwrap().status, 200);
    let [first, second] = &logged.attempts[..] else {
        panic!("{:?}", logged.attempts)
    };
    assert_eq!(
        (first.attempt, first.status, first.next),
        (1, Some(429), Next::Retry)
    );
    assert_eq!(first.wait_ms, 30_000);
    assert_eq!(first.request_id.as_deref(), Some("r1"));
    assert!(
        first.reason.contains("X-Rate-Limit-Reset"),
        "{}",
        first.reason
    );
    assert_eq!(
        (second.attempt, second.status, second.next),
        (2, Some(200), Next::Done)
    );
    assert_eq!(second.wait_ms, 0);
    assert_eq!(
        *recorder.0.lock().unwrap(),
        [
            "attempt 1: Some(429) Retry wait 30000 ms",
            "attempt 2: Some(200) Done wait 0 ms"
        ]
    );
    assert_eq!(logged.attempts[0].wait_ms, 30_000);
    assert_eq!(logged.attempts[0].next, okta_core::Next::Retry);
    assert_eq!(logged.attempts[1].next, okta_core::Next::Done);
    assert_eq!(logged.attempts[0].status, Some(429));
    assert!(logged.attempts[0].failure.is_none());
}

#[tokio::test(start_paused = true)]
async fn send_futures_can_be_spawned() {
    let server = server_failing(ResponseTemplate::new(503), 1).await;
    let client = client(&server);
    let task = tokio::spawn(async move { client.send(request("GET", "/api/v1/apps")).await });
    assert_eq!(task.await.unwrap().unwrap().status, 200);
}

#[tokio::test(start_paused = true)]
async fn bad_input_is_not_retried() {
    let server = server_failing(ResponseTemplate::new(503), 1).await;
    let error = client(&server)
        .send(request("GET", "/api/v1/users/{userId}"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Request(_)), "{error:?}");
    assert!(requests_received(&server).await.is_empty());
}
