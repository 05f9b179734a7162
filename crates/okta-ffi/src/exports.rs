//! The exported functions. Each one runs inside `panic_guard::guard`.

use crate::{cancellation, envelope, live, pages, sessions, signin, wire};
use crate::panic_guard::{guard, take_last_panic};
use interoptopus::ffi;

/// Failures that are not an HTTP or Okta outcome. Today only a panic produces an error
/// (as the result's Panic variant); this enum exists because `ffi::Result` needs an error type.
#[ffi]
#[derive(Debug)]
pub enum FfiError {
    /// A response buffer could not be produced.
    Internal,
}

/// Opens a session for one configuration (UTF-8 JSON, okta-core's settings in camelCase): meta
/// `{"session": n}` or `{"error": {...}}` (a bad BaseUrl, Proxy, key…). Sessions of one org (base
/// URL, proxy, TLS options) share its connection pool and rate-limit governor; the session holds
/// the rest (credentials, headers, timeout, retries, capacity). Close it with `okta_session_close`.
#[ffi]
pub fn okta_session_open(config: ffi::Slice<u8>) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| {
        let outcome = sessions::open(config.as_slice()).map(|session| serde_json::json!({ "session": session }));
        ffi::Ok(meta_or_error(outcome))
    })
}

/// Closes a session: 1 if it was open, 0 if not (closing twice, or an unknown handle, does nothing).
/// Calls already running with it finish normally.
#[ffi]
pub fn okta_session_close(session: u64) -> ffi::Result<u8, FfiError> {
    guard(|| ffi::Ok(u8::from(sessions::close(session))))
}

/// How many sessions are open in this process (diagnostics: leak tests).
#[ffi]
pub fn okta_session_count() -> ffi::Result<u64, FfiError> {
    guard(|| ffi::Ok(sessions::count() as u64))
}

/// Sends one Management API request and waits for the answer.
///
/// Blocks the calling thread; the HTTP work runs on okta-core's shared runtime. Transport and
/// Okta errors come back inside the framed buffer (`Ok`), so the caller sees one shape.
/// `request_id` is the caller's unique id for this call, for `okta_cancel`. `session` is a handle
/// from `okta_session_open`; an unknown or closed one comes back as an error in the buffer.
#[ffi]
pub fn okta_send(session: u64, request: ffi::Slice<u8>, body: ffi::Slice<u8>, request_id: u64) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| {
        let registration = cancellation::register(request_id);
        let framed = match envelope::parse_request(session, request.as_slice(), body.as_slice()) {
            // The attempt log (each attempt, retry and wait) rides in the meta, on success and error alike.
            Ok((client, request)) => envelope::encode_logged(&client.send_blocking_cancellable_logged(request, &registration.signal, std::sync::Arc::new(okta_core::NoObserver))),
            Err(error) => envelope::encode_error(&error),
        };
        ffi::Ok(ffi::Vec::from_vec(framed))
    })
}

/// Starts streaming the pages of a list request (same envelope as `okta_send`, plus an optional
/// `"end"`: "next" | "empty" | "follow:<ms>"); the first page is fetched at once. Returns a framed buffer
/// whose meta is `{"handle": n}` or `{"error": {...}}`.
#[ffi]
pub fn okta_pages_open(session: u64, request: ffi::Slice<u8>) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| {
        let outcome = envelope::parse_pages_request(session, request.as_slice())
            .map(|(client, request, end)| pages::open(client, request, pages::end_at(end.as_deref())));
        let framed = match outcome {
            Ok(handle) => envelope::encode_handle(handle),
            Err(error) => envelope::encode_error(&error),
        };
        ffi::Ok(ffi::Vec::from_vec(framed))
    })
}

/// The next page of a stream, framed like an `okta_send` answer; its meta says `"more": false` on the
/// last page, and an empty buffer meta `{"done": true}` means there is no page left. `request_id` works
/// with `okta_cancel` as for `okta_send` (Ctrl+C while waiting for a page).
#[ffi]
pub fn okta_pages_next(handle: u64, request_id: u64) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| {
        let registration = cancellation::register(request_id);
        let framed = match pages::next(handle, &registration.signal) {
            Ok(Some(page)) => envelope::encode_page(&page, page.next_uri.is_some()),
            Ok(None) => envelope::encode_done(),
            Err(error) => envelope::encode_error(&error),
        };
        ffi::Ok(ffi::Vec::from_vec(framed))
    })
}

/// Ends a page stream and aborts its prefetch. Closing an unknown or closed handle does nothing.
#[ffi]
pub fn okta_pages_close(handle: u64) -> ffi::Result<u8, FfiError> {
    guard(|| {
        pages::close(handle);
        ffi::Ok(0)
    })
}

