//! Helpers: configurations, Okta-style rate-limit answers, a fake org bucket that runs on the
//! test's paused clock, and a raw TCP server for what wiremock cannot do (no `Date`, dropped
//! connections, cut bodies, counting requests in flight).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use okta_core::{ApiRequest, Attempt, AttemptObserver, Client, Config};
use tokio::time::Instant;
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

/// The server's clock when a test starts: 2026-12-01T12:00:00Z.
pub const D0: u64 = 1_796_126_400;

pub fn http_date(epoch: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(epoch))
}

/// Retries on, with their defaults.
pub fn config(base_url: &str) -> Config {
    Config {
        base_url: base_url.to_owned(),
        api_token: Some("test-token".into()),
        ..Config::default()
    }
}

pub fn client(server: &MockServer) -> Client {
    Client::new(config(&server.uri())).unwrap()
}

pub fn request(method: &str, path: &str) -> ApiRequest {
    ApiRequest::new(method, path)
}

/// An Okta 429: E0000047 with the bucket headers.
pub fn too_many(limit: u64, remaining: u64, reset: u64, date: u64) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("X-Rate-Limit-Limit", limit.to_string().as_str())
        .insert_header("X-Rate-Limit-Remaining", remaining.to_string().as_str())
        .insert_header("X-Rate-Limit-Reset", reset.to_string().as_str())
        .insert_header("Date", http_date(date).as_str())
        .set_body_raw(
            r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}"#,
            "application/json",
        )
}

pub async fn requests_received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

pub fn header_of(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
}

/// Every observer call, in order, as text.
#[derive(Default)]
pub struct Recorder(pub Mutex<Vec<String>>);

impl AttemptObserver for Recorder {
    fn pacing(&self, attempt: u32, reason: &str) {
        self.0
            .lock()
            .unwrap()
            .push(format!("pacing {attempt}: {reason}"));
    }
    fn attempted(&self, attempt: &Attempt) {
        self.0.lock().unwrap().push(format!(
            "attempt {}: {:?} {:?} wait {} ms",
            attempt.attempt, attempt.status, attempt.next, attempt.wait_ms
        ));
    }
}

/// One Okta rate-limit bucket with fixed one-minute windows, on the test's paused clock: it
/// answers 200 with `X-Rate-Limit-*` and `Date` while the window has room, and a 429 after.
#[derive(Clone)]
pub struct FakeBucket {
    inner: Arc<BucketInner>,
}

struct BucketInner {
    clock: tokio::runtime::Handle,
    started: Instant,
    limit: u64,
    /// The body of every 200.
    body: String,
    state: Mutex<BucketCounts>,
}

#[derive(Default, Debug, Clone, Copy)]
pub struct BucketCounts {
    window: u64,
    in_window: u64,
    pub served: u64,
    pub rejected: u64,
    /// The most requests any one window admitted.
    pub busiest_window: u64,
}

pub const WINDOW: u64 = 60;

impl FakeBucket {
    /// Call from the test's (paused) runtime: the bucket reads that clock.
    pub fn new(limit: u64) -> FakeBucket {
        FakeBucket::answering(limit, "{}")
    }

    /// A bucket whose 200s carry `body` (e.g. an OAuth token answer).
    pub fn answering(limit: u64, body: &str) -> FakeBucket {
        FakeBucket {
            inner: Arc::new(BucketInner {
                clock: tokio::runtime::Handle::current(),
                started: Instant::now(),
                limit,
                body: body.to_owned(),
                state: Mutex::default(),
            }),
        }
    }

    pub fn counts(&self) -> BucketCounts {
        *self.inner.state.lock().unwrap()
    }
}

