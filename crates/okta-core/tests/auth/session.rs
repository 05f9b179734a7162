//! A signed-in session: refresh before expiry and after a 401, revoke, remove.

use std::time::Duration;

use okta_core::auth::{self, start_device_authorization};
use okta_core::{ApiRequest, CancelSignal, Client, Config};
use serde_json::json;
use url::Url;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

fn with_refresh(access_token: &str, refresh_token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "token_type": "Bearer", "expires_in": expires_in, "access_token": access_token,
        "refresh_token": refresh_token, "scope": "offline_access okta.users.read"
    }))
}

/// An org where the device flow succeeds at the first poll with `access-1`/`refresh-1`, and
/// the refresh grant answers with `refresh_answers`.
async fn signed_in(refresh_answers: Vec<ResponseTemplate>) -> (MockServer, Config) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/device/authorize"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "device_code": "dc", "user_code": "UC", "verification_uri": "https://x/activate",
            "expires_in": 600, "interval": 1
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .and(body_string_contains("device_code"))
        .respond_with(with_refresh("access-1", "refresh-1", 100))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(Sequence::new(refresh_answers))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/revoke"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let config = native_app(&server, "offline_access okta.users.read");
    start_device_authorization(&crate::common::session(&config))
        .await
        .unwrap()
        .wait_for_token(&CancelSignal::new())
        .await
        .unwrap();
    (server, config)
}

fn refreshes(requests: &[wiremock::Request]) -> Vec<std::collections::HashMap<String, String>> {
    requests
        .iter()
        .map(form)
        .filter(|form| form["grant_type"] == "refresh_token")
        .collect()
}

#[tokio::test(start_paused = true)]
async fn refresh_token_renews_before_expiry_and_rotates() {
    let (server, config) = signed_in(vec![
        with_refresh("access-2", "refresh-2", 100),
        with_refresh("access-3", "refresh-3", 100),
    ])
    .await;
    let source = auth::token_source(&config).unwrap().expect("signed in");
    let url = Url::parse(&format!("{}/api/v1/users", server.uri())).unwrap();
    source.authorize("GET", &url).await.unwrap();
    tokio::time::advance(Duration::from_secs(79)).await;
    source.authorize("GET", &url).await.unwrap();
    assert!(refreshes(&requests_to(&server, "/oauth2/v1/token").await).is_empty());
    tokio::time::advance(Duration::from_secs(2)).await;
    source.authorize("GET", &url).await.unwrap();
    tokio::time::advance(Duration::from_secs(81)).await;
    source.authorize("GET", &url).await.unwrap();
    let sent = refreshes(&requests_to(&server, "/oauth2/v1/token").await);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0]["refresh_token"], "refresh-1");
    assert_eq!(
        sent[1]["refresh_token"], "refresh-2",
        "the rotated refresh token is used"
    );
    assert_eq!(sent[0]["client_id"], config.client_id.clone().unwrap());
}

#[tokio::test]
async fn a_401_invalid_token_refreshes_once_transparently() {
    let (server, config) = signed_in(vec![with_refresh("access-2", "refresh-2", 3600)]).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .respond_with(Sequence::new(vec![
            ResponseTemplate::new(401).insert_header(
                "WWW-Authenticate",
                r#"Bearer error="invalid_token", error_description="The token has expired.""#,
            ),
            ResponseTemplate::new(200).set_body_json(json!([])),
        ]))
        .mount(&server)
        .await;
    Client::new(config)
        .unwrap()
        .send(ApiRequest::new("GET", "/api/v1/users"))
        .await
        .unwrap();
    let calls = requests_to(&server, "/api/v1/users").await;
    assert_eq!(
        header(&calls[0], "authorization").unwrap(),
        "Bearer access-1"
    );
    assert_eq!(
        header(&calls[1], "authorization").unwrap(),
        "Bearer access-2"
    );
}

