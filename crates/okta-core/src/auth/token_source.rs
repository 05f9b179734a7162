//! A token source: holds one OAuth access token (and refresh token), renews it shortly before it
//! expires and once after a 401, and builds the `Authorization` (and `DPoP`) header of each
//! request. One source per configuration (see `cache`), so tokens are fetched once, not per call.
//!
//! Its requests (token, revoke, device authorization) go over the org's pool and through the org's
//! governor like API calls: the `/oauth2` bucket paces them and learns from their `X-Rate-Limit-*`
//! headers, and the concurrency cap counts them.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::ACCEPT;
use url::Url;

use super::assertion::{CLIENT_ASSERTION_TYPE, client_assertion};
use super::dpop::{DpopKey, NonceFor};
use super::keys::SigningKey;
use crate::clock::{Instant, now};
use crate::error::{ApiError, Error, TransportKind, header_value};
use crate::governor::{Pacing, bucket::BucketKey, inside_admitted};
use crate::org::Org;
use crate::rate_limit_headers::RateLimitHeaders;
use crate::runtime::runtime;

/// Renew this long before expiry at most; a short-lived token is renewed at 80 % of its life.
const RENEW_MARGIN: Duration = Duration::from_secs(60);
/// Okta's default when a token answer has no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// A credential: shown as `***` by Debug.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How a source gets a new access token when it has no refresh token.
pub(crate) enum Grant {
    /// A service app: client credentials, authenticated by a private_key_jwt assertion.
    ClientCredentials {
        key: Arc<SigningKey>,
        key_id: Option<String>,
    },
    /// A signed-in user (device flow): only the refresh token can renew it.
    Session,
}

/// The policy a source's own requests follow, from the configuration that created it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OAuthPolicy {
    pub(crate) pacing: Pacing,
    /// Deadline of each OAuth request (admission included); `None`: none.
    pub(crate) timeout: Option<Duration>,
}

impl OAuthPolicy {
    pub(crate) fn of(config: &crate::config::Config) -> OAuthPolicy {
        OAuthPolicy {
            pacing: Pacing::of(config),
            timeout: config.timeout(),
        }
    }
}

pub struct TokenSource {
    org: Arc<Org>,
    policy: OAuthPolicy,
    pub(crate) token_url: Url,
    revoke_url: Url,
    pub(crate) device_url: Url,
    pub(crate) client_id: String,
    pub(crate) scopes: Vec<String>,
    grant: Grant,
    /// Created on first need (configured, or the server asked), then kept: a DPoP-bound refresh
    /// token only works with the key it was bound to.
    dpop: Mutex<Option<Arc<DpopKey>>>,
    /// An async lock: concurrent requests wait for one renewal instead of each fetching a token.
    state: tokio::sync::Mutex<TokenState>,
}

#[derive(Default)]
struct TokenState {
    access: Option<AccessToken>,
    refresh_token: Option<Secret>,
    revoked: bool,
}

struct AccessToken {
    value: Secret,
    dpop_bound: bool,
    renew_at: Instant,
}

/// The headers that authenticate one request.
pub struct Authorization {
    pub(crate) authorization: String,
    pub(crate) dpop: Option<String>,
    token: Secret,
}

impl Authorization {
    /// `Bearer` or `DPoP`, never the token itself.
    pub fn scheme(&self) -> &str {
        self.authorization.split(' ').next().unwrap_or("")
    }
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("scheme", &self.scheme())
            .field("dpop", &self.dpop.is_some())
            .finish()
    }
}

/// A token endpoint answer; no Debug, it holds tokens.
#[derive(serde::Deserialize)]
pub(crate) struct TokenResponse {
    access_token: String,
    token_type: Option<String>,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
}

/// An OAuth endpoint's answer: status, headers (lower-case names), body.
pub(crate) type Exchanged = (u16, Vec<(String, String)>, Vec<u8>);

/// Which token `revoke` sends (RFC 7009 `token_type_hint`).
#[derive(Clone, Copy)]
enum TokenKind {
    Access,
    Refresh,
}

impl TokenSource {
    pub(crate) fn new(
        org: Arc<Org>,
        policy: OAuthPolicy,
        org_url: &Url,
        client_id: &str,
        scopes: &[String],
        grant: Grant,
        use_dpop: bool,
    ) -> Result<TokenSource, Error> {
        let endpoint = |path: &str| {
            org_url
                .join(path)
                .map_err(|_| Error::Config(format!("BaseUrl cannot be joined with {path}")))
        };
        Ok(TokenSource {
            org,
            policy,
            token_url: endpoint("/oauth2/v1/token")?,
            revoke_url: endpoint("/oauth2/v1/revoke")?,
            device_url: endpoint("/oauth2/v1/device/authorize")?,
            client_id: client_id.to_owned(),
            scopes: scopes.to_vec(),
            grant,
            dpop: Mutex::new(use_dpop.then(|| Arc::new(DpopKey::generate()))),
            state: tokio::sync::Mutex::new(TokenState::default()),
        })
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        self.org.http()
    }

