//! Device authorization (RFC 8628) on tokio's paused clock: the polling cadence is measured
//! exactly (interval honoured, slow_down adds 5 s), and every way the wait ends.

use std::time::Duration;

use okta_core::auth::{start_device_authorization, start_device_authorization_blocking};
use okta_core::{ApiRequest, CancelSignal, Client, Config, Error};
use serde_json::json;
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

fn device_answer(interval: Option<u64>, expires_in: u64) -> ResponseTemplate {
    let mut body = json!({
        "device_code": "device-code-SECRET",
        "user_code": "WDJB-MJHT",
        "verification_uri": "https://myorg.okta.com/activate",
        "verification_uri_complete": "https://myorg.okta.com/activate?user_code=WDJB-MJHT",
        "expires_in": expires_in,
    });
    if let Some(interval) = interval {
        body["interval"] = json!(interval);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

fn pending() -> ResponseTemplate {
    oauth_error(
        400,
        "authorization_pending",
        "The device authorization is pending.",
    )
}

async fn org(device: ResponseTemplate, polls: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/device/authorize"))
        .respond_with(device)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(Sequence::new(polls))
        .mount(&server)
        .await;
    server
}

#[tokio::test(start_paused = true)]
async fn codes_first_then_polls_at_interval_slowing_down_by_5s() {
    let server = org(
        device_answer(Some(2), 600),
        vec![
            pending(),
            oauth_error(400, "slow_down", "Slow down"),
            pending(),
            token("user-token", 3600),
        ],
    )
    .await;
    let config = native_app(&server, "openid okta.users.read");
    let client_id = config.client_id.clone().unwrap();
    let flow = start_device_authorization(&crate::common::session(&config)).await.unwrap();
    assert_eq!(flow.user_code, "WDJB-MJHT");
    assert_eq!(flow.verification_uri, "https://myorg.okta.com/activate");
    assert_eq!(
        flow.verification_uri_complete.as_deref(),
        Some("https://myorg.okta.com/activate?user_code=WDJB-MJHT")
    );
    assert_eq!(flow.interval, Duration::from_secs(2));
    assert!(!format!("{flow:?}").contains("device-code-SECRET"));
    assert_eq!(flow.user_code, "WDJB-MJHT");
    assert_eq!(flow.expires_in, Duration::from_secs(600));
    let asked = form(&requests_to(&server, "/oauth2/v1/device/authorize").await[0]);
    assert_eq!(asked["client_id"], client_id);
    assert_eq!(asked["scope"], "okta.users.read openid");
    assert!(
        requests_to(&server, "/oauth2/v1/token").await.is_empty(),
        "no poll before the codes are shown"
    );

    let started = Instant::now();
    flow.wait_for_token(&CancelSignal::new()).await.unwrap();
    // 2 (pending) + 2 (slow_down) + 7 (pending) + 7 (token).
    assert_eq!(started.elapsed().as_secs(), 18);
    let polls = requests_to(&server, "/oauth2/v1/token").await;
    assert_eq!(polls.len(), 4);
    for poll in &polls {
        let form = form(poll);
        assert_eq!(
            form["grant_type"],
            "urn:ietf:params:oauth:grant-type:device_code"
        );
        assert_eq!(form["device_code"], "device-code-SECRET");
        assert_eq!(form["client_id"], client_id);
    }

    // The sign-in now serves this configuration's requests.
    Mock::given(method("GET"))
        .and(path("/api/v1/users/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let config = Config {
        api_token: Some("ssws".into()),
        ..config
    };
    Client::new(config)
        .unwrap()
        .send(ApiRequest::new("GET", "/api/v1/users/me"))
        .await
        .unwrap();
    let call = &requests_to(&server, "/api/v1/users/me").await[0];
    assert_eq!(header(call, "authorization").unwrap(), "Bearer user-token");
}

#[tokio::test(start_paused = true)]
async fn interval_defaults_to_5s() {
    let server = org(device_answer(None, 600), vec![pending(), token("t", 3600)]).await;
    let flow = start_device_authorization(&crate::common::session(&native_app(&server, "openid")))
        .await
        .unwrap();
    assert_eq!(flow.interval, Duration::from_secs(5));
    let started = Instant::now();
    flow.wait_for_token(&CancelSignal::new()).await.unwrap();
    assert_eq!(started.elapsed().as_secs(), 10);
}

#[tokio::test(start_paused = true)]
async fn access_denied_stops_at_once_with_the_oauth_error() {
    let server = org(
        device_answer(Some(5), 600),
        vec![oauth_error(
            400,
            "access_denied",
            "The resource owner denied the request.",
        )],
    )
    .await;
    let flow = start_device_authorization(&crate::common::session(&native_app(&server, "openid")))
        .await
        .unwrap();
    let started = Instant::now();
    let error = flow.wait_for_token(&CancelSignal::new()).await.unwrap_err();
    assert_eq!(started.elapsed().as_secs(), 5);
    let api = error.api().expect("an API error");
    assert_eq!(api.oauth_error.as_deref(), Some("access_denied"));
    assert_eq!(
        api.oauth_error_description.as_deref(),
        Some("The resource owner denied the request.")
    );
    assert_eq!(requests_to(&server, "/oauth2/v1/token").await.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn expired_token_from_the_server_stops_polling() {
    let server = org(
        device_answer(Some(5), 600),
        vec![
            pending(),
            oauth_error(400, "expired_token", "The device code has expired."),
        ],
    )
    .await;
    let flow = start_device_authorization(&crate::common::session(&native_app(&server, "openid")))
        .await
        .unwrap();
    let error = flow.wait_for_token(&CancelSignal::new()).await.unwrap_err();
    assert_eq!(
        error.api().unwrap().oauth_error.as_deref(),
        Some("expired_token")
    );
    assert!(error.to_string().contains("expired_token"), "{error}");
    assert_eq!(requests_to(&server, "/oauth2/v1/token").await.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_silent_server_is_given_up_at_expires_in() {
    let server = org(device_answer(Some(5), 30), vec![pending()]).await;
    let flow = start_device_authorization(&crate::common::session(&native_app(&server, "openid")))
        .await
        .unwrap();
    let started = Instant::now();
    let error = flow.wait_for_token(&CancelSignal::new()).await.unwrap_err();
    assert_eq!(started.elapsed().as_secs(), 30);
    let message = error.to_string();
    assert!(matches!(error, Error::Request(_)), "{message}");
    assert!(message.contains("expired after 30 s"), "{message}");
    assert!(!message.contains("device-code-SECRET"));
    // Polled at 5, 10, 15, 20, 25 s; not after the deadline.
    assert_eq!(requests_to(&server, "/oauth2/v1/token").await.len(), 5);
}

#[tokio::test(start_paused = true)]
async fn cancelling_stops_the_wait() {
    // Ctrl+C while the second poll is in flight.
    let cancel = CancelSignal::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/device/authorize"))
        .respond_with(device_answer(Some(5), 600))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(CancelAt {
            nth: 2,
            seen: Default::default(),
            signal: cancel.clone(),
            answer: pending().set_delay(Duration::from_millis(200)),
        })
        .mount(&server)
        .await;
    let flow = start_device_authorization(&crate::common::session(&native_app(&server, "openid")))
        .await
        .unwrap();
    let started = Instant::now();
    let error = flow.wait_for_token(&cancel).await.unwrap_err();
    assert!(matches!(error, Error::Cancelled));
    assert_eq!(started.elapsed().as_secs(), 10);
    assert_eq!(requests_to(&server, "/oauth2/v1/token").await.len(), 2);
}

#[tokio::test]
async fn device_flow_needs_client_id_and_scope_and_reports_endpoint_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/device/authorize"))
        .respond_with(oauth_error(
            400,
            "invalid_client",
            "Invalid value for 'client_id' parameter.",
        ))
        .mount(&server)
        .await;
    let no_client = Config {
        client_id: None,
        ..native_app(&server, "openid")
    };
    let message = start_device_authorization(&crate::common::session(&no_client))
        .await
        .unwrap_err()
        .to_string();
    assert!(message.contains("ClientId"), "{message}");
    let no_scope = Config {
        scopes: vec![],
        ..native_app(&server, "openid")
    };
    let message = start_device_authorization(&crate::common::session(&no_scope))
        .await
        .unwrap_err()
        .to_string();
    assert!(message.contains("Scope"), "{message}");
    let error = start_device_authorization(&crate::common::session(&native_app(&server, "openid")))
        .await
        .unwrap_err();
    assert_eq!(
        error.api().unwrap().oauth_error.as_deref(),
        Some("invalid_client")
    );
    // The blocking form refuses to block an async runtime thread.
    assert!(matches!(
        start_device_authorization_blocking(&crate::common::session(&native_app(&server, "openid"))),
        Err(Error::Request(_))
    ));
}
