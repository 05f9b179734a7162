//! The client itself: transport failures, timeouts, the shared pool cache, the blocking entry
//! point and configuration errors.

use std::net::TcpListener;
use std::time::{Duration, Instant};

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
    let json = error.to_json();
    let (kind, message) = transport(error);
    assert_eq!(kind, TransportKind::Connect, "{message}");
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    assert!(message.to_lowercase().contains("refused"), "{message}");
    assert!(!message.contains(TOKEN), "{message}");
    assert_eq!(json["kind"], "transport");
    assert_eq!(json["transportKind"], "Connect");
    assert!(!json.to_string().contains(TOKEN));
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
fn shared_returns_the_same_pool_for_equal_configs_only_and_is_bounded() {
    let base = Config {
        base_url: "https://shared-test.okta.com".into(),
        api_token: Some("a".into()),
        ..Config::default()
    };
    let first = Client::shared(&base).unwrap();
    let again = Client::shared(&base.clone()).unwrap();
    assert!(first.shares_pool_with(&again));

    let other_token = Config {
        api_token: Some("b".into()),
        ..base.clone()
    };
    let other = Client::shared(&other_token).unwrap();
    assert!(!first.shares_pool_with(&other));
    assert!(!first.shares_pool_with(&Client::new(base.clone()).unwrap()));
    assert_eq!(other.config(), &other_token);

    // One test for the whole cache: it is process-wide, and parallel tests would race on it.
    let config = |n: usize| Config {
        base_url: format!("https://evict-{n}.okta.com"),
        ..Config::default()
    };
    let kept = Client::shared(&config(0)).unwrap();
    let dropped = Client::shared(&config(1)).unwrap();
    for n in 2..40 {
        Client::shared(&config(n)).unwrap();
        // Keep entry 0 recently used.
        assert!(Client::shared(&config(0)).unwrap().shares_pool_with(&kept));
    }
    assert!(Client::shared(&config(0)).unwrap().shares_pool_with(&kept));
    assert!(
        !Client::shared(&config(1))
            .unwrap()
            .shares_pool_with(&dropped)
    );
}

#[test]
fn shared_rejects_bad_configs() {
    let error = Client::shared(&Config::default()).unwrap_err();
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
    assert_eq!(error.to_json()["transportKind"], "Connect");
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
