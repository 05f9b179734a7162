//! Calls the exports the way the C# side does (through the same functions and byte layouts).

use interoptopus::ffi;
use okta_ffi::{
    okta_cancel, okta_last_panic_message, okta_selftest_panic, okta_send, okta_session_close, okta_session_count,
    okta_session_open,
};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn unframe(buffer: &[u8]) -> (Value, Vec<u8>) {
    let meta_len = u32::from_le_bytes(buffer[..4].try_into().unwrap()) as usize;
    let meta = serde_json::from_slice(&buffer[4..4 + meta_len]).expect("meta is JSON");
    (meta, buffer[4 + meta_len..].to_vec())
}

fn framed(result: ffi::Result<ffi::Vec<u8>, okta_ffi::FfiError>) -> (Value, Vec<u8>) {
    match result {
        ffi::Result::Ok(buffer) => unframe(&buffer.into_vec()),
        other => panic!("the export did not return Ok: {other:?}"),
    }
}

/// Opens a session for `config` JSON: its handle, or the error meta.
fn open_session(config: &Value) -> Result<u64, Value> {
    let config = serde_json::to_vec(config).unwrap();
    let (meta, _) = framed(okta_session_open(ffi::Slice::from_slice(&config)));
    meta["session"].as_u64().ok_or(meta)
}

/// okta_send blocks, as it does for the C# caller: run it on a plain thread, outside any runtime.
async fn send_with(session: u64, request: Value, body: &[u8]) -> (Value, Vec<u8>) {
    let body = body.to_vec();
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let request = serde_json::to_vec(&request).unwrap();
        let outcome = framed(okta_send(session, ffi::Slice::from_slice(&request), ffi::Slice::from_slice(&body), next_id()));
        let _ = done.send(outcome);
    });
    result.await.expect("the sending thread finished")
}

/// `{"config", "request"}`: opens a session for the config, sends `{"request"}` with it, closes it.
async fn send(envelope: Value, body: &[u8]) -> (Value, Vec<u8>) {
    let session = match open_session(&envelope["config"]) {
        Ok(session) => session,
        Err(error) => return (error, Vec::new()),
    };
    let answer = send_with(session, json!({ "request": envelope["request"] }), body).await;
    assert!(matches!(okta_session_close(session), ffi::Result::Ok(1)));
    answer
}

