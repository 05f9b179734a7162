//! An Okta org as this process sees it: one connection pool and one rate-limit governor, shared
//! by every session (configuration, runspace, thread) that talks to it.
//!
//! An org is what the connection depends on — the base URL, the proxy and the TLS options —
//! never the credentials or the per-request policy (timeout, retries, capacity, headers): those
//! travel with the session ([`crate::Client`]), so a new token keeps the warm connections and
//! the governor keeps what it learned about the org's rate limits.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use once_cell::sync::Lazy;
use url::Url;

use crate::config::{Config, redact_proxy_password};
use crate::error::Error;
use crate::governor::Governor;

/// What identifies an org's connection: sessions that differ only in policy share it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct OrgKey {
    base_url: String,
    proxy: Option<String>,
    skip_certificate_check: bool,
}

impl OrgKey {
    fn of(base_url: &Url, config: &Config) -> OrgKey {
        OrgKey {
            base_url: base_url.as_str().trim_end_matches('/').to_owned(),
            proxy: config
                .proxy
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
            skip_certificate_check: config.skip_certificate_check,
        }
    }
}

/// The connection pool and governor of one org.
pub struct Org {
    http: reqwest::Client,
    governor: Arc<Governor>,
}

/// Every org this process has talked to. Kept for the life of the process: an org is a pool
/// (whose idle connections close by themselves) and what the governor learned, both worth
/// keeping when the last session closes and a new one opens a moment later.
static ORGS: Lazy<Mutex<HashMap<OrgKey, Arc<Org>>>> = Lazy::new(Mutex::default);

impl Org {
    /// The org `config` talks to (`base_url` is its validated base URL), created on first use.
    pub(crate) fn shared(base_url: &Url, config: &Config) -> Result<Arc<Org>, Error> {
        let key = OrgKey::of(base_url, config);
        // A panic while the lock was held leaves only a map behind: still safe to use.
        let mut orgs = ORGS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(org) = orgs.get(&key) {
            return Ok(org.clone());
        }
        let org = Arc::new(Org {
            http: build_http_client(config)?,
            governor: Arc::new(Governor::default()),
        });
        orgs.insert(key, org.clone());
        Ok(org)
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub(crate) fn governor(&self) -> &Arc<Governor> {
        &self.governor
    }

    /// How many orgs (pools) this process holds; for diagnostics and tests.
    pub fn count() -> usize {
        ORGS.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }
}

/// The pool: only what the connection depends on. The User-Agent and the request deadline are
/// the session's, set on each request.
fn build_http_client(config: &Config) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder()
        // A 3xx is handed back as is: following it could turn a POST into a GET (301/302),
        // and the caller sees Location in the headers.
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(config.skip_certificate_check);
    if let Some(proxy) = config
        .proxy
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let proxy = reqwest::Proxy::all(proxy).map_err(|error| {
            Error::Config(format!(
                "Proxy '{}' is not a usable proxy URL: {}",
                redact_proxy_password(proxy),
                crate::client::chain_text(&error)
            ))
        })?;
        builder = builder.proxy(proxy);
    }
    builder.build().map_err(|error| {
        Error::Config(format!(
            "could not build the HTTP client: {}",
            crate::client::chain_text(&error)
        ))
    })
}
