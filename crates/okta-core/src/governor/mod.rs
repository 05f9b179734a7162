//! The proactive governor: paces requests so that they wait *before* a rate-limit bucket runs
//! out, instead of after a 429, and caps how many run at once.
//!
//! There is one governor per org — base URL, proxy and TLS options, not the token — owned by the
//! [`Org`](crate::org::Org), so every session, runspace and thread that talks to an org shares
//! what it has learned. A request is admitted in two steps: its bucket (see [`bucket`]) must have room
//! for it counting our requests still in flight and the share `MaxApiCapacity` leaves to other
//! clients, then the org's concurrency cap (see [`concurrency`]) must have a free slot.
//!
//! Room in a bucket goes to its waiting requests in the order they came (a queue of tickets per bucket):
//! without it, every waiter woke at once when room appeared and whichever thread ran first took it, so
//! one runspace of eight could be served far more often than another, and a newcomer could overtake
//! requests that had waited a whole window.
//!
//! Buckets whose answers describe the same window (same limit, same reset) count each other's requests in
//! flight (see [`bucket::BucketState::same_window`]): the server may count together what Okta's table keeps apart.

pub mod bucket;
pub mod concurrency;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;

use crate::clock::{self, Instant, now};
use crate::config::Config;
use crate::rate_limit_headers::RateLimitHeaders;
use bucket::{BucketKey, BucketState, Decision, Sharing};
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
    buckets: Mutex<HashMap<BucketKey, Bucket>>,
    /// Numbers the requests that wait, for the queues.
    next_ticket: AtomicU64,
    /// Signalled whenever a bucket learns something or a request leaves it.
    changed: Notify,
    gate: Arc<ConcurrencyGate>,
}

/// One bucket: what its answers said, and the requests waiting for room in it, oldest first.
#[derive(Debug, Default)]
struct Bucket {
    state: BucketState,
    queue: VecDeque<u64>,
}

/// A request's place in a bucket's queue; leaving (admitted, failed or dropped) lets the next one check.
struct QueuePlace {
    governor: Arc<Governor>,
    key: BucketKey,
    ticket: u64,
}

impl Drop for QueuePlace {
    fn drop(&mut self) {
        if let Some(bucket) = self.governor.buckets().get_mut(&self.key) {
            bucket.queue.retain(|&t| t != self.ticket);
        }
        self.governor.changed.notify_waiters();
    }
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
    fn buckets(&self) -> MutexGuard<'_, HashMap<BucketKey, Bucket>> {
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

