//! Cancelling a request from another thread (PowerShell calls StopProcessing on Ctrl+C while the
//! command's thread waits in `send_blocking`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::Notify;

/// A one-shot, cloneable cancellation flag. Cancelling it ends every wait on it, now and later.
#[derive(Clone, Default, Debug)]
pub struct CancelSignal {
    inner: Arc<Inner>,
}

#[derive(Default, Debug)]
struct Inner {
    cancelled: AtomicBool,
    notify: Notify,
}

impl CancelSignal {
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels; safe to call from any thread, any number of times.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Completes once [`CancelSignal::cancel`] has been called (immediately if it already was).
    pub async fn cancelled(&self) {
        loop {
            // Register interest before checking the flag, so a cancel between the two is not lost.
            let notified = self.inner.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}
