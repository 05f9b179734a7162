//! Device authorization (RFC 8628): the sign-in of an admin at a terminal.
//!
//! Two steps, so the caller can show the codes before waiting: [`start_device_authorization`]
//! returns the user code and verification URIs; [`DeviceAuthorization::wait_for_token`] polls
//! the token endpoint at the server's `interval` (+5 s on `slow_down`) until the user approves,
//! denies (`access_denied`, an [`Error::Api`] with `error`/`error_description`), the code
//! expires (`expired_token`, or the `expires_in` deadline even if the server never says so),
//! or the caller cancels.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::ACCEPT;

use super::cache::{self, TokenKey};
use super::token_source::{Secret, TokenSource, host_port};
use crate::cancel::CancelSignal;
use crate::clock::{Instant, now, sleep_until};
use crate::client::Client;
use crate::error::{ApiError, Error, TransportKind};

pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628 §3.2: the interval when the server names none.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// RFC 8628 §3.5: what `slow_down` adds to the interval.
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// A started device sign-in: show `user_code` and `verification_uri(_complete)` to the user,
/// then call [`DeviceAuthorization::wait_for_token`].
pub struct DeviceAuthorization {
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_in: Duration,
    pub interval: Duration,
    device_code: Secret,
    source: Arc<TokenSource>,
    key: TokenKey,
    deadline: Instant,
}

impl fmt::Debug for DeviceAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceAuthorization")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("verification_uri_complete", &self.verification_uri_complete)
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .field("device_code", &self.device_code)
            .finish()
    }
}

#[derive(serde::Deserialize)]
struct DeviceAnswer {
    device_code: String,
    user_code: String,
    verification_uri: String,
    verification_uri_complete: Option<String>,
    expires_in: Option<u64>,
    interval: Option<u64>,
}

/// POST `/oauth2/v1/device/authorize` with the configuration's ClientId and Scope.
pub async fn start_device_authorization(client: &Client) -> Result<DeviceAuthorization, Error> {
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
    let fields = [
        ("client_id", key.client_id.clone()),
        ("scope", key.scopes.join(" ")),
    ];
    let request = source
        .http()
        .post(source.device_url.clone())
        .header(ACCEPT, "application/json")
        .form(&fields);
    let (status, headers, body) = source.exchange(request, &source.device_url).await?;
    if status >= 400 {
        return Err(Error::Api(Box::new(ApiError::from_response(
            status,
            headers,
            body,
            host_port(&source.device_url),
        ))));
    }
    let answer: DeviceAnswer = serde_json::from_slice(&body).map_err(|_| Error::Transport {
        kind: TransportKind::Body,
        message: format!(
            "the device authorization endpoint {} answered {status} without device and user codes",
            source.device_url
        ),
    })?;
    // RFC 8628 requires expires_in; a server without it gets Okta's default of 10 minutes.
    let expires_in = Duration::from_secs(answer.expires_in.unwrap_or(600));
    Ok(DeviceAuthorization {
        user_code: answer.user_code,
        verification_uri: answer.verification_uri,
        verification_uri_complete: answer.verification_uri_complete,
        expires_in,
        interval: answer
            .interval
            .filter(|secs| *secs > 0)
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_INTERVAL),
        device_code: Secret(answer.device_code),
        source,
        key,
        deadline: now() + expires_in,
    })
}

impl DeviceAuthorization {
    /// Polls until the user approves; then the session's token source serves every request of
    /// this configuration (ClientId, Scope, BaseUrl).
    pub async fn wait_for_token(self, cancel: &CancelSignal) -> Result<Arc<TokenSource>, Error> {
        tokio::select! {
            outcome = self.poll() => outcome,
            () = cancel.cancelled() => Err(Error::Cancelled),
        }
    }

    async fn poll(self) -> Result<Arc<TokenSource>, Error> {
        let mut interval = self.interval;
        loop {
            let next_poll = now() + interval;
            // A poll at the deadline itself could only hear `expired_token`.
            if next_poll >= self.deadline {
                sleep_until(self.deadline).await;
                return Err(self.expired());
            }
            sleep_until(next_poll).await;
            let form = vec![
                ("grant_type", DEVICE_CODE_GRANT.to_owned()),
                ("device_code", self.device_code.0.clone()),
            ];
            match self.source.post_token(form).await {
                Ok(answer) => {
                    self.source.install_answer(answer).await;
                    cache::insert(self.key.clone(), self.source.clone());
                    return Ok(self.source);
                }
                Err(error) => match error.api().and_then(|api| api.oauth_error.as_deref()) {
                    Some("authorization_pending") => {}
                    Some("slow_down") => interval += SLOW_DOWN_STEP,
                    _ => return Err(error),
                },
            }
        }
    }

    fn expired(&self) -> Error {
        Error::Request(format!(
            "the device code expired after {} s before the sign-in was approved: run Invoke-OktaEstablishAccessToken again",
            self.expires_in.as_secs()
        ))
    }

    /// [`DeviceAuthorization::wait_for_token`] for synchronous callers (the FFI).
    pub fn wait_for_token_blocking(self, cancel: &CancelSignal) -> Result<Arc<TokenSource>, Error> {
        super::block_on("wait_for_token_blocking", self.wait_for_token(cancel))
    }
}

/// [`start_device_authorization`] for synchronous callers (the FFI).
pub fn start_device_authorization_blocking(client: &Client) -> Result<DeviceAuthorization, Error> {
    super::block_on("start_device_authorization_blocking", start_device_authorization(client))
}
