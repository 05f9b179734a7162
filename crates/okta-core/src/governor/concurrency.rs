//! The cap on requests in flight to one org at once (default 10, Okta's advice; Okta's own
//! concurrent limit is 15–75 per org and is shared by every client of the org).
//!
//! Each caller brings its own cap (configurations of one org may differ); a request is admitted
//! while fewer than its cap are in flight. A request waiting for a backoff or a bucket reset holds
//! no slot.

use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

#[derive(Debug, Default)]
pub struct ConcurrencyGate {
    in_flight: Mutex<usize>,
    freed: Notify,
}

/// One admitted request; dropping it frees the slot.
#[derive(Debug)]
pub struct Slot {
    gate: Arc<ConcurrencyGate>,
}

impl ConcurrencyGate {
    /// A slot now if fewer than `cap` are in flight.
    pub fn try_enter(self: &Arc<Self>, cap: usize) -> Option<Slot> {
        let mut in_flight = self.lock();
        if *in_flight < cap.max(1) {
            *in_flight += 1;
            Some(Slot { gate: self.clone() })
        } else {
            None
        }
    }

    /// Completes when a slot may have been freed (register before [`try_enter`] to miss none).
    pub fn freed(&self) -> tokio::sync::futures::Notified<'_> {
        self.freed.notified()
    }

    pub fn in_flight(&self) -> usize {
        *self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, usize> {
        // Only a counter is behind the lock; a panic elsewhere cannot leave it inconsistent.
        self.in_flight
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        *self.gate.lock() -= 1;
        // Waiters may have different caps: wake them all, each re-checks its own.
        self.gate.freed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_up_to_each_callers_cap() {
        let gate = Arc::new(ConcurrencyGate::default());
        let a = gate.try_enter(2).unwrap();
        let _b = gate.try_enter(2).unwrap();
        assert!(gate.try_enter(2).is_none());
        let c = gate
            .try_enter(3)
            .expect("a caller with a larger cap still fits");
        assert_eq!(gate.in_flight(), 3);
        drop(a);
        drop(c);
        assert!(gate.try_enter(2).is_some());
        assert!(gate.try_enter(0).is_none(), "cap 0 behaves as 1");
    }
}
