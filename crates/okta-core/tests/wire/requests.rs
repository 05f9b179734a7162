//! What goes over the wire: auth and other headers, URL encoding, `uri`, bodies.
//! Every assertion is on what the wiremock server received.

use crate::common::{config_for, get, header_values, only_request, raw_path};
use okta_core::{ApiRequest, Client, Config, Error, USER_AGENT_PRODUCT};
use wiremock::matchers::{any, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_answering_200() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

async fn send(config: Config, request: ApiRequest) {
    Client::new(config)
        .unwrap()
        .send(request)
        .await
        .expect("the mock answers 200");
}

#[tokio::test]
async fn api_token_uses_ssws_by_default() {
    let server = server_answering_200().await;
    let config = Config {
        api_token: Some("00abc".into()),
        ..config_for(&server)
    };
    send(config, get("/api/v1/users")).await;
    let request = only_request(&server).await;
    assert_eq!(header_values(&request, "authorization"), ["SSWS 00abc"]);
}

#[tokio::test]
async fn api_token_with_custom_prefix() {
    let server = server_answering_200().await;
    let config = Config {
        api_token: Some("00abc".into()),
        api_key_prefix: Some("Token".into()),
        ..config_for(&server)
    };
    send(config, get("/api/v1/users")).await;
    let request = only_request(&server).await;
    assert_eq!(header_values(&request, "authorization"), ["Token 00abc"]);
}

#[tokio::test]
async fn bearer_access_token_wins_over_api_token_and_default_authorization() {
    let server = server_answering_200().await;
    let config = Config {
        api_token: Some("00abc".into()),
        access_token: Some("eyJ.jwt".into()),
        default_headers: [("Authorization".to_owned(), "Basic nope".to_owned())].into(),
        ..config_for(&server)
    };
    send(config, get("/api/v1/users")).await;
    let request = only_request(&server).await;
    assert_eq!(header_values(&request, "authorization"), ["Bearer eyJ.jwt"]);
}

#[tokio::test]
async fn default_headers_are_sent_and_default_authorization_used_without_tokens() {
    let server = server_answering_200().await;
    let config = Config {
        default_headers: [
            ("Authorization".to_owned(), "Basic dXNlcg==".to_owned()),
            ("X-Tenant".to_owned(), "blue".to_owned()),
        ]
        .into(),
        api_token: None,
        ..config_for(&server)
    };
    send(config, get("/api/v1/users")).await;
    let request = only_request(&server).await;
    assert_eq!(header_values(&request, "authorization"), ["Basic dXNlcg=="]);
    assert_eq!(header_values(&request, "x-tenant"), ["blue"]);
}

#[tokio::test]
async fn per_request_headers_override_everything() {
    let server = server_answering_200().await;
    let config = Config {
        api_token: Some("00abc".into()),
        default_headers: [("X-Tenant".to_owned(), "blue".to_owned())].into(),
        ..config_for(&server)
    };
    let mut request = get("/api/v1/users");
    request.headers = vec![
        ("x-tenant".into(), "red".into()),
        ("Authorization".into(), "SSWS other".into()),
        ("Accept".into(), "application/xml".into()),
        ("X-Multi".into(), "1".into()),
        ("X-Multi".into(), "2".into()),
    ];
    send(config, request).await;
    let received = only_request(&server).await;
    assert_eq!(header_values(&received, "x-tenant"), ["red"]);
    assert_eq!(header_values(&received, "authorization"), ["SSWS other"]);
    assert_eq!(header_values(&received, "accept"), ["application/xml"]);
    assert_eq!(header_values(&received, "x-multi"), ["1", "2"]);
}

#[tokio::test]
async fn accept_json_and_user_agent_with_extra_tokens() {
    let server = server_answering_200().await;
    let config = Config {
        user_agent: Some("Okta.PowerShell/0.1.0 PowerShell/7.6.9".into()),
        ..config_for(&server)
    };
    send(config, get("/api/v1/users")).await;
    let request = only_request(&server).await;
    assert_eq!(header_values(&request, "accept"), ["application/json"]);
    assert_eq!(
        header_values(&request, "user-agent"),
        [format!(
            "{USER_AGENT_PRODUCT} Okta.PowerShell/0.1.0 PowerShell/7.6.9"
        )]
    );
    assert!(USER_AGENT_PRODUCT.starts_with("okta-powershell-rs/"));
}

#[tokio::test]
async fn user_agent_without_extra_tokens_is_the_product() {
    let server = server_answering_200().await;
    send(config_for(&server), get("/api/v1/users")).await;
    let request = only_request(&server).await;
    assert_eq!(header_values(&request, "user-agent"), [USER_AGENT_PRODUCT]);
}

#[tokio::test]
async fn path_params_arrive_as_one_encoded_segment() {
    let cases = [
        (
            "ada@example.com",
            [
                "/api/v1/users/ada%40example.com",
                "/api/v1/users/ada@example.com",
            ]
            .as_slice(),
        ),
        ("a/b", &["/api/v1/users/a%2Fb"]),
        ("what?", &["/api/v1/users/what%3F"]),
        ("hash#tag", &["/api/v1/users/hash%23tag"]),
        ("Ada Lovelace", &["/api/v1/users/Ada%20Lovelace"]),
        ("Zoë Ωmega", &["/api/v1/users/Zo%C3%AB%20%CE%A9mega"]),
    ];
    for (value, accepted) in cases {
        let server = server_answering_200().await;
        let mut request = get("/api/v1/users/{userId}");
        request.path_params = vec![("userId".into(), value.into())];
        send(config_for(&server), request).await;
        let received = only_request(&server).await;
        assert!(
            accepted.contains(&raw_path(&received)),
            "{value:?} arrived as {}",
            raw_path(&received)
        );
        // The server must be able to decode it back to exactly the value, as one segment.
        let segments: Vec<_> = received.url.path_segments().unwrap().collect();
        assert_eq!(segments.len(), 4, "{value:?}: {segments:?}");
        let decoded = percent_encoding::percent_decode_str(segments[3])
            .decode_utf8()
            .unwrap();
        assert_eq!(decoded, value);
    }
}

#[tokio::test]
async fn base_url_with_trailing_slash_and_path_prefix() {
    let server = server_answering_200().await;
    let config = Config {
        base_url: format!("{}/okta/", server.uri()),
        ..config_for(&server)
    };
    send(config, get("/api/v1/groups")).await;
    assert_eq!(
        raw_path(&only_request(&server).await),
        "/okta/api/v1/groups"
    );
}

#[tokio::test]
async fn search_query_arrives_decoded_intact() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .and(query_param("search", "profile.lastName eq \"Lovelace\""))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = get("/api/v1/users");
    request.query = vec![
        ("search".into(), "profile.lastName eq \"Lovelace\"".into()),
        ("limit".into(), "2".into()),
    ];
    send(config_for(&server), request).await;
    let received = only_request(&server).await;
    // Order kept.
    let names: Vec<String> = received
        .url
        .query_pairs()
        .map(|(name, _)| name.into_owned())
        .collect();
    assert_eq!(names, ["search", "limit"]);
}

