//! Retries, on by default: one request becomes as many attempts as it takes, within the
//! request's budget, and never repeats a write that may have been applied.
//!
//! Each concern is its own module: [`classify`] decides whether an outcome may be retried for
//! the method, [`backoff`] how long to wait, [`budget`] whether MaxRetries and the one
//! RequestTimeout deadline leave room. Every attempt goes through the org's
//! [`governor`](crate::governor) first. Each retry carries `X-Okta-Retry-For` (the first
//! attempt's `X-Okta-Request-Id`) and `X-Okta-Retry-Count`, as Okta's SDKs send them.
//!
//! Every attempt and wait is recorded in the request's attempt log ([`Attempt`]), returned with
//! the outcome ([`Logged`]), and told as it happens to an optional [`AttemptObserver`].

pub(crate) mod backoff;
pub(crate) mod budget;
pub(crate) mod classify;

use std::sync::Arc;

use crate::cancel::CancelSignal;
use crate::client::{ApiResponse, Client};
use crate::clock::{self, human, millis, now};
use crate::error::Error;
use crate::error::TransportKind;
use crate::governor::{Pacing, bucket::BucketKey};
use crate::rate_limit_headers::RateLimitHeaders;
use crate::request::ApiRequest;
use crate::runtime::runtime;
use budget::{Budget, PastDeadline};
use classify::{Delivery, Outcome, Verdict, classify};

pub const RETRY_FOR_HEADER: &str = "X-Okta-Retry-For";
pub const RETRY_COUNT_HEADER: &str = "X-Okta-Retry-Count";

/// One attempt of a request, as the attempt log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the first attempt.
    pub attempt: u32,
    /// Time the governor held this attempt back before sending it.
    pub paced_ms: u64,
    /// Why it was held back (bucket nearly spent, concurrency cap), when it was.
    pub paced_reason: Option<String>,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// For an attempt without an answer: `notSent`, `notSentPermanent` or `outcomeUnknown`.
    pub failure: Option<&'static str>,
    /// The answer's `X-Okta-Request-Id`.
    pub request_id: Option<String>,
    /// From sending to the end of the answer.
    pub elapsed_ms: u64,
    /// What followed this attempt.
    pub next: Next,
    /// The wait before the next attempt (0 unless `next` is `retry`).
    pub wait_ms: u64,
    /// Why: the retry reason and wait, or why the outcome stands.
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// This outcome is the request's outcome (success, or an error no retry can change).
    Done,
    /// Another attempt follows after `wait_ms`.
    Retry,
    /// Retrying could have helped but was not done (method not idempotent, MaxRetries spent,
    /// deadline); this outcome is returned.
    GiveUp,
}

/// Hears about attempts and waits as they happen (e.g. to write `-Verbose` lines live).
/// Both methods are called on the thread running the request and must return quickly.
pub trait AttemptObserver: Send + Sync {
    /// The governor starts holding attempt `attempt` back, for `reason`.
    fn pacing(&self, attempt: u32, reason: &str) {
        let _ = (attempt, reason);
    }

    /// An attempt ended; if `attempt.next` is `Retry`, the wait of `attempt.wait_ms` starts now.
    fn attempted(&self, attempt: &Attempt) {
        let _ = attempt;
    }
}

/// The observer that ignores everything (the default).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoObserver;

impl AttemptObserver for NoObserver {}

/// A request's outcome with its attempt log.
#[derive(Debug)]
pub struct Logged {
    pub result: Result<ApiResponse, Error>,
    pub attempts: Vec<Attempt>,
}

/// The attempt log, shared so that a cancelled request still reports what it did.
#[derive(Clone, Default)]
struct AttemptLog(Arc<std::sync::Mutex<Vec<Attempt>>>);

