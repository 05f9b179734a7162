//! Whether a failed request reached the server (`Error::delivery`): the classification scripts
//! and the retry policy use to tell "nothing was sent" from "a write may have been applied".
//! wiremock serves the answers it can give; a raw socket serves the broken ones it cannot.

use std::net::TcpListener;
use std::time::Duration;

use crate::common::{TEST_TOKEN, config_for, only_request};
use okta_core::{ApiRequest, Client, Config, Delivery, Error, TransportKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// One exchange each: retries are off here (a retried read would meet the closed raw server).
fn config(base_url: String) -> Config {
    Config {
        base_url,
        api_token: Some(TEST_TOKEN.into()),
        max_retries: Some(0),
        ..Config::default()
    }
}

fn post(path: &str) -> ApiRequest {
    let mut request = ApiRequest::new("POST", path);
    request.body = Some(br#"{"profile":{"login":"ada@example.com"}}"#.to_vec());
    request
}

/// A server that reads one request (head and body) and then answers `reply` raw and closes.
/// Returns its base URL and, once the exchange is over, the request text it read.
async fn raw_server(reply: &'static [u8]) -> (String, tokio::task::JoinHandle<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut received = Vec::new();
        let mut buffer = [0u8; 4096];
        // Read until the whole body has arrived (its length is known from the test's request).
        while !String::from_utf8_lossy(&received).contains("ada@example.com") {
            let read = socket.read(&mut buffer).await.unwrap();
            if read == 0 {
                break;
            }
            received.extend_from_slice(&buffer[..read]);
        }
        socket.write_all(reply).await.unwrap();
        socket.shutdown().await.ok();
        String::from_utf8_lossy(&received).into_owned()
    });
    (url, handle)
}

fn lost(error: &Error) -> &okta_core::LostAnswer {
    match error {
        Error::OutcomeUnknown(lost) => lost,
        other => panic!("expected Error::OutcomeUnknown, got {other:?}"),
    }
}

#[tokio::test]
async fn connection_dropped_after_sending_a_post_is_outcome_unknown() {
    let (url, server) = raw_server(b"").await;
    let error = Client::new(config(url))
        .unwrap()
        .send(post("/api/v1/users"))
        .await
        .unwrap_err();
    // The server did get the whole request: this is exactly the "may have been applied" case.
    assert!(server.await.unwrap().starts_with("POST /api/v1/users"));
    assert_eq!(error.delivery(), Delivery::OutcomeUnknown);
    assert!(error.was_sent());
    let lost = lost(&error);
    assert_eq!(lost.method, "POST");
    assert_eq!(lost.path, "/api/v1/users");
    assert_eq!(lost.request_id, None);
    let message = error.to_string();
    assert!(message.starts_with("POST /api/v1/users: "), "{message}");
    assert!(message.contains("may have been applied"), "{message}");
    assert!(!message.contains(TEST_TOKEN), "{message}");
    assert_eq!(error.kind_name(), "outcome_unknown");
    assert_eq!(error.delivery(), Delivery::OutcomeUnknown);
}

#[tokio::test]
async fn body_cut_off_after_the_headers_keeps_the_request_id() {
    let (url, server) = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Okta-Request-Id: req-cut-1\r\n\
          Content-Length: 100\r\n\r\n{\"id\":\"00u1\",\"sta",
    )
    .await;
    let mut request = ApiRequest::new("DELETE", "/api/v1/users/{userId}");
    request.path_params = vec![("userId".into(), "00u1".into())];
    // The body-less DELETE has no "ada@example.com" for the server to wait for: send one.
    request.body = Some(br#"{"note":"ada@example.com"}"#.to_vec());
    let error = Client::new(config(url))
        .unwrap()
        .send(request)
        .await
        .unwrap_err();
    server.await.unwrap();
    assert_eq!(error.delivery(), Delivery::OutcomeUnknown);
    assert_eq!(error.transport_kind(), Some(TransportKind::Body));
    let lost = lost(&error);
    assert_eq!(lost.method, "DELETE");
    assert_eq!(lost.path, "/api/v1/users/00u1");
    assert_eq!(lost.request_id.as_deref(), Some("req-cut-1"));
    assert!(error.to_string().contains("req-cut-1"), "{error}");
}

#[tokio::test]
async fn timeout_while_waiting_for_a_put_answer_is_outcome_unknown() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let config = Config {
        request_timeout_ms: Some(200),
        ..config_for(&server)
    };
    let mut request = ApiRequest::new("PUT", "/api/v1/users/00u1");
    request.body = Some(b"{}".to_vec());
    let error = Client::new(config)
        .unwrap()
        .send(request)
        .await
        .unwrap_err();
    only_request(&server).await;
    assert_eq!(error.delivery(), Delivery::OutcomeUnknown);
    assert_eq!(error.transport_kind(), Some(TransportKind::Timeout));
    assert_eq!(lost(&error).method, "PUT");
    assert!(
        error.to_string().contains("timed out after 200 ms"),
        "{error}"
    );
}

