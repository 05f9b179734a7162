//! The client itself: transport failures, timeouts, sessions sharing an org's pool, the blocking entry
//! point and configuration errors.

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{config_for, get, only_request};
use okta_core::{Client, Config, Error, TransportKind, runtime};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "00SECRETtokenValue";

/// A loopback port with nothing listening on it.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn transport(error: Error) -> (TransportKind, String) {
    match error {
        Error::Transport { kind, message } => (kind, message),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn connection_refused_names_host_and_port_and_hides_the_token() {
    let port = closed_port();
    let config = Config {
        base_url: format!("http://127.0.0.1:{port}"),
        api_token: Some(TOKEN.into()),
        max_retries: Some(0),
        ..Config::default()
    };
    let error = Client::new(config)
        .unwrap()
        .send(get("/api/v1/users"))
        .await
        .unwrap_err();
    let (kind, message) = transport(error);
    assert_eq!(kind, TransportKind::Connect, "{message}");
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    assert!(message.to_lowercase().contains("refused"), "{message}");
    assert!(!message.contains(TOKEN), "{message}");
}

#[tokio::test]
async fn request_timeout_is_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let config = Config {
        request_timeout_ms: Some(300),
        ..config_for(&server)
    };
    let started = Instant::now();
    let error = Client::new(config)
        .unwrap()
        .send(get("/slow"))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    let (kind, message) = transport(error);
    assert_eq!(kind, TransportKind::Timeout, "{message}");
    assert!(message.contains("300 ms"), "{message}");
    assert!(message.contains(&server.address().to_string()), "{message}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    // It did reach the server: the deadline, not a connection problem, ended it.
    only_request(&server).await;
}

#[tokio::test]
async fn zero_timeout_means_no_deadline() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let config = Config {
        request_timeout_ms: Some(0),
        ..config_for(&server)
    };
    let response = Client::new(config)
        .unwrap()
        .send(get("/slow"))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
    let server = MockServer::start().await;
    let config = Config {
        base_url: format!("https://{}", server.address()),
        api_token: Some(TOKEN.into()),
        request_timeout_ms: Some(10_000),
        ..Config::default()
    };
    let error = Client::new(config)
        .unwrap()
        .send(get("/x"))
        .await
        .unwrap_err();
    let (kind, message) = transport(error);
    assert_eq!(kind, TransportKind::Tls, "{message}");
    assert!(message.contains(&server.address().to_string()), "{message}");
}

#[tokio::test]
async fn unknown_host_is_a_dns_error() {
    let config = Config {
        // .invalid never resolves (RFC 6761).
        base_url: "https://okta-core-test.invalid".into(),
        api_token: Some(TOKEN.into()),
        request_timeout_ms: Some(20_000),
        ..Config::default()
    };
    let error = Client::new(config)
        .unwrap()
        .send(get("/x"))
        .await
        .unwrap_err();
    let (kind, message) = transport(error);
    assert_eq!(kind, TransportKind::Dns, "{message}");
    assert!(message.contains("okta-core-test.invalid"), "{message}");
}

#[test]
fn sessions_of_one_org_share_the_pool_whatever_their_token_and_policy() {
    let base = Config {
        base_url: "https://shared-test.okta.com".into(),
        api_token: Some("a".into()),
        ..Config::default()
    };
    let first = Client::new(base.clone()).unwrap();
    let new_token = Client::new(Config {
        api_token: Some("b".into()),
        request_timeout_ms: Some(5_000),
        max_retries: Some(0),
        default_headers: [("X-Test".to_owned(), "1".to_owned())].into(),
        user_agent: Some("other/1".into()),
        ..base.clone()
    })
    .unwrap();
    assert!(first.shares_pool_with(&new_token));
    assert_eq!(new_token.config().api_token.as_deref(), Some("b"));
    // A trailing slash names the same org.
    let slash = Client::new(Config {
        base_url: "https://shared-test.okta.com/".into(),
        ..base.clone()
    })
    .unwrap();
    assert!(first.shares_pool_with(&slash));
}

