//! How long to wait before the next attempt.
//!
//! A 429 from a bucket names its own end: wait `X-Rate-Limit-Reset − Date`, both read from the
//! answer, so a client whose clock is off by minutes still waits the right time (the lowest reset
//! wins when the header repeats). When those headers are missing or unusable, and for 5xx and
//! connection failures, wait a capped exponential backoff with full jitter, so that many clients
//! failing together do not come back together. The concurrent-request 429 (Limit = Remaining = 0)
//! carries no real reset: the limit frees as soon as other requests finish, so it gets a short
//! backoff of its own that never drops to zero.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::classify::RetryCause;
use crate::clock::human;
use crate::rate_limit_headers::RateLimitHeaders;

/// First step of the exponential backoff; doubles on each retry.
pub const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// No single backoff wait is longer than this.
pub const BACKOFF_CAP: Duration = Duration::from_secs(30);
/// First step for the concurrent-request limit.
pub const CONCURRENT_BASE: Duration = Duration::from_secs(1);
pub const CONCURRENT_CAP: Duration = Duration::from_secs(16);

/// The wait before retry number `retry_index + 1`, and the reason, as the attempt log shows it.
/// `random` is in `[0, 1)`: [`random_fraction`] in production, fixed in tests.
pub fn wait_for(
    cause: RetryCause,
    rate: &RateLimitHeaders,
    retry_index: u32,
    random: f64,
) -> (Duration, String) {
    let jittered = || full_jitter(retry_index, random);
    match cause {
        RetryCause::RateLimited => match (rate.reset_in(), rate.retry_after()) {
            (Some(wait), _) => (
                wait,
                format!(
                    "429 rate limit: the bucket resets in {} (X-Rate-Limit-Reset − Date)",
                    human(wait)
                ),
            ),
            (None, Some(wait)) => (wait, format!("429 rate limit: Retry-After {}", human(wait))),
            (None, None) => {
                let wait = jittered();
                (
                    wait,
                    format!(
                        "429 rate limit without a usable X-Rate-Limit-Reset and Date: backing off {}",
                        human(wait)
                    ),
                )
            }
        },
        RetryCause::ConcurrentLimit => {
            let wait = equal_jitter(retry_index, random);
            (
                wait,
                format!(
                    "429 concurrent-request limit of the org (Limit and Remaining 0): backing off {}",
                    human(wait)
                ),
            )
        }
        RetryCause::Unavailable(status) => match rate.retry_after() {
            Some(wait) => (wait, format!("{status}: Retry-After {}", human(wait))),
            None => {
                let wait = jittered();
                (
                    wait,
                    format!("{status} from the server: backing off {}", human(wait)),
                )
            }
        },
        RetryCause::NotSent => {
            let wait = jittered();
            (
                wait,
                format!(
                    "the connection could not be opened: backing off {}",
                    human(wait)
                ),
            )
        }
        RetryCause::OutcomeUnknown => {
            let wait = jittered();
            (
                wait,
                format!("no complete answer came back: backing off {}", human(wait)),
            )
        }
    }
}

/// `min(cap, base·2ⁿ)`, saturating.
fn step(base: Duration, cap: Duration, retry_index: u32) -> Duration {
    let factor = 1u32.checked_shl(retry_index.min(20)).unwrap_or(u32::MAX);
    base.saturating_mul(factor).min(cap)
}

/// Uniform in `[0, step)`.
fn full_jitter(retry_index: u32, random: f64) -> Duration {
    step(BACKOFF_BASE, BACKOFF_CAP, retry_index).mul_f64(random.clamp(0.0, 1.0))
}

/// Uniform in `[step/2, step)`.
fn equal_jitter(retry_index: u32, random: f64) -> Duration {
    let step = step(CONCURRENT_BASE, CONCURRENT_CAP, retry_index);
    step / 2 + (step / 2).mul_f64(random.clamp(0.0, 1.0))
}

