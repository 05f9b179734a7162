//! Settings checked before anything is sent, and what a 429 says about waiting.

use std::time::{Duration, SystemTime};

use crate::common::{config_for, get};
use okta_core::{ApiRequest, Client, Config, Delivery, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn no_credentials_fails_locally_naming_the_setting() {
    let server = MockServer::start().await;
    for api_token in [None, Some(String::new()), Some("   ".to_owned())] {
        let config = Config {
            api_token: api_token.clone(),
            ..config_for(&server)
        };
        let error = Client::new(config)
            .unwrap()
            .send(get("/api/v1/users/me"))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert_eq!(error.delivery(), Delivery::NotSent);
        let message = error.to_string();
        assert!(message.contains("ApiKey"), "{message}");
        assert!(message.contains("AccessToken"), "{message}");
        assert!(message.contains("not sent"), "{message}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn credentials_from_any_source_are_enough_and_oauth_endpoints_need_none() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let bare = Config {
        api_token: None,
        ..config_for(&server)
    };
    let with_header = Config {
        default_headers: [("authorization".to_owned(), "SSWS x".to_owned())].into(),
        ..bare.clone()
    };
    let with_access_token = Config {
        access_token: Some("eyJ.x".into()),
        ..bare.clone()
    };
    for config in [with_header, with_access_token] {
        Client::new(config)
            .unwrap()
            .send(get("/api/v1/users"))
            .await
            .unwrap();
    }
    let mut per_request = get("/api/v1/users");
    per_request.headers = vec![("Authorization".into(), "DPoP x".into())];
    let client = Client::new(bare).unwrap();
    client.send(per_request).await.unwrap();
    client
        .send(ApiRequest::new("POST", "/oauth2/v1/token"))
        .await
        .unwrap();
    client
        .send(get("/oauth2/default/.well-known/openid-configuration"))
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

#[test]
fn a_proxy_that_is_not_a_url_is_refused() {
    for bad in [
        "42",
        "proxy.example.com:3128",
        "ftp://proxy.example.com",
        "http://",
    ] {
        let error = Client::new(Config {
            base_url: "https://myorg.okta.com".into(),
            proxy: Some(bad.into()),
            ..Config::default()
        })
        .unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::Config(_)), "{bad}: {message}");
        assert!(message.contains("Proxy"), "{message}");
    }
    for good in [
        "http://proxy:3128",
        "https://u:p@proxy:3128",
        "socks5://127.0.0.1:1080",
    ] {
        Client::new(Config {
            base_url: "https://myorg.okta.com".into(),
            proxy: Some(good.into()),
            ..Config::default()
        })
        .unwrap_or_else(|error| panic!("{good}: {error}"));
    }
}

#[test]
fn a_base_url_with_a_password_is_refused_without_echoing_it() {
    for bad in [
        "https://admin:urlSECRET@myorg.okta.com",
        "htps://admin:urlSECRET@myorg.okta.com",
        "https://admin:urlSECRET@myorg.okta.com/?x=1",
    ] {
        let error = Client::new(Config {
            base_url: bad.into(),
            ..Config::default()
        })
        .unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::Config(_)), "{message}");
        assert!(message.contains("BaseUrl"), "{message}");
        assert!(message.contains("myorg.okta.com"), "{message}");
        assert!(!message.contains("SECRET"), "{message}");
    }
}

async fn rate_limited(template: ResponseTemplate) -> okta_core::ApiError {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    match Client::new(config_for(&server))
        .unwrap()
        .send(get("/api/v1/users"))
        .await
        .unwrap_err()
    {
        Error::Api(api) => *api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_429_carries_its_reset_time_and_the_wait_from_the_servers_date() {
    // The server's clock is an hour behind ours: the wait must come from its Date, not ours.
    let server_now = SystemTime::now() - Duration::from_secs(3600);
    let server_now_secs = server_now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let api = rate_limited(
        ResponseTemplate::new(429)
            .insert_header("Date", httpdate::fmt_http_date(server_now).as_str())
            .insert_header("X-Rate-Limit-Reset", (server_now_secs + 17).to_string().as_str())
            .set_body_raw(
                r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}"#,
                "application/json",
            ),
    )
    .await;
    assert_eq!(api.rate_limit_reset, Some((server_now_secs + 17) as i64));
    assert_eq!(api.retry_after_ms, Some(17_000));
}

#[tokio::test]
async fn retry_after_wins_and_other_errors_have_no_wait() {
    let api = rate_limited(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "3")
            .insert_header("X-Rate-Limit-Reset", "1"),
    )
    .await;
    assert_eq!(api.retry_after_ms, Some(3_000));
    assert_eq!(api.rate_limit_reset, Some(1));

    // A reset already past gives no negative wait.
    let api =
        rate_limited(ResponseTemplate::new(429).insert_header("X-Rate-Limit-Reset", "1")).await;
    assert_eq!(api.retry_after_ms, Some(0));

    let api =
        rate_limited(ResponseTemplate::new(404).insert_header("X-Rate-Limit-Reset", "1")).await;
    assert_eq!(api.retry_after_ms, None);
    assert_eq!(api.rate_limit_reset, Some(1));
}
