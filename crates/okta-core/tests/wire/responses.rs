//! What comes back: status, headers, body, paging links, request ids and API errors.

use crate::common::{config_for, get, only_request, send_to};
use okta_core::{ApiError, Client, Error};
use wiremock::matchers::{any, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answer(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn api_error(server: &MockServer) -> ApiError {
    let error = Client::new(config_for(server))
        .unwrap()
        .send(get("/api/v1/users/nobody"))
        .await
        .expect_err("4xx/5xx must be an error");
    match error {
        Error::Api(api) => *api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn host_port(server: &MockServer) -> String {
    server.address().to_string()
}

#[tokio::test]
async fn ok_response_status_headers_body() {
    let server = answer(
        ResponseTemplate::new(200)
            .set_body_raw(r#"[{"id":"00u1"}]"#, "application/json")
            .insert_header("X-Okta-Request-Id", "req-abc")
            .insert_header("X-Rate-Limit-Remaining", "599"),
    )
    .await;
    let response = send_to(&server, get("/api/v1/users")).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.body, br#"[{"id":"00u1"}]"#);
    assert_eq!(response.request_id.as_deref(), Some("req-abc"));
    assert_eq!(response.header("X-Rate-Limit-Remaining"), Some("599"));
    assert!(
        response
            .headers
            .iter()
            .all(|(name, _)| name == &name.to_lowercase())
    );
    assert_eq!(response.next_uri, None);
}

#[tokio::test]
async fn no_content_has_an_empty_body() {
    let server = answer(ResponseTemplate::new(204)).await;
    let mut request = get("/api/v1/users/{userId}");
    request.method = "DELETE".into();
    request.path_params = vec![("userId".into(), "00u1".into())];
    let response = send_to(&server, request).await.unwrap();
    assert_eq!(response.status, 204);
    assert!(response.body.is_empty());
    assert_eq!(only_request(&server).await.method.as_str(), "DELETE");
}

#[tokio::test]
async fn repeated_headers_are_separate_entries_in_order() {
    let server = answer(
        ResponseTemplate::new(200)
            .append_header("X-Multi", "first")
            .append_header("X-Multi", "second")
            .append_header("X-Multi", "third"),
    )
    .await;
    let response = send_to(&server, get("/x")).await.unwrap();
    let values: Vec<&str> = response
        .headers
        .iter()
        .filter(|(name, _)| name == "x-multi")
        .map(|(_, value)| value.as_str())
        .collect();
    assert_eq!(values, ["first", "second", "third"]);
}

#[tokio::test]
async fn redirects_are_returned_not_followed() {
    let server = answer(
        ResponseTemplate::new(302).insert_header("Location", "https://elsewhere.example/login"),
    )
    .await;
    let response = send_to(&server, get("/x")).await.unwrap();
    assert_eq!(response.status, 302);
    assert_eq!(
        response.header("location"),
        Some("https://elsewhere.example/login")
    );
    only_request(&server).await;
}

#[tokio::test]
async fn next_uri_from_link_headers_and_following_it() {
    let server = MockServer::start().await;
    let next = format!("{}/api/v1/users?after=00u%2B2%3D&limit=2", server.uri());
    Mock::given(path("/api/v1/users"))
        .and(query_param("after", "00u+2="))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/users"))
        .and(query_param("limit", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .append_header(
                    "Link",
                    format!("<{}/api/v1/users?limit=2>; rel=\"self\"", server.uri()),
                )
                .append_header("Link", format!("<{next}>; rel=\"next\"")),
        )
        .mount(&server)
        .await;

    let client = Client::new(config_for(&server)).unwrap();
    let mut first = get("/api/v1/users");
    first.query = vec![("limit".into(), "2".into())];
    let page = client.send(first).await.unwrap();
    assert_eq!(page.next_uri.as_deref(), Some(next.as_str()));

    let mut second = get("/ignored");
    second.uri = page.next_uri.clone();
    let last = client.send(second).await.unwrap();
    assert_eq!(last.next_uri, None);

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].url.query(), Some("after=00u%2B2%3D&limit=2"));
}

#[tokio::test]
async fn relative_next_link_is_resolved_against_the_request_url() {
    let server = answer(ResponseTemplate::new(200).insert_header(
        "Link",
        "</api/v1/groups?after=g2>; rel=\"next\", </api/v1/groups>; rel=\"self\"",
    ))
    .await;
    let response = send_to(&server, get("/api/v1/groups")).await.unwrap();
    assert_eq!(
        response.next_uri,
        Some(format!("{}/api/v1/groups?after=g2", server.uri()))
    );
}

#[tokio::test]
async fn okta_error_body_is_parsed() {
    let body = r#"{
        "errorCode": "E0000001",
        "errorSummary": "Api validation failed: login",
        "errorLink": "E0000001",
        "errorId": "oaeAbc123",
        "errorCauses": [
            {"errorSummary": "login: An object with this field already exists in the current organization"},
            {"errorSummary": "email: Does not match required pattern"}
        ]
    }"#;
    let server = answer(
        ResponseTemplate::new(400)
            .set_body_raw(body, "application/json")
            .insert_header("X-Okta-Request-Id", "req-400"),
    )
    .await;
    let error = api_error(&server).await;
    assert_eq!(error.status, 400);
    assert_eq!(error.error_code.as_deref(), Some("E0000001"));
    assert_eq!(
        error.error_summary.as_deref(),
        Some("Api validation failed: login")
    );
    assert_eq!(error.error_link.as_deref(), Some("E0000001"));
    assert_eq!(error.error_id.as_deref(), Some("oaeAbc123"));
    let causes: Vec<&str> = error
        .error_causes
        .iter()
        .map(|c| c.error_summary.as_str())
        .collect();
    assert_eq!(
        causes,
        [
            "login: An object with this field already exists in the current organization",
            "email: Does not match required pattern"
        ]
    );
    assert_eq!(error.request_id.as_deref(), Some("req-400"));
    assert_eq!(error.body, body.as_bytes());
    assert_eq!(error.oauth_error, None);
    let message = error.to_string();
    assert!(
        message.starts_with("Okta API error 400 (E0000001): Api validation failed: login"),
        "{message}"
    );
    assert!(
        message.contains("email: Does not match required pattern"),
        "{message}"
    );
}

#[tokio::test]
async fn not_found_display_matches_the_okta_style() {
    let server = answer(ResponseTemplate::new(404).set_body_raw(
        r#"{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: nobody (User)","errorLink":"E0000007","errorId":"oae1","errorCauses":[]}"#,
        "application/json",
    ))
    .await;
    let error = api_error(&server).await;
    assert_eq!(
        error.to_string(),
        "Okta API error 404 (E0000007): Not found: Resource not found: nobody (User)"
    );
}

#[tokio::test]
async fn oauth_error_body_is_parsed() {
    let server = answer(ResponseTemplate::new(400).set_body_raw(
        r#"{"error":"invalid_grant","error_description":"The authorization code is invalid or has expired."}"#,
        "application/json",
    ))
    .await;
    let error = api_error(&server).await;
    assert_eq!(error.oauth_error.as_deref(), Some("invalid_grant"));
    assert_eq!(
        error.oauth_error_description.as_deref(),
        Some("The authorization code is invalid or has expired.")
    );
    assert_eq!(error.error_code, None);
    assert_eq!(
        error.to_string(),
        "OAuth error 400 (invalid_grant): The authorization code is invalid or has expired."
    );
}

#[tokio::test]
async fn html_gateway_page_is_not_misparsed() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let server = answer(ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;
    let error = api_error(&server).await;
    assert_eq!(error.status, 502);
    assert_eq!(error.error_code, None);
    assert_eq!(error.error_summary, None);
    assert_eq!(error.oauth_error, None);
    assert_eq!(error.body, html.as_bytes());
    assert_eq!(
        error.to_string(),
        format!(
            "HTTP 502 Bad Gateway from {} (non-JSON body, text/html)",
            host_port(&server)
        )
    );
}

#[tokio::test]
async fn api_error_fields_of_a_429() {
    let server = answer(
        ResponseTemplate::new(429)
            .set_body_raw(r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}"#, "application/json")
            .insert_header("X-Okta-Request-Id", "req-429")
            .insert_header("X-Rate-Limit-Reset", "1700000000"),
    )
    .await;
    let error = send_to(&server, get("/api/v1/users")).await.unwrap_err();
    assert_eq!(error.kind_name(), "api");
    let api = error.api().unwrap();
    assert_eq!(api.error_code.as_deref(), Some("E0000047"));
    assert_eq!(api.request_id.as_deref(), Some("req-429"));
    assert!(api.headers.contains(&("x-rate-limit-reset".to_owned(), "1700000000".to_owned())));
    assert_eq!(
        error.to_string(),
        "Okta API error 429 (E0000047): API call exceeded rate limit due to too many requests."
    );
    assert_eq!(error.api().map(|api| api.status), Some(429));
}

#[tokio::test]
async fn response_fields() {
    let server = answer(
        ResponseTemplate::new(200)
            .set_body_string("secret-ish body")
            .insert_header("X-Okta-Request-Id", "req-1"),
    )
    .await;
    let response = send_to(&server, get("/x")).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.request_id.as_deref(), Some("req-1"));
    assert_eq!(response.body, b"secret-ish body");
    assert!(response.next_uri.is_none());
}
