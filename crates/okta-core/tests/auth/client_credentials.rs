//! Client credentials with private_key_jwt: one token per configuration, renewed shortly
//! before it expires and once after a 401; precedence against the static credentials.

use std::time::Duration;

use okta_core::{ApiRequest, AuthorizationMode, Client, Config, Error};
use serde_json::json;
use url::Url;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

async fn org_with_token_endpoint(token_answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(token_answer)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    server
}

fn users() -> ApiRequest {
    ApiRequest::new("GET", "/api/v1/users")
}

#[tokio::test]
async fn one_token_for_many_calls_with_a_verifiable_assertion() {
    let server = org_with_token_endpoint(token("robot-token-1", 3600)).await;
    let config = Config {
        private_key_id: Some("kid-7".into()),
        scopes: vec!["okta.users.read okta.groups.read".into()],
        ..robot(&server, RSA_PKCS1)
    };
    let client_id = config.client_id.clone().unwrap();
    let client = Client::new(config.clone()).unwrap();
    for _ in 0..3 {
        client.send(users()).await.unwrap();
    }
    // Another client (another pool) of the same configuration shares the token.
    Client::new(config).unwrap().send(users()).await.unwrap();

    let token_calls = requests_to(&server, "/oauth2/v1/token").await;
    assert_eq!(token_calls.len(), 1, "never fetched per call");
    let form = form(&token_calls[0]);
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["scope"], "okta.groups.read okta.users.read");
    assert_eq!(
        form["client_assertion_type"],
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    );
    let assertion = decode(&form["client_assertion"]);
    assert!(verify_rs256(&assertion, RSA_PKCS1));
    assert_eq!(assertion.header["kid"], "kid-7");
    assert_eq!(
        assertion.claims["aud"],
        format!("{}/oauth2/v1/token", server.uri())
    );
    assert_eq!(assertion.claims["iss"], client_id.as_str());
    assert_eq!(assertion.claims["sub"], client_id.as_str());
    assert_eq!(form["client_id"], client_id);

    let api_calls = requests_to(&server, "/api/v1/users").await;
    assert_eq!(api_calls.len(), 4);
    for call in &api_calls {
        assert_eq!(
            header(call, "authorization").unwrap(),
            "Bearer robot-token-1"
        );
        assert!(header(call, "dpop").is_none());
    }
}

#[tokio::test(start_paused = true)]
async fn renewed_shortly_before_expiry_not_before() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(Sequence::new(vec![
            token("first", 3600),
            token("second", 3600),
        ]))
        .mount(&server)
        .await;
    let config = robot(&server, EC_SEC1);
    let source = Client::new(config)
        .unwrap()
        .token_source()
        .unwrap()
        .unwrap();
    let url = Url::parse(&format!("{}/api/v1/users", server.uri())).unwrap();
    let bearer = |auth: &okta_core::auth::Authorization| format!("{auth:?}");
    let first = source.authorize("GET", &url).await.unwrap();
    assert_eq!(first.scheme(), "Bearer");
    tokio::time::advance(Duration::from_secs(3500)).await;
    source.authorize("GET", &url).await.unwrap();
    assert_eq!(
        requests_to(&server, "/oauth2/v1/token").await.len(),
        1,
        "still valid at 3500 s"
    );
    tokio::time::advance(Duration::from_secs(45)).await;
    source.authorize("GET", &url).await.unwrap();
    assert_eq!(
        requests_to(&server, "/oauth2/v1/token").await.len(),
        2,
        "renewed within the last minute"
    );
    assert!(!bearer(&first).contains("first"), "Debug hides the token");
}

#[tokio::test(start_paused = true)]
async fn a_short_token_is_renewed_before_it_ends() {
    let server = org_with_token_endpoint(token("short", 3)).await;
    let source = Client::new(robot(&server, EC_SEC1))
        .unwrap()
        .token_source()
        .unwrap()
        .unwrap();
    let url = Url::parse(&format!("{}/api/v1/users", server.uri())).unwrap();
    source.authorize("GET", &url).await.unwrap();
    tokio::time::advance(Duration::from_millis(2000)).await;
    source.authorize("GET", &url).await.unwrap();
    assert_eq!(requests_to(&server, "/oauth2/v1/token").await.len(), 1);
    tokio::time::advance(Duration::from_millis(500)).await;
    source.authorize("GET", &url).await.unwrap();
    assert_eq!(
        requests_to(&server, "/oauth2/v1/token").await.len(),
        2,
        "renewed at 80 % of 3 s"
    );
}

#[tokio::test]
async fn a_401_gets_one_new_token_and_one_resend() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(Sequence::new(vec![
            token("revoked-elsewhere", 3600),
            token("fresh", 3600),
        ]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .respond_with(Sequence::new(vec![
            ResponseTemplate::new(401)
                .insert_header("WWW-Authenticate", r#"Bearer error="invalid_token""#),
            ResponseTemplate::new(200).set_body_json(json!([])),
        ]))
        .mount(&server)
        .await;
    Client::new(robot(&server, EC_PKCS8))
        .unwrap()
        .send(users())
        .await
        .unwrap();
    let api_calls = requests_to(&server, "/api/v1/users").await;
    assert_eq!(api_calls.len(), 2);
    assert_eq!(
        header(&api_calls[0], "authorization").unwrap(),
        "Bearer revoked-elsewhere"
    );
    assert_eq!(
        header(&api_calls[1], "authorization").unwrap(),
        "Bearer fresh"
    );
}

#[tokio::test]
async fn a_lasting_401_is_resent_only_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(token("t", 3600))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "errorCode": "E0000011", "errorSummary": "Invalid token provided"
        })))
        .mount(&server)
        .await;
    let error = Client::new(robot(&server, EC_PKCS8))
        .unwrap()
        .send(users())
        .await
        .unwrap_err();
    assert_eq!(error.api().unwrap().error_code.as_deref(), Some("E0000011"));
    assert_eq!(requests_to(&server, "/api/v1/users").await.len(), 2);
    assert_eq!(requests_to(&server, "/oauth2/v1/token").await.len(), 2);
}

