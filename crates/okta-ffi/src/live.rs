//! Sends whose waits the caller hears about while they happen. `okta_send` blocks until the answer, so a
//! 30-second rate-limit wait would be silent; here the send runs on the core's runtime and the caller
//! (PowerShell's pipeline thread, which alone may write Verbose, Warning and Progress records) pulls what
//! happens: a retry wait or a governor hold as an event, the answer at the end, or "still pending" after a
//! short timeout so it can update a progress bar and notice Ctrl+C.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use okta_core::{Attempt, AttemptObserver, Error, Logged, Next, runtime};
use serde_json::json;

use crate::{cancellation, envelope};

/// What the caller pulls from a running send.
enum Message {
    Event(serde_json::Value),
    Done(Vec<u8>),
}

static CALLS: Mutex<Option<HashMap<u64, Receiver<Message>>>> = Mutex::new(None);

fn calls() -> MutexGuard<'static, Option<HashMap<u64, Receiver<Message>>>> {
    // A panic while holding the lock leaves a map that is still consistent.
    CALLS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Forwards the core's retry waits and governor holds to the caller as they start.
struct Forward(Mutex<Sender<Message>>);

impl Forward {
    fn send(&self, event: serde_json::Value) {
        let _ = self.0.lock().unwrap_or_else(|p| p.into_inner()).send(Message::Event(event));
    }
}

impl AttemptObserver for Forward {
    fn pacing(&self, attempt: u32, reason: &str) {
        self.send(json!({ "kind": "pacing", "attempt": attempt, "reason": reason }));
    }

    fn attempted(&self, attempt: &Attempt) {
        if attempt.next == Next::Retry {
            self.send(json!({
                "kind": "retry",
                "attempt": attempt.attempt,
                "status": attempt.status,
                "failure": attempt.failure,
                "waitMs": attempt.wait_ms,
                "reason": attempt.reason,
            }));
        }
    }
}

/// Starts sending; what happens (an event, or the answer framed like `okta_send`'s) comes through [`wait`].
pub fn start(session: u64, request: &[u8], body: &[u8], request_id: u64) -> Result<(), Error> {
    let (client, request) = envelope::parse_request(session, request, body)?;
    let (sender, receiver) = channel();
    calls().get_or_insert_with(HashMap::new).insert(request_id, receiver);
    let registration = cancellation::register(request_id);
    runtime().spawn(async move {
        let observer = Arc::new(Forward(Mutex::new(sender.clone())));
        let logged = tokio::select! {
            logged = client.send_logged(request, observer) => logged,
            () = registration.signal.cancelled() => Logged { result: Err(Error::Cancelled), attempts: Vec::new() },
        };
        drop(registration);
        let _ = sender.send(Message::Done(envelope::encode_logged(&logged)));
    });
    Ok(())
}

/// The next thing that happened to send `request_id`, waiting at most `timeout_ms`: an event
/// (`{"event": {...}}`), the answer (as `okta_send` frames it; the call is then over), or `{"pending": true}`.
pub fn wait(request_id: u64, timeout_ms: u64) -> Vec<u8> {
    let Some(receiver) = calls().as_mut().and_then(|map| map.remove(&request_id)) else {
        return envelope::encode_error(&Error::Request(format!("no send with id {request_id} is running")));
    };
    match receiver.recv_timeout(Duration::from_millis(timeout_ms)) {
        Ok(Message::Done(answer)) => answer,
        Ok(Message::Event(event)) => {
            calls().get_or_insert_with(HashMap::new).insert(request_id, receiver);
            envelope::encode_meta(&json!({ "event": event }))
        }
        Err(RecvTimeoutError::Timeout) => {
            calls().get_or_insert_with(HashMap::new).insert(request_id, receiver);
            envelope::encode_meta(&json!({ "pending": true }))
        }
        Err(RecvTimeoutError::Disconnected) => {
            envelope::encode_error(&Error::Request("the send ended without an answer".into()))
        }
    }
}

/// The caller stops waiting (its pipeline was stopped): cancel the send and forget its answer.
pub fn abandon(request_id: u64) {
    cancellation::cancel(request_id);
    let removed = calls().as_mut().and_then(|map| map.remove(&request_id));
    drop(removed);
}
