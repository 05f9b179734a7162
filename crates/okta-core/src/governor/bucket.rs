//! Okta's rate-limit buckets: which bucket a request counts against, and what we know of each.
//!
//! Okta limits requests per minute per endpoint family and method (its published table):
//! `/apps`, `/apps/{id}`, `/groups`, `/groups/{id}`, `GET|POST /users`, `GET /users/{idOrLogin}`,
//! `POST|PUT|DELETE /users/{id}`, `/logs`, `/sessions`, `/oauth2/v1/clients`, `/oauth2/v1`, and the
//! rest of `/api/v1` (kept apart per family here, so families that Okta counts separately never
//! share a state). The bucket is learned from the method and the path before sending; its state
//! comes from the `X-Rate-Limit-*` headers of every answer in it.

use std::fmt;

use reqwest::Method;

use crate::clock::{Instant, human};
use crate::rate_limit_headers::RateLimitHeaders;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BucketKey {
    Apps,
    App,
    Groups,
    Group,
    Users,
    UserRead,
    UserWrite,
    Logs,
    Sessions,
    OAuthClients,
    OAuth,
    /// Any other `/api/v1/<family>`.
    Api(String),
    /// Outside `/api/v1` and `/oauth2`.
    Other,
}

impl BucketKey {
    /// The bucket of `method` on `path` (a URL path; a base-URL prefix before `/api/v1` or
    /// `/oauth2` is ignored).
    pub fn of(method: &Method, path: &str) -> BucketKey {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if let Some(at) = segments.windows(2).position(|w| w == ["api", "v1"]) {
            return api_bucket(method, &segments[at + 2..]);
        }
        if let Some(at) = segments.iter().position(|s| *s == "oauth2") {
            // /oauth2/v1/clients (dynamic client registration) has its own small bucket;
            // /oauth2/v1/* and custom authorization servers /oauth2/{id}/v1/* share one.
            let rest = &segments[at + 1..];
            return match rest {
                ["v1", "clients", ..] => BucketKey::OAuthClients,
                _ => BucketKey::OAuth,
            };
        }
        BucketKey::Other
    }
}

fn api_bucket(method: &Method, rest: &[&str]) -> BucketKey {
    let write = matches!(
        *method,
        Method::POST | Method::PUT | Method::DELETE | Method::PATCH
    );
    match rest {
        ["apps"] => BucketKey::Apps,
        ["apps", _] => BucketKey::App,
        ["groups"] => BucketKey::Groups,
        ["groups", _] => BucketKey::Group,
        ["users"] => BucketKey::Users,
        ["users", _] if write => BucketKey::UserWrite,
        ["users", _] => BucketKey::UserRead,
        ["logs", ..] => BucketKey::Logs,
        ["sessions", ..] => BucketKey::Sessions,
        [family, ..] => BucketKey::Api((*family).to_owned()),
        [] => BucketKey::Api(String::new()),
    }
}

impl fmt::Display for BucketKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BucketKey::Apps => f.write_str("/api/v1/apps"),
            BucketKey::App => f.write_str("/api/v1/apps/{id}"),
            BucketKey::Groups => f.write_str("/api/v1/groups"),
            BucketKey::Group => f.write_str("/api/v1/groups/{id}"),
            BucketKey::Users => f.write_str("GET|POST /api/v1/users"),
            BucketKey::UserRead => f.write_str("GET /api/v1/users/{idOrLogin}"),
            BucketKey::UserWrite => f.write_str("POST|PUT|DELETE /api/v1/users/{id}"),
            BucketKey::Logs => f.write_str("/api/v1/logs"),
            BucketKey::Sessions => f.write_str("/api/v1/sessions"),
            BucketKey::OAuthClients => f.write_str("/oauth2/v1/clients"),
            BucketKey::OAuth => f.write_str("/oauth2"),
            BucketKey::Api(family) => write!(f, "/api/v1/{family}"),
            BucketKey::Other => f.write_str("other paths"),
        }
    }
}

