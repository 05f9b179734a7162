//! How much retrying one request may do: at most `MaxRetries` retries, and everything — every
//! attempt, every governor wait and every backoff — inside one `RequestTimeout` deadline.
//!
//! A wait that would end past the deadline is refused at once rather than slept and then failed:
//! the caller learns now, not in 30 s, that the request cannot finish in time.

use std::time::Duration;

use crate::clock::{Instant, human, now};

#[derive(Debug)]
pub struct Budget {
    max_retries: u32,
    retries: u32,
    timeout: Option<Duration>,
    deadline: Option<Instant>,
}

/// A wait or attempt that the deadline does not leave room for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastDeadline {
    pub timeout: Duration,
    pub left: Duration,
}

impl PastDeadline {
    /// "the RequestTimeout deadline of 5000 ms (1.2 s left)"
    pub fn describe(&self) -> String {
        format!(
            "the RequestTimeout deadline of {} ms ({} left)",
            self.timeout.as_millis(),
            human(self.left)
        )
    }
}

impl Budget {
    /// Starts the deadline clock now. `timeout` `None`: no deadline.
    pub fn start(max_retries: u32, timeout: Option<Duration>) -> Budget {
        Budget {
            max_retries,
            retries: 0,
            timeout,
            deadline: timeout.map(|timeout| now() + timeout),
        }
    }

    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// Retries done so far.
    pub fn retries(&self) -> u32 {
        self.retries
    }

    pub fn can_retry(&self) -> bool {
        self.retries < self.max_retries
    }

    pub fn count_retry(&mut self) {
        self.retries += 1;
    }

    /// Time left for the next attempt (`Ok(None)`: no deadline); `Err` once it has passed.
    pub fn attempt_timeout(&self) -> Result<Option<Duration>, PastDeadline> {
        let Some(deadline) = self.deadline else {
            return Ok(None);
        };
        let left = deadline.saturating_duration_since(now());
        if left.is_zero() {
            return Err(self.past(left));
        }
        Ok(Some(left))
    }

    /// `Ok` when waiting `wait` from now still ends before the deadline.
    pub fn check_wait(&self, wait: Duration) -> Result<(), PastDeadline> {
        self.check_until(now() + wait)
    }

    pub fn check_until(&self, until: Instant) -> Result<(), PastDeadline> {
        match self.deadline {
            Some(deadline) if until >= deadline => {
                Err(self.past(deadline.saturating_duration_since(now())))
            }
            _ => Ok(()),
        }
    }

    fn past(&self, left: Duration) -> PastDeadline {
        PastDeadline {
            timeout: self.timeout.unwrap_or_default(),
            left,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn one_deadline_over_everything() {
        let budget = Budget::start(4, Some(Duration::from_secs(10)));
        assert_eq!(budget.attempt_timeout(), Ok(Some(Duration::from_secs(10))));
        budget.check_wait(Duration::from_secs(9)).unwrap();
        let refused = budget.check_wait(Duration::from_secs(10)).unwrap_err();
        assert_eq!(refused.left, Duration::from_secs(10));
        assert!(
            refused
                .describe()
                .contains("RequestTimeout deadline of 10000 ms")
        );

        tokio::time::advance(Duration::from_secs(7)).await;
        assert_eq!(budget.attempt_timeout(), Ok(Some(Duration::from_secs(3))));
        assert!(budget.check_wait(Duration::from_secs(4)).is_err());
        tokio::time::advance(Duration::from_secs(3)).await;
        assert!(budget.attempt_timeout().is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn no_deadline_never_refuses() {
        let budget = Budget::start(0, None);
        assert_eq!(budget.attempt_timeout(), Ok(None));
        budget.check_wait(Duration::from_secs(86_400)).unwrap();
        assert!(!budget.can_retry(), "MaxRetries 0 means no retry");
    }

    #[test]
    fn counts_retries_up_to_the_maximum() {
        let mut budget = Budget::start(2, None);
        assert!(budget.can_retry());
        budget.count_retry();
        budget.count_retry();
        assert!(!budget.can_retry());
        assert_eq!(budget.retries(), 2);
    }
}