impl AttemptLog {
    fn push(&self, attempt: Attempt) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(attempt);
    }

    fn take(&self) -> Vec<Attempt> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Client {
    /// [`Client::send`] with its attempt log, telling `observer` about each attempt and wait
    /// as it happens.
    pub async fn send_logged(
        &self,
        request: ApiRequest,
        observer: Arc<dyn AttemptObserver>,
    ) -> Logged {
        let log = AttemptLog::default();
        let result = send_with_retries(self, request, &*observer, &log).await;
        Logged {
            result,
            attempts: log.take(),
        }
    }

    /// [`Client::send_blocking_cancellable`] with its attempt log; a cancelled request still
    /// returns the attempts it made.
    pub fn send_blocking_cancellable_logged(
        &self,
        request: ApiRequest,
        cancel: &CancelSignal,
        observer: Arc<dyn AttemptObserver>,
    ) -> Logged {
        let refuse = |message: &str| Logged {
            result: Err(Error::Request(message.into())),
            attempts: Vec::new(),
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            return refuse(
                "send_blocking_cancellable_logged was called on an async runtime thread; await Client::send_logged instead",
            );
        }
        if cancel.is_cancelled() {
            return Logged {
                result: Err(Error::Cancelled),
                attempts: Vec::new(),
            };
        }
        let log = AttemptLog::default();
        let result = runtime().block_on(async {
            tokio::select! {
                outcome = send_with_retries(self, request, &*observer, &log) => outcome,
                () = cancel.cancelled() => Err(Error::Cancelled),
            }
        });
        Logged {
            result,
            attempts: log.take(),
        }
    }
}

/// The retry loop. Runs in the caller's task so that its waits use the caller's clock (a paused
/// clock in tests); each attempt itself runs on the process runtime.
async fn send_with_retries(
    client: &Client,
    request: ApiRequest,
    observer: &dyn AttemptObserver,
    log: &AttemptLog,
) -> Result<ApiResponse, Error> {
    let method = request.http_method()?;
    let url = request.url(client.base_url())?;
    let config = client.config();
    let governor = client.org().governor().clone();
    let bucket = BucketKey::of(&method, url.path());
    let pacing = Pacing::of(config);
    let mut budget = Budget::start(config.retries(), config.timeout());
    let what = format!("{method} {}", request_label(&request));
    let mut first_request_id: Option<String> = None;

    for number in 1u32.. {
        let admission = governor
            .admit(bucket.clone(), pacing, budget.deadline(), &mut |reason| {
                observer.pacing(number, reason)
            })
            .await
            .map_err(|refused| {
                deadline_error(
                    &what,
                    number,
                    &format!("waiting for the rate-limit governor ({})", refused.reason),
                    &PastDeadline {
                        timeout: config.timeout().unwrap_or_default(),
                        left: budget
                            .deadline()
                            .map(|d| d.saturating_duration_since(now()))
                            .unwrap_or_default(),
                    },
                    None,
                )
            })?;
        let timeout = budget.attempt_timeout().map_err(|past| {
            deadline_error(&what, number, "sending the next attempt", &past, None)
        })?;

        let mut this_attempt = request.clone();
        if number > 1 {
            if let Some(id) = &first_request_id {
                this_attempt
                    .headers
                    .push((RETRY_FOR_HEADER.to_owned(), id.clone()));
            }
            this_attempt
                .headers
                .push((RETRY_COUNT_HEADER.to_owned(), (number - 1).to_string()));
        }
        let sent_at = now();
        let result = client.send_attempt(this_attempt, timeout).await;
        let elapsed = now().saturating_duration_since(sent_at);

        let (outcome, request_id) = match &result {
            Ok(response) => (
                answered(response.status, &response.headers),
                response.request_id.clone(),
            ),
            Err(Error::Api(api)) => (answered(api.status, &api.headers), api.request_id.clone()),
            Err(error) => match error.transport_kind() {
                Some(kind) => (Outcome::Failed(delivery_of(kind)), None),
                // Bad input or settings: nothing was attempted on the wire.
                None => return result,
            },
        };
        let paced = (admission.waited, admission.reason.clone());
        admission.finish(match &outcome {
            Outcome::Answered { rate, .. } => Some(rate),
            Outcome::Failed(_) => None,
        });
        if number == 1 {
            first_request_id = request_id.clone();
        }
        let mut record = Attempt {
            attempt: number,
            paced_ms: millis(paced.0),
            paced_reason: paced.1,
            status: match outcome {
                Outcome::Answered { status, .. } => Some(status),
                Outcome::Failed(_) => None,
            },
            failure: match outcome {
                Outcome::Failed(delivery) => Some(delivery.name()),
                Outcome::Answered { .. } => None,
            },
            request_id,
            elapsed_ms: millis(elapsed),
            next: Next::Done,
            wait_ms: 0,
            reason: String::new(),
        };

        let cause = match classify(&method, &outcome) {
            Verdict::Final => {
                record.reason = match outcome {
                    Outcome::Answered { status, .. } if status < 400 => "done".into(),
                    _ => "not retryable: this answer stands".into(),
                };
                finish(log, observer, record);
                return result;
            }
            Verdict::NotRepeatable(reason) => {
                record.next = Next::GiveUp;
                record.reason = reason.into();
                finish(log, observer, record);
                return result;
            }
            Verdict::Retry(cause) => cause,
        };
        if !budget.can_retry() {
            record.next = Next::GiveUp;
            record.reason = format!(
                "retryable, but MaxRetries {} is spent",
                budget.max_retries()
            );
            finish(log, observer, record);
            return result;
        }
        let rate = match outcome {
            Outcome::Answered { rate, .. } => rate,
            Outcome::Failed(_) => RateLimitHeaders::default(),
        };
        let (wait, why) =
            backoff::wait_for(cause, &rate, budget.retries(), backoff::random_fraction());
        if let Err(past) = budget.check_wait(wait) {
            record.next = Next::GiveUp;
            record.reason = format!("{why}, but that would pass {}", past.describe());
            finish(log, observer, record);
            let last = result.err().map(|error| error.to_string());
            return Err(deadline_error(
                &what,
                number + 1,
                &format!("waiting {} ({why})", human(wait)),
                &past,
                last.as_deref(),
            ));
        }
        record.next = Next::Retry;
        record.wait_ms = millis(wait);
        record.reason = why;
        finish(log, observer, record);
        clock::sleep_until(now() + wait).await;
        budget.count_retry();
    }
    unreachable!("the attempt loop only ends by returning")
}