#[test]
fn distinct_orgs_proxies_and_tls_options_get_their_own_pool() {
    let base = Config {
        base_url: "https://pool-a.okta.com".into(),
        ..Config::default()
    };
    let a = Client::new(base.clone()).unwrap();
    let other_org = Client::new(Config {
        base_url: "https://pool-b.okta.com".into(),
        ..base.clone()
    })
    .unwrap();
    let via_proxy = Client::new(Config {
        proxy: Some("http://127.0.0.1:3128".into()),
        ..base.clone()
    })
    .unwrap();
    let insecure = Client::new(Config {
        skip_certificate_check: true,
        ..base
    })
    .unwrap();
    assert!(!a.shares_pool_with(&other_org));
    assert!(!a.shares_pool_with(&via_proxy));
    assert!(!a.shares_pool_with(&insecure));
    assert!(!via_proxy.shares_pool_with(&insecure));
}

/// A keep-alive HTTP/1.1 server that answers 200 to everything and counts its connections and
/// the Authorization of each request.
async fn counting_server() -> (String, Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (count, log) = (connections.clone(), seen.clone());
    runtime().spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            count.fetch_add(1, Ordering::SeqCst);
            let log = log.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(read) = socket.read(&mut chunk).await else { return };
                    if read == 0 {
                        return;
                    }
                    buffer.extend_from_slice(&chunk[..read]);
                    while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buffer[..end]).to_string();
                        buffer.drain(..end + 4);
                        let authorization = head
                            .lines()
                            .find_map(|line| line.strip_prefix("authorization: "))
                            .unwrap_or("")
                            .to_owned();
                        log.lock().unwrap().push(authorization);
                        let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-type: application/json\r\n\r\n{}";
                        if socket.write_all(answer).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    (url, connections, seen)
}

#[tokio::test]
async fn a_token_change_reuses_the_warm_connection() {
    let (url, connections, seen) = counting_server().await;
    let session = |token: &str| {
        Client::new(Config {
            base_url: url.clone(),
            api_token: Some(token.into()),
            ..Config::default()
        })
        .unwrap()
    };
    let old = session("old");
    old.send(get("/api/v1/users/me")).await.unwrap();
    drop(old);
    let new = session("new");
    new.send(get("/api/v1/users/me")).await.unwrap();
    assert_eq!(*seen.lock().unwrap(), ["SSWS old", "SSWS new"]);
    assert_eq!(connections.load(Ordering::SeqCst), 1, "the new session opened a new connection");
}

#[test]
fn bad_configs_are_refused() {
    let error = Client::new(Config::default()).unwrap_err();
    assert!(matches!(error, Error::Config(_)));
    assert!(error.to_string().contains("BaseUrl"), "{error}");
}

#[test]
fn config_errors_name_the_setting() {
    let error = Client::new(Config {
        base_url: "myorg.okta.com".into(),
        ..Config::default()
    })
    .unwrap_err();
    assert!(matches!(error, Error::Config(_)));
    let message = error.to_string();
    assert!(
        message.contains("BaseUrl") && message.contains("myorg.okta.com"),
        "{message}"
    );

    let with_base = |config: Config| Config {
        base_url: "https://myorg.okta.com".into(),
        ..config
    };
    let cases = [
        (
            with_base(Config {
                proxy: Some("::not a proxy::".into()),
                ..Config::default()
            }),
            "Proxy",
        ),
        (
            with_base(Config {
                default_headers: [("Bad Name".to_owned(), "x".to_owned())].into(),
                ..Config::default()
            }),
            "DefaultHeaders",
        ),
        (
            with_base(Config {
                api_token: Some(format!("{TOKEN}\r\nX-Injected: 1")),
                ..Config::default()
            }),
            "ApiToken",
        ),
        (
            with_base(Config {
                user_agent: Some("bad\nagent".into()),
                ..Config::default()
            }),
            "UserAgent",
        ),
    ];
    for (config, setting) in cases {
        let error = Client::new(config).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::Config(_)), "{message}");
        assert!(message.contains(setting), "{message}");
        assert!(!message.contains(TOKEN), "{message}");
    }
}

