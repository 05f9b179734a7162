//! The HTTP server and the request pipeline.
//!
//! Per request, in this order: request id → admin endpoints (`/__sim/...`, no auth, no faults) → route lookup
//! (facts table) → injected faults (latency, dropped connection) → concurrency limit → rate limit (and injected
//! 429 / 5xx) → unknown path / wrong method → authentication and scopes → the resource handler → response headers
//! (`Date`, `X-Okta-Request-Id`, `X-Rate-Limit-*`, `Content-Type`) → injected body faults (truncated, slow).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::SimOptions;
use crate::errors::ApiError;
use crate::faults::Faults;
use crate::oauth::OAuthState;
use crate::ratelimit::{RateDecision, RateLimiter};
use crate::reply::{Reply, ReplyBody};
use crate::resources::{self, Ctx};
use crate::routes::{RouteMatch, RouteTable};
use crate::store::Store;

pub type Body = BoxBody<Bytes, std::io::Error>;

/// Shared by every request.
pub struct AppState {
    pub store: Arc<Store>,
    pub base_url: String,
    pub token: String,
    pub opts: SimOptions,
    pub limiter: RateLimiter,
    pub faults: Faults,
    pub oauth: OAuthState,
    /// Outbound HTTP (event hook verification).
    pub http: reqwest::Client,
    pub inflight: AtomicUsize,
    pub requests: AtomicU64,
    /// The last API request received (method, path, query), for tests asking what a client sent.
    pub last_request: std::sync::Mutex<Option<serde_json::Value>>,
}

/// Starts simulators.
pub struct Simulator;

/// A running simulator. Dropping it stops the server (and saves the state); prefer [`SimHandle::shutdown`].
pub struct SimHandle {
    url: String,
    token: String,
    addr: SocketAddr,
    ca_pem: Option<String>,
    ca_path: Option<PathBuf>,
    state: Arc<AppState>,
    shutdown_tx: watch::Sender<bool>,
    join: Option<tokio::task::JoinHandle<()>>,
}

impl SimHandle {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The SSWS API token.
    pub fn token(&self) -> &str {
        &self.token
    }
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// In HTTPS mode: the generated CA certificate (PEM) that signs the server certificate.
    pub fn ca_cert_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }
    /// In HTTPS mode: where the CA certificate PEM was written.
    pub fn ca_cert_path(&self) -> Option<&std::path::Path> {
        self.ca_path.as_deref()
    }
    /// The first line the CLI prints: `{"url":…,"token":…}` (plus `caCertFile` in HTTPS mode).
    pub fn announcement(&self) -> String {
        let mut v = serde_json::json!({"url": self.url, "token": self.token});
        if let Some(p) = &self.ca_path {
            v["caCertFile"] = Value::String(p.display().to_string());
        }
        v.to_string()
    }
    /// Saves the state file now (if there is one and it changed).
    pub fn save(&self) -> std::io::Result<()> {
        self.state.store.save_if_dirty()
    }
    /// Stops accepting, lets in-flight requests finish (up to 2 s), saves the state.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown_tx.send(true);
        if let Some(j) = self.join.take() {
            let _ = j.await;
        }
        if let Err(e) = self.state.store.save_if_dirty() {
            eprintln!("okta-sim: saving state failed: {e}");
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.shutdown_tx.send(true);
        let _ = self.state.store.save_if_dirty();
    }
}

impl Simulator {
    pub async fn start(opts: SimOptions) -> Result<SimHandle, String> {
        let (store, loaded) = Store::open(opts.state_file.clone())?;
        store.write(|org| {
            if let Some(seed) = opts.seed {
                org.seed_rng(seed);
            }
            crate::seed::init_org(org);
            if !loaded && opts.seed_users > 0 {
                crate::seed::seed_demo(org, opts.seed_users);
            }
        });
        let store = Arc::new(store);
        let listener = TcpListener::bind(("127.0.0.1", opts.port))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", opts.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let tls = if opts.https {
            Some(crate::tls::setup(opts.tls_dir.clone())?)
        } else {
            None
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://127.0.0.1:{}", addr.port());
        let token = opts.token.clone().unwrap_or_else(|| {
            let mut r = rand::rng();
            format!("00{}", crate::util::random_alnum(&mut r, 40))
        });
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| e.to_string())?;
        let state = Arc::new(AppState {
            store: store.clone(),
            base_url: url.clone(),
            token: token.clone(),
            limiter: RateLimiter::new(opts.rate_limits.clone()),
            faults: Faults::new(opts.faults.clone()),
            oauth: OAuthState::new(&opts),
            http,
            inflight: AtomicUsize::new(0),
            requests: AtomicU64::new(0),
            last_request: std::sync::Mutex::new(None),
            opts,
        });
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let saver = tokio::spawn(store.clone().run_saver());
        let (ca_pem, ca_path, acceptor) = match tls {
            Some(t) => (Some(t.ca_pem), Some(t.ca_path), Some(t.acceptor)),
            None => (None, None, None),
        };
        let join = tokio::spawn(accept_loop(
            listener,
            state.clone(),
            acceptor,
            shutdown_rx,
            saver,
        ));
        Ok(SimHandle {
            url,
            token,
            addr,
            ca_pem,
            ca_path,
            state,
            shutdown_tx,
            join: Some(join),
        })
    }
}