#[tokio::test]
async fn send_round_trip_carries_status_headers_body_and_next_link() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users"))
        .and(header("authorization", "SSWS secret-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", format!("<{}/api/v1/users?after=abc>; rel=\"next\"", server.uri()).as_str())
                .insert_header("x-okta-request-id", "req-1")
                .set_body_raw(r#"{"id":"00u1"}"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let envelope = json!({
        "config": { "baseUrl": server.uri(), "apiToken": "secret-token" },
        "request": { "method": "POST", "path": "/api/v1/users" }
    });
    let (meta, body) = send(envelope, br#"{"profile":{}}"#).await;
    assert_eq!(meta["status"], 200);
    assert_eq!(meta["requestId"], "req-1");
    assert_eq!(meta["nextUri"], format!("{}/api/v1/users?after=abc", server.uri()));
    assert_eq!(body, br#"{"id":"00u1"}"#);
    let received = &server.received_requests().await.unwrap()[0];
    assert_eq!(received.body, br#"{"profile":{}}"#);
}

#[tokio::test]
async fn okta_errors_come_back_framed_with_their_body() {
    let server = MockServer::start().await;
    let error_body = r#"{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: nobody (User)","errorLink":"E0000007","errorId":"oae1","errorCauses":[]}"#;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(error_body, "application/json"))
        .mount(&server)
        .await;
    let envelope = json!({
        "config": { "baseUrl": server.uri(), "apiToken": "t" },
        "request": { "method": "GET", "path": "/api/v1/users/{userId}", "pathParams": [["userId", "nobody"]] }
    });
    let (meta, body) = send(envelope, b"").await;
    assert_eq!(meta["error"]["kind"], "api");
    assert_eq!(meta["error"]["api"]["status"], 404);
    assert_eq!(meta["error"]["api"]["errorCode"], "E0000007");
    assert_eq!(body, error_body.as_bytes());
}

#[tokio::test]
async fn a_malformed_envelope_or_configuration_is_an_error_not_a_crash() {
    let error = open_session(&json!(42)).unwrap_err();
    assert_eq!(error["error"]["kind"], "request");
    assert!(error["error"]["message"].as_str().unwrap().contains("malformed configuration"), "{error}");
    let session = open_session(&json!({ "baseUrl": "https://malformed.okta.com" })).unwrap();
    let (meta, _) = send_with(session, json!({ "request": 42 }), b"").await;
    assert_eq!(meta["error"]["kind"], "request");
    assert!(meta["error"]["message"].as_str().unwrap().contains("envelope"));
    let _ = okta_session_close(session);
}

#[tokio::test]
async fn a_bad_configuration_fails_at_open_naming_the_setting() {
    let error = open_session(&json!({ "baseUrl": "" })).unwrap_err();
    assert_eq!(error["error"]["kind"], "config");
    assert!(error["error"]["message"].as_str().unwrap().contains("BaseUrl"), "{error}");
}

#[tokio::test]
async fn a_closed_or_unknown_session_is_a_clear_error_and_closing_twice_is_harmless() {
    let session = open_session(&json!({ "baseUrl": "https://closed.okta.com", "apiToken": "t" })).unwrap();
    assert!(matches!(okta_session_close(session), ffi::Result::Ok(1)));
    assert!(matches!(okta_session_close(session), ffi::Result::Ok(0)), "the second close does nothing");
    let request = json!({ "request": { "method": "GET", "path": "/api/v1/users" } });
    let (meta, _) = send_with(session, request.clone(), b"").await;
    assert_eq!(meta["error"]["kind"], "request");
    let message = meta["error"]["message"].as_str().unwrap();
    assert!(message.contains(&format!("handle {session}")) && message.contains("closed"), "{message}");
    let (meta, _) = send_with(u64::MAX, request, b"").await;
    assert_eq!(meta["error"]["kind"], "request");
}

#[tokio::test]
async fn one_session_serves_many_requests_and_sessions_are_counted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "SSWS counted"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[]", "application/json"))
        .expect(3)
        .mount(&server)
        .await;
    let session = open_session(&json!({ "baseUrl": server.uri(), "apiToken": "counted" })).unwrap();
    let open = match okta_session_count() {
        ffi::Result::Ok(n) => n,
        other => panic!("{other:?}"),
    };
    assert!(open >= 1);
    for _ in 0..3 {
        let (meta, body) = send_with(session, json!({ "request": { "method": "GET", "path": "/api/v1/users" } }), b"").await;
        assert_eq!(meta["status"], 200, "{meta}");
        assert_eq!(body, b"[]");
    }
    let _ = okta_session_close(session);
}

#[test]
fn a_panic_becomes_the_panic_variant_and_its_message_is_kept() {
    let result = okta_selftest_panic();
    assert!(matches!(result, ffi::Result::Panic), "expected Panic, got {result:?}");
    let message = match okta_last_panic_message() {
        ffi::Result::Ok(bytes) => String::from_utf8(bytes.into_vec()).unwrap(),
        other => panic!("{other:?}"),
    };
    assert!(message.contains("self-test panic"), "message was {message:?}");
    // the message is taken once
    let again = match okta_last_panic_message() {
        ffi::Result::Ok(bytes) => bytes.into_vec(),
        other => panic!("{other:?}"),
    };
    assert!(again.is_empty());
}

#[tokio::test]
async fn okta_cancel_from_another_thread_ends_a_blocked_send() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(10)))
        .mount(&server)
        .await;
    let id = next_id();
    let session = open_session(&json!({ "baseUrl": server.uri(), "apiToken": "t" })).unwrap();
    let request = serde_json::to_vec(&json!({ "request": { "method": "GET", "path": "/api/v1/users" } })).unwrap();
    let sender = std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let buffer = match okta_send(session, ffi::Slice::from_slice(&request), ffi::Slice::from_slice(&[]), id) {
            ffi::Result::Ok(buffer) => buffer.into_vec(),
            other => panic!("{other:?}"),
        };
        (unframe(&buffer).0, started.elapsed())
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(matches!(okta_cancel(id), ffi::Result::Ok(0)));
    let (meta, elapsed) = sender.join().unwrap();
    assert_eq!(meta["error"]["kind"], "cancelled");
    assert!(elapsed < std::time::Duration::from_secs(2), "took {elapsed:?}");
}