#[tokio::test]
async fn query_values_with_reserved_and_unicode_characters_arrive_intact() {
    let tricky = [
        ("q", "a&b=c"),
        ("plus", "1+1=2"),
        ("hash", "#frag"),
        ("unicode", "Zoë Ωmega 東京"),
        ("percent", "100% sure"),
        ("empty", ""),
        ("key with space&=", "v"),
    ];
    let server = MockServer::start().await;
    let mut mock = Mock::given(path("/api/v1/users"));
    for (name, value) in tricky {
        mock = mock.and(query_param(name, value));
    }
    mock.respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = get("/api/v1/users");
    request.query = tricky
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    send(config_for(&server), request).await;
    let received = only_request(&server).await;
    let pairs: Vec<(String, String)> = received.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs.len(),
        tricky.len(),
        "no value split into several: {pairs:?}"
    );
}

#[tokio::test]
async fn absolute_uri_is_used_verbatim() {
    let server = server_answering_200().await;
    let mut request = get("/ignored/{missing}");
    request.query = vec![("ignored".into(), "1".into())];
    request.uri = Some(format!(
        "{}/api/v1/users?after=00u%2B1%3D&limit=2&search=a%20eq%20%22b%22",
        server.uri()
    ));
    send(config_for(&server), request).await;
    let received = only_request(&server).await;
    assert_eq!(raw_path(&received), "/api/v1/users");
    assert_eq!(
        received.url.query(),
        Some("after=00u%2B1%3D&limit=2&search=a%20eq%20%22b%22")
    );
}

