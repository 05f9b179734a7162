//! Interactive sign-in: authorization code with PKCE (RFC 7636, S256) on a loopback redirect
//! (RFC 8252 §7.3), for Native apps that allow `http://127.0.0.1/callback`-style redirects.
//!
//! [`start_interactive`] binds `127.0.0.1:<free port>` and returns the authorize URL to open;
//! [`InteractiveAuthorization::wait_for_token`] answers the browser's redirect, checks `state`,
//! and exchanges the code with the verifier. The verifier and the code never leave this module.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use super::cache::{self, TokenKey};
use super::keys::{b64, random_id};
use super::token_source::{Secret, TokenSource};
use crate::cancel::CancelSignal;
use crate::clock::{now, sleep_until};
use crate::client::Client;
use crate::error::{ApiError, Error};
use crate::runtime::runtime;

/// The path of the loopback redirect URI.
pub const CALLBACK_PATH: &str = "/callback";
/// How long the browser has to come back: long enough for a sign-in with MFA.
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);
/// A browser request larger than this is not a redirect.
const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// A started interactive sign-in: open `authorize_url`, then call
/// [`InteractiveAuthorization::wait_for_token`].
pub struct InteractiveAuthorization {
    pub authorize_url: Url,
    pub redirect_uri: String,
    listener: TcpListener,
    verifier: Secret,
    state: String,
    source: Arc<TokenSource>,
    key: TokenKey,
    timeout: Duration,
}

impl fmt::Debug for InteractiveAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InteractiveAuthorization")
            .field("authorize_url", &self.authorize_url.as_str())
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

/// RFC 7636 §4.2: `BASE64URL(SHA256(verifier))`.
pub fn code_challenge(verifier: &str) -> String {
    b64(&Sha256::digest(verifier.as_bytes()))
}

/// 32 random bytes, base64url: a 44-character verifier (RFC 7636 §4.1 asks for 43 to 128).
fn new_verifier() -> String {
    format!("{}{}", random_id(), random_id())
}

/// Binds the loopback listener and builds the authorize URL (ClientId, Scope of `config`).
pub async fn start_interactive(client: &Client) -> Result<InteractiveAuthorization, Error> {
    start_interactive_with_timeout(client, SIGN_IN_TIMEOUT).await
}

pub async fn start_interactive_with_timeout(
    client: &Client,
    timeout: Duration,
) -> Result<InteractiveAuthorization, Error> {
    let config = client.config();
    let key = super::session_key(config)?;
    let source = Arc::new(TokenSource::new(
        client.org().clone(),
        super::token_source::OAuthPolicy::of(config),
        client.base_url(),
        &key.client_id,
        &key.scopes,
        super::token_source::Grant::Session,
        config.use_dpop,
    )?);
    let listener = {
        let _inside = runtime().enter();
        TcpListener::bind(("127.0.0.1", 0)).await.map_err(|error| {
            Error::Request(format!(
                "could not listen on 127.0.0.1 for the sign-in redirect: {error}"
            ))
        })?
    };
    let port = listener
        .local_addr()
        .map_err(|error| Error::Request(format!("the loopback listener has no port: {error}")))?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}{CALLBACK_PATH}");
    let verifier = new_verifier();
    let state = random_id();
    let mut authorize_url = client
        .base_url()
        .join("/oauth2/v1/authorize")
        .map_err(|_| Error::Config("BaseUrl cannot be joined with /oauth2/v1/authorize".into()))?;
    authorize_url
        .query_pairs_mut()
        .append_pair("client_id", &key.client_id)
        .append_pair("response_type", "code")
        .append_pair("scope", &key.scopes.join(" "))
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("state", &state)
        .append_pair("code_challenge", &code_challenge(&verifier))
        .append_pair("code_challenge_method", "S256");
    Ok(InteractiveAuthorization {
        authorize_url,
        redirect_uri,
        listener,
        verifier: Secret(verifier),
        state,
        source,
        key,
        timeout,
    })
}

/// What came back on the redirect.
enum Callback {
    Code(Secret),
    /// `error` / `error_description` from the authorization server.
    Refused(String, Option<String>),
}

impl InteractiveAuthorization {
    /// How long the loopback listener waits for the browser's redirect.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Waits for the redirect (at most the sign-in timeout), then exchanges the code; the
    /// session's token source then serves every request of this configuration.
    pub async fn wait_for_token(self, cancel: &CancelSignal) -> Result<Arc<TokenSource>, Error> {
        let deadline = now() + self.timeout;
        let timeout = self.timeout;
        tokio::select! {
            outcome = self.complete() => outcome,
            () = cancel.cancelled() => Err(Error::Cancelled),
            () = sleep_until(deadline) => Err(Error::Request(format!(
                "the browser did not come back to the sign-in redirect within {} s: run Invoke-OktaEstablishAccessToken -Interactive again",
                timeout.as_secs()
            ))),
        }
    }

