//! The one clock of the retry and pacing policies.
//!
//! Every wait and every "how long until" goes through tokio's time, never `std::thread::sleep` or
//! `std::time::Instant`: tests then run under `#[tokio::test(start_paused = true)]`, where a 30 s
//! rate-limit wait takes no real time and is measured exactly.

use std::time::Duration;

pub use tokio::time::Instant;

use crate::runtime::runtime;

pub(crate) fn now() -> Instant {
    Instant::now()
}

/// Waits until `deadline`. Awaitable from any executor: outside a tokio context the timer is
/// registered on the process runtime (a timer only needs a time driver when it is created).
pub(crate) async fn sleep_until(deadline: Instant) {
    let sleep = if tokio::runtime::Handle::try_current().is_ok() {
        tokio::time::sleep_until(deadline)
    } else {
        let _inside = runtime().enter();
        tokio::time::sleep_until(deadline)
    };
    sleep.await;
}

/// Whole milliseconds, for logs and messages.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// `1.5 s`, `250 ms`: how waits are named in messages.
pub(crate) fn human(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}
