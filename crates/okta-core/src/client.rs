//! A session with an Okta org: turns an [`ApiRequest`] into HTTP exchanges over the org's pool.
//!
//! A [`Client`] is one configuration's view of an [`Org`]: its credentials, default headers,
//! User-Agent, timeout, retries and capacity. The pool and the governor belong to the org, so
//! any number of sessions (a new token, another runspace) share them.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue,
    USER_AGENT,
};
use url::Url;

use crate::auth::{AuthPlan, Authorization, TokenSource};
use crate::cancel::CancelSignal;
use crate::config::{
    Config, missing_credentials_message, needs_credentials,
};
use crate::error::{ApiError, Error, TransportKind, header_value};
use crate::link::next_link;
use crate::org::Org;
use crate::request::ApiRequest;
use crate::retry::NoObserver;
use crate::runtime::runtime;

const JSON: &str = "application/json";

/// A cheap-to-clone session: one configuration's policy over its org's shared pool and governor.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    org: Arc<Org>,
    config: Config,
    base_url: Url,
    /// Accept, default headers and Authorization, merged once in precedence order.
    base_headers: HeaderMap,
    /// Where an OAuth token comes from, if one replaces the static Authorization (see `crate::auth`).
    auth: AuthPlan,
}

/// A 1xx–3xx answer. 4xx/5xx answers come back as [`Error::Api`] instead.
#[derive(Debug, Clone)]
pub struct ApiResponse {
    pub status: u16,
    /// Every header as (lower-case name, value); a repeated header gives several entries.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Absolute URL of the next page (`Link: <...>; rel="next"`), if any.
    pub next_uri: Option<String>,
    /// `X-Okta-Request-Id`, the id Okta support asks for.
    pub request_id: Option<String>,
}

impl ApiResponse {
    /// First value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }
}

