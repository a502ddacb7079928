//! Retries, client-side rate limiting and the cap on requests in flight, used by the transports.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};
use http_body_util::BodyExt;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};
use tokio::sync::Semaphore;

use crate::budget::{
    Admission, Budget, BudgetError, BudgetKey, BudgetStore, Observation, ServerLimit, ServerQuota,
    into_reqwest, limits_anything,
};
use crate::refusal::{self, Refusal, carried};

/// The tracing target of the events that say the client is waiting (for the rate limit, or to retry), with the
/// wait in `wait_ms` and why in `reason`.
pub const WAIT_TARGET: &str = "roblox_inventory::wait";

// Named once rather than as `&str`, which `HeaderMap::get` would parse again on every answer.
const X_RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const X_RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const X_RATELIMIT_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

fn duration_ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

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

/// A client-side limit: at most `requests` requests per `per`, for one credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests per window.
    pub requests: u32,
    /// The window.
    pub per: Duration,
}

impl RateLimit {
    /// Roblox's documented Open Cloud limit per API key owner: 100 a minute.
    pub const API_KEY: RateLimit = RateLimit {
        requests: 100,
        per: Duration::from_secs(60),
    };
    /// Roblox's documented Open Cloud limit per OAuth access token: 20 a minute.
    pub const OAUTH_TOKEN: RateLimit = RateLimit {
        requests: 20,
        per: Duration::from_secs(60),
    };
}

/// The rate limiter of one credential, shared by every clone of the client (and every task using it): its budget
/// in a [`BudgetStore`] (by default an [`InProcessBudget`] of the client's own), and how answers are read.
///
/// The budget combines a fixed window of the known limit (configured, or learned from `x-ratelimit-limit`), what the
/// server last said is left (`x-ratelimit-remaining` / `-reset`: at 0 nothing is sent until the reset), and a
/// pause for the whole credential after a 429 (`Retry-After`, else `x-ratelimit-reset`, at most `max_pause`).
#[derive(Debug)]
pub(crate) struct Limiter {
    adaptive: bool,
    max_pause: Duration,
    store: Arc<dyn BudgetStore>,
    budget: Budget,
}

impl Limiter {
    /// A limiter with a budget of its own. `max_pause` caps the pause after a 429 (the retry policy's
    /// `max_delay`).
    #[cfg(test)]
    pub(crate) fn new(limit: Option<RateLimit>, adaptive: bool, max_pause: Duration) -> Self {
        Self::with_store(
            Arc::new(crate::budget::InProcessBudget::new()),
            BudgetKey::new("anonymous"),
            limit,
            adaptive,
            max_pause,
        )
    }

    /// A limiter spending the budget `key` of `store`.
    pub(crate) fn with_store(
        store: Arc<dyn BudgetStore>,
        key: BudgetKey,
        limit: Option<RateLimit>,
        adaptive: bool,
        max_pause: Duration,
    ) -> Self {
        Self {
            adaptive,
            max_pause,
            store,
            budget: Budget::new(key, limit),
        }
    }