#[tokio::test]
async fn a_read_whose_answer_was_lost_stays_a_transport_error() {
    let (url, _server) = raw_server(b"").await;
    // A GET has no body: the server reads the head only, then closes on the next read.
    let mut request = ApiRequest::new("GET", "/api/v1/users");
    request.headers = vec![("X-Note".into(), "ada@example.com".into())];
    let error = Client::new(config(url))
        .unwrap()
        .send(request)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Transport { .. }),
        "a read is safe to repeat: {error:?}"
    );
    assert_eq!(error.delivery(), Delivery::OutcomeUnknown);
    assert_eq!(error.kind_name(), "transport");
}

#[tokio::test]
async fn connection_refused_is_not_sent_even_for_a_write() {
    let port = closed_port();
    let error = Client::new(config(format!("http://127.0.0.1:{port}")))
        .unwrap()
        .send(post("/api/v1/users"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(error.transport_kind(), Some(TransportKind::Connect));
    assert_eq!(error.delivery(), Delivery::NotSent);
    assert!(!error.was_sent());
    assert!(!error.to_string().contains("may have been applied"));
    assert_eq!(error.delivery(), Delivery::NotSent);
}

#[tokio::test]
async fn unknown_host_and_tls_failures_are_not_sent() {
    let dns = Client::new(Config {
        request_timeout_ms: Some(20_000),
        ..config("https://okta-core-delivery.invalid".into())
    })
    .unwrap()
    .send(post("/api/v1/users"))
    .await
    .unwrap_err();
    assert_eq!(dns.transport_kind(), Some(TransportKind::Dns), "{dns}");
    assert_eq!(dns.delivery(), Delivery::NotSent);

    let server = MockServer::start().await;
    let tls = Client::new(Config {
        request_timeout_ms: Some(10_000),
        ..config(format!("https://{}", server.address()))
    })
    .unwrap()
    .send(post("/api/v1/users"))
    .await
    .unwrap_err();
    assert_eq!(tls.transport_kind(), Some(TransportKind::Tls), "{tls}");
    assert_eq!(tls.delivery(), Delivery::NotSent);
}

#[tokio::test]
async fn an_unreachable_proxy_is_named_as_the_proxy_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let port = closed_port();
    let config = Config {
        proxy: Some(format!("http://admin:proxySECRET@127.0.0.1:{port}")),
        ..config_for(&server)
    };
    let error = Client::new(config)
        .unwrap()
        .send(post("/api/v1/users"))
        .await
        .unwrap_err();
    let message = error.to_string();
    assert_eq!(error.delivery(), Delivery::NotSent, "{message}");
    assert!(
        message.contains(&format!("Proxy 127.0.0.1:{port}")),
        "{message}"
    );
    assert!(message.contains("was not contacted"), "{message}");
    assert!(!message.contains("SECRET"), "{message}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_unresolvable_proxy_is_named_as_the_proxy() {
    let server = MockServer::start().await;
    let config = Config {
        proxy: Some("http://proxy.okta-core-test.invalid:3128".into()),
        request_timeout_ms: Some(20_000),
        ..config_for(&server)
    };
    let error = Client::new(config)
        .unwrap()
        .send(post("/api/v1/users"))
        .await
        .unwrap_err();
    let message = error.to_string();
    assert_eq!(error.delivery(), Delivery::NotSent, "{message}");
    assert!(
        message.contains("Proxy proxy.okta-core-test.invalid:3128"),
        "{message}"
    );
}

#[test]
fn every_error_kind_has_a_delivery() {
    assert_eq!(Error::Config("x".into()).delivery(), Delivery::NotSent);
    assert_eq!(Error::Request("x".into()).delivery(), Delivery::NotSent);
    assert_eq!(Error::Cancelled.delivery(), Delivery::OutcomeUnknown);
    for (kind, delivery) in [
        (TransportKind::Connect, Delivery::NotSent),
        (TransportKind::Dns, Delivery::NotSent),
        (TransportKind::Tls, Delivery::NotSent),
        (TransportKind::Timeout, Delivery::OutcomeUnknown),
        (TransportKind::Body, Delivery::OutcomeUnknown),
        (TransportKind::Other, Delivery::OutcomeUnknown),
    ] {
        let error = Error::Transport {
            kind,
            message: "x".into(),
        };
        assert_eq!(error.delivery(), delivery, "{kind:?}");
        assert_eq!(kind.delivery(), delivery);
    }
}

#[tokio::test]
async fn an_api_error_was_answered() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let error = Client::new(config_for(&server))
        .unwrap()
        .send(post("/api/v1/users"))
        .await
        .unwrap_err();
    assert_eq!(error.delivery(), Delivery::Answered);
    assert_eq!(error.delivery(), Delivery::Answered);
}