impl Respond for FakeBucket {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let elapsed = {
            let _paused_clock = self.inner.clock.enter();
            Instant::now().saturating_duration_since(self.inner.started)
        };
        let window = elapsed.as_secs() / WINDOW;
        let date = D0 + elapsed.as_secs();
        let reset = D0 + (window + 1) * WINDOW;
        let mut state = self.inner.state.lock().unwrap();
        if window != state.window {
            state.window = window;
            state.in_window = 0;
        }
        let limit = self.inner.limit;
        if state.in_window >= limit {
            state.rejected += 1;
            return too_many(limit, 0, reset, date);
        }
        state.in_window += 1;
        state.served += 1;
        state.busiest_window = state.busiest_window.max(state.in_window);
        ResponseTemplate::new(200)
            .insert_header("X-Rate-Limit-Limit", limit.to_string().as_str())
            .insert_header(
                "X-Rate-Limit-Remaining",
                (limit - state.in_window).to_string().as_str(),
            )
            .insert_header("X-Rate-Limit-Reset", reset.to_string().as_str())
            .insert_header("Date", http_date(date).as_str())
            .set_body_raw(self.inner.body.as_str(), "application/json")
    }
}

/// What the raw server does with the n-th connection (0-based).
#[derive(Clone, Debug)]
pub enum RawReply {
    /// Write these bytes (a whole HTTP response) and close.
    Respond(String),
    /// Read the request, then close without a byte of answer.
    CloseAfterReading,
    /// Read the request, answer after a real-time delay (the server holds requests in flight
    /// so that a test can count them; the client's clock is not involved).
    RespondAfter(Duration, String),
    /// Write these bytes as soon as the connection opens, without reading (e.g. to a TLS hello).
    Immediately(String),
}

/// A blocking HTTP/1.1 server on 127.0.0.1, one thread per connection, `Connection: close`.
pub struct RawServer {
    pub url: String,
    pub connections: Arc<AtomicUsize>,
    pub max_in_flight: Arc<AtomicUsize>,
}

impl RawServer {
    pub fn start(reply: impl Fn(usize) -> RawReply + Send + Sync + 'static) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let reply = Arc::new(reply);
        let (count, max) = (connections.clone(), max_in_flight.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let n = count.fetch_add(1, Ordering::SeqCst);
                let (reply, in_flight, max) = (reply.clone(), in_flight.clone(), max.clone());
                std::thread::spawn(move || serve(stream, reply(n), &in_flight, &max));
            }
        });
        RawServer {
            url,
            connections,
            max_in_flight,
        }
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn serve(mut stream: TcpStream, reply: RawReply, in_flight: &AtomicUsize, max: &AtomicUsize) {
    if let RawReply::Immediately(bytes) = &reply {
        let _ = stream.write_all(bytes.as_bytes());
        return;
    }
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    // Read the head and the body its Content-Length announces.
    loop {
        let Ok(n) = stream.read(&mut buffer) else {
            return;
        };
        if n == 0 {
            return;
        }
        received.extend_from_slice(&buffer[..n]);
        if let Some(end) = find(&received, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&received[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if received.len() >= end + 4 + length {
                break;
            }
        }
    }
    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    max.fetch_max(now, Ordering::SeqCst);
    // A request stops counting as held before its answer leaves: the client can only send its
    // next request after reading this answer, so the count never lags behind the client.
    let answer = match reply {
        RawReply::Respond(bytes) => Some(bytes),
        RawReply::CloseAfterReading | RawReply::Immediately(_) => None,
        RawReply::RespondAfter(delay, bytes) => {
            std::thread::sleep(delay);
            Some(bytes)
        }
    };
    in_flight.fetch_sub(1, Ordering::SeqCst);
    if let Some(bytes) = answer {
        let _ = stream.write_all(bytes.as_bytes());
    }
    let _ = stream.flush();
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A complete HTTP/1.1 response with the given extra header lines (each ending in `\r\n`).
pub fn raw_response(status_line: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status_line}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// A port nothing listens on.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A wiremock server of this test's own. `MockServer::start` hands out pooled servers whose
/// address a previous test used, and the governor is per org (per address) for the whole
/// process: a pooled server would inherit the previous test's buckets.
pub async fn fresh_server() -> MockServer {
    MockServer::builder().start().await
}
