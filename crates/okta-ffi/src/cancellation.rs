//! Request ids chosen by the caller, so another thread (PowerShell's StopProcessing on Ctrl+C)
//! can cancel a request that is blocked in `okta_send`.

use okta_core::CancelSignal;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

static SIGNALS: Mutex<Option<HashMap<u64, CancelSignal>>> = Mutex::new(None);

fn signals() -> MutexGuard<'static, Option<HashMap<u64, CancelSignal>>> {
    // A panic while holding the lock leaves a map that is still consistent.
    SIGNALS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The signal of request `id` for the duration of one send; removed again when dropped.
/// A cancel that arrived before the send registered is kept and applies (no lost Ctrl+C).
pub struct Registration {
    id: u64,
    pub signal: CancelSignal,
}

pub fn register(id: u64) -> Registration {
    let signal = signals().get_or_insert_with(HashMap::new).entry(id).or_default().clone();
    Registration { id, signal }
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(map) = signals().as_mut() {
            map.remove(&self.id);
        }
    }
}

/// Cancels request `id`. The caller only cancels ids whose send it has started, so an entry
/// created here for a send that already finished is the only leftover, and it is tiny.
pub fn cancel(id: u64) {
    signals().get_or_insert_with(HashMap::new).entry(id).or_default().cancel();
}
