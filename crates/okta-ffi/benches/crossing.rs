//! The FFI crossing alone (issue 18, scenario 2): what one `okta_send` costs besides the network.
//!
//! - `okta_send/loopback`: the real export with an open session, to a loopback server that answers
//!   every request with the same canned user (keep-alive): crossing + HTTP on 127.0.0.1, no Okta.
//! - `okta_send/refused_before_http`: the real export, with a request the core refuses before any
//!   I/O (a path parameter is missing): panic guard, cancel registration, envelope parse, session
//!   lookup, the runtime hop and error framing; no HTTP.
//! - `crossing/parse_lookup_frame`: envelope parse + session lookup + framing of a canned answer,
//!   the part of the crossing that does not depend on the request's outcome.
//! - `session/open_close`: what a configuration change costs (parse, validate, join the org).
//!
//! Run: `cargo bench -p okta-ffi --bench crossing`.

use std::hint::black_box;
use std::io::{Read, Write};
use std::net::TcpListener;

use criterion::{Criterion, criterion_group, criterion_main};
use interoptopus::ffi;
use okta_ffi::{okta_send, okta_session_close, okta_session_open};

const USER: &str = r#"{"id":"00ub0oNGTSWTBKOLGLNR","status":"ACTIVE","created":"2013-06-24T16:39:18.000Z","activated":"2013-06-24T16:39:19.000Z","statusChanged":"2013-06-24T16:39:19.000Z","lastLogin":"2013-06-24T17:39:19.000Z","lastUpdated":"2013-07-02T21:36:25.344Z","passwordChanged":"2013-07-02T21:36:25.344Z","profile":{"firstName":"Isaac","lastName":"Brock","email":"isaac.brock@example.com","login":"isaac.brock@example.com","mobilePhone":"555-415-1337"},"credentials":{"password":{},"recovery_question":{"question":"Who's a major player in the cowboy scene?"},"provider":{"type":"OKTA","name":"OKTA"}},"_links":{"self":{"href":"https://example.okta.com/api/v1/users/00ub0oNGTSWTBKOLGLNR"}}}"#;

/// A keep-alive HTTP/1.1 server on 127.0.0.1 answering every request with [`USER`], one thread per
/// connection. Lives as long as the bench process.
fn canned_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-okta-request-id: bench\r\ncontent-length: {}\r\n\r\n{USER}",
        USER.len()
    )
    .into_bytes();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut pending = Vec::new();
                let mut chunk = [0u8; 8192];
                loop {
                    let Ok(read) = stream.read(&mut chunk) else { return };
                    if read == 0 {
                        return;
                    }
                    pending.extend_from_slice(&chunk[..read]);
                    // GET requests without a body: each blank line ends one request
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if stream.write_all(&answer).is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    url
}

fn open_session(base_url: &str) -> u64 {
    let config = format!(r#"{{"baseUrl":"{base_url}","apiToken":"bench-token","userAgent":"bench"}}"#);
    let ffi::Result::Ok(buffer) = okta_session_open(ffi::Slice::from_slice(config.as_bytes())) else {
        panic!("okta_session_open failed")
    };
    let buffer = buffer.into_vec();
    let meta_len = u32::from_le_bytes(buffer[..4].try_into().unwrap()) as usize;
    let meta: serde_json::Value = serde_json::from_slice(&buffer[4..4 + meta_len]).unwrap();
    meta["session"].as_u64().unwrap_or_else(|| panic!("no session: {meta}"))
}

fn send(session: u64, request: &[u8], id: u64) -> usize {
    match okta_send(session, ffi::Slice::from_slice(request), ffi::Slice::from_slice(&[]), id) {
        ffi::Result::Ok(buffer) => buffer.into_vec().len(), // freed here, as the glue's Dispose does
        _ => panic!("okta_send failed"),
    }
}

fn benches(c: &mut Criterion) {
    let url = canned_server();
    let session = open_session(&url);
    let get_user = br#"{"request":{"method":"GET","path":"/api/v1/users/{userId}","pathParams":[["userId","isaac.brock@example.com"]],"query":[],"headers":[]}}"#;
    let missing_param = br#"{"request":{"method":"GET","path":"/api/v1/users/{userId}","pathParams":[],"query":[],"headers":[]}}"#;
    let mut id = 0u64;

    // the first answer proves the server and the session work
    assert!(send(session, get_user, u64::MAX) > USER.len());

    let mut group = c.benchmark_group("okta_send");
    group.bench_function("loopback", |b| {
        b.iter(|| {
            id += 1;
            black_box(send(session, black_box(get_user), id))
        })
    });
    group.bench_function("refused_before_http", |b| {
        b.iter(|| {
            id += 1;
            black_box(send(session, black_box(missing_param), id))
        })
    });
    group.finish();

    c.bench_function("crossing/parse_lookup_frame", |b| {
        b.iter(|| black_box(okta_ffi::bench_support::parse_lookup_frame(session, black_box(get_user), USER.as_bytes())))
    });

    c.bench_function("session/open_close", |b| {
        b.iter(|| {
            let opened = open_session(black_box(&url));
            let _ = okta_session_close(opened);
        })
    });
    let _ = okta_session_close(session);
}

criterion_group!(crossing, benches);
criterion_main!(crossing);