#[test]
fn debug_output_never_shows_tokens() {
    let config = Config {
        base_url: "https://myorg.okta.com".into(),
        api_token: Some(TOKEN.into()),
        access_token: Some("eyJSECRETaccess".into()),
        ..Config::default()
    };
    let client = Client::new(config.clone()).unwrap();
    for debug in [
        format!("{config:?}"),
        format!("{client:?}"),
        format!("{config:#?}"),
    ] {
        assert!(!debug.contains("SECRET"), "{debug}");
        assert!(debug.contains("***"), "{debug}");
    }
}

#[tokio::test]
async fn send_blocking_works_from_a_plain_thread() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("hello"))
        .mount(&server)
        .await;
    let client = Client::new(config_for(&server)).unwrap();
    let (done, result) = tokio::sync::oneshot::channel();
    // The test's own runtime must keep serving the mock, so wait for the thread asynchronously.
    std::thread::spawn(move || {
        let _ = done.send(client.send_blocking(get("/from-thread")));
    });
    let response = result.await.unwrap().unwrap();
    assert_eq!(response.body, b"hello");
    assert_eq!(only_request(&server).await.url.path(), "/from-thread");
}

#[tokio::test]
async fn send_blocking_inside_a_runtime_is_an_error_not_a_panic() {
    let server = MockServer::start().await;
    let client = Client::new(config_for(&server)).unwrap();

    let error = client.send_blocking(get("/x")).unwrap_err();
    assert!(matches!(error, Error::Request(_)), "{error:?}");
    assert!(error.to_string().contains("send_blocking"), "{error}");

    // Also on the crate's own runtime, where it would otherwise deadlock or panic.
    let inside = client.clone();
    let error = runtime()
        .spawn(async move { inside.send_blocking(get("/x")) })
        .await
        .expect("no panic")
        .unwrap_err();
    assert!(matches!(error, Error::Request(_)), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn send_works_from_a_foreign_executor() {
    // No tokio context at all: the exchange still runs, on the crate's runtime.
    let port = closed_port();
    let client = Client::new(Config {
        base_url: format!("http://127.0.0.1:{port}"),
        // One retry: its backoff wait, too, must work without the caller's runtime.
        max_retries: Some(1),
        api_token: Some(TOKEN.into()),
        ..Config::default()
    })
    .unwrap();
    let error = futures_lite_block_on(client.send(get("/x"))).unwrap_err();
    assert_eq!(error.transport_kind(), Some(TransportKind::Connect));
}

#[test]
fn runtime_threads_are_named_okta_core() {
    let name = runtime()
        .block_on(runtime().spawn(async { std::thread::current().name().map(str::to_owned) }))
        .unwrap();
    assert_eq!(name.as_deref(), Some("okta-core"));
}

/// A minimal executor that is not tokio, to prove `send` does not need the caller's runtime.
fn futures_lite_block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};

    struct ThreadWaker(std::thread::Thread);
    impl Wake for ThreadWaker {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        match future.as_mut().poll(&mut context) {
            Poll::Ready(output) => return output,
            Poll::Pending => std::thread::park(),
        }
    }
}

#[test]
fn cancelling_ends_a_slow_request_quickly_and_says_so() {
    use okta_core::CancelSignal;
    use std::time::{Duration, Instant};
    let server = okta_core::runtime().block_on(async {
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(wiremock::ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
            .mount(&server)
            .await;
        server
    });
    let client = okta_core::Client::new(crate::common::config_for(&server)).unwrap();
    let cancel = CancelSignal::new();
    let canceller = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        canceller.cancel();
    });
    let started = Instant::now();
    let outcome = client.send_blocking_cancellable(crate::common::get("/api/v1/users"), &cancel);
    assert!(
        matches!(outcome, Err(okta_core::Error::Cancelled)),
        "{outcome:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    // an already-cancelled signal sends nothing
    let again = client.send_blocking_cancellable(crate::common::get("/api/v1/users"), &cancel);
    assert!(matches!(again, Err(okta_core::Error::Cancelled)));
}
