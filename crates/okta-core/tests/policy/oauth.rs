//! OAuth requests (token, revoke, device authorization) go through the org's governor like API
//! calls: the `/oauth2` bucket paces them from their own `X-Rate-Limit-*` headers, and a token
//! renewal inside an admitted request never waits for a second concurrency slot.

use std::time::Duration;

use okta_core::{ApiRequest, Client, Config};
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const EC_KEY: &str = include_str!("../auth/keys/ec_sec1.pem");

/// A service app (client credentials with private_key_jwt) of `server`.
fn robot(server: &MockServer) -> Config {
    Config {
        base_url: server.uri(),
        client_id: Some("0oa-robot".into()),
        scopes: vec!["okta.users.read".into()],
        private_key: Some(EC_KEY.into()),
        ..Config::default()
    }
}

#[tokio::test(start_paused = true)]
async fn a_token_request_waits_for_its_exhausted_bucket_instead_of_getting_a_429() {
    let server = fresh_server().await;
    let bucket = FakeBucket::answering(
        2,
        r#"{"access_token":"robot-token","token_type":"Bearer","expires_in":3600}"#,
    );
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(bucket.clone())
        .mount(&server)
        .await;
    let client = Client::new(robot(&server)).unwrap();
    let source = client.token_source().unwrap().expect("a service app has a token source");
    let url = client.base_url().join("/api/v1/users").unwrap();
    let started = Instant::now();
    let mut fetched_at = Vec::new();
    for _ in 0..3 {
        let used = source.authorize("GET", &url).await.unwrap();
        fetched_at.push(started.elapsed());
        // As after a 401: the token is dropped, so the next authorize fetches a new one.
        assert!(source.on_unauthorized(&used, &[]).await);
    }
    let counts = bucket.counts();
    assert_eq!(counts.rejected, 0, "the third token request was paced, not answered 429");
    assert_eq!(counts.served, 3);
    assert_eq!(fetched_at[..2], [Duration::ZERO, Duration::ZERO]);
    assert_eq!(
        fetched_at[2],
        Duration::from_secs(60),
        "it waited for the bucket's reset"
    );
}

#[tokio::test(start_paused = true)]
async fn api_calls_and_token_requests_learn_separate_buckets() {
    // The API bucket is spent; the token endpoint's is not: a token request does not wait for it.
    let server = fresh_server().await;
    let api = FakeBucket::new(1);
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .respond_with(api.clone())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"access_token":"t","expires_in":3600}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let client = Client::new(config(&server.uri())).unwrap();
    client.send(ApiRequest::new("GET", "/api/v1/users")).await.unwrap();
    let robot = Client::new(robot(&server)).unwrap();
    let source = robot.token_source().unwrap().unwrap();
    let started = Instant::now();
    source
        .authorize("GET", &robot.base_url().join("/api/v1/users").unwrap())
        .await
        .unwrap();
    assert_eq!(started.elapsed(), Duration::ZERO);
}

#[test]
fn a_token_renewal_inside_a_request_uses_that_requests_slot() {
    // MaxConcurrency 1 and three requests that all need the first token: if the token request
    // queued for a slot of its own, the request holding the only slot would wait for it forever.
    okta_core::runtime().block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth2/v1/token"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(r#"{"access_token":"t","expires_in":3600}"#, "application/json")
                    .set_delay(Duration::from_millis(50)),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/v1/users"))
            .respond_with(ResponseTemplate::new(200).set_body_raw("[]", "application/json"))
            .mount(&server)
            .await;
        let client = Client::new(Config {
            max_concurrency: Some(1),
            ..robot(&server)
        })
        .unwrap();
        let sends = (0..3).map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send(ApiRequest::new("GET", "/api/v1/users")).await })
        });
        let all = futures_join(sends.collect());
        let outcomes = tokio::time::timeout(Duration::from_secs(20), all)
            .await
            .expect("no deadlock between a request's slot and its token renewal");
        for outcome in outcomes {
            assert_eq!(outcome.unwrap().unwrap().status, 200);
        }
    });
}

async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await);
    }
    out
}