impl Client {
    /// Validates `config` and opens a session with its org: the org's pool and governor are
    /// shared with every other session for the same base URL, proxy and TLS options.
    pub fn new(config: Config) -> Result<Client, Error> {
        let base_url = config.validate()?;
        let base_headers = base_headers(&config)?;
        let auth = crate::auth::plan(&config)?;
        let org = Org::shared(&base_url, &config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                org,
                config,
                base_url,
                base_headers,
                auth,
            }),
        })
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The org this session talks to: its pool and governor.
    pub(crate) fn org(&self) -> &Arc<Org> {
        &self.inner.org
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        self.inner.org.http()
    }

    /// The OAuth token source serving this client's requests now, if any (see `crate::auth`).
    pub fn token_source(&self) -> Result<Option<Arc<TokenSource>>, Error> {
        self.inner.auth.source(self)
    }

    /// The parsed base URL.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Whether both sessions use the same org, hence the same connection pool and governor.
    pub fn shares_pool_with(&self, other: &Client) -> bool {
        Arc::ptr_eq(&self.inner.org, &other.inner.org)
    }

    /// Sends one request. 1xx–3xx answers (redirects are not followed) are `Ok`;
    /// 4xx/5xx are `Err(Error::Api)`.
    ///
    /// The exchange runs on [`runtime()`], so this future may be awaited from any executor;
    /// dropping it cancels the exchange.
    ///
    /// Retries, pacing and the RequestTimeout deadline apply (see `crate::retry`);
    /// [`Client::send_logged`] also returns the attempt log.
    pub async fn send(&self, request: ApiRequest) -> Result<ApiResponse, Error> {
        self.send_logged(request, Arc::new(NoObserver)).await.result
    }

    /// One attempt: one HTTP exchange, ended after `timeout` if given.
    pub(crate) async fn send_attempt(
        &self,
        request: ApiRequest,
        timeout: Option<Duration>,
    ) -> Result<ApiResponse, Error> {
        let client = self.clone();
        // Marked as running inside an admitted attempt: a token renewal it needs then does not
        // queue for a second concurrency slot (see `crate::auth::token_source`).
        let mut task = AbortOnDrop(runtime().spawn(crate::governor::INSIDE_ADMITTED.scope(
            (),
            async move { client.execute(request, timeout).await },
        )));
        match (&mut task.0).await {
            Ok(result) => result,
            Err(join_error) => Err(Error::Transport {
                kind: TransportKind::Other,
                message: format!("the request task did not finish: {join_error}"),
            }),
        }
    }

    /// [`Client::send`] for synchronous callers. Must not be called on a thread that is
    /// running an async runtime (it would block that runtime's worker); returns an error then.
    pub fn send_blocking(&self, request: ApiRequest) -> Result<ApiResponse, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Request(
                "send_blocking was called on an async runtime thread; await Client::send instead"
                    .into(),
            ));
        }
        runtime().block_on(self.send(request))
    }

    /// [`Client::send_blocking`] that gives up with [`Error::Cancelled`] as soon as `cancel`
    /// is cancelled; the in-flight exchange is aborted and its connection dropped.
    pub fn send_blocking_cancellable(
        &self,
        request: ApiRequest,
        cancel: &CancelSignal,
    ) -> Result<ApiResponse, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Request(
                "send_blocking_cancellable was called on an async runtime thread; await Client::send instead".into(),
            ));
        }
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        runtime().block_on(async {
            tokio::select! {
                outcome = self.send(request) => outcome,
                () = cancel.cancelled() => Err(Error::Cancelled),
            }
        })
    }

    async fn execute(
        &self,
        request: ApiRequest,
        timeout: Option<Duration>,
    ) -> Result<ApiResponse, Error> {
        let method = request.http_method()?;
        let url = request.url(&self.inner.base_url)?;
        let mut unauthorized_retried = false;
        let (status, final_url, headers, body) = loop {
            let mut headers = self.request_headers(&request, &method)?;
            let oauth = self
                .oauth_authorization(&request, &method, &url, &mut headers)
                .await?;
            if !headers.contains_key(AUTHORIZATION) && needs_credentials(url.path()) {
                return Err(Error::Config(missing_credentials_message()));
            }
            let mut builder = self
                .http()
                .request(method.clone(), url.clone())
                .headers(headers);
            if let Some(body) = &request.body {
                builder = builder.body(body.clone());
            }
            if let Some(timeout) = timeout {
                builder = builder.timeout(timeout);
            }
            let response = builder.send().await.map_err(|error| {
                self.transport_error(&error, &url)
                    .for_request(method.as_str(), url.path(), None)
            })?;

            let status = response.status().as_u16();
            let final_url = response.url().clone();
            let headers = collect_headers(response.headers());
            let body = response
                .bytes()
                .await
                .map_err(|error| {
                    let request_id = header_value(&headers, "x-okta-request-id");
                    self.transport_error(&error, &final_url).for_request(
                        method.as_str(),
                        final_url.path(),
                        request_id,
                    )
                })?
                .to_vec();
            // An OAuth 401 (expired or revoked token, DPoP nonce challenge) is answered once
            // with a renewed token or the new nonce.
            if status == 401
                && !unauthorized_retried
                && let Some((source, used)) = &oauth
                && source.on_unauthorized(used, &headers).await
            {
                unauthorized_retried = true;
                continue;
            }
            break (status, final_url, headers, body);
        };

        if status >= 400 {
            return Err(Error::Api(Box::new(ApiError::from_response(
                status,
                headers,
                body,
                host_port(&final_url),
            ))));
        }
        Ok(ApiResponse {
            status,
            next_uri: next_link(&headers, &final_url),
            request_id: header_value(&headers, "x-okta-request-id").map(str::to_owned),
            headers,
            body,
        })
    }

    /// Replaces the static Authorization with the token source's (and its DPoP proof), unless
    /// the request carries its own Authorization.
    async fn oauth_authorization(
        &self,
        request: &ApiRequest,
        method: &Method,
        url: &Url,
        headers: &mut HeaderMap,
    ) -> Result<Option<(Arc<TokenSource>, Authorization)>, Error> {
        let own_authorization = request
            .headers
            .iter()
            .any(|(name, _)| name.trim().eq_ignore_ascii_case("authorization"));
        if own_authorization {
            return Ok(None);
        }
        let Some(source) = self.token_source()? else {
            return Ok(None);
        };
        let authorization = source.authorize(method.as_str(), url).await?;
        let mut value = HeaderValue::from_str(&authorization.authorization).map_err(|_| {
            Error::Config(
                "the token endpoint returned a token that cannot be sent in a header".into(),
            )
        })?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
        if let Some(proof) = &authorization.dpop
            && let Ok(mut value) = HeaderValue::from_str(proof)
        {
            value.set_sensitive(true);
            headers.insert(HeaderName::from_static("dpop"), value);
        }
        Ok(Some((source, authorization)))
    }

    /// Precedence, lowest first: Accept, default headers, Authorization from a token,
    /// Content-Type/Length of the body, then the request's own headers.
    fn request_headers(&self, request: &ApiRequest, method: &Method) -> Result<HeaderMap, Error> {
        let mut headers = self.inner.base_headers.clone();
        if request.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        } else if matches!(*method, Method::POST | Method::PUT | Method::PATCH) {
            // Okta's lifecycle calls are body-less POSTs. hyper sends no length for an empty
            // body, and some proxies answer 411 Length Required to that.
            headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
        let own = request
            .headers
            .iter()
            .map(|(name, value)| {
                parse_header(name, value)
                    .map_err(|why| Error::Request(format!("Header '{name}' cannot be sent: {why}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (name, _) in &own {
            headers.remove(name);
        }
        for (name, value) in own {
            headers.append(name, value);
        }
        Ok(headers)
    }

    /// Names what failed: the org, or the Proxy when the connection to the proxy failed. Only
    /// failures while connecting are reported as `Connect`, `Dns` or `Tls` (nothing was sent;
    /// see [`crate::TransportKind::delivery`]); everything later is `Timeout`, `Body` or `Other`.
    fn transport_error(&self, error: &reqwest::Error, url: &Url) -> Error {
        let target = host_port(url);
        let proxy = self.inner.config.proxy_url();
        let via_proxy = if proxy.is_some() {
            " (through the configured Proxy)"
        } else {
            ""
        };
        let detail = innermost_message(error);
        let (kind, message) = if error.is_connect() {
            // Through a proxy the connection (and its name lookup) is to the proxy; a TLS
            // problem is still the org's certificate, seen through the proxy's tunnel.
            let tls = find_tls_error(error);
            let timed_out = if error.is_timeout() {
                " (timed out)"
            } else {
                ""
            };
            match (tls, &proxy) {
                (Some(tls), _) => {
                    let hint = if matches!(tls, rustls::Error::InvalidCertificate(_)) {
                        "; if this is a test server with a self-signed certificate, set SkipCertificateCheck"
                    } else {
                        ""
                    };
                    (
                        TransportKind::Tls,
                        format!("TLS/certificate problem with {target}{via_proxy}: {tls}{hint}"),
                    )
                }
                (None, Some(proxy)) => {
                    let proxy = proxy_address(proxy);
                    let text = chain_text(error).to_ascii_lowercase();
                    if text.contains("tunnel") || text.contains("proxy authorization") {
                        // The proxy answered, but would not open the way to the org.
                        (
                            TransportKind::Connect,
                            format!(
                                "the Proxy {proxy} did not open a connection to {target}: {detail}"
                            ),
                        )
                    } else {
                        let kind = if chain_has_message(error, "dns error") {
                            TransportKind::Dns
                        } else {
                            TransportKind::Connect
                        };
                        (
                            kind,
                            format!(
                                "could not reach the Proxy {proxy}: {detail}{timed_out} \
                                 (the org {target} was not contacted; check the Proxy setting)"
                            ),
                        )
                    }
                }
                (None, None) if chain_has_message(error, "dns error") => (
                    TransportKind::Dns,
                    format!(
                        "could not resolve host '{}': {detail}",
                        url.host_str().unwrap_or("")
                    ),
                ),
                (None, None) => (
                    TransportKind::Connect,
                    format!("could not connect to {target}: {detail}{timed_out}"),
                ),
            }
        } else if error.is_timeout() {
            let after = match self.inner.config.timeout() {
                Some(timeout) => format!(" after {} ms", timeout.as_millis()),
                None => String::new(),
            };
            (
                TransportKind::Timeout,
                format!("request to {target}{via_proxy} timed out{after}"),
            )
        } else if error.is_body() || error.is_decode() {
            (
                TransportKind::Body,
                format!("reading the response from {target} failed: {detail}"),
            )
        } else {
            (
                TransportKind::Other,
                format!("request to {target}{via_proxy} failed: {detail}"),
            )
        };
        Error::Transport { kind, message }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// Aborts the spawned exchange when the caller stops waiting for it.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn base_headers(config: &Config) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static(JSON));
    let user_agent = config.user_agent_header();
    let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
        Error::Config(format!(
            "UserAgent '{}' contains characters not allowed in an HTTP header",
            config.user_agent.as_deref().unwrap_or("")
        ))
    })?;
    headers.insert(USER_AGENT, user_agent);
    for (name, value) in &config.default_headers {
        let (name, value) = parse_header(name, value).map_err(|why| {
            Error::Config(format!(
                "DefaultHeaders entry '{name}' cannot be sent: {why}"
            ))
        })?;
        headers.insert(name, value);
    }
    if let Some(authorization) = config.authorization() {
        let mut value = HeaderValue::from_str(&authorization).map_err(|_| {
            // Never echo the value: it is a credential.
            let setting = if config
                .access_token
                .as_deref()
                .is_some_and(|t| !t.trim().is_empty())
            {
                "AccessToken"
            } else {
                "ApiToken or ApiKeyPrefix"
            };
            Error::Config(format!(
                "{setting} contains characters not allowed in an HTTP header (a line break?)"
            ))
        })?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
    } else if let Some(value) = headers.get_mut(AUTHORIZATION) {
        value.set_sensitive(true);
    }
    Ok(headers)
}

fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), &'static str> {
    let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| "invalid header name")?;
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| "the value has characters not allowed in a header")?;
    if name == AUTHORIZATION {
        value.set_sensitive(true);
    }
    Ok((name, value))
}