    fn dpop_key(&self) -> Option<Arc<DpopKey>> {
        self.dpop.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn enable_dpop(&self) -> Arc<DpopKey> {
        self.dpop
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert_with(|| Arc::new(DpopKey::generate()))
            .clone()
    }

    /// Thumbprint of the DPoP key, if DPoP is in use (what the server binds tokens to).
    pub fn dpop_thumbprint(&self) -> Option<String> {
        self.dpop_key().map(|key| key.thumbprint())
    }

    /// Whether the source holds a usable (not revoked) access token right now.
    pub async fn has_token(&self) -> bool {
        let state = self.state.lock().await;
        !state.revoked && state.access.is_some()
    }

    /// The headers for one request to `url`, renewing the token first when it is (nearly) expired.
    pub async fn authorize(&self, method: &str, url: &Url) -> Result<Authorization, Error> {
        let mut state = self.state.lock().await;
        if state.revoked {
            return Err(Error::Config(
                "the access token was revoked or removed: sign in again (Invoke-OktaEstablishAccessToken)"
                    .into(),
            ));
        }
        if state
            .access
            .as_ref()
            .is_none_or(|token| now() >= token.renew_at)
        {
            self.renew(&mut state).await?;
        }
        let Some(token) = state.access.as_ref() else {
            return Err(Error::Config("no access token is available".into()));
        };
        let dpop_key = self.dpop_key().filter(|_| token.dpop_bound);
        Ok(match dpop_key {
            Some(key) => Authorization {
                authorization: format!("DPoP {}", token.value.0),
                dpop: Some(key.proof(method, url, NonceFor::Api, Some(&token.value.0))),
                token: token.value.clone(),
            },
            None => Authorization {
                authorization: format!("Bearer {}", token.value.0),
                dpop: None,
                token: token.value.clone(),
            },
        })
    }

    /// After a 401 to a request sent with `used`: whether sending it once more may succeed.
    /// A DPoP nonce challenge stores the nonce; otherwise the token is dropped so the next
    /// `authorize` renews it.
    pub async fn on_unauthorized(
        &self,
        used: &Authorization,
        headers: &[(String, String)],
    ) -> bool {
        let challenge = header_value(headers, "www-authenticate").unwrap_or("");
        if challenge.contains("use_dpop_nonce") {
            if let (Some(key), Some(nonce)) = (self.dpop_key(), header_value(headers, "dpop-nonce"))
            {
                key.set_nonce(NonceFor::Api, nonce);
                return true;
            }
            return false;
        }
        let mut state = self.state.lock().await;
        let can_renew =
            state.refresh_token.is_some() || matches!(self.grant, Grant::ClientCredentials { .. });
        if state.revoked || !can_renew {
            return false;
        }
        if state
            .access
            .as_ref()
            .is_some_and(|token| token.value == used.token)
        {
            state.access = None;
        }
        true
    }

    async fn renew(&self, state: &mut TokenState) -> Result<(), Error> {
        if let Some(refresh) = state.refresh_token.clone() {
            let form = vec![
                ("grant_type", "refresh_token".to_owned()),
                ("refresh_token", refresh.0),
                ("scope", self.scopes.join(" ")),
            ];
            match self.post_token(form).await {
                Ok(answer) => {
                    self.install(state, answer);
                    return Ok(());
                }
                // A service app can always start over; a user must sign in again.
                Err(_) if matches!(self.grant, Grant::ClientCredentials { .. }) => {
                    state.refresh_token = None;
                }
                Err(error) => return Err(error),
            }
        }
        match self.grant {
            Grant::ClientCredentials { .. } => {
                let form = vec![
                    ("grant_type", "client_credentials".to_owned()),
                    ("scope", self.scopes.join(" ")),
                ];
                let answer = self.post_token(form).await?;
                self.install(state, answer);
                Ok(())
            }
            Grant::Session => Err(Error::Config(if state.access.is_some() {
                "the access token expired and there is no refresh token (add offline_access to Scope): sign in again (Invoke-OktaEstablishAccessToken)".into()
            } else {
                "not signed in: run Invoke-OktaEstablishAccessToken first".into()
            })),
        }
    }

    fn install(&self, state: &mut TokenState, answer: TokenResponse) {
        let lifetime = answer
            .expires_in
            .filter(|secs| *secs > 0)
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_LIFETIME);
        state.access = Some(AccessToken {
            value: Secret(answer.access_token),
            dpop_bound: answer
                .token_type
                .is_some_and(|kind| kind.eq_ignore_ascii_case("DPoP")),
            renew_at: now() + renew_after(lifetime),
        });
        if let Some(refresh) = answer.refresh_token {
            state.refresh_token = Some(Secret(refresh));
        }
        state.revoked = false;
    }