    /// Waits until a request may be sent, and counts it; fails if the store does.
    pub(crate) async fn admit(&self) -> Result<(), BudgetError> {
        loop {
            let wait = match self.store.try_acquire(&self.budget).await? {
                Admission::Granted => return Ok(()),
                Admission::Wait(wait) => wait,
            };
            // Said as an event so that a caller can show a wait as a wait (rbxinv's progress line does).
            tracing::info!(
                target: WAIT_TARGET,
                wait_ms = duration_ms(wait),
                reason = "rate limit",
                "waiting for the rate limit"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// Tells the store what a response's status and headers say, if they say anything.
    pub(crate) async fn learn(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Result<(), BudgetError> {
        let observation = observation(status, headers, self.adaptive, self.max_pause);
        if observation.is_empty() {
            return Ok(());
        }
        self.store.observe(&self.budget, &observation).await
    }

    /// Waits until a request may be sent, and counts it (an in-process budget never fails).
    #[cfg(test)]
    pub(crate) async fn acquire(&self) {
        self.admit().await.expect("in-process budget");
    }

    /// Learns from a response's headers (an in-process budget learns at once).
    #[cfg(test)]
    pub(crate) fn observe(&self, status: StatusCode, headers: &HeaderMap) {
        use futures_util::FutureExt;
        self.learn(status, headers)
            .now_or_never()
            .expect("an in-process budget learns at once")
            .expect("in-process budget");
    }
}

/// What an answer says about the budget: after a 429, the pause; when `adaptive`, the `x-ratelimit-*` headers.
fn observation(
    status: StatusCode,
    headers: &HeaderMap,
    adaptive: bool,
    max_pause: Duration,
) -> Observation {
    let mut observation = Observation::default();
    if status == StatusCode::TOO_MANY_REQUESTS {
        observation.pause = Some(
            retry_after(headers, SystemTime::now())
                .or_else(|| header_seconds(headers, &X_RATELIMIT_RESET))
                .unwrap_or(Duration::from_secs(1))
                .min(max_pause),
        );
    }
    if !adaptive {
        return observation;
    }
    observation.limit = headers
        .get(X_RATELIMIT_LIMIT)
        .and_then(|value| value.to_str().ok())
        .and_then(parse_rate_limit_header)
        .filter(|limit| limits_anything(limit.requests, limit.window))
        .map(|limit| ServerLimit {
            requests: limit.requests,
            window: limit.window,
        });
    let remaining = headers
        .get(X_RATELIMIT_REMAINING)
        .and_then(|value| value.to_str().ok())
        .and_then(parse_rate_limit_header)
        .map(|value| value.requests);
    let reset = header_seconds(headers, &X_RATELIMIT_RESET);
    if let (Some(remaining), Some(reset)) = (remaining, reset) {
        observation.quota = Some(ServerQuota { remaining, reset });
    }
    observation
}

/// One value of `x-ratelimit-limit` / `-remaining`: `100`, or several windows `100, 100;w=60` (the first is used).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RateLimitValue {
    pub(crate) requests: u32,
    pub(crate) window: Option<Duration>,
}

/// Parses the first entry of a rate-limit header: a number, optionally followed by `;w=SECONDS` and other
/// parameters. Never panics; `None` for anything else.
pub(crate) fn parse_rate_limit_header(value: &str) -> Option<RateLimitValue> {
    let first = value.split(',').next()?.trim();
    let mut parts = first.split(';');
    let requests = parts.next()?.trim().parse::<u32>().ok()?;
    let window = parts
        .filter_map(|part| part.trim().strip_prefix("w="))
        .find_map(|seconds| seconds.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    Some(RateLimitValue { requests, window })
}

fn header_seconds(headers: &HeaderMap, name: &HeaderName) -> Option<Duration> {
    let value = headers.get(name)?.to_str().ok()?;
    let first = value.split([',', ';']).next()?.trim();
    let seconds = first.parse::<f64>().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(86_400.0)))
}

/// `Retry-After` as seconds or an HTTP date (a date in the past is no wait).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds.min(86_400)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

fn retryable_error(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect() || error.is_status())
        && carried::<Refusal>(error).is_none()
        && carried::<BudgetError>(error).is_none()
}

/// How long the server asked to wait before trying again.
fn server_hint(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    retry_after(headers, SystemTime::now()).or_else(|| {
        (status == StatusCode::TOO_MANY_REQUESTS)
            .then(|| header_seconds(headers, &X_RATELIMIT_RESET))
            .flatten()
    })
}

/// Everything a transport needs to send requests politely; cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Guard {
    pub(crate) retry: RetryPolicy,
    pub(crate) in_flight: Arc<Semaphore>,
    pub(crate) limiter: Arc<Limiter>,
    /// The largest body read from any response.
    pub(crate) max_response_bytes: u64,
}

