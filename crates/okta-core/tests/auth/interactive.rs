//! Interactive sign-in (authorization code + PKCE on a loopback redirect): the authorize URL, the state check, the
//! code exchange with the verifier, a refusal, and the sign-in timeout on tokio's paused clock.

use std::collections::HashMap;
use std::time::Duration;

use okta_core::auth::interactive::{
    code_challenge, start_interactive, start_interactive_with_timeout,
};
use okta_core::{CancelSignal, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::common::*;

fn query(url: &url::Url) -> HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

/// The browser coming back to the loopback redirect: a raw HTTP/1.1 GET (no client library in between).
async fn browser_get(url: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let url = url::Url::parse(url).unwrap();
    let mut stream = tokio::net::TcpStream::connect((url.host_str().unwrap(), url.port().unwrap()))
        .await
        .unwrap();
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    stream
        .write_all(format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test]
async fn the_code_with_the_right_state_is_exchanged_with_the_verifier() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(token("pkce-token", 3600))
        .mount(&server)
        .await;
    let config = native_app(&server, "openid okta.users.read");
    let flow = start_interactive(&crate::common::session(&config)).await.unwrap();
    let authorize = query(&flow.authorize_url);
    assert_eq!(flow.authorize_url.path(), "/oauth2/v1/authorize");
    assert_eq!(authorize["client_id"], config.client_id.clone().unwrap());
    assert_eq!(authorize["response_type"], "code");
    assert_eq!(authorize["code_challenge_method"], "S256");
    assert_eq!(authorize["redirect_uri"], flow.redirect_uri);
    let redirect = flow.redirect_uri.clone();
    let state = authorize["state"].clone();
    let waiting = tokio::spawn(async move { flow.wait_for_token(&CancelSignal::default()).await });

    let wrong = browser_get(&format!("{redirect}?code=stolen&state=other")).await;
    assert!(wrong.starts_with("HTTP/1.1 400"), "{wrong}");
    let right = browser_get(&format!("{redirect}?code=good-code&state={state}")).await;
    assert!(right.starts_with("HTTP/1.1 200"), "{right}");
    let source = waiting.await.unwrap().unwrap();
    assert!(source.has_token().await);

    let exchanges = requests_to(&server, "/oauth2/v1/token").await;
    assert_eq!(exchanges.len(), 1);
    let exchange = form(&exchanges[0]);
    assert_eq!(exchange["grant_type"], "authorization_code");
    assert_eq!(exchange["code"], "good-code");
    assert_eq!(exchange["redirect_uri"], redirect);
    assert_eq!(
        code_challenge(&exchange["code_verifier"]),
        authorize["code_challenge"]
    );
    assert!(!format!("{source:?}").contains("pkce-token"));
}

#[tokio::test]
async fn a_refusal_on_the_redirect_is_an_oauth_error() {
    let server = MockServer::start().await;
    let flow = start_interactive(&crate::common::session(&native_app(&server, "openid")))
        .await
        .unwrap();
    let state = query(&flow.authorize_url)["state"].clone();
    let redirect = flow.redirect_uri.clone();
    let waiting = tokio::spawn(async move { flow.wait_for_token(&CancelSignal::default()).await });
    browser_get(&format!(
        "{redirect}?error=access_denied&error_description=No&state={state}"
    ))
    .await;
    let Err(Error::Api(error)) = waiting.await.unwrap() else {
        panic!("expected an API error");
    };
    assert_eq!(error.oauth_error.as_deref(), Some("access_denied"));
    assert_eq!(error.oauth_error_description.as_deref(), Some("No"));
    assert!(requests_to(&server, "/oauth2/v1/token").await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_browser_that_never_comes_back_ends_the_wait_at_the_timeout() {
    let server = MockServer::start().await;
    let flow =
        start_interactive_with_timeout(&crate::common::session(&native_app(&server, "openid")), Duration::from_secs(120))
            .await
            .unwrap();
    let started = tokio::time::Instant::now();
    let Err(Error::Request(message)) = flow.wait_for_token(&CancelSignal::default()).await else {
        panic!("expected the timeout");
    };
    assert_eq!(started.elapsed(), Duration::from_secs(120));
    assert!(message.contains("120 s"), "{message}");
}