#[tokio::test]
async fn revoke_sends_both_tokens_with_hints_then_never_sends_them_again() {
    let (server, config) = signed_in(vec![with_refresh("x", "y", 3600)]).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let config = Config {
        api_token: Some("ssws-fallback".into()),
        ..config
    };
    let client = Client::new(config.clone()).unwrap();
    client
        .send(ApiRequest::new("GET", "/api/v1/users"))
        .await
        .unwrap();
    let source = auth::token_source(&config).unwrap().unwrap();

    assert!(auth::revoke(&crate::common::session(&config)).await.unwrap());
    let revokes: Vec<_> = requests_to(&server, "/oauth2/v1/revoke")
        .await
        .iter()
        .map(form)
        .collect();
    assert_eq!(revokes.len(), 2);
    assert_eq!(revokes[0]["token"], "access-1");
    assert_eq!(revokes[0]["token_type_hint"], "access_token");
    assert_eq!(revokes[1]["token"], "refresh-1");
    assert_eq!(revokes[1]["token_type_hint"], "refresh_token");
    assert_eq!(revokes[0]["client_id"], config.client_id.clone().unwrap());

    client
        .send(ApiRequest::new("GET", "/api/v1/users"))
        .await
        .unwrap();
    let calls = requests_to(&server, "/api/v1/users").await;
    assert_eq!(
        header(&calls[1], "authorization").unwrap(),
        "SSWS ssws-fallback"
    );
    assert!(auth::token_source(&config).unwrap().is_none());
    // A holder of the old source cannot use it either.
    let url = Url::parse(&server.uri()).unwrap();
    let message = source.authorize("GET", &url).await.unwrap_err().to_string();
    assert!(message.contains("revoked"), "{message}");
    assert!(
        !auth::revoke(&crate::common::session(&config)).await.unwrap(),
        "nothing left to revoke"
    );
}

#[tokio::test]
async fn remove_forgets_without_a_request() {
    let (server, config) = signed_in(vec![with_refresh("x", "y", 3600)]).await;
    assert!(auth::remove(&crate::common::session(&config)).await.unwrap());
    assert!(requests_to(&server, "/oauth2/v1/revoke").await.is_empty());
    assert!(auth::token_source(&config).unwrap().is_none());
    assert!(!auth::remove(&crate::common::session(&config)).await.unwrap());
}

#[tokio::test]
async fn nothing_secret_in_debug_output() {
    let (_server, config) = signed_in(vec![with_refresh("x", "y", 3600)]).await;
    let source = auth::token_source(&config).unwrap().unwrap();
    let url = Url::parse("https://x.okta.com/api/v1/users").unwrap();
    let authorization = source.authorize("GET", &url).await.unwrap();
    let texts = [
        format!("{source:?}"),
        format!("{authorization:?}"),
        format!("{config:?}"),
    ];
    for text in texts {
        for secret in ["access-1", "refresh-1", "dc"] {
            assert!(
                !text.contains(secret) || secret == "dc" && !text.contains("\"dc\""),
                "{text}"
            );
        }
    }
    let robot_config = Config {
        private_key: Some(EC_SEC1.into()),
        ..config
    };
    assert!(!format!("{robot_config:?}").contains("BEGIN"));
}

#[tokio::test]
async fn an_explicit_access_token_is_revoked_as_the_official_module_does() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/revoke"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let config = Config {
        access_token: Some("explicit-token".into()),
        ..native_app(&server, "okta.users.read")
    };
    assert!(auth::revoke(&crate::common::session(&config)).await.unwrap());
    let sent = form(&requests_to(&server, "/oauth2/v1/revoke").await[0]);
    assert_eq!(sent["token"], "explicit-token");
    assert_eq!(sent["token_type_hint"], "access_token");
    assert_eq!(sent["client_id"], config.client_id.clone().unwrap());
    // without a client id there is nobody to revoke it as
    let no_client = Config {
        client_id: None,
        ..config
    };
    assert!(!auth::revoke(&crate::common::session(&no_client)).await.unwrap());
}