/// A random number in `[0, 1)`; jitter needs spread, not cryptographic quality.
pub fn random_fraction() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPOCH: u64 = 1_796_126_400;

    fn rate(reset: Option<u64>, date: Option<u64>) -> RateLimitHeaders {
        RateLimitHeaders {
            reset_epoch: reset,
            date_epoch: date,
            ..RateLimitHeaders::default()
        }
    }

    #[test]
    fn rate_limit_waits_reset_minus_date_whatever_the_retry_number() {
        for retry_index in [0, 3] {
            let (wait, reason) = wait_for(
                RetryCause::RateLimited,
                &rate(Some(EPOCH + 37), Some(EPOCH)),
                retry_index,
                0.9,
            );
            assert_eq!(wait, Duration::from_secs(37));
            assert!(reason.contains("X-Rate-Limit-Reset"), "{reason}");
        }
    }

    #[test]
    fn rate_limit_without_usable_headers_backs_off_with_jitter() {
        for headers in [
            rate(Some(EPOCH), None),
            rate(None, Some(EPOCH)),
            rate(Some(EPOCH - 3), Some(EPOCH)),
        ] {
            let (wait, reason) = wait_for(RetryCause::RateLimited, &headers, 2, 0.5);
            assert_eq!(wait, Duration::from_secs(1), "half of 500 ms · 2²");
            assert!(reason.contains("backing off"), "{reason}");
        }
        let retry_after = RateLimitHeaders {
            retry_after: Some(7),
            ..RateLimitHeaders::default()
        };
        assert_eq!(
            wait_for(RetryCause::RateLimited, &retry_after, 0, 0.5).0,
            Duration::from_secs(7)
        );
    }

    #[test]
    fn full_jitter_spans_zero_to_the_capped_step() {
        assert_eq!(full_jitter(0, 0.0), Duration::ZERO);
        assert_eq!(
            full_jitter(0, 0.999_999),
            Duration::from_millis(500).mul_f64(0.999_999)
        );
        assert_eq!(full_jitter(1, 0.5), Duration::from_millis(500));
        assert_eq!(
            full_jitter(6, 0.5),
            Duration::from_secs(15),
            "capped at 30 s"
        );
        assert_eq!(full_jitter(u32::MAX, 1.0), BACKOFF_CAP, "no overflow");
    }

    #[test]
    fn concurrent_limit_never_waits_zero_and_ignores_reset() {
        let concurrent = RateLimitHeaders {
            limit: Some(0),
            remaining: Some(0),
            reset_epoch: Some(EPOCH + 60),
            date_epoch: Some(EPOCH),
            retry_after: None,
        };
        let (first, reason) = wait_for(RetryCause::ConcurrentLimit, &concurrent, 0, 0.0);
        assert_eq!(first, Duration::from_millis(500));
        assert!(reason.contains("concurrent"), "{reason}");
        assert_eq!(
            wait_for(RetryCause::ConcurrentLimit, &concurrent, 10, 1.0).0,
            CONCURRENT_CAP
        );
    }

    #[test]
    fn unavailable_honours_retry_after_else_backs_off() {
        let none = RateLimitHeaders::default();
        let (wait, reason) = wait_for(RetryCause::Unavailable(503), &none, 0, 0.5);
        assert_eq!(wait, Duration::from_millis(250));
        assert!(reason.starts_with("503"), "{reason}");
        let after = RateLimitHeaders {
            retry_after: Some(2),
            ..none
        };
        assert_eq!(
            wait_for(RetryCause::Unavailable(503), &after, 0, 0.5).0,
            Duration::from_secs(2)
        );
    }

    #[test]
    fn random_fraction_is_in_range_and_varies() {
        let samples: Vec<f64> = (0..64).map(|_| random_fraction()).collect();
        assert!(samples.iter().all(|x| (0.0..1.0).contains(x)));
        let distinct: std::collections::BTreeSet<u64> =
            samples.iter().map(|x| x.to_bits()).collect();
        assert!(distinct.len() > 60);
    }
}