async fn accept_loop(
    listener: TcpListener,
    state: Arc<AppState>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
    saver: tokio::task::JoinHandle<()>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let st = state.clone();
                let watcher = graceful.watcher();
                let tls = tls.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req| handle(st.clone(), req));
                    let mut builder = hyper::server::conn::http1::Builder::new();
                    builder.timer(TokioTimer::new()).keep_alive(true);
                    match tls {
                        Some(acc) => {
                            let Ok(Ok(s)) = tokio::time::timeout(Duration::from_secs(10), acc.accept(stream)).await else { return };
                            let _ = watcher.watch(builder.serve_connection(TokioIo::new(s), svc)).await;
                        }
                        None => {
                            let _ = watcher.watch(builder.serve_connection(TokioIo::new(stream), svc)).await;
                        }
                    }
                });
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(2), graceful.shutdown()).await;
    saver.abort();
}

fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into())
        .map_err(|never: Infallible| match never {})
        .boxed()
}

fn request_id() -> String {
    let mut r = rand::rng();
    crate::util::random_alnum(&mut r, 27)
}

fn error_id() -> String {
    let mut r = rand::rng();
    format!("oae{}", crate::util::random_alnum(&mut r, 22))
}

/// Decrements the in-flight count when a request ends.
struct InflightGuard<'a>(&'a AtomicUsize);
impl Drop for InflightGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

const MAX_BODY: usize = 16 * 1024 * 1024;

/// Keeps method, path and the decoded query pairs of the last API request (`GET /__sim/requests/last`).
fn record_last_request(state: &AppState, method: &str, path: &str, query: Option<&str>) {
    let pairs: Vec<[String; 2]> = query
        .map(|q| url::form_urlencoded::parse(q.as_bytes()).map(|(k, v)| [k.into_owned(), v.into_owned()]).collect())
        .unwrap_or_default();
    let entry = serde_json::json!({ "method": method, "path": path, "query": pairs });
    *state.last_request.lock().unwrap_or_else(|p| p.into_inner()) = Some(entry);
}

async fn handle(
    state: Arc<AppState>,
    req: Request<Incoming>,
) -> Result<Response<Body>, std::io::Error> {
    let rid = request_id();
    state.requests.fetch_add(1, Ordering::Relaxed);
    let (parts, incoming) = req.into_parts();
    let path = parts.uri.path().to_string();
    let raw_query = parts.uri.query().map(str::to_string);

    if path == "/__sim" || path.starts_with("/__sim/") {
        let body = match read_body(incoming).await {
            Ok(b) => b,
            Err(e) => return Ok(finish(&rid, Err(e), None, false)),
        };
        let r = crate::admin::handle(&state, &parts.method, &path, raw_query.as_deref(), &body);
        return Ok(finish(&rid, r, None, false));
    }

    record_last_request(&state, parts.method.as_str(), &path, raw_query.as_deref());

    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let seg_refs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let found = RouteTable::global().find(parts.method.as_str(), &seg_refs);

    // In flight from here (a slow answer counts against the concurrency limit).
    let n = state.inflight.fetch_add(1, Ordering::SeqCst) + 1;
    let _guard = InflightGuard(&state.inflight);

    // Faults, part 1: latency and dropped connections.
    let fault = state.faults.decide(&path);
    if !fault.latency.is_zero() {
        crate::faults::precise_delay(fault.latency).await;
    }
    if fault.drop {
        return Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "okta-sim: injected dropped connection",
        ));
    }

    // Concurrency limit.
    let family = crate::ratelimit::family(&seg_refs);
    let rate = state.limiter.check(&family, parts.method.as_str());
    if n > state.limiter.concurrency() {
        return Ok(finish(
            &rid,
            Err(ApiError::rate_limited()),
            Some(&rate),
            false,
        ));
    }
    if !rate.allowed || fault.throttle {
        return Ok(finish(
            &rid,
            Err(ApiError::rate_limited()),
            Some(&rate),
            false,
        ));
    }
    if let Some(status) = fault.error {
        return Ok(finish(
            &rid,
            Err(ApiError::internal(status)),
            Some(&rate),
            false,
        ));
    }

    let operation = match &found {
        RouteMatch::Found(r) => Some(r.operation_id.as_str()),
        _ => None,
    };
    let result = match found {
        RouteMatch::NotFound => Err(ApiError::unknown_path(&path)),
        RouteMatch::MethodNotAllowed => Err(ApiError::method_not_allowed()),
        RouteMatch::Found(route) => {
            let full_url = crate::oauth::called_url(&state.base_url, &parts.headers, &path);
            match crate::auth::authenticate(
                &state,
                route,
                parts.method.as_str(),
                &full_url,
                &path,
                &parts.headers,
            ) {
                Err(e) => Err(e),
                Ok(actor) => match read_body(incoming).await {
                    Err(e) => Err(e),
                    Ok(body) => {
                        let ctx = Ctx {
                            state: state.clone(),
                            method: parts.method.clone(),
                            path: path.clone(),
                            query: crate::util::Query::parse(raw_query.as_deref()),
                            raw_query: raw_query.clone(),
                            headers: parts.headers.clone(),
                            body,
                            route,
                            actor,
                            request_id: rid.clone(),
                        };
                        let r = resources::dispatch(&ctx, &segs).await;
                        let pending = state
                            .store
                            .read_mut_quiet(|o| std::mem::take(&mut o.hook_outbox));
                        if !pending.is_empty() {
                            crate::resources::hooks::deliver(&state, pending);
                        }
                        r
                    }
                },
            }
        }
    };
    let mut resp = finish(&rid, result, Some(&rate), fault.truncate);
    if let Some(op) = operation.and_then(|o| HeaderValue::from_str(o).ok()) {
        // Which operation of the facts answered (not an Okta header; handy when debugging clients).
        resp.headers_mut().insert("x-okta-sim-operation", op);
    }
    if let Some((delay, chunks)) = fault.slow {
        resp = slow_body(resp, delay, chunks).await;
    }
    Ok(resp)
}

