//! The proactive governor: paces requests so that they wait *before* a rate-limit bucket runs
//! out, instead of after a 429, and caps how many run at once.
//!
//! There is one governor per org — base URL, proxy and TLS options, not the token — owned by the
//! [`Org`](crate::org::Org), so every session, runspace and thread that talks to an org shares
//! what it has learned. A request is admitted in two steps: its bucket (see [`bucket`]) must have room
//! for it counting our requests still in flight and the share `MaxApiCapacity` leaves to other
//! clients, then the org's concurrency cap (see [`concurrency`]) must have a free slot.

pub mod bucket;
pub mod concurrency;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;

use crate::clock::{self, Instant, now};
use crate::config::Config;
use crate::rate_limit_headers::RateLimitHeaders;
use bucket::{BucketKey, BucketState, Decision};
use concurrency::{ConcurrencyGate, Slot};

tokio::task_local! {
    /// Set while a request that the governor admitted runs: work it does on its own behalf (an
    /// OAuth token renewal) already holds that request's concurrency slot and must not wait
    /// for a second one, or requests that all need a new token would wait on each other forever.
    pub static INSIDE_ADMITTED: ();
}

/// Whether the calling task runs inside an admitted request (see [`INSIDE_ADMITTED`]).
pub fn inside_admitted() -> bool {
    INSIDE_ADMITTED.try_with(|()| ()).is_ok()
}

#[derive(Debug, Default)]
pub struct Governor {
    buckets: Mutex<HashMap<BucketKey, BucketState>>,
    /// Signalled whenever a bucket learns something or a request leaves it.
    changed: Notify,
    gate: Arc<ConcurrencyGate>,
}

/// The limits one request brings from its configuration.
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    pub capacity_percent: u32,
    pub max_concurrency: usize,
}

impl Pacing {
    pub fn of(config: &Config) -> Pacing {
        Pacing {
            capacity_percent: config.api_capacity_percent(),
            max_concurrency: config.concurrency(),
        }
    }

    /// The same bucket pacing without a concurrency cap: for work done inside a request that
    /// already holds a slot (see [`INSIDE_ADMITTED`]).
    pub fn without_concurrency_cap(self) -> Pacing {
        Pacing {
            max_concurrency: usize::MAX,
            ..self
        }
    }
}

/// Why a request could not be admitted in time.
#[derive(Debug)]
pub struct NotAdmitted {
    /// What it was waiting for when the request's deadline left no room.
    pub reason: String,
}

/// A request allowed to go: holds its place in the bucket and a concurrency slot until
/// [`Admission::finish`] (or drop, for a request cancelled on the way).
#[derive(Debug)]
pub struct Admission {
    governor: Arc<Governor>,
    key: BucketKey,
    slot: Option<Slot>,
    counted: bool,
    /// How long the governor held the request back.
    pub waited: Duration,
    /// The first reason it waited, if it did.
    pub reason: Option<String>,
}

impl Governor {
    fn buckets(&self) -> MutexGuard<'_, HashMap<BucketKey, BucketState>> {
        self.buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until `key` and the concurrency cap allow one more request. Gives up at once,
    /// without waiting, when the bucket's reset lies past `deadline`; gives up at `deadline`
    /// while waiting for our own requests in flight. `on_wait` hears each reason to wait once,
    /// when the wait starts.
    pub async fn admit(
        self: &Arc<Self>,
        key: BucketKey,
        pacing: Pacing,
        deadline: Option<Instant>,
        on_wait: &mut (dyn FnMut(&str) + Send),
    ) -> Result<Admission, NotAdmitted> {
        let started = now();
        let mut admission = Admission {
            governor: self.clone(),
            key,
            slot: None,
            counted: false,
            waited: Duration::ZERO,
            reason: None,
        };
        let mut last_reason: Option<String> = None;
        let mut note = |reason: &str, admission: &mut Admission| {
            if last_reason.as_deref() != Some(reason) {
                on_wait(reason);
                last_reason = Some(reason.to_owned());
            }
            admission.reason.get_or_insert_with(|| reason.to_owned());
        };

        // Step 1: room in the bucket.
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let decision = {
                let mut buckets = self.buckets();
                let state = buckets.entry(admission.key.clone()).or_default();
                let decision = state.decide(&admission.key, now(), pacing.capacity_percent);
                if decision == Decision::Go {
                    state.in_flight += 1;
                    admission.counted = true;
                }
                decision
            };
            let (until, reason) = match decision {
                Decision::Go => break,
                Decision::UntilReset { until, reason } => (Some(until), reason),
                Decision::ForInFlight { reason } => (None, reason),
            };
            if let (Some(until), Some(deadline)) = (until, deadline)
                && until >= deadline
            {
                return Err(NotAdmitted { reason });
            }
            note(&reason, &mut admission);
            wait_for_change(changed, until, deadline, &reason).await?;
        }

        // Step 2: a concurrency slot.
        loop {
            let freed = self.gate.freed();
            tokio::pin!(freed);
            freed.as_mut().enable();
            if let Some(slot) = self.gate.try_enter(pacing.max_concurrency) {
                admission.slot = Some(slot);
                break;
            }
            let reason = format!(
                "{} requests in flight to this org (MaxConcurrency {})",
                self.gate.in_flight(),
                pacing.max_concurrency
            );
            note(&reason, &mut admission);
            wait_for_change(freed, None, deadline, &reason).await?;
        }
        admission.waited = now().saturating_duration_since(started);
        Ok(admission)
    }
}

/// Waits for `signal`, or until `until`, or fails at `deadline`.
async fn wait_for_change(
    signal: std::pin::Pin<&mut tokio::sync::futures::Notified<'_>>,
    until: Option<Instant>,
    deadline: Option<Instant>,
    reason: &str,
) -> Result<(), NotAdmitted> {
    let wake = match (until, deadline) {
        (Some(u), Some(d)) => Some(u.min(d)),
        (u, d) => u.or(d),
    };
    match wake {
        Some(wake) => {
            tokio::select! {
                () = signal => {}
                () = clock::sleep_until(wake) => {}
            }
        }
        None => signal.await,
    }
    if deadline.is_some_and(|d| now() >= d) {
        return Err(NotAdmitted {
            reason: reason.to_owned(),
        });
    }
    Ok(())
}

impl Admission {
    /// The request got an answer (or none: `None`): free its place and learn from the headers.
    pub fn finish(mut self, answer: Option<&RateLimitHeaders>) {
        self.release(answer);
    }

    fn release(&mut self, answer: Option<&RateLimitHeaders>) {
        self.slot = None;
        if std::mem::take(&mut self.counted) {
            let mut buckets = self.governor.buckets();
            let state = buckets.entry(self.key.clone()).or_default();
            state.in_flight = state.in_flight.saturating_sub(1);
            if let Some(rate) = answer {
                state.learn(rate, now());
            }
        }
        self.governor.changed.notify_waiters();
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        if self.counted || self.slot.is_some() {
            self.release(None);
        }
    }
}
