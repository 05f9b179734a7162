//! The sign-in and token exports, called the way the C# side calls them: a device sign-in whose codes
//! are shown before the wait, an interactive sign-in answered by a "browser" on the loopback redirect,
//! cancellation, revoke (never reused) and remove, and status without secrets.

use std::collections::HashMap;

use interoptopus::ffi;
use okta_ffi::{
    okta_cancel, okta_device_start, okta_session_close, okta_session_open, okta_interactive_start, okta_send, okta_signin_abandon, okta_signin_wait,
    okta_token_remove, okta_token_revoke, okta_token_status,
};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1_000_000);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn unique_client(prefix: &str) -> String {
    format!("{prefix}-{}", next_id())
}

fn meta(result: ffi::Result<ffi::Vec<u8>, okta_ffi::FfiError>) -> Value {
    let buffer = match result {
        ffi::Result::Ok(buffer) => buffer.into_vec(),
        other => panic!("the export did not return Ok: {other:?}"),
    };
    let meta_len = u32::from_le_bytes(buffer[..4].try_into().unwrap()) as usize;
    serde_json::from_slice(&buffer[4..4 + meta_len]).expect("meta is JSON")
}

/// Opens a session for `config`, as the glue does once per configuration version.
fn session(config: &Value) -> u64 {
    let config = serde_json::to_vec(config).unwrap();
    let opened = meta(okta_session_open(ffi::Slice::from_slice(&config)));
    opened["session"].as_u64().unwrap_or_else(|| panic!("no session: {opened}"))
}

/// The exports block: call them on a plain thread outside any runtime, as PowerShell's pipeline thread does.
async fn blocking<T: Send + 'static>(call: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = done.send(call());
    });
    result.await.expect("the calling thread finished")
}

fn form(request: &Request) -> HashMap<String, String> {
    url::form_urlencoded::parse(&request.body).into_owned().collect()
}

fn token_answer(access: &str, refresh: Option<&str>) -> ResponseTemplate {
    let mut body = json!({ "token_type": "Bearer", "expires_in": 3600, "access_token": access, "scope": "okta.users.read" });
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

async fn send_get_users(config: &Value) -> Value {
    let request = serde_json::to_vec(&json!({ "request": { "method": "GET", "path": "/api/v1/users" } })).unwrap();
    let session = session(config);
    let answer = blocking(move || {
        let result = okta_send(session, ffi::Slice::from_slice(&request), ffi::Slice::from_slice(&[]), next_id());
        meta(result)
    })
    .await;
    let _ = okta_session_close(session);
    answer
}

#[tokio::test]
async fn device_sign_in_shows_codes_then_serves_requests_until_revoked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/device/authorize"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "device_code": "device-SECRET", "user_code": "ABCD-EFGH", "verification_uri": "https://org/activate",
            "verification_uri_complete": "https://org/activate?user_code=ABCD-EFGH", "expires_in": 60, "interval": 1
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(token_answer("access-SECRET", Some("refresh-SECRET")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .and(header("authorization", "Bearer access-SECRET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[]", "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/oauth2/v1/revoke")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let config = json!({ "baseUrl": server.uri(), "clientId": unique_client("0oa-device"), "scopes": ["okta.users.read offline_access"] });

    let status = blocking({
        let config = session(&config);
        move || meta(okta_token_status(config))
    })
    .await;
    assert_eq!(status, json!({ "mode": "session", "signedIn": false, "hasToken": false, "dpop": null }));

    let started = blocking({
        let config = session(&config);
        move || meta(okta_device_start(config))
    })
    .await;
    assert_eq!(started["userCode"], "ABCD-EFGH");
    assert_eq!(started["verificationUriComplete"], "https://org/activate?user_code=ABCD-EFGH");
    assert_eq!(started["interval"], 1);
    assert!(!started.to_string().contains("device-SECRET"), "{started}");
    let handle = started["handle"].as_u64().unwrap();

    let done = blocking(move || meta(okta_signin_wait(handle, next_id()))).await;
    assert_eq!(done, json!({ "signedIn": true, "dpop": false }));
    // the handle was consumed: waiting again is an error, abandoning it does nothing
    let again = blocking(move || meta(okta_signin_wait(handle, next_id()))).await;
    assert_eq!(again["error"]["kind"], "request");
    assert!(matches!(okta_signin_abandon(handle), ffi::Result::Ok(0)));

    assert_eq!(send_get_users(&config).await["status"], 200);
    let status = blocking({
        let config = session(&config);
        move || meta(okta_token_status(config))
    })
    .await;
    assert_eq!(status["hasToken"], true);
    assert!(!status.to_string().contains("SECRET"));

    let revoked = blocking({
        let config = session(&config);
        move || meta(okta_token_revoke(config))
    })
    .await;
    assert_eq!(revoked, json!({ "revoked": true }));
    let revokes: Vec<HashMap<String, String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/oauth2/v1/revoke")
        .map(form)
        .collect();
    assert_eq!(revokes.len(), 2);
    assert_eq!((revokes[0]["token"].as_str(), revokes[0]["token_type_hint"].as_str()), ("access-SECRET", "access_token"));
    assert_eq!((revokes[1]["token"].as_str(), revokes[1]["token_type_hint"].as_str()), ("refresh-SECRET", "refresh_token"));

    // never sent again: the configuration has no other credential, so nothing is sent at all
    let users_before = server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/api/v1/users").count();
    let after = send_get_users(&config).await;
    assert!(after.get("error").is_some(), "{after}");
    let users_after = server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/api/v1/users").count();
    assert_eq!(users_before, users_after);
    let nothing = blocking({
        let config = session(&config);
        move || meta(okta_token_revoke(config))
    })
    .await;
    assert_eq!(nothing, json!({ "revoked": false }));
}

#[tokio::test]
async fn okta_cancel_stops_a_device_wait_and_a_missing_client_id_is_named() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/device/authorize"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "device_code": "d", "user_code": "U", "verification_uri": "https://org/activate", "expires_in": 600, "interval": 1
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({ "error": "authorization_pending" })))
        .mount(&server)
        .await;
    let config = json!({ "baseUrl": server.uri(), "clientId": unique_client("0oa-cancel"), "scopes": ["openid"] });
    let started = blocking({
        let config = session(&config);
        move || meta(okta_device_start(config))
    })
    .await;
    let handle = started["handle"].as_u64().unwrap();
    let id = next_id();
    let waiter = std::thread::spawn(move || {
        let clock = std::time::Instant::now();
        (meta(okta_signin_wait(handle, id)), clock.elapsed())
    });
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(matches!(okta_cancel(id), ffi::Result::Ok(0)));
    let (outcome, elapsed) = waiter.join().unwrap();
    assert_eq!(outcome["error"]["kind"], "cancelled");
    assert!(elapsed < std::time::Duration::from_secs(3), "{elapsed:?}");

    let no_client = json!({ "baseUrl": server.uri(), "scopes": ["openid"] });
    let refused = blocking(move || meta(okta_device_start(session(&no_client)))).await;
    assert_eq!(refused["error"]["kind"], "config");
    assert!(refused["error"]["message"].as_str().unwrap().contains("ClientId"), "{refused}");
}