/// What the last answers said about one bucket, plus our own requests still on the way.
#[derive(Debug, Default)]
pub struct BucketState {
    /// Whether any answer came back from this bucket. Until one does, a single request goes
    /// first to learn the limit, so a burst cannot overrun a bucket nobody has measured yet.
    answered: bool,
    /// `None` until an answer described the bucket.
    window: Option<Window>,
    /// Our requests admitted to this bucket and not answered yet: the server has not counted
    /// them in any `Remaining` we hold.
    pub in_flight: u64,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    limit: u64,
    remaining: u64,
    /// The server's `Reset`, to tell a late answer from an older window.
    reset_epoch: Option<u64>,
    /// Our instant for that reset (`Reset − Date` after the answer arrived).
    resets_at: Instant,
}

/// Whether a request may go now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Go,
    /// Wait until the window resets (or until an answer changes the picture).
    UntilReset {
        until: Instant,
        reason: String,
    },
    /// Our own requests fill what is allowed; wait for their answers.
    ForInFlight {
        reason: String,
    },
}

/// How many of `limit` requests we may use at `capacity_percent` (at least one).
pub fn usable(limit: u64, capacity_percent: u32) -> u64 {
    (limit * u64::from(capacity_percent.min(100)) / 100).max(1)
}

/// What the governor knows of other buckets that may be this one on the server (see [`BucketState::same_window`]).
#[derive(Debug, Clone, Copy)]
pub struct Sharing {
    /// Our requests in flight in those buckets.
    pub in_flight: u64,
    /// The lowest `Remaining` they last heard (the latest word on a shared window).
    pub remaining: u64,
}

impl Sharing {
    pub const NONE: Sharing = Sharing { in_flight: 0, remaining: u64::MAX };
}

impl BucketState {
    /// Whether `other` describes the same window as this bucket: the same limit and the same reset.
    /// Okta's table keeps e.g. GET and POST /users/{id} apart, but an org with custom limits, a proxy or
    /// a simulator may count them together; then each bucket alone would count only its own requests in
    /// flight, and together they would overrun the window. Two truly separate buckets that share a limit
    /// and a reset second are merely paced a little early at the end of their window.
    pub fn same_window(&self, other: &BucketState) -> bool {
        match (self.window, other.window) {
            (Some(a), Some(b)) => a.limit == b.limit && a.reset_epoch.is_some() && a.reset_epoch == b.reset_epoch,
            _ => false,
        }
    }

    /// The `Remaining` of the window last heard, if any.
    pub fn remaining(&self) -> Option<u64> {
        self.window.map(|w| w.remaining)
    }

    /// [`decide_sharing`](Self::decide_sharing) for a bucket alone (the unit tests' view).
    #[cfg(test)]
    pub fn decide(&self, key: &BucketKey, now: Instant, capacity_percent: u32) -> Decision {
        self.decide_sharing(key, now, capacity_percent, Sharing::NONE)
    }

    /// Whether a request may go now, counting our requests in flight here and in buckets that share this
    /// one's window (`sharing`), and leaving `MaxApiCapacity`'s reserve to other clients.
    pub fn decide_sharing(&self, key: &BucketKey, now: Instant, capacity_percent: u32, sharing: Sharing) -> Decision {
        let Some(mut window) = self.window else {
            if !self.answered && self.in_flight > 0 {
                return Decision::ForInFlight {
                    reason: format!("bucket {key}: learning its limit from the first answer"),
                };
            }
            return Decision::Go;
        };
        let allowed = usable(window.limit, capacity_percent);
        if now >= window.resets_at {
            // Not updated past its reset: the bucket is fresh, only our own flights count.
            return if self.in_flight < allowed {
                Decision::Go
            } else {
                Decision::ForInFlight {
                    reason: format!(
                        "bucket {key}: {} requests in flight fill the {allowed} allowed",
                        self.in_flight
                    ),
                }
            };
        }
        window.remaining = window.remaining.min(sharing.remaining);
        let in_flight = self.in_flight + sharing.in_flight;
        let reserve = window.limit - allowed;
        let ours = window.remaining.saturating_sub(reserve);
        if ours > in_flight {
            return Decision::Go;
        }
        let share = if capacity_percent < 100 {
            format!(" (MaxApiCapacity {capacity_percent} % leaves {reserve} for other clients)")
        } else {
            String::new()
        };
        Decision::UntilReset {
            until: window.resets_at,
            reason: format!(
                "bucket {key}: {} of {} left, {} in flight{share}; waiting {} for its reset",
                window.remaining,
                window.limit,
                in_flight,
                human(window.resets_at.saturating_duration_since(now))
            ),
        }
    }

