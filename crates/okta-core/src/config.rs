//! The settings of one session with an Okta org. Only the base URL, the proxy and the TLS
//! option decide the connection (see [`crate::Org`]); the rest is the session's policy.

use std::collections::BTreeMap;
use std::fmt;

use url::Url;

use crate::error::Error;

pub(crate) const DEFAULT_API_KEY_PREFIX: &str = "SSWS";
/// Okta's SDKs retry twice; a bulk job riding out a rate-limit window needs a little more.
pub const DEFAULT_MAX_RETRIES: u32 = 4;
/// Okta: "even large bulk loads rarely require more than 10 simultaneous transactions".
pub const DEFAULT_MAX_CONCURRENCY: u32 = 10;

#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Config {
    /// e.g. `https://myorg.okta.com` or `http://127.0.0.1:8080`; a trailing `/` is tolerated.
    pub base_url: String,
    /// Sent as `Authorization: <prefix> <token>`.
    pub api_token: Option<String>,
    /// Prefix for `api_token`; `SSWS` when unset.
    pub api_key_prefix: Option<String>,
    /// Sent as `Authorization: Bearer <token>`; wins over `api_token`.
    pub access_token: Option<String>,
    /// Sent on every request. An `Authorization` here is used only when neither token is set.
    pub default_headers: BTreeMap<String, String>,
    /// Deadline of a whole request (connect, send, read body). `None` or 0: no deadline.
    pub request_timeout_ms: Option<u64>,
    /// Retries after the first attempt (see `crate::retry`). `None`: [`DEFAULT_MAX_RETRIES`];
    /// `Some(0)`: no retries.
    pub max_retries: Option<u32>,
    /// Share of every rate-limit bucket this client may use, 1–100 %; the rest is left for other
    /// clients of the org (see `crate::governor`). `None`: 100.
    pub max_api_capacity: Option<u32>,
    /// Requests in flight at once to this org from this process. `None` or 0: [`DEFAULT_MAX_CONCURRENCY`].
    pub max_concurrency: Option<u32>,
    /// Explicit proxy URL for all requests.
    pub proxy: Option<String>,
    pub skip_certificate_check: bool,
    /// Extra product tokens appended after [`crate::USER_AGENT_PRODUCT`].
    pub user_agent: Option<String>,
    /// OAuth client id (device flow, client credentials); see `crate::auth` for precedence.
    pub client_id: Option<String>,
    /// OAuth scopes to request; an entry may hold several separated by spaces.
    pub scopes: Vec<String>,
    /// PEM text (PKCS#1, PKCS#8, SEC1) or a private JWK as JSON: client credentials with
    /// private_key_jwt.
    pub private_key: Option<String>,
    /// `kid` header of the client assertion (the key's id in the app's JWKS).
    pub private_key_id: Option<String>,
    /// Which credential to use; `None`: the precedence documented in `crate::auth`.
    pub authorization_mode: Option<AuthorizationMode>,
    /// DPoP-bind OAuth tokens from the first request (otherwise only when the server asks).
    pub use_dpop: bool,
}

/// Which credential to use: the values of the Okta SDKs' `OKTA_CLIENT_AUTHORIZATIONMODE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthorizationMode {
    Ssws,
    Bearer,
    PrivateKey,
}