    /// Installs a token answer from the device flow.
    pub(crate) async fn install_answer(&self, answer: TokenResponse) {
        let mut state = self.state.lock().await;
        self.install(&mut state, answer);
    }

    /// The client's own form fields: client_id, and the assertion for a service app.
    fn client_authentication(&self, form: &mut Vec<(&'static str, String)>) {
        form.push(("client_id", self.client_id.clone()));
        if let Grant::ClientCredentials { key, key_id } = &self.grant {
            form.push(("client_assertion_type", CLIENT_ASSERTION_TYPE.to_owned()));
            form.push((
                "client_assertion",
                client_assertion(
                    key,
                    key_id.as_deref(),
                    &self.client_id,
                    self.token_url.as_str(),
                ),
            ));
        }
    }

    /// POST to the token endpoint. Switches to DPoP when the server asks for it
    /// (`use_dpop_nonce` / `invalid_dpop_proof`) and resends with its nonce: at most twice.
    pub(crate) async fn post_token(
        &self,
        form: Vec<(&'static str, String)>,
    ) -> Result<TokenResponse, Error> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let mut fields = form.clone();
            self.client_authentication(&mut fields);
            let dpop_before = self.dpop_key();
            let mut request = self
                .http()
                .post(self.token_url.clone())
                .header(ACCEPT, "application/json")
                .form(&fields);
            if let Some(key) = &dpop_before {
                request = request.header(
                    "DPoP",
                    key.proof("POST", &self.token_url, NonceFor::TokenEndpoint, None),
                );
            }
            let (status, headers, body) = self.exchange(request, &self.token_url).await?;
            if let (Some(key), Some(nonce)) =
                (self.dpop_key(), header_value(&headers, "dpop-nonce"))
            {
                key.set_nonce(NonceFor::TokenEndpoint, nonce);
            }
            if status < 400 {
                return serde_json::from_slice::<TokenResponse>(&body).map_err(|_| {
                    Error::Transport {
                        kind: TransportKind::Body,
                        message: format!(
                            "the token endpoint {} answered {status} without an access token",
                            self.token_url
                        ),
                    }
                });
            }
            let error = ApiError::from_response(status, headers, body, host_port(&self.token_url));
            let dpop_asked = matches!(
                error.oauth_error.as_deref(),
                Some("use_dpop_nonce" | "invalid_dpop_proof")
            );
            if dpop_asked && attempts < 3 {
                let key = self.enable_dpop();
                let nonce = header_value(&error.headers, "dpop-nonce");
                if let Some(nonce) = nonce {
                    key.set_nonce(NonceFor::TokenEndpoint, nonce);
                }
                // Resending makes sense only if something changed: DPoP switched on, or a nonce.
                if dpop_before.is_none() || nonce.is_some() {
                    continue;
                }
            }
            return Err(Error::Api(Box::new(error)));
        }
    }

    /// One exchange (a POST) with an OAuth endpoint. The org's governor admits it first (its
    /// bucket, and a concurrency slot unless it runs inside an admitted API request, whose slot
    /// it uses) and learns from its rate-limit headers. The exchange runs on the process runtime
    /// like API calls (its connection timers then never run on a caller's paused test clock);
    /// dropping the future aborts it.
    pub(crate) async fn exchange(
        &self,
        mut request: reqwest::RequestBuilder,
        url: &Url,
    ) -> Result<Exchanged, Error> {
        let target = host_port(url);
        let deadline = self.policy.timeout.map(|timeout| now() + timeout);
        let pacing = if inside_admitted() {
            self.policy.pacing.without_concurrency_cap()
        } else {
            self.policy.pacing
        };
        let admission = self
            .org
            .governor()
            .admit(
                BucketKey::of(&reqwest::Method::POST, url.path()),
                pacing,
                deadline,
                &mut |_| {},
            )
            .await
            .map_err(|refused| Error::Transport {
                kind: TransportKind::Timeout,
                message: format!(
                    "the request to the OAuth endpoint {target} could not start within the RequestTimeout deadline: {}",
                    refused.reason
                ),
            })?;
        if let Some(left) = deadline.map(|deadline| deadline.saturating_duration_since(now())) {
            request = request.timeout(left.max(Duration::from_millis(1)));
        }
        let transport = move |error: reqwest::Error| {
            let kind = if error.is_timeout() {
                TransportKind::Timeout
            } else if error.is_connect() {
                TransportKind::Connect
            } else {
                TransportKind::Other
            };
            Error::Transport {
                kind,
                message: format!("request to the OAuth endpoint {target} failed"),
            }
        };
        let task = AbortOnDrop(runtime().spawn(async move {
            let response = request.send().await.map_err(&transport)?;
            let status = response.status().as_u16();
            let headers: Vec<(String, String)> = response
                .headers()
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = response.bytes().await.map_err(&transport)?.to_vec();
            Ok((status, headers, body))
        }));
        let outcome: Result<Exchanged, Error> = match task.wait().await {
            Ok(outcome) => outcome,
            Err(join_error) => Err(Error::Transport {
                kind: TransportKind::Other,
                message: format!("the OAuth request task did not finish: {join_error}"),
            }),
        };
        admission.finish(
            outcome
                .as_ref()
                .ok()
                .map(|(_, headers, _)| RateLimitHeaders::parse(headers))
                .as_ref(),
        );
        outcome
    }