    async fn complete(self) -> Result<Arc<TokenSource>, Error> {
        let code = loop {
            let (stream, _) = self.listener.accept().await.map_err(|error| {
                Error::Request(format!("the sign-in redirect listener failed: {error}"))
            })?;
            match self.answer(stream).await {
                Some(Callback::Code(code)) => break code,
                Some(Callback::Refused(error, description)) => {
                    return Err(refused(&self.source.token_url, error, description));
                }
                // Not the redirect (a favicon, a stray request, a wrong state): keep waiting.
                None => continue,
            }
        };
        let form = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.0),
            ("redirect_uri", self.redirect_uri.clone()),
            ("code_verifier", self.verifier.0.clone()),
        ];
        let answer = self.source.post_token(form).await?;
        self.source.install_answer(answer).await;
        cache::insert(self.key.clone(), self.source.clone());
        Ok(self.source)
    }

    /// Reads one browser request and answers it with a short page.
    async fn answer(&self, mut stream: TcpStream) -> Option<Callback> {
        let target = read_request_target(&mut stream).await?;
        let url = Url::parse("http://127.0.0.1").ok()?.join(&target).ok()?;
        if url.path() != CALLBACK_PATH {
            respond(&mut stream, 404, "Not the sign-in redirect.").await;
            return None;
        }
        let param = |name: &str| {
            url.query_pairs()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.into_owned())
        };
        // A redirect with another state was not started by this sign-in (RFC 6749 §10.12).
        if param("state").as_deref() != Some(self.state.as_str()) {
            respond(&mut stream, 400, "This redirect does not belong to the sign-in in progress (state mismatch); it was ignored.").await;
            return None;
        }
        if let Some(error) = param("error") {
            respond(
                &mut stream,
                200,
                "The sign-in was refused. You can close this window and return to PowerShell.",
            )
            .await;
            return Some(Callback::Refused(error, param("error_description")));
        }
        let Some(code) = param("code") else {
            respond(
                &mut stream,
                400,
                "The redirect carries no authorization code.",
            )
            .await;
            return None;
        };
        respond(
            &mut stream,
            200,
            "Signed in. You can close this window and return to PowerShell.",
        )
        .await;
        Some(Callback::Code(Secret(code)))
    }

    /// [`InteractiveAuthorization::wait_for_token`] for synchronous callers (the FFI).
    pub fn wait_for_token_blocking(self, cancel: &CancelSignal) -> Result<Arc<TokenSource>, Error> {
        super::block_on("wait_for_token_blocking", self.wait_for_token(cancel))
    }
}

/// [`start_interactive`] for synchronous callers (the FFI).
pub fn start_interactive_blocking(client: &Client) -> Result<InteractiveAuthorization, Error> {
    super::block_on("start_interactive_blocking", start_interactive(client))
}

/// The authorization server's refusal, shaped as a token-endpoint error (`OAuthError`).
fn refused(token_url: &Url, error: String, description: Option<String>) -> Error {
    let mut body = serde_json::json!({ "error": error });
    if let Some(description) = &description {
        body["error_description"] = serde_json::json!(description);
    }
    let body = serde_json::to_vec(&body).unwrap_or_default();
    Error::Api(Box::new(ApiError::from_response(
        400,
        vec![("content-type".into(), "application/json".into())],
        body,
        super::token_source::host_port(token_url),
    )))
}

/// The request target of `GET <target> HTTP/1.1`, or `None` for anything else.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
        if buffer.len() > MAX_REQUEST_BYTES {
            return None;
        }
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let text = String::from_utf8_lossy(&buffer);
    let line = text.lines().next()?;
    let mut parts = line.split_whitespace();
    if parts.next()? != "GET" {
        return None;
    }
    let target = parts.next()?;
    target.starts_with('/').then(|| target.to_owned())
}

async fn respond(stream: &mut TcpStream, status: u16, message: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        _ => "Not Found",
    };
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Okta.PowerShell</title></head><body><p>{message}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_is_base64url_sha256_of_the_verifier() {
        // Computed independently (Python hashlib + base64.urlsafe_b64encode, padding removed).
        assert_eq!(
            code_challenge("dBjftJeZ4CVP-mJ0kaD4x5B1SLUn3WfmFnGG-JQrQL0"),
            "qAOO4vhDbwCyy2Q7DWHa68gVTzxypgtH15aBlzd53Qk"
        );
    }

    #[test]
    fn verifiers_are_long_enough_unreserved_and_never_repeat() {
        let one = new_verifier();
        // RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~].
        assert!((43..=128).contains(&one.len()), "{one}");
        assert!(
            one.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
        );
        assert_ne!(one, new_verifier());
    }
}