#[tokio::test]
async fn token_endpoint_errors_are_api_errors_with_the_oauth_fields_and_no_secrets() {
    let server = org_with_token_endpoint(oauth_error(
        401,
        "invalid_client",
        "The client_assertion signature is invalid.",
    ))
    .await;
    let error = Client::new(robot(&server, RSA_PKCS1))
        .unwrap()
        .send(users())
        .await
        .unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status, 401);
    assert_eq!(api.oauth_error.as_deref(), Some("invalid_client"));
    assert_eq!(
        api.oauth_error_description.as_deref(),
        Some("The client_assertion signature is invalid.")
    );
    let sent = form(&requests_to(&server, "/oauth2/v1/token").await[0]);
    let texts = [
        error.to_string(),
        format!("{error:?}"),
        format!("{:?}", error.api()),
    ];
    for text in texts {
        assert!(!text.contains(&sent["client_assertion"]), "{text}");
        assert!(!text.contains("MII"), "{text}");
    }
    assert!(
        requests_to(&server, "/api/v1/users").await.is_empty(),
        "no call without a token"
    );
}

#[tokio::test]
async fn explicit_access_token_wins_then_private_key_then_api_token() {
    let server = org_with_token_endpoint(token("from-key", 3600)).await;
    let with_all = Config {
        access_token: Some("explicit".into()),
        api_token: Some("ssws-token".into()),
        ..robot(&server, EC_SEC1)
    };
    Client::new(with_all.clone())
        .unwrap()
        .send(users())
        .await
        .unwrap();
    let key_and_ssws = Config {
        access_token: None,
        ..with_all.clone()
    };
    Client::new(key_and_ssws.clone())
        .unwrap()
        .send(users())
        .await
        .unwrap();
    let forced_ssws = Config {
        authorization_mode: Some(AuthorizationMode::Ssws),
        ..key_and_ssws.clone()
    };
    Client::new(forced_ssws)
        .unwrap()
        .send(users())
        .await
        .unwrap();
    let mut own = users();
    own.headers
        .push(("Authorization".into(), "SSWS per-request".into()));
    Client::new(key_and_ssws).unwrap().send(own).await.unwrap();

    let seen: Vec<String> = requests_to(&server, "/api/v1/users")
        .await
        .iter()
        .map(|call| header(call, "authorization").unwrap())
        .collect();
    assert_eq!(
        seen,
        [
            "Bearer explicit",
            "Bearer from-key",
            "SSWS ssws-token",
            "SSWS per-request"
        ]
    );
}

#[tokio::test]
async fn private_key_mode_requires_its_settings() {
    let config = Config {
        base_url: "https://x.okta.com".into(),
        authorization_mode: Some(AuthorizationMode::PrivateKey),
        client_id: Some("0oa1".into()),
        ..Config::default()
    };
    let message = Client::new(config.clone()).unwrap_err().to_string();
    assert!(message.contains("PrivateKey"), "{message}");
    let no_scope = Config {
        private_key: Some(EC_SEC1.into()),
        ..config
    };
    let message = Client::new(no_scope).unwrap_err().to_string();
    assert!(message.contains("Scope"), "{message}");
    let bad_key = Config {
        base_url: "https://x.okta.com".into(),
        client_id: Some("0oa1".into()),
        scopes: vec!["okta.users.read".into()],
        private_key: Some("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----".into()),
        ..Config::default()
    };
    assert!(matches!(Client::new(bad_key), Err(Error::Config(_))));
}

#[tokio::test]
async fn different_scopes_or_keys_get_different_tokens() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .and(body_string_contains("client_credentials"))
        .respond_with(token("t", 3600))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let base = robot(&server, EC_SEC1);
    for config in [
        base.clone(),
        Config {
            scopes: vec!["okta.groups.read".into()],
            ..base.clone()
        },
        Config {
            private_key: Some(RSA_PKCS1.into()),
            ..base.clone()
        },
        // Same key, other form: same token.
        Config {
            private_key: Some(EC_PKCS8.into()),
            ..base.clone()
        },
    ] {
        Client::new(config).unwrap().send(users()).await.unwrap();
    }
    assert_eq!(requests_to(&server, "/oauth2/v1/token").await.len(), 3);
}

#[tokio::test]
async fn concurrent_first_calls_wait_for_one_token_request() {
    let server = org_with_token_endpoint(token("shared", 3600).set_delay(Duration::from_millis(300))).await;
    let client = Client::new(robot(&server, EC_SEC1)).unwrap();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send(users()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(requests_to(&server, "/oauth2/v1/token").await.len(), 1);
    assert_eq!(requests_to(&server, "/api/v1/users").await.len(), 8);
}