#[tokio::test]
async fn absolute_uri_on_another_origin_is_refused_before_sending() {
    let server = server_answering_200().await;
    let other = MockServer::start().await;
    let mut request = get("/ignored");
    request.uri = Some(format!("{}/api/v1/users?after=x", other.uri()));
    let error = Client::new(config_for(&server))
        .unwrap()
        .send(request)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Request(ref message) if message.contains("BaseUrl")),
        "{error}"
    );
    assert!(
        other.received_requests().await.unwrap().is_empty(),
        "nothing may reach the other host"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn relative_uri_is_resolved_against_the_base_url() {
    let server = server_answering_200().await;
    let mut request = get("/ignored");
    request.uri = Some("/api/v1/groups?after=g%2F1&limit=1".into());
    send(config_for(&server), request).await;
    let received = only_request(&server).await;
    assert_eq!(raw_path(&received), "/api/v1/groups");
    assert_eq!(received.url.query(), Some("after=g%2F1&limit=1"));
}

#[tokio::test]
async fn json_body_with_content_type() {
    let server = server_answering_200().await;
    let body = br#"{"profile":{"login":"ada@example.com","firstName":"Zo\u00eb"}}"#.to_vec();
    let mut request = ApiRequest::new("post", "/api/v1/users");
    request.query = vec![("activate".into(), "false".into())];
    request.body = Some(body.clone());
    send(config_for(&server), request).await;
    let received = only_request(&server).await;
    assert_eq!(received.method.as_str(), "POST");
    assert_eq!(received.body, body);
    assert_eq!(
        header_values(&received, "content-type"),
        ["application/json"]
    );
    assert_eq!(received.url.query(), Some("activate=false"));
}

#[tokio::test]
async fn bodyless_post_says_content_length_zero() {
    let server = server_answering_200().await;
    let mut request = ApiRequest::new("POST", "/api/v1/users/{userId}/lifecycle/activate");
    request.path_params = vec![("userId".into(), "00u1".into())];
    send(config_for(&server), request).await;
    let received = only_request(&server).await;
    assert_eq!(received.method.as_str(), "POST");
    assert_eq!(header_values(&received, "content-length"), ["0"]);
    assert!(header_values(&received, "content-type").is_empty());
    assert!(received.body.is_empty());
}

#[tokio::test]
async fn missing_path_param_is_a_request_error_and_nothing_is_sent() {
    let server = server_answering_200().await;
    let error = Client::new(config_for(&server))
        .unwrap()
        .send(get("/api/v1/users/{userId}"))
        .await
        .unwrap_err();
    assert!(matches!(error, okta_core::Error::Request(_)), "{error:?}");
    assert!(error.to_string().contains("userId"), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn invalid_request_header_is_a_request_error_naming_it() {
    let server = server_answering_200().await;
    let mut request = get("/api/v1/users");
    request.headers = vec![("X-Bad".into(), "line\nbreak".into())];
    let error = Client::new(config_for(&server))
        .unwrap()
        .send(request)
        .await
        .unwrap_err();
    assert!(matches!(error, okta_core::Error::Request(_)), "{error:?}");
    assert!(error.to_string().contains("X-Bad"), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
