//! The process-wide token sources, one per configuration: a token is fetched once and shared by
//! every request (and every pooled client) of that configuration, never fetched per call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use once_cell::sync::Lazy;

use super::token_source::TokenSource;

/// What makes two configurations share a token: org, client, scopes, signing key, DPoP.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenKey {
    pub org: String,
    pub client_id: String,
    /// Sorted: `a b` and `b a` ask for the same token.
    pub scopes: Vec<String>,
    /// RFC 7638 thumbprint of the private key (client credentials); `None` for a user sign-in.
    pub key_thumbprint: Option<String>,
    pub use_dpop: bool,
}

static SOURCES: Lazy<Mutex<HashMap<TokenKey, Arc<TokenSource>>>> = Lazy::new(Mutex::default);

fn sources() -> std::sync::MutexGuard<'static, HashMap<TokenKey, Arc<TokenSource>>> {
    // A panic while the lock was held leaves only a cache behind: still safe to use.
    SOURCES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub fn get(key: &TokenKey) -> Option<Arc<TokenSource>> {
    sources().get(key).cloned()
}

pub fn get_or_insert_with(
    key: &TokenKey,
    create: impl FnOnce() -> Result<TokenSource, crate::Error>,
) -> Result<Arc<TokenSource>, crate::Error> {
    let mut sources = sources();
    if let Some(source) = sources.get(key) {
        return Ok(source.clone());
    }
    let source = Arc::new(create()?);
    sources.insert(key.clone(), source.clone());
    Ok(source)
}

pub fn insert(key: TokenKey, source: Arc<TokenSource>) {
    sources().insert(key, source);
}

pub fn remove(key: &TokenKey) -> Option<Arc<TokenSource>> {
    sources().remove(key)
}
