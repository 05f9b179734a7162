//! Sign-ins in two steps, so PowerShell can show the codes (or the URL) before it waits: `start`
//! returns a handle and what to show; `wait` consumes the handle (it blocks, cancellable with
//! `okta_cancel`); `abandon` drops a handle that will not be waited for. Each handle is removed
//! exactly once, by whichever of `wait` and `abandon` comes first.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use okta_core::auth::{DeviceAuthorization, InteractiveAuthorization};
use okta_core::Error;
use serde_json::{Value, json};

use crate::{cancellation, sessions, wire};

enum SignIn {
    Device(DeviceAuthorization),
    Interactive(InteractiveAuthorization),
}

static SIGN_INS: Mutex<Option<HashMap<u64, SignIn>>> = Mutex::new(None);
static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);

fn sign_ins() -> MutexGuard<'static, Option<HashMap<u64, SignIn>>> {
    // A panic while holding the lock leaves a map that is still consistent.
    SIGN_INS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn keep(sign_in: SignIn) -> u64 {
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    sign_ins().get_or_insert_with(HashMap::new).insert(handle, sign_in);
    handle
}

/// Starts a device sign-in: `{"handle", "userCode", "verificationUri", "verificationUriComplete",
/// "expiresIn", "interval"}` (never the device code).
pub fn start_device(session: u64) -> Result<Value, Error> {
    let client = sessions::get(session)?;
    let flow = okta_core::auth::start_device_authorization_blocking(&client)?;
    let mut shown = wire::device_json(&flow);
    shown["handle"] = json!(keep(SignIn::Device(flow)));
    Ok(shown)
}

/// Starts an interactive sign-in: `{"handle", "authorizeUrl", "redirectUri", "timeout"}`.
pub fn start_interactive(session: u64) -> Result<Value, Error> {
    let client = sessions::get(session)?;
    let flow = okta_core::auth::start_interactive_blocking(&client)?;
    let mut shown = wire::interactive_json(&flow);
    shown["handle"] = json!(keep(SignIn::Interactive(flow)));
    Ok(shown)
}

/// Waits for the sign-in `handle` to finish: `{"signedIn": true, "dpop": bool}`.
pub fn wait(handle: u64, request_id: u64) -> Result<Value, Error> {
    let registration = cancellation::register(request_id);
    let Some(sign_in) = sign_ins().as_mut().and_then(|map| map.remove(&handle)) else {
        return Err(Error::Request(format!("no sign-in with handle {handle} is waiting")));
    };
    let source = match sign_in {
        SignIn::Device(flow) => flow.wait_for_token_blocking(&registration.signal)?,
        SignIn::Interactive(flow) => flow.wait_for_token_blocking(&registration.signal)?,
    };
    Ok(json!({ "signedIn": true, "dpop": source.dpop_thumbprint().is_some() }))
}

/// Drops a sign-in nobody will wait for (its loopback listener closes). Unknown handles: nothing.
pub fn abandon(handle: u64) {
    let removed = sign_ins().as_mut().and_then(|map| map.remove(&handle));
    drop(removed);
}