#[tokio::test]
async fn interactive_sign_in_checks_state_and_exchanges_the_code_with_the_verifier() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(token_answer("interactive-SECRET", None))
        .mount(&server)
        .await;
    let config = json!({ "baseUrl": server.uri(), "clientId": unique_client("0oa-native"), "scopes": ["openid okta.users.read"] });
    let started = blocking({
        let config = session(&config);
        move || meta(okta_interactive_start(config))
    })
    .await;
    let authorize = url::Url::parse(started["authorizeUrl"].as_str().unwrap()).unwrap();
    assert_eq!(authorize.path(), "/oauth2/v1/authorize");
    let query: HashMap<String, String> = authorize.query_pairs().into_owned().collect();
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["scope"], "okta.users.read openid");
    let redirect = started["redirectUri"].as_str().unwrap().to_owned();
    assert_eq!(query["redirect_uri"], redirect);
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"), "{redirect}");
    let handle = started["handle"].as_u64().unwrap();
    let waiter = std::thread::spawn(move || meta(okta_signin_wait(handle, next_id())));

    let browser = reqwest::Client::new();
    // a redirect with another state is refused and the wait goes on
    let forged = browser.get(format!("{redirect}?code=forged&state=not-mine")).send().await.unwrap();
    assert_eq!(forged.status(), 400);
    let favicon = browser.get(redirect.replace("/callback", "/favicon.ico")).send().await.unwrap();
    assert_eq!(favicon.status(), 404);
    let real = browser.get(format!("{redirect}?code=the-code&state={}", query["state"])).send().await.unwrap();
    assert_eq!(real.status(), 200);
    assert_eq!(waiter.join().unwrap(), json!({ "signedIn": true, "dpop": false }));

    let exchanges: Vec<HashMap<String, String>> = server.received_requests().await.unwrap().iter().map(form).collect();
    assert_eq!(exchanges.len(), 1, "the forged code was never exchanged");
    let exchange = &exchanges[0];
    assert_eq!(exchange["grant_type"], "authorization_code");
    assert_eq!(exchange["code"], "the-code");
    assert_eq!(exchange["redirect_uri"], redirect);
    use base64::Engine;
    use sha2::Digest;
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(exchange["code_verifier"].as_bytes()));
    assert_eq!(challenge, query["code_challenge"]);

    let removed = blocking({
        let config = session(&config);
        move || meta(okta_token_remove(config))
    })
    .await;
    assert_eq!(removed, json!({ "removed": true }));
}

#[tokio::test]
async fn an_interactive_refusal_is_an_oauth_error_and_abandon_closes_the_listener() {
    let server = MockServer::start().await;
    let config = json!({ "baseUrl": server.uri(), "clientId": unique_client("0oa-refused"), "scopes": ["openid"] });
    let started = blocking({
        let config = session(&config);
        move || meta(okta_interactive_start(config))
    })
    .await;
    let authorize = url::Url::parse(started["authorizeUrl"].as_str().unwrap()).unwrap();
    let state = authorize.query_pairs().find(|(k, _)| k == "state").unwrap().1.into_owned();
    let redirect = started["redirectUri"].as_str().unwrap().to_owned();
    let handle = started["handle"].as_u64().unwrap();
    let waiter = std::thread::spawn(move || meta(okta_signin_wait(handle, next_id())));
    reqwest::get(format!("{redirect}?error=access_denied&error_description=The+user+said+no&state={state}")).await.unwrap();
    let outcome = waiter.join().unwrap();
    assert_eq!(outcome["error"]["kind"], "api");
    assert_eq!(outcome["error"]["api"]["oauthError"], "access_denied");
    assert_eq!(outcome["error"]["api"]["oauthErrorDescription"], "The user said no");

    let second = blocking({
        let config = session(&config);
        move || meta(okta_interactive_start(config))
    })
    .await;
    let redirect = second["redirectUri"].as_str().unwrap().to_owned();
    assert!(matches!(okta_signin_abandon(second["handle"].as_u64().unwrap()), ffi::Result::Ok(0)));
    assert!(reqwest::get(redirect).await.is_err(), "the listener is closed once abandoned");
}