        // Step 1: room in the bucket, in turn.
        let mut place: Option<QueuePlace> = None;
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let decision = {
                let mut buckets = self.buckets();
                let sharing = sharing(&buckets, &admission.key);
                let bucket = buckets.entry(admission.key.clone()).or_default();
                let ahead = match &place {
                    Some(place) => bucket.queue.iter().position(|&t| t == place.ticket).unwrap_or(0),
                    None => bucket.queue.len(),
                };
                let decision = match bucket.state.decide_sharing(&admission.key, now(), pacing.capacity_percent, sharing) {
                    Decision::Go if ahead > 0 => Decision::ForInFlight {
                        reason: format!("bucket {}: {ahead} earlier requests wait for room first", admission.key),
                    },
                    decision => decision,
                };
                if decision == Decision::Go {
                    bucket.state.in_flight += 1;
                    admission.counted = true;
                } else if place.is_none() {
                    let ticket = self.next_ticket.fetch_add(1, Ordering::Relaxed);
                    bucket.queue.push_back(ticket);
                    place = Some(QueuePlace { governor: self.clone(), key: admission.key.clone(), ticket });
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
        // Out of the queue (if it was in it): the next in line checks now.
        drop(place);

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

/// What other buckets with the same window as `key`'s (possibly one bucket on the server) have in flight.
fn sharing(buckets: &HashMap<BucketKey, Bucket>, key: &BucketKey) -> Sharing {
    let Some(this) = buckets.get(key) else { return Sharing::NONE };
    buckets
        .iter()
        .filter(|(other, bucket)| *other != key && this.state.same_window(&bucket.state))
        .fold(Sharing::NONE, |seen, (_, bucket)| Sharing {
            in_flight: seen.in_flight + bucket.state.in_flight,
            remaining: seen.remaining.min(bucket.state.remaining().unwrap_or(u64::MAX)),
        })
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
            let state = &mut buckets.entry(self.key.clone()).or_default().state;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn window(limit: u64, remaining: u64, reset_epoch: u64) -> RateLimitHeaders {
        RateLimitHeaders {
            limit: Some(limit),
            remaining: Some(remaining),
            reset_epoch: Some(reset_epoch),
            date_epoch: Some(reset_epoch - 60),
            retry_after: None,
        }
    }

    /// No bucket share kept for others, no concurrency cap in the way.
    const OPEN: Pacing = Pacing { capacity_percent: 100, max_concurrency: 100 };

    async fn settle() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn room_goes_to_the_waiting_requests_in_the_order_they_came() {
        let governor = Arc::new(Governor::default());
        let pacing = OPEN;
        let key = BucketKey::Logs;
        governor.buckets().entry(key.clone()).or_default().state.learn(&window(10, 0, 1_000), now());
        let admitted = Arc::new(Mutex::new(Vec::new()));
        let mut held = Vec::new();
        let (give_back, mut given_back) = tokio::sync::mpsc::unbounded_channel();
        for who in ["A", "B", "C"] {
            let (governor, admitted, key, give_back) = (governor.clone(), admitted.clone(), key.clone(), give_back.clone());
            held.push(tokio::spawn(async move {
                let admission = governor.admit(key, pacing, None, &mut |_| {}).await.unwrap();
                admitted.lock().unwrap().push(who);
                give_back.send(admission).unwrap();
            }));
            settle().await; // queued before the next one comes
        }
        assert!(admitted.lock().unwrap().is_empty(), "the bucket is empty: all three wait");

        // A new window with room for one: the first in line takes it, not a request that comes just then.
        governor.buckets().get_mut(&key).unwrap().state.learn(&window(10, 1, 1_060), now());
        governor.changed.notify_waiters();
        let newcomer = admitted_at_once(&governor, key.clone()).await;
        assert!(newcomer.is_none(), "a newcomer overtook three waiting requests");
        settle().await;
        assert_eq!(*admitted.lock().unwrap(), ["A"]);

        // A's answer leaves room for one more: B's turn, then C's.
        let a = given_back.recv().await.unwrap();
        a.finish(Some(&window(10, 2, 1_060)));
        settle().await;
        assert_eq!(*admitted.lock().unwrap(), ["A", "B"]);
        let b = given_back.recv().await.unwrap();
        b.finish(Some(&window(10, 2, 1_060)));
        settle().await;
        assert_eq!(*admitted.lock().unwrap(), ["A", "B", "C"]);
        for task in held {
            task.await.unwrap();
        }
        assert!(governor.buckets()[&key].queue.is_empty(), "every place in the queue was given up");
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_that_gives_up_leaves_the_queue() {
        let governor = Arc::new(Governor::default());
        let pacing = OPEN;
        let key = BucketKey::Logs;
        governor.buckets().entry(key.clone()).or_default().state.learn(&window(10, 0, 1_000), now());
        let deadline = now() + Duration::from_secs(5);
        // Its deadline falls before the reset: it fails at once and must not block the line.
        assert!(governor.admit(key.clone(), pacing, Some(deadline), &mut |_| {}).await.is_err());
        let waiting = tokio::spawn({
            let (governor, key) = (governor.clone(), key.clone());
            async move { governor.admit(key, pacing, None, &mut |_| {}).await.map(|_| ()) }
        });
        settle().await;
        waiting.abort();
        let _ = waiting.await;
        assert!(governor.buckets()[&key].queue.is_empty(), "a dropped wait left its ticket behind");
        governor.buckets().get_mut(&key).unwrap().state.learn(&window(10, 5, 1_060), now());
        assert!(governor.admit(key, pacing, None, &mut |_| {}).await.is_ok(), "the line moved on");
    }

    async fn admitted_at_once(governor: &Arc<Governor>, key: BucketKey) -> Option<Admission> {
        let pacing = OPEN;
        let mut quiet = |_: &str| {};
        tokio::select! {
            biased;
            admission = governor.admit(key, pacing, None, &mut quiet) => admission.ok(),
            () = tokio::task::yield_now() => None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn buckets_whose_answers_describe_one_window_count_each_others_requests() {
        let governor = Arc::new(Governor::default());
        for key in [BucketKey::UserRead, BucketKey::UserWrite] {
            governor.buckets().entry(key).or_default().state.learn(&window(1000, 2, 1_000), now());
        }
        let read = admitted_at_once(&governor, BucketKey::UserRead).await.expect("2 left, none in flight");
        let write = admitted_at_once(&governor, BucketKey::UserWrite).await.expect("2 left, 1 in flight");
        assert!(
            admitted_at_once(&governor, BucketKey::UserRead).await.is_none(),
            "2 left and 2 in flight in the same window: a third would be refused by the server"
        );
        drop((read, write));
    }

    #[tokio::test(start_paused = true)]
    async fn buckets_with_other_windows_stay_apart() {
        let governor = Arc::new(Governor::default());
        governor.buckets().entry(BucketKey::UserRead).or_default().state.learn(&window(2000, 2, 1_000), now());
        governor.buckets().entry(BucketKey::UserWrite).or_default().state.learn(&window(600, 2, 1_030), now());
        let read = admitted_at_once(&governor, BucketKey::UserRead).await.expect("first read");
        let write = admitted_at_once(&governor, BucketKey::UserWrite).await.expect("first write");
        let second = admitted_at_once(&governor, BucketKey::UserRead).await;
        assert!(second.is_some(), "another bucket's write must not hold a read back");
        drop((read, write, second));
    }
}
