//! Sessions behind handles: `okta_session_open` turns the glue's configuration into an okta-core
//! session once, and every later call names it by handle and sends only its request. The session
//! keeps its org's pool and governor (shared with every other session of that org), so the glue
//! may close a session and open another (a changed token) without losing warm connections.
//!
//! Each handle is removed exactly once (closing twice, or an unknown handle, does nothing); a
//! call with an unknown or closed handle gets a clear error. A call already running keeps its
//! own clone of the session, so closing never pulls the session from under it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use okta_core::{Client, Error};

static SESSIONS: Mutex<Option<HashMap<u64, Client>>> = Mutex::new(None);
static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);

fn sessions() -> MutexGuard<'static, Option<HashMap<u64, Client>>> {
    // A panic while holding the lock leaves a map that is still consistent.
    SESSIONS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Opens a session for the configuration JSON: validates it and joins (or creates) its org.
pub fn open(config_json: &[u8]) -> Result<u64, Error> {
    let client = Client::new(crate::wire::parse_config(config_json)?)?;
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    sessions().get_or_insert_with(HashMap::new).insert(handle, client);
    Ok(handle)
}

/// The session behind `handle` (a cheap clone), or an error naming the handle.
pub fn get(handle: u64) -> Result<Client, Error> {
    sessions().as_ref().and_then(|map| map.get(&handle).cloned()).ok_or_else(|| {
        Error::Request(format!(
            "no Okta session with handle {handle} is open (it was closed, or never opened): \
             the PowerShell glue must open a session for its configuration first"
        ))
    })
}

/// Closes a session; `false` when it was not open (closed already, or unknown).
pub fn close(handle: u64) -> bool {
    let removed = sessions().as_mut().and_then(|map| map.remove(&handle));
    removed.is_some()
}

/// How many sessions are open now (diagnostics: the glue's leak tests count them).
pub fn count() -> usize {
    sessions().as_ref().map_or(0, HashMap::len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str, token: &str) -> Vec<u8> {
        format!(r#"{{"baseUrl":"{base_url}","apiToken":"{token}"}}"#).into_bytes()
    }

    #[test]
    fn same_org_shares_the_pool_across_token_changes_and_distinct_orgs_do_not() {
        let first = open(&config("https://registry-a.okta.com", "one")).unwrap();
        let new_token = open(&config("https://registry-a.okta.com", "two")).unwrap();
        let other_org = open(&config("https://registry-b.okta.com", "one")).unwrap();
        assert_ne!(first, new_token);
        let (a, b, c) = (get(first).unwrap(), get(new_token).unwrap(), get(other_org).unwrap());
        assert!(a.shares_pool_with(&b));
        assert!(!a.shares_pool_with(&c));
        assert_eq!(b.config().api_token.as_deref(), Some("two"));
        for handle in [first, new_token, other_org] {
            assert!(close(handle));
        }
    }

    #[test]
    fn a_handle_is_freed_once_and_then_names_itself_in_the_error() {
        let handle = open(&config("https://registry-c.okta.com", "t")).unwrap();
        let in_flight = get(handle).unwrap();
        assert!(close(handle), "the first close frees it");
        assert!(!close(handle), "the second close finds nothing and does nothing");
        let message = get(handle).unwrap_err().to_string();
        assert!(message.contains(&format!("handle {handle}")) && message.contains("closed"), "{message}");
        // A call that had the session keeps a working clone.
        assert_eq!(in_flight.base_url().as_str(), "https://registry-c.okta.com/");
    }

    #[test]
    fn unknown_handles_error_and_bad_configurations_open_nothing() {
        assert!(get(u64::MAX).is_err());
        assert!(!close(u64::MAX));
        let error = open(br#"{"baseUrl":""}"#).unwrap_err();
        assert!(matches!(error, Error::Config(_)) && error.to_string().contains("BaseUrl"), "{error}");
        let error = open(b"not json").unwrap_err();
        assert!(error.to_string().contains("malformed configuration"), "{error}");
        let error = open(br#"{"baseUrl":"https://x.okta.com","apiTokn":"typo"}"#).unwrap_err();
        assert!(error.to_string().contains("apiTokn"), "{error}");
    }
}