impl Config {
    /// Checks `base_url` (and the proxy) and returns the base URL parsed. Messages show the
    /// URL with any password masked.
    pub fn validate(&self) -> Result<Url, Error> {
        let raw = self.base_url.trim();
        let shown = redact_url_password(raw);
        let bad = |why: &str| Error::Config(format!("BaseUrl '{shown}' is not usable: {why}"));
        if raw.is_empty() {
            return Err(Error::Config(
                "BaseUrl is empty: set it to your Okta org URL, e.g. https://myorg.okta.com".into(),
            ));
        }
        let url = Url::parse(raw).map_err(|error| {
            bad(&format!(
                "{error} (expected an absolute URL such as https://myorg.okta.com)"
            ))
        })?;
        if url.scheme() != "https" && url.scheme() != "http" {
            return Err(bad("the scheme must be https or http"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("it has no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("it must not have a query string or fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(
                "it must not contain a user name or password (the API token goes in ApiKey)",
            ));
        }
        self.validate_proxy()?;
        if let Some(capacity) = self.max_api_capacity
            && !(1..=100).contains(&capacity)
        {
            return Err(Error::Config(format!(
                "MaxApiCapacity {capacity} is not usable: it is a percentage from 1 to 100"
            )));
        }
        Ok(url)
    }

    pub(crate) fn retries(&self) -> u32 {
        self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES)
    }

    pub(crate) fn api_capacity_percent(&self) -> u32 {
        self.max_api_capacity.unwrap_or(100)
    }

    pub(crate) fn concurrency(&self) -> usize {
        match self.max_concurrency {
            None | Some(0) => DEFAULT_MAX_CONCURRENCY as usize,
            Some(n) => n as usize,
        }
    }


    /// The proxy must be an absolute http(s) or socks5 URL with a host: a bare word or number
    /// is refused rather than guessed at (reqwest would read `42` as `http://42`).
    fn validate_proxy(&self) -> Result<(), Error> {
        let Some(raw) = non_empty(&self.proxy) else {
            return Ok(());
        };
        let shown = redact_proxy_password(raw);
        let usable = Url::parse(raw).ok().filter(|url| {
            matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h")
                && url.host_str().is_some_and(|host| !host.is_empty())
        });
        match usable {
            Some(_) => Ok(()),
            None => Err(Error::Config(format!(
                "Proxy '{shown}' is not a proxy URL: use an absolute URL such as http://proxy.example.com:3128"
            ))),
        }
    }

    /// The configured proxy, parsed (`None` when unset or unparseable; see `validate`).
    pub(crate) fn proxy_url(&self) -> Option<Url> {
        non_empty(&self.proxy).and_then(|raw| Url::parse(raw).ok())
    }

    /// The `Authorization` value the settings ask for, if any (tokens win over default headers).
    pub(crate) fn authorization(&self) -> Option<String> {
        if let Some(token) = non_empty(&self.access_token) {
            return Some(format!("Bearer {token}"));
        }
        let token = non_empty(&self.api_token)?;
        let prefix = non_empty(&self.api_key_prefix).unwrap_or(DEFAULT_API_KEY_PREFIX);
        Some(format!("{prefix} {token}"))
    }

    pub(crate) fn user_agent_header(&self) -> String {
        match non_empty(&self.user_agent) {
            Some(extra) => format!("{} {}", crate::USER_AGENT_PRODUCT, extra),
            None => crate::USER_AGENT_PRODUCT.to_owned(),
        }
    }

    /// `None` means no deadline.
    pub(crate) fn timeout(&self) -> Option<std::time::Duration> {
        self.request_timeout_ms
            .filter(|ms| *ms > 0)
            .map(std::time::Duration::from_millis)
    }
}

/// A setting that is present but blank is treated as absent (PowerShell passes "" freely).
fn non_empty(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

fn secret(value: &Option<String>) -> Option<&'static str> {
    value.as_ref().map(|_| "***")
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be credentials too (an Authorization or a custom API key header).
        let headers: BTreeMap<&str, &str> = self
            .default_headers
            .keys()
            .map(|name| (name.as_str(), "***"))
            .collect();
        f.debug_struct("Config")
            .field("base_url", &redact_url_password(&self.base_url))
            .field("api_token", &secret(&self.api_token))
            .field("api_key_prefix", &self.api_key_prefix)
            .field("access_token", &secret(&self.access_token))
            .field("default_headers", &headers)
            .field("request_timeout_ms", &self.request_timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("max_api_capacity", &self.max_api_capacity)
            .field("max_concurrency", &self.max_concurrency)
            .field("proxy", &self.proxy.as_deref().map(redact_proxy_password))
            .field("skip_certificate_check", &self.skip_certificate_check)
            .field("user_agent", &self.user_agent)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("private_key", &secret(&self.private_key))
            .field("private_key_id", &self.private_key_id)
            .field("authorization_mode", &self.authorization_mode)
            .field("use_dpop", &self.use_dpop)
            .finish()
    }
}

/// A proxy URL may embed `user:password@`; keep the rest visible for diagnosis.
pub(crate) fn redact_proxy_password(proxy: &str) -> String {
    match Url::parse(proxy) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        Ok(_) => proxy.to_owned(),
        Err(_) => "<unparseable>".to_owned(),
    }
}

/// Text that may be a URL with `user:password@`, for error messages: the password is masked,
/// and text that does not parse has anything between `://` and the last `@` masked.
pub(crate) fn redact_url_password(text: &str) -> String {
    if let Ok(mut url) = Url::parse(text) {
        if url.password().is_some() {
            let _ = url.set_password(Some("***"));
            return url.to_string();
        }
        return text.to_owned();
    }
    match (text.find("://"), text.rfind('@')) {
        (Some(start), Some(at)) if at > start + 3 => {
            format!("{}***{}", &text[..start + 3], &text[at..])
        }
        _ => text.to_owned(),
    }
}

/// Whether a request to this path must carry credentials. The OAuth 2.0 endpoints
/// (`/oauth2/…`, `/.well-known/…`) authenticate with the body or their own headers instead.
pub(crate) fn needs_credentials(path: &str) -> bool {
    !(path.contains("/oauth2/") || path.contains("/.well-known/"))
}