/// Starts sending one request and waits up to `timeout_ms` for what happens first, as `okta_send_wait`
/// does: most answers arrive within it, so a send costs one crossing; a retry wait or governor hold comes
/// back as an event at once, and `okta_send_wait` then follows the rest.
#[ffi]
pub fn okta_send_start(
    session: u64,
    request: ffi::Slice<u8>,
    body: ffi::Slice<u8>,
    request_id: u64,
    timeout_ms: u64,
) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| {
        let framed = match live::start(session, request.as_slice(), body.as_slice(), request_id) {
            Ok(()) => live::wait(request_id, timeout_ms),
            Err(error) => envelope::encode_error(&error),
        };
        ffi::Ok(ffi::Vec::from_vec(framed))
    })
}

/// What happened next to the send `request_id` (waits at most `timeout_ms`): `{"event": ...}`,
/// `{"pending": true}`, or the answer framed as `okta_send` frames it (the send is then over).
#[ffi]
pub fn okta_send_wait(request_id: u64, timeout_ms: u64) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| ffi::Ok(ffi::Vec::from_vec(live::wait(request_id, timeout_ms))))
}

/// Stops a started send (cancels it) and forgets its answer; for a caller that no longer waits.
#[ffi]
pub fn okta_send_abandon(request_id: u64) -> ffi::Result<u8, FfiError> {
    guard(|| {
        live::abandon(request_id);
        ffi::Ok(0)
    })
}

/// Cancels the `okta_send` call with this id (from any thread): it returns a "cancelled" error
/// at once and its HTTP exchange is aborted.
#[ffi]
pub fn okta_cancel(request_id: u64) -> ffi::Result<u8, FfiError> {
    guard(|| {
        cancellation::cancel(request_id);
        ffi::Ok(0)
    })
}

/// A meta-only answer: the value, or `{"error": ...}`.
fn meta_or_error(outcome: Result<serde_json::Value, okta_core::Error>) -> ffi::Vec<u8> {
    ffi::Vec::from_vec(match outcome {
        Ok(meta) => envelope::encode_meta(&meta),
        Err(error) => envelope::encode_error(&error),
    })
}

/// Starts a device sign-in (RFC 8628) for the session's ClientId and Scope: meta
/// `{"handle", "userCode", "verificationUri", "verificationUriComplete", "expiresIn", "interval"}`
/// or `{"error": ...}`. Follow with `okta_signin_wait` or `okta_signin_abandon`.
#[ffi]
pub fn okta_device_start(session: u64) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| ffi::Ok(meta_or_error(signin::start_device(session))))
}

/// Starts an interactive sign-in (authorization code + PKCE on a loopback redirect): meta
/// `{"handle", "authorizeUrl", "redirectUri", "timeout"}` or `{"error": ...}`.
#[ffi]
pub fn okta_interactive_start(session: u64) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| ffi::Ok(meta_or_error(signin::start_interactive(session))))
}

/// Waits until the sign-in `handle` ends (blocks; `okta_cancel(request_id)` stops it): meta
/// `{"signedIn": true, "dpop": bool}` or `{"error": ...}`. The handle is consumed either way.
#[ffi]
pub fn okta_signin_wait(handle: u64, request_id: u64) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| ffi::Ok(meta_or_error(signin::wait(handle, request_id))))
}

/// Drops a started sign-in that will not be waited for; unknown handles are ignored.
#[ffi]
pub fn okta_signin_abandon(handle: u64) -> ffi::Result<u8, FfiError> {
    guard(|| {
        signin::abandon(handle);
        ffi::Ok(0)
    })
}

/// Revokes the OAuth tokens serving the session at `/oauth2/v1/revoke` and forgets them:
/// meta `{"revoked": bool}` (false: there was nothing to revoke) or `{"error": ...}`.
#[ffi]
pub fn okta_token_revoke(session: u64) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| {
        let outcome = sessions::get(session)
            .and_then(|client| okta_core::auth::revoke_blocking(&client))
            .map(|revoked| serde_json::json!({ "revoked": revoked }));
        ffi::Ok(meta_or_error(outcome))
    })
}

/// Forgets the OAuth tokens serving the session, no request: meta `{"removed": bool}`.
#[ffi]
pub fn okta_token_remove(session: u64) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| {
        let outcome = sessions::get(session)
            .and_then(|client| okta_core::auth::remove_blocking(&client))
            .map(|removed| serde_json::json!({ "removed": removed }));
        ffi::Ok(meta_or_error(outcome))
    })
}

/// What authenticates the session now, without secrets: meta `{"mode", "signedIn",
/// "hasToken", "dpop"}` or `{"error": ...}`.
#[ffi]
pub fn okta_token_status(session: u64) -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| {
        let outcome = sessions::get(session)
            .and_then(|client| okta_core::auth::status_blocking(&client))
            .map(|status| wire::token_status_json(&status));
        ffi::Ok(meta_or_error(outcome))
    })
}

/// The message of the last panic caught on the calling thread (UTF-8), empty if none.
#[ffi]
pub fn okta_last_panic_message() -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| ffi::Ok(ffi::Vec::from_vec(take_last_panic().unwrap_or_default().into_bytes())))
}

/// Panics on purpose. Tests call it to prove that a panic becomes a catchable error and the
/// host process survives.
#[ffi]
pub fn okta_selftest_panic() -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| panic!("self-test panic requested by the caller"))
}