fn answered(status: u16, headers: &[(String, String)]) -> Outcome {
    Outcome::Answered {
        status,
        rate: RateLimitHeaders::parse(headers),
    }
}

/// The one place a transport failure becomes a [`Delivery`] (see [`classify`]).
fn delivery_of(kind: TransportKind) -> Delivery {
    Delivery::from(kind)
}

fn finish(log: &AttemptLog, observer: &dyn AttemptObserver, record: Attempt) {
    observer.attempted(&record);
    log.push(record);
}

/// `GET /api/v1/users/{userId}`: the template, never the values (they may be logins or ids
/// a log should not collect), or the path of a followed link without its query.
fn request_label(request: &ApiRequest) -> String {
    match request
        .uri
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(uri) => uri.split('?').next().unwrap_or(uri).to_owned(),
        None => request.path.clone(),
    }
}

/// The error for a request that cannot finish before its RequestTimeout deadline: a timeout,
/// naming the deadline, what it was about to do, and the last answer it had.
fn deadline_error(
    what: &str,
    attempt: u32,
    doing: &str,
    past: &PastDeadline,
    last: Option<&str>,
) -> Error {
    let mut message = format!(
        "{what} gave up before attempt {attempt}: {doing} would pass {}",
        past.describe()
    );
    if let Some(last) = last {
        message.push_str(&format!("; last answer: {last}"));
    }
    Error::Transport {
        kind: TransportKind::Timeout,
        message,
    }
}