    /// Revokes the access and the refresh token (RFC 7009), and forgets both at once, whatever
    /// the server answers: neither is ever sent again.
    pub async fn revoke(&self) -> Result<(), Error> {
        let mut state = self.state.lock().await;
        let access = state.access.take().map(|token| token.value);
        let refresh = state.refresh_token.take();
        state.revoked = true;
        drop(state);
        let mut first_error = None;
        for (token, kind) in [(access, TokenKind::Access), (refresh, TokenKind::Refresh)] {
            let Some(token) = token else { continue };
            if let Err(error) = self.revoke_one(&token, kind).await {
                first_error.get_or_insert(error);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Revokes one access token this source never held (an explicit `accessToken` setting).
    pub(crate) async fn revoke_access_token(&self, token: &str) -> Result<(), Error> {
        self.revoke_one(&Secret(token.to_owned()), TokenKind::Access)
            .await
    }

    async fn revoke_one(&self, token: &Secret, kind: TokenKind) -> Result<(), Error> {
        let hint = match kind {
            TokenKind::Access => "access_token",
            TokenKind::Refresh => "refresh_token",
        };
        let mut fields = vec![
            ("token", token.0.clone()),
            ("token_type_hint", hint.to_owned()),
        ];
        self.client_authentication(&mut fields);
        let request = self
            .http()
            .post(self.revoke_url.clone())
            .header(ACCEPT, "application/json")
            .form(&fields);
        let (status, headers, body) = self.exchange(request, &self.revoke_url).await?;
        if status >= 400 {
            return Err(Error::Api(Box::new(ApiError::from_response(
                status,
                headers,
                body,
                host_port(&self.revoke_url),
            ))));
        }
        Ok(())
    }

    /// Forgets the tokens locally, no request (Invoke-OktaRemoveAccessToken).
    pub async fn forget(&self) {
        let mut state = self.state.lock().await;
        state.access = None;
        state.refresh_token = None;
        state.revoked = true;
    }
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grant = match &self.grant {
            Grant::ClientCredentials { key, .. } => format!("client credentials ({key:?})"),
            Grant::Session => "session".to_owned(),
        };
        f.debug_struct("TokenSource")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("grant", &grant)
            .field("dpop", &self.dpop_key())
            .finish_non_exhaustive()
    }
}

/// When to renew a token that lives `lifetime`: a minute before it ends, or at 80 % of a short life.
fn renew_after(lifetime: Duration) -> Duration {
    lifetime - RENEW_MARGIN.min(lifetime / 5)
}

/// Aborts the spawned exchange when the caller stops waiting (cancel, dropped future).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> AbortOnDrop<T> {
    async fn wait(mut self) -> Result<T, tokio::task::JoinError> {
        (&mut self.0).await
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub(crate) fn host_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_a_minute_early_or_at_80_percent_of_a_short_life() {
        assert_eq!(
            renew_after(Duration::from_secs(3600)),
            Duration::from_secs(3540)
        );
        assert_eq!(
            renew_after(Duration::from_secs(300)),
            Duration::from_secs(240)
        );
        assert_eq!(
            renew_after(Duration::from_secs(100)),
            Duration::from_secs(80)
        );
        assert_eq!(
            renew_after(Duration::from_secs(3)),
            Duration::from_millis(2400)
        );
    }

    #[test]
    fn secrets_debug_as_stars() {
        assert_eq!(format!("{:?}", Secret("tok".into())), "***");
        let authorization = Authorization {
            authorization: "DPoP tok123".into(),
            dpop: Some("proof".into()),
            token: Secret("tok123".into()),
        };
        assert_eq!(authorization.scheme(), "DPoP");
        let debug = format!("{authorization:?}");
        assert!(
            !debug.contains("tok123") && !debug.contains("proof\""),
            "{debug}"
        );
    }
}