async fn read_body(incoming: Incoming) -> Result<Bytes, ApiError> {
    let limited = http_body_util::Limited::new(incoming, MAX_BODY);
    match limited.collect().await {
        Ok(c) => Ok(c.to_bytes()),
        Err(_) => Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "E0000001",
            "Api validation failed: request body too large",
        )),
    }
}

/// Turns a handler's answer into a response with the headers every answer has.
fn finish(
    rid: &str,
    result: Result<Reply, ApiError>,
    rate: Option<&RateDecision>,
    truncate: bool,
) -> Response<Body> {
    let reply = match result {
        Ok(r) => r,
        Err(e) => {
            let mut r = Reply::json_status(e.status.as_u16(), e.body(&error_id()));
            r.headers.extend(e.headers.iter().cloned());
            r
        }
    };
    let mut b = Response::builder().status(reply.status);
    let h = b.headers_mut().expect("builder");
    h.insert(
        http::header::DATE,
        HeaderValue::from_str(&httpdate::fmt_http_date(std::time::SystemTime::now()))
            .expect("date"),
    );
    h.insert(
        "x-okta-request-id",
        HeaderValue::from_str(rid).expect("ascii"),
    );
    if let Some(r) = rate {
        h.insert("x-rate-limit-limit", HeaderValue::from(r.limit));
        h.insert("x-rate-limit-remaining", HeaderValue::from(r.remaining));
        h.insert("x-rate-limit-reset", HeaderValue::from(r.reset_epoch));
    }
    for (k, v) in &reply.headers {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.append(*k, v);
        }
    }
    let bytes: Bytes = match reply.body {
        body @ (ReplyBody::Json(_) | ReplyBody::JsonBytes(_)) => {
            h.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            let mut b = match body {
                ReplyBody::JsonBytes(b) => b,
                ReplyBody::Json(v) => serde_json::to_vec(&v).expect("json"),
                _ => unreachable!("matched above"),
            };
            if truncate && b.len() > 1 {
                b.truncate(b.len() / 2);
            }
            Bytes::from(b)
        }
        ReplyBody::Text(t, ct) => {
            h.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(ct));
            Bytes::from(t)
        }
        ReplyBody::Empty if reply.status == StatusCode::NO_CONTENT => Bytes::new(),
        ReplyBody::Empty => {
            // "No content" with a 200/202 (lifecycle calls): an empty JSON object, which SDKs that parse every
            // application/json body (the Python SDK does) accept.
            h.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            Bytes::from_static(b"{}")
        }
    };
    b.body(full(bytes)).expect("response")
}

/// Re-sends a response's body in `chunks` pieces with `delay` between them.
async fn slow_body(resp: Response<Body>, delay: Duration, chunks: u32) -> Response<Body> {
    let (mut parts, body) = resp.into_parts();
    let bytes = match body.collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => Bytes::new(),
    };
    parts
        .headers
        .insert(http::header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let n = chunks.max(1) as usize;
    let size = bytes.len().div_ceil(n).max(1);
    let pieces: Vec<Bytes> = (0..bytes.len())
        .step_by(size)
        .map(|i| bytes.slice(i..(i + size).min(bytes.len())))
        .collect();
    let stream = futures_util::stream::unfold(
        (pieces.into_iter(), true),
        move |(mut it, first)| async move {
            let piece = it.next()?;
            if !first {
                tokio::time::sleep(delay).await;
            }
            Some((Ok::<_, std::io::Error>(Frame::data(piece)), (it, false)))
        },
    );
    Response::from_parts(parts, BodyExt::boxed(StreamBody::new(stream)))
}
