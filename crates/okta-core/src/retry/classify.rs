//! Which outcome of an attempt may be tried again, for which HTTP method.
//!
//! The rule protects writes: a request is only repeated when repeating it cannot apply it twice.
//! - 429: Okta did not process the request → any method.
//! - 502/503/504 and failures whose outcome is unknown (the request may have been sent: timeout,
//!   connection dropped after sending, body cut off) → idempotent methods only (GET, HEAD, PUT,
//!   DELETE, OPTIONS); never a POST or PATCH that may have been applied.
//! - The connection could not be opened, so nothing was sent → any method.
//! - DNS and TLS failures are settings problems, not weather → never (fail fast with the hint).
//! - Every other status → never.
//!
//! The input is this module's own small [`Outcome`] type, built from a status or from the
//! transport failure's kind; when `error.rs` learns "not sent" vs "outcome unknown" itself,
//! only [`Delivery::from`] changes.

use reqwest::Method;

use crate::error::TransportKind;
use crate::rate_limit_headers::RateLimitHeaders;

/// How far a failed attempt got, for attempts that ended without an HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The connection was never established: the server cannot have seen the request.
    NotSent,
    /// Not sent, and trying again cannot help (name resolution, TLS/certificate).
    NotSentPermanent,
    /// The request may have reached the server; its effect is unknown.
    OutcomeUnknown,
}

impl From<TransportKind> for Delivery {
    fn from(kind: TransportKind) -> Delivery {
        match kind {
            TransportKind::Connect => Delivery::NotSent,
            TransportKind::Dns | TransportKind::Tls => Delivery::NotSentPermanent,
            TransportKind::Timeout | TransportKind::Body | TransportKind::Other => {
                Delivery::OutcomeUnknown
            }
        }
    }
}

impl Delivery {
    /// The name used in the attempt log.
    pub fn name(self) -> &'static str {
        match self {
            Delivery::NotSent => "notSent",
            Delivery::NotSentPermanent => "notSentPermanent",
            Delivery::OutcomeUnknown => "outcomeUnknown",
        }
    }
}

/// What one attempt produced, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    Answered { status: u16, rate: RateLimitHeaders },
    Failed(Delivery),
}

/// Why an attempt is worth repeating; the backoff differs per cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryCause {
    /// 429 from a bucket: wait for its reset.
    RateLimited,
    /// 429 from the org's concurrent-request limit (Limit = Remaining = 0).
    ConcurrentLimit,
    /// 502, 503 or 504.
    Unavailable(u16),
    /// The connection could not be opened.
    NotSent,
    /// The request may have been sent and no answer came back.
    OutcomeUnknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A final answer (success or an error no retry can change).
    Final,
    /// A transient failure that this method must not repeat; the reason is logged.
    NotRepeatable(&'static str),
    Retry(RetryCause),
}

pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

pub fn classify(method: &Method, outcome: &Outcome) -> Verdict {
    let idempotent_only = |cause: RetryCause, refusal: &'static str| {
        if is_idempotent(method) {
            Verdict::Retry(cause)
        } else {
            Verdict::NotRepeatable(refusal)
        }
    };
    match *outcome {
        Outcome::Answered { status: 429, rate } if rate.is_concurrent_limit() => {
            Verdict::Retry(RetryCause::ConcurrentLimit)
        }
        Outcome::Answered { status: 429, .. } => Verdict::Retry(RetryCause::RateLimited),
        Outcome::Answered {
            status: status @ (502 | 503 | 504),
            ..
        } => idempotent_only(
            RetryCause::Unavailable(status),
            "not retried: the server may have applied this non-idempotent request before failing",
        ),
        Outcome::Answered { .. } => Verdict::Final,
        Outcome::Failed(Delivery::NotSent) => Verdict::Retry(RetryCause::NotSent),
        Outcome::Failed(Delivery::NotSentPermanent) => Verdict::NotRepeatable(
            "not retried: a name-resolution or TLS failure does not pass by itself",
        ),
        Outcome::Failed(Delivery::OutcomeUnknown) => idempotent_only(
            RetryCause::OutcomeUnknown,
            "not retried: the request may have been applied and its answer was lost",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(status: u16) -> Outcome {
        Outcome::Answered {
            status,
            rate: RateLimitHeaders::default(),
        }
    }

    const ALL: [Method; 7] = [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::POST,
        Method::PATCH,
    ];

    #[test]
    fn rate_limit_is_retried_for_every_method() {
        for method in ALL {
            assert_eq!(
                classify(&method, &answered(429)),
                Verdict::Retry(RetryCause::RateLimited),
                "{method}"
            );
        }
        let concurrent = Outcome::Answered {
            status: 429,
            rate: RateLimitHeaders {
                limit: Some(0),
                remaining: Some(0),
                ..RateLimitHeaders::default()
            },
        };
        assert_eq!(
            classify(&Method::POST, &concurrent),
            Verdict::Retry(RetryCause::ConcurrentLimit)
        );
    }

    #[test]
    fn gateway_errors_only_for_idempotent_methods() {
        for status in [502, 503, 504] {
            for method in ALL {
                let verdict = classify(&method, &answered(status));
                if is_idempotent(&method) {
                    assert_eq!(verdict, Verdict::Retry(RetryCause::Unavailable(status)));
                } else {
                    assert!(
                        matches!(verdict, Verdict::NotRepeatable(_)),
                        "{method} {status}"
                    );
                }
            }
        }
    }

    #[test]
    fn other_statuses_are_final() {
        for status in [
            200, 201, 204, 302, 400, 401, 403, 404, 405, 409, 412, 500, 501, 505,
        ] {
            for method in ALL {
                assert_eq!(
                    classify(&method, &answered(status)),
                    Verdict::Final,
                    "{method} {status}"
                );
            }
        }
    }

    #[test]
    fn transport_failures_by_delivery() {
        for method in ALL {
            assert_eq!(
                classify(&method, &Outcome::Failed(Delivery::NotSent)),
                Verdict::Retry(RetryCause::NotSent)
            );
            assert!(matches!(
                classify(&method, &Outcome::Failed(Delivery::NotSentPermanent)),
                Verdict::NotRepeatable(_)
            ));
            let unknown = classify(&method, &Outcome::Failed(Delivery::OutcomeUnknown));
            if is_idempotent(&method) {
                assert_eq!(unknown, Verdict::Retry(RetryCause::OutcomeUnknown));
            } else {
                assert!(matches!(unknown, Verdict::NotRepeatable(_)), "{method}");
            }
        }
    }

    #[test]
    fn transport_kinds_map_to_delivery() {
        assert_eq!(Delivery::from(TransportKind::Connect), Delivery::NotSent);
        assert_eq!(
            Delivery::from(TransportKind::Dns),
            Delivery::NotSentPermanent
        );
        assert_eq!(
            Delivery::from(TransportKind::Tls),
            Delivery::NotSentPermanent
        );
        for kind in [
            TransportKind::Timeout,
            TransportKind::Body,
            TransportKind::Other,
        ] {
            assert_eq!(Delivery::from(kind), Delivery::OutcomeUnknown);
        }
    }
}
