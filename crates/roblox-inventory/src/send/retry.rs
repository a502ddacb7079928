//! When a request is sent again: the policy, the schedule of one request's retries, and which answers are
//! retried.

use std::time::{Duration, Instant, SystemTime};

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::budget::{ratelimit_reset, retry_after};

/// When and how often an idempotent request (`GET`, `HEAD`) is sent again.
///
/// A request is retried on 429, 500, 502, 503 and 504, on timeouts and on connection or body errors. The wait
/// before retry `n` is an exponential backoff with jitter (`base_delay * 2^(n-1)`, plus up to as much again at
/// random, at most `max_delay`), or the server's `Retry-After` (seconds or an HTTP date) or, on a 429,
/// `x-ratelimit-reset`, when that is longer (a server hint is cut to `max_delay`). Retrying stops after
/// `max_attempts` attempts in all, or when the next wait would end after `max_elapsed` from the first
/// attempt; the last response or error is then returned. Mutations are never retried (the legacy CSRF
/// handshake, which resends a mutation once with a fresh token, is the one exception).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 (or 0) means no retry.
    pub max_attempts: u32,
    /// No retry starts later than this after the first attempt.
    pub max_elapsed: Duration,
    /// The backoff before the first retry.
    pub base_delay: Duration,
    /// The longest single wait, server hints included.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts within 60 s, backoff from 250 ms, single waits of at most 30 s.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(60),
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }
}

/// How long the server asked to wait before trying again: `Retry-After`, or on a 429 `x-ratelimit-reset`.
pub(crate) fn server_hint(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    retry_after(headers, SystemTime::now()).or_else(|| {
        (status == StatusCode::TOO_MANY_REQUESTS)
            .then(|| ratelimit_reset(headers))
            .flatten()
    })
}

/// The retries left to one request under a policy: made when the first attempt fails, so that a request that
/// succeeds at once costs nothing here.
pub(crate) struct Schedule<'a> {
    policy: &'a RetryPolicy,
    started: Instant,
    backoff: ExponentialBackoff,
}

impl<'a> Schedule<'a> {
    /// The schedule of a request first sent at `started`.
    pub(crate) fn new(policy: &'a RetryPolicy, started: Instant) -> Self {
        let backoff = ExponentialBuilder::new()
            .with_jitter()
            .with_min_delay(policy.base_delay)
            .with_max_delay(policy.max_delay)
            .with_max_times(policy.max_attempts.saturating_sub(1) as usize)
            .build();
        Self {
            policy,
            started,
            backoff,
        }
    }

    /// How long to wait before the next attempt, given the server's `hint`; `None` when no attempt is left, or
    /// when the wait would end after `max_elapsed` from the first attempt.
    pub(crate) fn next_wait(&mut self, hint: Option<Duration>) -> Option<Duration> {
        let backoff = self.backoff.next()?;
        let delay = hint
            .map(|hint| hint.min(self.policy.max_delay))
            .unwrap_or_default()
            .max(backoff);
        (self.started.elapsed() + delay <= self.policy.max_elapsed).then_some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn x_ratelimit_reset_is_a_hint_only_on_a_429() {
        let headers = headers(&[("x-ratelimit-reset", "30")]);
        assert_eq!(
            server_hint(StatusCode::TOO_MANY_REQUESTS, &headers),
            Some(Duration::from_secs(30))
        );
        assert_eq!(server_hint(StatusCode::SERVICE_UNAVAILABLE, &headers), None);
    }

    #[test]
    fn a_schedule_gives_at_most_the_attempts_left_and_takes_the_longer_of_hint_and_backoff() {
        let policy = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(60),
        };
        let mut schedule = Schedule::new(&policy, Instant::now());
        let first = schedule.next_wait(Some(Duration::from_secs(2))).unwrap();
        assert_eq!(
            first,
            Duration::from_secs(2),
            "the hint is longer than the backoff"
        );
        let second = schedule.next_wait(Some(Duration::from_secs(3600))).unwrap();
        assert_eq!(second, Duration::from_secs(5), "a hint is cut to max_delay");
        assert_eq!(schedule.next_wait(None), None, "three attempts in all");

        let none = RetryPolicy::none();
        assert_eq!(Schedule::new(&none, Instant::now()).next_wait(None), None);
    }

    #[test]
    fn no_wait_ends_after_max_elapsed() {
        let policy = RetryPolicy {
            max_elapsed: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        let mut schedule = Schedule::new(&policy, Instant::now());
        assert_eq!(schedule.next_wait(Some(Duration::from_secs(2))), None);
    }
}