/// Said when a Management API request would go out without any credentials: Okta would only
/// answer 401, so nothing is sent and the message names the settings to set.
pub(crate) fn missing_credentials_message() -> String {
    "No credentials: ApiKey is empty or not set, and neither AccessToken nor an Authorization entry \
     in DefaultHeaders is set. Set the API token, e.g. Set-OktaConfiguration -ApiKey @{ apitoken = '<token>' }; \
     the request was not sent"
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> Config {
        Config {
            base_url: base_url.into(),
            ..Config::default()
        }
    }

    #[test]
    fn accepts_http_and_https_with_or_without_trailing_slash() {
        for good in [
            "https://myorg.okta.com",
            "https://myorg.okta.com/",
            "http://127.0.0.1:8080",
            " https://myorg.okta.com ",
        ] {
            let url = config(good).validate().unwrap();
            assert!(url.host_str().is_some(), "{good}");
        }
    }

    #[test]
    fn rejects_bad_base_urls_naming_the_setting_and_value() {
        for bad in [
            "myorg.okta.com",
            "ftp://myorg.okta.com",
            "https://",
            "not a url",
            "https://myorg.okta.com/?x=1",
            "file:///etc/passwd",
        ] {
            let error = config(bad).validate().unwrap_err();
            let message = error.to_string();
            assert!(matches!(error, Error::Config(_)), "{bad}: {message}");
            assert!(message.contains("BaseUrl"), "{message}");
            assert!(message.contains(bad), "{message}");
        }
        let message = config("").validate().unwrap_err().to_string();
        assert!(message.contains("BaseUrl"), "{message}");
    }

    #[test]
    fn debug_hides_secrets() {
        let config = Config {
            base_url: "https://myorg.okta.com".into(),
            api_token: Some("00abcSECRETtoken".into()),
            access_token: Some("eyJhbGciOiSECRET".into()),
            default_headers: [("X-Api-Key".to_owned(), "headerSECRET".to_owned())].into(),
            proxy: Some("http://user:proxySECRET@proxy:3128".into()),
            private_key: Some("-----BEGIN PRIVATE KEY-----\nkeySECRET".into()),
            ..Config::default()
        };
        let debug = format!("{config:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        assert!(debug.contains("***"), "{debug}");
        assert!(debug.contains("https://myorg.okta.com"), "{debug}");
        assert!(debug.contains("X-Api-Key"), "{debug}");
        assert!(debug.contains("proxy:3128"), "{debug}");
    }

    #[test]
    fn debug_and_messages_hide_url_passwords() {
        let config = Config {
            base_url: "https://admin:urlSECRET@myorg.okta.com".into(),
            ..Config::default()
        };
        let debug = format!("{config:?}");
        assert!(
            !debug.contains("SECRET") && debug.contains("myorg.okta.com"),
            "{debug}"
        );
        for (text, shown) in [
            ("https://admin:pwSECRET@host/x", "https://admin:***@host/x"),
            ("htps://admin:pwSECRET@host", "htps://admin:***@host"),
            ("not a url://tokenSECRET@host", "not a url://***@host"),
            (
                "https://myorg.okta.com/users/ada@example.com",
                "https://myorg.okta.com/users/ada@example.com",
            ),
        ] {
            assert_eq!(redact_url_password(text), shown);
        }
    }

    #[test]
    fn authorization_precedence() {
        let mut config = config("https://x.okta.com");
        assert_eq!(config.authorization(), None);
        config.api_token = Some("tok".into());
        assert_eq!(config.authorization().as_deref(), Some("SSWS tok"));
        config.api_key_prefix = Some("Custom".into());
        assert_eq!(config.authorization().as_deref(), Some("Custom tok"));
        config.access_token = Some("jwt".into());
        assert_eq!(config.authorization().as_deref(), Some("Bearer jwt"));
        config.access_token = Some("  ".into());
        assert_eq!(config.authorization().as_deref(), Some("Custom tok"));
    }

    #[test]
    fn policy_defaults_and_zero_retries_means_off() {
        let defaults = config("https://x.okta.com");
        assert_eq!(defaults.retries(), DEFAULT_MAX_RETRIES);
        assert_eq!(defaults.api_capacity_percent(), 100);
        assert_eq!(defaults.concurrency(), 10);
        let set = Config {
            max_retries: Some(0),
            max_api_capacity: Some(50),
            max_concurrency: Some(3),
            ..defaults.clone()
        };
        assert_eq!(set.retries(), 0);
        assert_eq!(set.api_capacity_percent(), 50);
        assert_eq!(set.concurrency(), 3);
        let zero = Config {
            max_concurrency: Some(0),
            ..defaults
        };
        assert_eq!(zero.concurrency(), DEFAULT_MAX_CONCURRENCY as usize);
    }

    #[test]
    fn api_capacity_outside_1_to_100_is_refused_naming_the_setting() {
        for bad in [0u32, 101, 1000] {
            let config = Config {
                max_api_capacity: Some(bad),
                ..config("https://x.okta.com")
            };
            let message = config.validate().unwrap_err().to_string();
            assert!(message.contains("MaxApiCapacity"), "{message}");
        }
        for good in [1u32, 50, 100] {
            let config = Config {
                max_api_capacity: Some(good),
                ..config("https://x.okta.com")
            };
            config.validate().unwrap();
        }
    }
}