impl Guard {
    /// Sends once, within the rate limit and the cap on requests in flight, and puts the answer under the
    /// [`refusal`](crate::refusal) rules. With `buffer`, the body is read before the permit is released, so that a
    /// broken body is an error here (and can be retried).
    async fn attempt(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        span: &tracing::Span,
        buffer: bool,
        limited: bool,
    ) -> reqwest::Result<reqwest::Response> {
        if limited && let Err(error) = self.limiter.admit().await {
            // Not sent: the budget could not be asked.
            return Err(into_reqwest(error).await);
        }
        let _permit = self.in_flight.acquire().await.ok();
        let sent_to = request.url().clone();
        let (parts, url, body) = refusal::guard_parts(
            client.execute(request).await?,
            &sent_to,
            self.max_response_bytes,
        );
        span.record("status", parts.status.as_u16());
        if limited && let Err(error) = self.limiter.learn(parts.status, &parts.headers).await {
            // The answer came; a store that is down fails the next request's admission instead.
            tracing::warn!(%error, "the rate budget store could not learn from an answer");
        }
        if !buffer || retryable_status(parts.status) {
            return Ok(refusal::rebuild(parts, url, reqwest::Body::wrap(body)));
        }
        let body = reqwest::Body::wrap(body).collect().await?.to_bytes();
        Ok(refusal::rebuild(parts, url, body))
    }

    /// Sends a request that must not be retried (a mutation), within the limits.
    pub(crate) async fn send_once(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        span: &tracing::Span,
        limited: bool,
    ) -> reqwest::Result<reqwest::Response> {
        self.attempt(client, request, span, false, limited).await
    }

