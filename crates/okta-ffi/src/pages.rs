//! Page streams behind handles: `okta_pages_open` starts one, `okta_pages_next` pulls the next page (the
//! page after it is already being fetched, inside Rust), `okta_pages_close` ends it. Objects are written
//! by PowerShell's pipeline thread, so the C# side pulls; nothing pushes across the boundary.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use okta_core::{ApiRequest, CancelSignal, Client, EndAt, Error, PageStream};

static STREAMS: Mutex<Option<HashMap<u64, PageStream>>> = Mutex::new(None);
static NEXT_HANDLE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn streams() -> MutexGuard<'static, Option<HashMap<u64, PageStream>>> {
    // A panic while holding the lock leaves a map that is still consistent.
    STREAMS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `end` from the envelope: "next" (default), "empty" (stop at an empty page) or "follow:<ms>" (tail).
pub fn end_at(end: Option<&str>) -> EndAt {
    match end {
        Some("empty") => EndAt::EmptyPage,
        Some(follow) if follow.starts_with("follow:") => {
            let ms = follow["follow:".len()..].parse::<u64>().unwrap_or(60_000).max(1_000);
            EndAt::Never { poll: Duration::from_millis(ms) }
        }
        _ => EndAt::NoNextLink,
    }
}

/// Starts a stream over the session `client`; the first page is fetched at once.
pub fn open(client: Client, request: ApiRequest, end: EndAt) -> u64 {
    let stream = PageStream::open(client, request, end);
    let handle = NEXT_HANDLE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    streams().get_or_insert_with(HashMap::new).insert(handle, stream);
    handle
}

/// The next page; `Ok(None)` when the stream is over (or the handle is unknown: closed already).
/// The stream is taken out of the map while this thread waits, so a close from another thread cannot
/// free it under us; it is put back afterwards unless it was closed meanwhile... in which case the
/// close already happened and we drop it here.
pub fn next(handle: u64, cancel: &CancelSignal) -> Result<Option<okta_core::ApiResponse>, Error> {
    let Some(mut stream) = streams().as_mut().and_then(|map| map.remove(&handle)) else { return Ok(None) };
    let page = stream.next_blocking(cancel);
    if page.is_ok() && stream.has_more() {
        streams().get_or_insert_with(HashMap::new).insert(handle, stream);
    }
    page
}

/// Ends a stream (aborting the fetch in flight). Unknown handles are ignored: closing twice is harmless.
pub fn close(handle: u64) {
    let removed = streams().as_mut().and_then(|map| map.remove(&handle));
    drop(removed);
}