    /// Takes in what an answer said. Answers that describe no bucket (the concurrent-limit 429,
    /// a proxy's page) or no usable reset (no `Date`, garbage) change nothing: pacing on a
    /// guessed window could hold requests back for nothing, and the retry backoff covers a 429.
    /// An answer from an older window arriving late cannot undo a newer one.
    pub fn learn(&mut self, rate: &RateLimitHeaders, now: Instant) {
        self.answered = true;
        if !rate.describes_bucket() {
            return;
        }
        let (Some(limit), Some(remaining), Some(reset_in)) =
            (rate.limit, rate.remaining, rate.reset_in())
        else {
            return;
        };
        let fresh = Window {
            limit,
            remaining: remaining.min(limit),
            reset_epoch: rate.reset_epoch,
            resets_at: now + reset_in,
        };
        if let Some(held) = &mut self.window
            && let (Some(old), Some(new)) = (held.reset_epoch, fresh.reset_epoch)
        {
            if new < old {
                return;
            }
            if new == old {
                // Same window: answers may arrive out of order, the lowest Remaining is the latest.
                held.remaining = held.remaining.min(fresh.remaining);
                held.limit = fresh.limit;
                return;
            }
        }
        self.window = Some(fresh);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn okta_table_groups() {
        let get = Method::GET;
        let post = Method::POST;
        let cases = [
            (&get, "/api/v1/apps", BucketKey::Apps),
            (&post, "/api/v1/apps", BucketKey::Apps),
            (&get, "/api/v1/apps/0oa1", BucketKey::App),
            (&get, "/api/v1/groups", BucketKey::Groups),
            (&Method::DELETE, "/api/v1/groups/00g1", BucketKey::Group),
            (&get, "/api/v1/users", BucketKey::Users),
            (&post, "/api/v1/users", BucketKey::Users),
            (&get, "/api/v1/users/ada@example.com", BucketKey::UserRead),
            (&get, "/api/v1/users/{userId}", BucketKey::UserRead),
            (&post, "/api/v1/users/00u1", BucketKey::UserWrite),
            (&Method::PUT, "/api/v1/users/00u1", BucketKey::UserWrite),
            (&Method::DELETE, "/api/v1/users/00u1", BucketKey::UserWrite),
            (&get, "/api/v1/logs", BucketKey::Logs),
            (&get, "/api/v1/sessions/me", BucketKey::Sessions),
            (&post, "/oauth2/v1/token", BucketKey::OAuth),
            (&post, "/oauth2/aus1/v1/token", BucketKey::OAuth),
            (&post, "/oauth2/v1/clients", BucketKey::OAuthClients),
            (
                &get,
                "/api/v1/users/00u1/groups",
                BucketKey::Api("users".into()),
            ),
            (&get, "/api/v1/policies", BucketKey::Api("policies".into())),
            (&get, "/okta/api/v1/logs", BucketKey::Logs),
            (&get, "/.well-known/openid-configuration", BucketKey::Other),
        ];
        for (method, path, expected) in cases {
            assert_eq!(BucketKey::of(method, path), expected, "{method} {path}");
        }
    }

    #[test]
    fn usable_share_of_a_bucket() {
        assert_eq!(usable(600, 100), 600);
        assert_eq!(usable(600, 50), 300);
        assert_eq!(usable(3, 10), 1, "never zero");
    }

    fn rate(limit: u64, remaining: u64, reset_in: u64) -> RateLimitHeaders {
        RateLimitHeaders {
            limit: Some(limit),
            remaining: Some(remaining),
            reset_epoch: Some(1000 + reset_in),
            date_epoch: Some(1000),
            retry_after: None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn waits_before_zero_counting_requests_in_flight() {
        let now = Instant::now();
        let mut state = BucketState::default();
        assert_eq!(
            state.decide(&BucketKey::Logs, now, 100),
            Decision::Go,
            "unknown: one goes"
        );
        state.in_flight = 1;
        assert!(
            matches!(
                state.decide(&BucketKey::Logs, now, 100),
                Decision::ForInFlight { .. }
            ),
            "the others wait for its answer"
        );
        state.in_flight = 0;
        state.learn(&rate(10, 2, 30), now);
        assert_eq!(state.decide(&BucketKey::Logs, now, 100), Decision::Go);
        state.in_flight = 2;
        match state.decide(&BucketKey::Logs, now, 100) {
            Decision::UntilReset { until, reason } => {
                assert_eq!(until, now + Duration::from_secs(30));
                assert!(reason.contains("2 of 10 left, 2 in flight"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        // Past its reset the bucket counts as free again.
        let later = now + Duration::from_secs(30);
        assert_eq!(state.decide(&BucketKey::Logs, later, 100), Decision::Go);
        state.in_flight = 10;
        assert!(matches!(
            state.decide(&BucketKey::Logs, later, 100),
            Decision::ForInFlight { .. }
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn capacity_reserves_the_rest_for_others() {
        let now = Instant::now();
        let mut state = BucketState::default();
        state.learn(&rate(100, 51, 30), now);
        assert_eq!(state.decide(&BucketKey::Logs, now, 50), Decision::Go);
        state.learn(&rate(100, 50, 30), now);
        match state.decide(&BucketKey::Logs, now, 50) {
            Decision::UntilReset { reason, .. } => {
                assert!(reason.contains("MaxApiCapacity 50 %"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(state.decide(&BucketKey::Logs, now, 100), Decision::Go);
    }

    #[tokio::test(start_paused = true)]
    async fn late_answers_from_an_older_window_do_not_undo_a_newer_one() {
        let now = Instant::now();
        let mut state = BucketState::default();
        state.learn(&rate(10, 0, 30), now);
        // A new window (later Reset) replaces it.
        let newer = RateLimitHeaders {
            reset_epoch: Some(1090),
            date_epoch: Some(1031),
            ..rate(10, 9, 0)
        };
        state.learn(&newer, now);
        assert_eq!(state.decide(&BucketKey::Logs, now, 100), Decision::Go);
        // An old-window answer (Remaining 0) arriving late is ignored.
        state.learn(&rate(10, 0, 30), now);
        assert_eq!(state.decide(&BucketKey::Logs, now, 100), Decision::Go);
        // Same window, out of order: the lowest Remaining stays.
        let same_window_higher = RateLimitHeaders {
            remaining: Some(9),
            ..newer
        };
        let same_window_lower = RateLimitHeaders {
            remaining: Some(0),
            ..newer
        };
        state.learn(&same_window_lower, now);
        state.learn(&same_window_higher, now);
        assert!(matches!(
            state.decide(&BucketKey::Logs, now, 100),
            Decision::UntilReset { .. }
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn answers_without_bucket_headers_change_nothing() {
        let now = Instant::now();
        let mut state = BucketState::default();
        let concurrent = RateLimitHeaders {
            limit: Some(0),
            remaining: Some(0),
            ..RateLimitHeaders::default()
        };
        state.learn(&concurrent, now);
        state.learn(&RateLimitHeaders::default(), now);
        state.in_flight = 50;
        assert_eq!(
            state.decide(&BucketKey::Logs, now, 100),
            Decision::Go,
            "a bucket that answers without headers is not paced"
        );
        state.in_flight = 0;
        // Without Date there is no reset to wait for: nothing is learned.
        let no_date = RateLimitHeaders {
            date_epoch: None,
            ..rate(5, 0, 30)
        };
        state.learn(&no_date, now);
        assert_eq!(state.decide(&BucketKey::Logs, now, 100), Decision::Go);
    }
}