    /// Sends an idempotent request, retrying it as the policy says.
    pub(crate) async fn send_idempotent(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        span: &tracing::Span,
        limited: bool,
    ) -> reqwest::Result<reqwest::Response> {
        // With one attempt the backoff yields no delay and the loop returns the first answer.
        let policy = &self.retry;
        let started = Instant::now();
        let mut backoff = ExponentialBuilder::new()
            .with_jitter()
            .with_min_delay(policy.base_delay)
            .with_max_delay(policy.max_delay)
            .with_max_times(policy.max_attempts.saturating_sub(1) as usize)
            .build();
        let mut attempt = 1u32;
        loop {
            span.record("attempt", attempt);
            // A request whose body is a stream cannot be cloned, and so is sent once.
            let Some(next) = request.try_clone() else {
                return self.send_once(client, request, span, limited).await;
            };
            let outcome = self.attempt(client, request, span, true, limited).await;
            let hint = match &outcome {
                Ok(response) if retryable_status(response.status()) => {
                    server_hint(response.status(), response.headers())
                }
                Ok(_) => return outcome,
                Err(error) if retryable_error(error) => None,
                Err(_) => return outcome,
            };
            let Some(backoff_delay) = backoff.next() else {
                return outcome;
            };
            let delay = hint
                .map(|hint| hint.min(policy.max_delay))
                .unwrap_or_default()
                .max(backoff_delay);
            if started.elapsed() + delay > policy.max_elapsed {
                return outcome;
            }
            let status = outcome
                .as_ref()
                .ok()
                .map(|response| response.status().as_u16());
            // The body of a response that is retried is dropped unread.
            drop(outcome);
            tracing::info!(
                target: WAIT_TARGET,
                wait_ms = duration_ms(delay),
                reason = "retry",
                attempt,
                status,
                "waiting to retry"
            );
            tokio::time::sleep(delay).await;
            request = next;
            attempt += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn rate_limit_headers_parse() {
        assert_eq!(
            parse_rate_limit_header("100"),
            Some(RateLimitValue {
                requests: 100,
                window: None
            })
        );
        assert_eq!(
            parse_rate_limit_header("100, 100;w=60"),
            Some(RateLimitValue {
                requests: 100,
                window: None
            })
        );
        assert_eq!(
            parse_rate_limit_header("20;w=60, 100;w=3600"),
            Some(RateLimitValue {
                requests: 20,
                window: Some(Duration::from_secs(60))
            })
        );
        for junk in ["", ",", ";w=1", "x", "-1", "1e9999", "99999999999", "\u{0}"] {
            assert_eq!(parse_rate_limit_header(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(12));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(12)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(12));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&earlier).unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }

    proptest::proptest! {
        #[test]
        fn rate_limit_headers_never_panic(value in ".*") {
            let _ = parse_rate_limit_header(&value);
            if let Ok(value) = HeaderValue::from_str(&value) {
                let mut headers = HeaderMap::new();
                for name in ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"] {
                    headers.insert(name, value.clone());
                }
                headers.insert(RETRY_AFTER, value);
                let _ = retry_after(&headers, SystemTime::now());
                let _ = server_hint(StatusCode::TOO_MANY_REQUESTS, &headers);
                let limiter = Limiter::new(None, true, Duration::from_millis(1));
                limiter.observe(StatusCode::TOO_MANY_REQUESTS, &headers);
            }
        }

        #[test]
        fn numeric_rate_limit_headers_parse(requests in 0u32.., window in proptest::option::of(0u64..1_000_000)) {
            let text = match window {
                Some(window) => format!("{requests};w={window}, 5;w=3600"),
                None => format!(" {requests} , 7"),
            };
            let parsed = parse_rate_limit_header(&text).unwrap();
            proptest::prop_assert_eq!(parsed.requests, requests);
            proptest::prop_assert_eq!(parsed.window, window.map(Duration::from_secs));
        }
    }

    #[tokio::test]
    async fn a_known_limit_makes_callers_wait_for_the_next_window() {
        let limiter = Limiter::new(
            Some(RateLimit {
                requests: 3,
                per: Duration::from_millis(200),
            }),
            true,
            Duration::from_secs(1),
        );
        let started = Instant::now();
        for _ in 0..7 {
            limiter.acquire().await;
        }
        // 3 in the first window, 3 in the second, 1 in the third.
        assert!(started.elapsed() >= Duration::from_millis(400));
    }

    /// Whether `acquire` is still waiting after `within` (a lower bound: a slow machine only waits longer).
    async fn blocks(limiter: &Limiter, within: Duration) -> bool {
        tokio::time::timeout(within, limiter.acquire())
            .await
            .is_err()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[tokio::test]
    async fn a_limit_header_alone_sets_the_limit() {
        // No configured limit, and no -remaining / -reset: the limit header is all there is to learn from.
        let limiter = Limiter::new(None, true, Duration::from_secs(1));
        limiter.observe(StatusCode::OK, &headers(&[("x-ratelimit-limit", "3;w=60")]));
        for _ in 0..3 {
            assert!(!blocks(&limiter, Duration::from_secs(5)).await);
        }
        assert!(blocks(&limiter, Duration::from_millis(300)).await);

        // A limit without a window replaces the configured count and keeps the configured window.
        let limiter = Limiter::new(
            Some(RateLimit {
                requests: 100,
                per: Duration::from_secs(60),
            }),
            true,
            Duration::from_secs(1),
        );
        limiter.observe(StatusCode::OK, &headers(&[("x-ratelimit-limit", "2")]));
        for _ in 0..2 {
            assert!(!blocks(&limiter, Duration::from_secs(5)).await);
        }
        assert!(blocks(&limiter, Duration::from_millis(300)).await);

        // Not adaptive: the headers are ignored.
        let limiter = Limiter::new(None, false, Duration::from_secs(1));
        limiter.observe(StatusCode::OK, &headers(&[("x-ratelimit-limit", "1;w=60")]));
        for _ in 0..3 {
            assert!(!blocks(&limiter, Duration::from_secs(5)).await);
        }
    }

    #[tokio::test]
    async fn a_429_pauses_every_caller_for_its_retry_after_up_to_the_cap() {
        let limiter = Limiter::new(None, false, Duration::from_secs(60));
        limiter.observe(
            StatusCode::TOO_MANY_REQUESTS,
            &headers(&[("retry-after", "30")]),
        );
        assert!(blocks(&limiter, Duration::from_millis(300)).await);

        // Without Retry-After, x-ratelimit-reset says how long.
        let limiter = Limiter::new(None, false, Duration::from_secs(60));
        limiter.observe(
            StatusCode::TOO_MANY_REQUESTS,
            &headers(&[("x-ratelimit-reset", "30")]),
        );
        assert!(blocks(&limiter, Duration::from_millis(300)).await);

        // The pause is cut to max_pause.
        let limiter = Limiter::new(None, false, Duration::from_millis(50));
        limiter.observe(
            StatusCode::TOO_MANY_REQUESTS,
            &headers(&[("retry-after", "3600")]),
        );
        assert!(!blocks(&limiter, Duration::from_secs(10)).await);

        // Another status with Retry-After pauses nobody.
        let limiter = Limiter::new(None, false, Duration::from_secs(60));
        limiter.observe(
            StatusCode::SERVICE_UNAVAILABLE,
            &headers(&[("retry-after", "30")]),
        );
        assert!(!blocks(&limiter, Duration::from_secs(5)).await);
    }

    #[tokio::test]
    async fn a_limit_of_no_requests_or_no_window_is_ignored() {
        for value in ["0;w=60", "0", "5;w=0"] {
            let limiter = Limiter::new(None, true, Duration::from_secs(1));
            limiter.observe(StatusCode::OK, &headers(&[("x-ratelimit-limit", value)]));
            for _ in 0..6 {
                assert!(!blocks(&limiter, Duration::from_secs(5)).await, "{value}");
            }
        }
    }

    #[tokio::test]
    async fn a_configured_limit_of_no_requests_or_no_window_is_no_limit() {
        for (requests, per) in [(0, Duration::from_secs(60)), (5, Duration::ZERO)] {
            let budget = Budget::new(BudgetKey::new("k"), Some(RateLimit { requests, per }));
            assert_eq!(budget.limit, None, "{requests} per {per:?}");
            let limiter = Limiter::new(
                Some(RateLimit { requests, per }),
                false,
                Duration::from_secs(1),
            );
            for _ in 0..6 {
                assert!(
                    !blocks(&limiter, Duration::from_secs(5)).await,
                    "{requests} per {per:?}"
                );
            }
        }
    }

    #[tokio::test]
    async fn a_window_too_long_for_the_clock_holds_back_without_panicking() {
        let limiter = Limiter::new(
            Some(RateLimit {
                requests: 1,
                per: Duration::MAX,
            }),
            true,
            Duration::from_secs(1),
        );
        assert!(!blocks(&limiter, Duration::from_secs(5)).await);
        assert!(blocks(&limiter, Duration::from_millis(300)).await);
    }

    #[tokio::test]
    async fn the_lowest_remaining_of_a_window_wins_whatever_order_answers_arrive_in() {
        // An answer sent earlier (more remaining) arriving later does not raise what is left.
        let limiter = Limiter::new(None, true, Duration::from_secs(1));
        let quota = |remaining: &'static str, reset: &'static str| {
            headers(&[
                ("x-ratelimit-remaining", remaining),
                ("x-ratelimit-reset", reset),
            ])
        };
        limiter.observe(StatusCode::OK, &quota("1", "30"));
        limiter.observe(StatusCode::OK, &quota("50", "30"));
        assert!(!blocks(&limiter, Duration::from_secs(5)).await);
        assert!(blocks(&limiter, Duration::from_millis(300)).await);

        // Once a window has reset, the next window's figures count, however high.
        let limiter = Limiter::new(None, true, Duration::from_secs(1));
        limiter.observe(StatusCode::OK, &quota("0", "0.2"));
        std::thread::sleep(Duration::from_millis(300));
        limiter.observe(StatusCode::OK, &quota("5", "30"));
        assert!(!blocks(&limiter, Duration::from_secs(5)).await);

        // With the same remaining, the latest answer's reset counts.
        let limiter = Limiter::new(None, true, Duration::from_secs(1));
        limiter.observe(StatusCode::OK, &quota("2", "30"));
        limiter.observe(StatusCode::OK, &quota("2", "0.2"));
        for _ in 0..3 {
            assert!(!blocks(&limiter, Duration::from_secs(10)).await);
        }
    }

    #[test]
    fn a_negative_or_unreadable_reset_is_no_reset() {
        for value in ["-1", "-0.5", "NaN", "inf", "soon", ""] {
            let headers = headers(&[("x-ratelimit-reset", value)]);
            assert_eq!(
                header_seconds(&headers, &X_RATELIMIT_RESET),
                None,
                "{value}"
            );
            // A 429 with such a reset pauses for the default second.
            let observed = observation(
                StatusCode::TOO_MANY_REQUESTS,
                &headers,
                true,
                Duration::from_secs(60),
            );
            assert_eq!(observed.pause, Some(Duration::from_secs(1)), "{value}");
            assert_eq!(observed.quota, None, "{value}");
        }
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

    #[tokio::test]
    async fn remaining_zero_waits_for_the_reset() {
        let limiter = Limiter::new(None, true, Duration::from_secs(1));
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("5"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("0.3"));
        limiter.observe(StatusCode::OK, &headers);
        let started = Instant::now();
        limiter.acquire().await;
        assert!(started.elapsed() >= Duration::from_millis(250));
    }
}