fn collect_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// `host:port` of the proxy, never its `user:password@`.
fn proxy_address(proxy: &Url) -> String {
    host_port(proxy)
}

fn host_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// The sources of `error` (reqwest's own text is skipped: it repeats the whole URL).
fn sources<'a>(error: &'a reqwest::Error) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(error.source(), |&error| error.source())
}

fn innermost_message(error: &reqwest::Error) -> String {
    sources(error)
        .last()
        .map(|error| error.to_string())
        .unwrap_or_else(|| chain_text(error))
}

pub(crate) fn chain_text(error: &reqwest::Error) -> String {
    let parts: Vec<String> = sources(error).map(|error| error.to_string()).collect();
    if parts.is_empty() {
        error.to_string()
    } else {
        parts.join(": ")
    }
}

fn chain_has_message(error: &reqwest::Error, text: &str) -> bool {
    sources(error).any(|error| error.to_string() == text)
}

fn find_tls_error(error: &reqwest::Error) -> Option<&rustls::Error> {
    sources(error).find_map(|mut cause| {
        // hyper-rustls nests io::Errors, and io::Error::source() skips its payload,
        // so unwrap the payloads by hand.
        loop {
            if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
                return Some(tls);
            }
            cause = cause.downcast_ref::<std::io::Error>()?.get_ref()?;
        }
    })
}
