//! Failures without an HTTP answer: retried when nothing was sent, or for idempotent methods;
//! never for a POST or PATCH that may have reached the server.

use std::sync::Arc;

use okta_core::{Client, Config, Next, TransportKind};

use crate::common::*;

fn client_for(url: &str, max_retries: Option<u32>) -> Client {
    Client::new(Config {
        max_retries,
        ..config(url)
    })
    .unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_sent_nothing_so_even_a_post_is_retried() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    for method in ["GET", "POST"] {
        let logged = client_for(&url, Some(2))
            .send_logged(
                request(method, "/api/v1/users"),
                Arc::new(Recorder::default()),
            )
            .await;
        assert_eq!(
            logged.result.unwrap_err().transport_kind(),
            Some(TransportKind::Connect)
        );
        assert_eq!(logged.attempts.len(), 3, "{method}");
        assert!(logged.attempts.iter().all(|a| a.failure == Some("notSent")));
        assert_eq!(logged.attempts[2].next, Next::GiveUp);
    }
}

#[tokio::test(start_paused = true)]
async fn a_connection_dropped_after_sending_is_retried_for_get_never_for_post() {
    let server = RawServer::start(|_| RawReply::CloseAfterReading);
    let get = client_for(&server.url, Some(2))
        .send_logged(
            request("GET", "/api/v1/users/u1"),
            Arc::new(Recorder::default()),
        )
        .await;
    assert!(get.result.is_err());
    assert_eq!(server.connections(), 3, "GET: 1 + 2 retries");
    assert!(
        get.attempts
            .iter()
            .all(|a| a.failure == Some("outcomeUnknown")),
        "{:?}",
        get.attempts
    );

    let server = RawServer::start(|_| RawReply::CloseAfterReading);
    for method in ["POST", "PATCH"] {
        let mut create = request(method, "/api/v1/users");
        create.body = Some(br#"{"profile":{"login":"a@example.com"}}"#.to_vec());
        let logged = client_for(&server.url, None)
            .send_logged(create, Arc::new(Recorder::default()))
            .await;
        assert!(logged.result.is_err());
        assert_eq!(logged.attempts.len(), 1, "{method}");
        assert_eq!(logged.attempts[0].next, Next::GiveUp);
        assert!(
            logged.attempts[0].reason.contains("may have been applied"),
            "{:?}",
            logged.attempts
        );
    }
    assert_eq!(
        server.connections(),
        2,
        "each write reached the server exactly once"
    );
}

#[tokio::test(start_paused = true)]
async fn a_body_cut_off_is_retried_for_get_never_for_post() {
    let cut = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"id\":";
    let server = RawServer::start(move |n| {
        if n % 2 == 0 {
            RawReply::Respond(cut.to_owned())
        } else {
            RawReply::Respond(raw_response("200 OK", "", r#"{"id":"00u1"}"#))
        }
    });
    let get = client_for(&server.url, None)
        .send(request("GET", "/api/v1/users/u1"))
        .await
        .unwrap();
    assert_eq!(get.body, br#"{"id":"00u1"}"#);
    assert_eq!(server.connections(), 2);

    let post = client_for(&server.url, None)
        .send_logged(
            request("POST", "/api/v1/users/u1"),
            Arc::new(Recorder::default()),
        )
        .await;
    assert_eq!(
        post.result.unwrap_err().transport_kind(),
        Some(TransportKind::Body)
    );
    assert_eq!(server.connections(), 3, "the POST was sent once");
    assert_eq!(post.attempts[0].status, None);
    assert_eq!(post.attempts[0].failure, Some("outcomeUnknown"));
}

#[tokio::test(start_paused = true)]
async fn tls_failures_are_settings_problems_and_not_retried() {
    let server =
        RawServer::start(|_| RawReply::Immediately(raw_response("400 Bad Request", "", "")));
    let https = server.url.replace("http://", "https://");
    let logged = client_for(&https, None)
        .send_logged(
            request("GET", "/api/v1/users"),
            Arc::new(Recorder::default()),
        )
        .await;
    assert_eq!(
        logged.result.unwrap_err().transport_kind(),
        Some(TransportKind::Tls)
    );
    assert_eq!(server.connections(), 1);
    assert_eq!(logged.attempts[0].failure, Some("notSentPermanent"));
}
