//! What an Okta answer says about its rate-limit bucket: `X-Rate-Limit-Limit`, `-Remaining`,
//! `-Reset` (UTC epoch seconds), the response's `Date`, and `Retry-After`.
//!
//! Both the retry backoff and the governor read these, and both must survive what real proxies and
//! orgs send: a header repeated (several buckets applied; the lowest value is the binding one),
//! values joined by commas, garbage, or no `Date`. A value that cannot be read is simply absent.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A reset further away than this is not a one-minute Okta window: treat it as garbage.
const LONGEST_BELIEVABLE_RESET: u64 = 3600;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RateLimitHeaders {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    /// When the window resets, in the server's epoch seconds.
    pub reset_epoch: Option<u64>,
    /// The response's `Date`, in epoch seconds (the server's clock, unlike ours).
    pub date_epoch: Option<u64>,
    /// `Retry-After` in seconds (the date form is not used by Okta).
    pub retry_after: Option<u64>,
}

impl RateLimitHeaders {
    pub fn parse(headers: &[(String, String)]) -> RateLimitHeaders {
        RateLimitHeaders {
            limit: lowest(headers, "x-rate-limit-limit"),
            remaining: lowest(headers, "x-rate-limit-remaining"),
            reset_epoch: lowest(headers, "x-rate-limit-reset"),
            date_epoch: values(headers, "date").find_map(http_date_epoch),
            retry_after: lowest(headers, "retry-after"),
        }
    }

    /// Time until the window resets, measured on the server's clock: `Reset − Date`.
    /// `None` when either header is missing or unusable (reset before `Date`, or absurdly far).
    /// A reset within the current second (`Reset == Date`) is at most 1 s away.
    pub fn reset_in(&self) -> Option<Duration> {
        let reset = self.reset_epoch?;
        let date = self.date_epoch?;
        let seconds = reset.checked_sub(date)?;
        if seconds > LONGEST_BELIEVABLE_RESET {
            return None;
        }
        Some(Duration::from_secs(seconds.max(1)))
    }

    /// The concurrent-request limit, not a bucket: Okta answers it with Limit and Remaining both 0,
    /// and its Reset is only an estimate.
    pub fn is_concurrent_limit(&self) -> bool {
        self.limit == Some(0) && self.remaining == Some(0)
    }

    /// Whether the answer described a bucket at all.
    pub fn describes_bucket(&self) -> bool {
        self.limit.is_some_and(|limit| limit > 0) && self.remaining.is_some()
    }

    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
            .filter(|seconds| *seconds <= LONGEST_BELIEVABLE_RESET)
            .map(Duration::from_secs)
    }
}

fn values<'a>(headers: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
    headers
        .iter()
        .filter(move |(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// The lowest readable integer among every value (repeated headers and comma-joined lists alike).
fn lowest(headers: &[(String, String)], name: &str) -> Option<u64> {
    values(headers, name)
        .flat_map(|value| value.split(','))
        .filter_map(|part| part.trim().parse::<u64>().ok())
        .min()
}

fn http_date_epoch(value: &str) -> Option<u64> {
    let time: SystemTime = httpdate::parse_http_date(value.trim()).ok()?;
    time.duration_since(UNIX_EPOCH).ok().map(|d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    // 2026-12-01T12:00:00Z
    const DATE: &str = "Tue, 01 Dec 2026 12:00:00 GMT";
    const EPOCH: u64 = 1_796_126_400;

    #[test]
    fn reads_the_three_headers_and_date() {
        let parsed = RateLimitHeaders::parse(&headers(&[
            ("X-Rate-Limit-Limit", "600"),
            ("x-rate-limit-remaining", "12"),
            ("X-RATE-LIMIT-RESET", &(EPOCH + 42).to_string()),
            ("Date", DATE),
        ]));
        assert_eq!(parsed.limit, Some(600));
        assert_eq!(parsed.remaining, Some(12));
        assert_eq!(parsed.date_epoch, Some(EPOCH));
        assert_eq!(parsed.reset_in(), Some(Duration::from_secs(42)));
        assert!(parsed.describes_bucket());
        assert!(!parsed.is_concurrent_limit());
    }

    #[test]
    fn repeated_and_comma_joined_values_take_the_lowest() {
        let parsed = RateLimitHeaders::parse(&headers(&[
            ("x-rate-limit-reset", &(EPOCH + 50).to_string()),
            (
                "x-rate-limit-reset",
                &format!("{}, {}", EPOCH + 20, EPOCH + 90),
            ),
            ("x-rate-limit-remaining", "7, 3"),
            ("date", DATE),
        ]));
        assert_eq!(parsed.reset_in(), Some(Duration::from_secs(20)));
        assert_eq!(parsed.remaining, Some(3));
    }

    #[test]
    fn garbage_is_absent_and_unusable_resets_give_none() {
        let garbage = RateLimitHeaders::parse(&headers(&[
            ("x-rate-limit-reset", "soon"),
            ("x-rate-limit-limit", "-5"),
            ("date", "yesterday"),
        ]));
        assert_eq!(garbage, RateLimitHeaders::default());
        assert_eq!(garbage.reset_in(), None);

        let no_date =
            RateLimitHeaders::parse(&headers(&[("x-rate-limit-reset", &EPOCH.to_string())]));
        assert_eq!(
            no_date.reset_in(),
            None,
            "no Date: the local clock is not used"
        );

        let reset_in_the_past = RateLimitHeaders::parse(&headers(&[
            ("x-rate-limit-reset", &(EPOCH - 5).to_string()),
            ("date", DATE),
        ]));
        assert_eq!(reset_in_the_past.reset_in(), None);

        let absurd = RateLimitHeaders::parse(&headers(&[
            ("x-rate-limit-reset", &(EPOCH + 86_400).to_string()),
            ("date", DATE),
        ]));
        assert_eq!(absurd.reset_in(), None);

        let this_second = RateLimitHeaders::parse(&headers(&[
            ("x-rate-limit-reset", &EPOCH.to_string()),
            ("date", DATE),
        ]));
        assert_eq!(this_second.reset_in(), Some(Duration::from_secs(1)));
    }

    #[test]
    fn concurrent_limit_is_limit_and_remaining_zero() {
        let parsed = RateLimitHeaders::parse(&headers(&[
            ("x-rate-limit-limit", "0"),
            ("x-rate-limit-remaining", "0"),
        ]));
        assert!(parsed.is_concurrent_limit());
        assert!(!parsed.describes_bucket());
    }

    #[test]
    fn retry_after_seconds() {
        let parsed = RateLimitHeaders::parse(&headers(&[("Retry-After", "3")]));
        assert_eq!(parsed.retry_after(), Some(Duration::from_secs(3)));
        let date_form = RateLimitHeaders::parse(&headers(&[(
            "Retry-After",
            "Wed, 21 Oct 2026 07:28:00 GMT",
        )]));
        assert_eq!(date_form.retry_after(), None);
    }
}
