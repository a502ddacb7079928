//! The rate budget of a credential: where it is kept (a [`BudgetStore`], behind a trait so that clients and,
//! with a shared store, processes can share it), and the [`Limiter`] through which a transport spends it.
//!
//! A store keeps, per [`BudgetKey`], what the client-side rate limiter knows: the configured limit (it comes with
//! every call, in the [`Budget`]), what the server's `x-ratelimit-*` headers have taught it, and the pause after
//! a 429. The limiter asks it before every request it sends to a credential's own host
//! ([`BudgetStore::try_acquire`], waiting as long as it says) and tells it what every answer said
//! ([`BudgetStore::observe`]); the limiter reads the headers itself, so a store sees only numbers.
//! [`InProcessBudget`] is the default: the state in this process's memory. A store that several processes share
//! (Redis, in the separate crate `roblox-inventory-redis`) makes them spend one budget.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};

use super::credential::Secret;
use super::rate_limit::{RateLimit, limits_anything};
use super::wait::{WAIT_TARGET, duration_ms};
use crate::error::BudgetError;

/// The future a [`BudgetStore`] returns (boxed, so that the trait is object safe: the client holds an
/// `Arc<dyn BudgetStore>`).
pub type BudgetFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BudgetError>> + Send + 'a>>;

/// Where the rate budgets of credentials are kept: in this process ([`InProcessBudget`], the default), or
/// somewhere several processes share.
///
/// Give one to [`ClientBuilder::budget_store`](crate::ClientBuilder::budget_store); every client built with the
/// same store (and every clone of them) then spends one budget per [`BudgetKey`].
///
/// The facade calls [`try_acquire`](Self::try_acquire) before each request to a credential's host (each attempt:
/// a retry asks again) and [`observe`](Self::observe) after each answer that carried something to learn. It does
/// the waiting itself: a store only says how long. An error from `try_acquire` fails the request, unsent, with
/// [`Error::Budget`](crate::Error::Budget); an error from `observe` is logged (a `tracing` warning) and the answer
/// is returned all the same.
pub trait BudgetStore: Send + Sync + fmt::Debug + 'static {
    /// Whether a request may be sent now under `budget`. [`Admission::Granted`] counts the request (it is sent
    /// next); [`Admission::Wait`] counts nothing and says how long to wait before asking again.
    ///
    /// `budget.limit` is the limit the client was configured with; a store that has learned another from the
    /// server (see [`observe`](Self::observe)) goes by what it learned.
    fn try_acquire<'a>(&'a self, budget: &'a Budget) -> BudgetFuture<'a, Admission>;

    /// Learns from an answer to a request sent under `budget`: a pause for the whole budget after a 429, a limit
    /// from `x-ratelimit-limit`, what is left until when from `x-ratelimit-remaining` / `-reset`.
    fn observe<'a>(
        &'a self,
        budget: &'a Budget,
        observation: &'a Observation,
    ) -> BudgetFuture<'a, ()>;
}

/// The name of one budget: which host, and whose. It never holds a credential.
///
/// The facade derives it as `{host}:{who}`, where `host` is `cloud` or `legacy` and `who` is
///
/// - `name:{name}` with [`ClientBuilder::budget_name`](crate::ClientBuilder::budget_name) (an owner id, say:
///   Roblox counts Open Cloud limits per API key owner, so every key of one owner should share one name);
/// - otherwise `api-key:fnv1a64:{16 hex digits}`, `oauth-token:fnv1a64:…` or `cookie:fnv1a64:…`, a hash of the
///   credential (see below);
/// - `anonymous` without a credential.
///
/// The hash is 64-bit FNV-1a of a fixed prefix and the credential: the same in every process, on every platform
/// and with every build (std's `DefaultHasher` promises none of that), and needing no dependency. It is not a
/// cryptographic hash, and need not be one here: 64 bits cannot give back a credential of hundreds of random
/// bits (Roblox's API keys, tokens and cookies), and like any unsalted hash it lets someone who already holds a
/// credential check it against a key, no more. Two credentials sharing a hash (about one chance in 2^64 per pair)
/// would share a budget, which is slower, not unsafe. The `fnv1a64` in the key leaves room for another scheme.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BudgetKey(Arc<str>);

impl BudgetKey {
    /// A key of your own (a store's tests, for instance). Never put a credential in it: stores keep and show keys.
    pub fn new(key: impl Into<Arc<str>>) -> Self {
        Self(key.into())
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key of `host`'s budget: named, or a hash of `credential` (with its kind), or anonymous.
    pub(crate) fn derive(
        host: &str,
        name: Option<&str>,
        credential: Option<(&str, &Secret)>,
    ) -> Self {
        let key = match (name, credential) {
            (Some(name), _) => format!("{host}:name:{name}"),
            (None, Some((kind, secret))) => {
                let mut hash = Fnv1a64::default();
                hash.write(b"roblox-inventory budget key\0");
                hash.write(kind.as_bytes());
                hash.write(b"\0");
                hash.write(secret.expose().as_bytes());
                format!("{host}:{kind}:fnv1a64:{:016x}", hash.0)
            }
            (None, None) => format!("{host}:anonymous"),
        };
        Self(key.into())
    }
}

impl fmt::Debug for BudgetKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BudgetKey").field(&&*self.0).finish()
    }
}

impl fmt::Display for BudgetKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
struct Fnv1a64(u64);

impl Default for Fnv1a64 {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a64 {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// One budget as the client asks for it: its key and the limit the client was configured with.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Budget {
    /// Whose budget.
    pub key: BudgetKey,
    /// The configured limit (`ClientBuilder::cloud_rate_limit` / `legacy_rate_limit`); `None` for none. Never a
    /// limit of no requests or of no time (those are taken as none).
    pub limit: Option<RateLimit>,
}

impl Budget {
    /// The budget `key` with the configured `limit` (a limit of 0 requests or of a zero window counts as none).
    pub fn new(key: BudgetKey, limit: Option<RateLimit>) -> Self {
        Self {
            key,
            limit: limit.filter(RateLimit::limits_anything),
        }
    }
}

/// Whether a request may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Yes, and it has been counted.
    Granted,
    /// Not yet: ask again after this long (nothing was counted).
    Wait(Duration),
}

/// What an answer said about the budget, as durations from when it arrived. Every field is `None` when the
/// answer said nothing of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Observation {
    /// After a 429: how long nothing may be sent under the budget. The answer's `Retry-After` (seconds or a
    /// date), else its `x-ratelimit-reset`, else 1 s, at most the retry policy's `max_delay`.
    pub pause: Option<Duration>,
    /// `x-ratelimit-limit` (its first window), when the client is adaptive: it replaces the limit the budget
    /// goes by. Without a window of its own it keeps the window the budget had (the configured one); with
    /// neither, it is ignored.
    pub limit: Option<ServerLimit>,
    /// `x-ratelimit-remaining` with `x-ratelimit-reset`, when the client is adaptive and both came.
    pub quota: Option<ServerQuota>,
}

impl Observation {
    /// Whether there is nothing to learn (the facade then does not call [`BudgetStore::observe`]).
    pub fn is_empty(&self) -> bool {
        self.pause.is_none() && self.limit.is_none() && self.quota.is_none()
    }

    /// With a pause after a 429.
    pub fn with_pause(mut self, pause: Duration) -> Self {
        self.pause = Some(pause);
        self
    }

    /// With a limit from `x-ratelimit-limit`.
    pub fn with_limit(mut self, limit: ServerLimit) -> Self {
        self.limit = Some(limit);
        self
    }

    /// With what is left from `x-ratelimit-remaining` / `-reset`.
    pub fn with_quota(mut self, quota: ServerQuota) -> Self {
        self.quota = Some(quota);
        self
    }
}

/// A limit the server announced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerLimit {
    /// Requests per window; never 0.
    pub requests: u32,
    /// The window, when the header named one (`;w=60`); never zero.
    pub window: Option<Duration>,
}

/// What the server said is left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerQuota {
    /// Requests left in the current window.
    pub remaining: u32,
    /// When the window resets, from when the answer arrived.
    pub reset: Duration,
}

/// The rate limiter of one host's credential, shared by every clone of the client (and every task using it): its
/// budget in a [`BudgetStore`] (by default an [`InProcessBudget`] of the client's own), and how answers are read.
///
/// The budget combines a fixed window of the known limit (configured, or learned from `x-ratelimit-limit`), what the
/// server last said is left (`x-ratelimit-remaining` / `-reset`: at 0 nothing is sent until the reset), and a
/// pause for the whole credential after a 429 (`Retry-After`, else `x-ratelimit-reset`, at most `max_pause`).
#[derive(Debug)]
pub(crate) struct Limiter {
    store: Arc<dyn BudgetStore>,
    budget: Budget,
    adaptive: bool,
    max_pause: Duration,
}

impl Limiter {
    /// A limiter spending the budget `key` of `store`, with the configured `limit`. `adaptive` learns from the
    /// `x-ratelimit-*` headers; `max_pause` caps the pause after a 429 (the retry policy's `max_delay`).
    pub(crate) fn new(
        store: Arc<dyn BudgetStore>,
        key: BudgetKey,
        limit: Option<RateLimit>,
        adaptive: bool,
        max_pause: Duration,
    ) -> Self {
        Self {
            store,
            budget: Budget::new(key, limit),
            adaptive,
            max_pause,
        }
    }

    /// Waits until a request may be sent, and counts it; fails if the store does.
    pub(crate) async fn acquire(&self) -> Result<(), BudgetError> {
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

    /// Tells the store what an answer's status and headers say, if they say anything.
    pub(crate) async fn observe(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Result<(), BudgetError> {
        let observation = Observation::of_answer(status, headers, self.adaptive, self.max_pause);
        if observation.is_empty() {
            return Ok(());
        }
        self.store.observe(&self.budget, &observation).await
    }
}

// Named once rather than as `&str`, which `HeaderMap::get` would parse again on every answer.
const X_RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const X_RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const X_RATELIMIT_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

impl Observation {
    /// What an answer says about the budget: after a 429, the pause; when `adaptive`, the `x-ratelimit-*`
    /// headers.
    pub(crate) fn of_answer(
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

/// `x-ratelimit-reset`: how long until the server's window resets.
pub(crate) fn ratelimit_reset(headers: &HeaderMap) -> Option<Duration> {
    header_seconds(headers, &X_RATELIMIT_RESET)
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

/// The default [`BudgetStore`]: every budget in this process's memory.
///
/// A client built without [`budget_store`](crate::ClientBuilder::budget_store) has one of its own, shared by its
/// clones. Give one `Arc<InProcessBudget>` to several builders to make their clients share budgets too.
///
/// Per budget it keeps a fixed window of the limit it goes by (configured, or learned from `x-ratelimit-limit`),
/// what the server last said is left (at 0 nothing is granted until the reset; answers to concurrent requests
/// arrive in any order, so the lowest `remaining` of a window wins), and the pause after a 429. The first call for
/// a key fixes its configured limit: clients that share a budget should configure it alike.
#[derive(Debug, Default)]
pub struct InProcessBudget {
    budgets: Mutex<HashMap<BudgetKey, State>>,
}

#[derive(Debug)]
struct State {
    limit: Option<RateLimit>,
    window_start: Option<Instant>,
    used: u32,
    server: Option<Quota>,
    blocked_until: Option<Instant>,
}

/// What the server last said about the quota.
#[derive(Debug, Clone, Copy)]
struct Quota {
    remaining: u32,
    reset_at: Instant,
}

/// `now + duration`; a duration too long for the clock is a day.
fn later(now: Instant, duration: Duration) -> Instant {
    now.checked_add(duration)
        .unwrap_or_else(|| now + Duration::from_secs(86_400))
}

impl InProcessBudget {
    /// No budgets yet; each starts at its first use.
    pub fn new() -> Self {
        Self::default()
    }

    fn with_state<T>(&self, budget: &Budget, f: impl FnOnce(&mut State) -> T) -> T {
        let mut budgets = self.budgets.lock().expect("budget lock");
        if let Some(state) = budgets.get_mut(&budget.key) {
            return f(state);
        }
        let state = budgets.entry(budget.key.clone()).or_insert(State {
            limit: budget.limit,
            window_start: None,
            used: 0,
            server: None,
            blocked_until: None,
        });
        f(state)
    }

    /// [`BudgetStore::try_acquire`], which an in-process store answers at once.
    fn try_acquire_now(&self, budget: &Budget) -> Admission {
        self.with_state(budget, |state| {
            let now = Instant::now();
            let mut until: Option<Instant> = None;
            if let Some(blocked) = state.blocked_until {
                if blocked > now {
                    until = Some(blocked);
                } else {
                    state.blocked_until = None;
                }
            }
            if let Some(server) = state.server {
                if server.reset_at <= now {
                    state.server = None;
                } else if server.remaining == 0 {
                    until = until.max(Some(server.reset_at));
                }
            }
            if let Some(limit) = state.limit {
                let start = *state.window_start.get_or_insert(now);
                // A window too long for the clock never ends: a day at a time stands in for its end.
                let window_end = start
                    .checked_add(limit.per)
                    .unwrap_or_else(|| now + Duration::from_secs(86_400));
                if now >= window_end {
                    state.window_start = Some(now);
                    state.used = 0;
                } else if state.used >= limit.requests {
                    until = until.max(Some(window_end));
                }
            }
            match until {
                Some(until) => Admission::Wait(until.saturating_duration_since(now)),
                None => {
                    state.used = state.used.saturating_add(1);
                    if let Some(server) = state.server.as_mut() {
                        server.remaining = server.remaining.saturating_sub(1);
                    }
                    Admission::Granted
                }
            }
        })
    }

    /// [`BudgetStore::observe`], which an in-process store does at once.
    fn observe_now(&self, budget: &Budget, observation: &Observation) {
        self.with_state(budget, |state| {
            let now = Instant::now();
            if let Some(pause) = observation.pause {
                state.blocked_until = state.blocked_until.max(Some(later(now, pause)));
            }
            if let Some(limit) = observation.limit {
                // Without a `w=` the window stays the one the budget had; with neither, `-remaining` / `-reset`
                // govern. Neither is zero: `ServerLimit` and `Budget::new` admit only limits that limit.
                if let Some(per) = limit.window.or(state.limit.map(|limit| limit.per)) {
                    state.limit = Some(RateLimit {
                        requests: limit.requests,
                        per,
                    });
                }
            }
            if let Some(quota) = observation.quota {
                let reset_at = later(now, quota.reset);
                // Answers to concurrent requests arrive in any order: the lowest remaining of a window wins.
                state.server = Some(match state.server {
                    Some(known) if known.reset_at > now && known.remaining < quota.remaining => {
                        Quota {
                            remaining: known.remaining,
                            reset_at: known.reset_at.max(reset_at),
                        }
                    }
                    _ => Quota {
                        remaining: quota.remaining,
                        reset_at,
                    },
                });
            }
        });
    }
}

impl BudgetStore for InProcessBudget {
    fn try_acquire<'a>(&'a self, budget: &'a Budget) -> BudgetFuture<'a, Admission> {
        Box::pin(std::future::ready(Ok(self.try_acquire_now(budget))))
    }

    fn observe<'a>(
        &'a self,
        budget: &'a Budget,
        observation: &'a Observation,
    ) -> BudgetFuture<'a, ()> {
        self.observe_now(budget, observation);
        Box::pin(std::future::ready(Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;
    use reqwest::header::HeaderValue;

    /// A limiter with an in-process budget of its own.
    fn in_process(limit: Option<RateLimit>, adaptive: bool, max_pause: Duration) -> Limiter {
        Limiter::new(
            Arc::new(InProcessBudget::new()),
            BudgetKey::new("anonymous"),
            limit,
            adaptive,
            max_pause,
        )
    }

    /// Waits until a request may be sent, and counts it (an in-process budget never fails).
    async fn acquire(limiter: &Limiter) {
        limiter.acquire().await.expect("in-process budget");
    }

    /// Learns from an answer's headers (an in-process budget learns at once).
    fn observe(limiter: &Limiter, status: StatusCode, headers: &HeaderMap) {
        limiter
            .observe(status, headers)
            .now_or_never()
            .expect("an in-process budget learns at once")
            .expect("in-process budget");
    }

    #[test]
    fn fnv1a64_matches_the_reference_values() {
        let hash = |text: &str| {
            let mut hash = Fnv1a64::default();
            hash.write(text.as_bytes());
            hash.0
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn keys_name_the_host_and_never_hold_the_credential() {
        let secret = Secret::new("_|WARNING:-DO-NOT-SHARE-THIS.--abcdef");
        let key = BudgetKey::derive("cloud", None, Some(("api-key", &secret)));
        assert!(key.as_str().starts_with("cloud:api-key:fnv1a64:"), "{key}");
        assert_eq!(key.as_str().len(), "cloud:api-key:fnv1a64:".len() + 16);
        assert!(!format!("{key:?}{key}").contains("abcdef"));
        // Stable: the same credential, the same key, in every process and build.
        assert_eq!(
            key,
            BudgetKey::derive("cloud", None, Some(("api-key", &secret)))
        );
        assert_ne!(
            key,
            BudgetKey::derive("cloud", None, Some(("oauth-token", &secret)))
        );
        assert_ne!(
            key,
            BudgetKey::derive("legacy", None, Some(("api-key", &secret)))
        );
        assert_eq!(
            BudgetKey::derive("cloud", Some("owner-156"), Some(("api-key", &secret))).as_str(),
            "cloud:name:owner-156"
        );
        assert_eq!(
            BudgetKey::derive("legacy", None, None).as_str(),
            "legacy:anonymous"
        );
    }

    #[test]
    fn budgets_of_different_keys_are_apart() {
        let store = InProcessBudget::new();
        let limit = Some(RateLimit {
            requests: 1,
            per: Duration::from_secs(60),
        });
        let one = Budget::new(BudgetKey::new("cloud:one"), limit);
        let two = Budget::new(BudgetKey::new("cloud:two"), limit);
        assert_eq!(store.try_acquire_now(&one), Admission::Granted);
        assert_eq!(store.try_acquire_now(&two), Admission::Granted);
        assert!(matches!(store.try_acquire_now(&one), Admission::Wait(_)));
        assert!(matches!(store.try_acquire_now(&two), Admission::Wait(_)));
    }

    #[test]
    fn an_observation_beyond_the_clock_does_not_panic() {
        let store = InProcessBudget::new();
        let budget = Budget::new(BudgetKey::new("cloud:x"), None);
        store.observe_now(
            &budget,
            &Observation::default()
                .with_pause(Duration::MAX)
                .with_quota(ServerQuota {
                    remaining: 0,
                    reset: Duration::MAX,
                }),
        );
        assert!(matches!(store.try_acquire_now(&budget), Admission::Wait(_)));
    }

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
                let limiter = in_process(None, true, Duration::from_millis(1));
                observe(&limiter, StatusCode::TOO_MANY_REQUESTS, &headers);
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
        let limiter = in_process(
            Some(RateLimit {
                requests: 3,
                per: Duration::from_millis(200),
            }),
            true,
            Duration::from_secs(1),
        );
        let started = Instant::now();
        for _ in 0..7 {
            acquire(&limiter).await;
        }
        // 3 in the first window, 3 in the second, 1 in the third.
        assert!(started.elapsed() >= Duration::from_millis(400));
    }

    /// Whether `acquire` is still waiting after `within` (a lower bound: a slow machine only waits longer).
    async fn blocks(limiter: &Limiter, within: Duration) -> bool {
        tokio::time::timeout(within, acquire(limiter))
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
        let limiter = in_process(None, true, Duration::from_secs(1));
        observe(
            &limiter,
            StatusCode::OK,
            &headers(&[("x-ratelimit-limit", "3;w=60")]),
        );
        for _ in 0..3 {
            assert!(!blocks(&limiter, Duration::from_secs(5)).await);
        }
        assert!(blocks(&limiter, Duration::from_millis(300)).await);

        // A limit without a window replaces the configured count and keeps the configured window.
        let limiter = in_process(
            Some(RateLimit {
                requests: 100,
                per: Duration::from_secs(60),
            }),
            true,
            Duration::from_secs(1),
        );
        observe(
            &limiter,
            StatusCode::OK,
            &headers(&[("x-ratelimit-limit", "2")]),
        );
        for _ in 0..2 {
            assert!(!blocks(&limiter, Duration::from_secs(5)).await);
        }
        assert!(blocks(&limiter, Duration::from_millis(300)).await);

        // Not adaptive: the headers are ignored.
        let limiter = in_process(None, false, Duration::from_secs(1));
        observe(
            &limiter,
            StatusCode::OK,
            &headers(&[("x-ratelimit-limit", "1;w=60")]),
        );
        for _ in 0..3 {
            assert!(!blocks(&limiter, Duration::from_secs(5)).await);
        }
    }

    #[tokio::test]
    async fn a_429_pauses_every_caller_for_its_retry_after_up_to_the_cap() {
        let limiter = in_process(None, false, Duration::from_secs(60));
        observe(
            &limiter,
            StatusCode::TOO_MANY_REQUESTS,
            &headers(&[("retry-after", "30")]),
        );
        assert!(blocks(&limiter, Duration::from_millis(300)).await);

        // Without Retry-After, x-ratelimit-reset says how long.
        let limiter = in_process(None, false, Duration::from_secs(60));
        observe(
            &limiter,
            StatusCode::TOO_MANY_REQUESTS,
            &headers(&[("x-ratelimit-reset", "30")]),
        );
        assert!(blocks(&limiter, Duration::from_millis(300)).await);

        // The pause is cut to max_pause.
        let limiter = in_process(None, false, Duration::from_millis(50));
        observe(
            &limiter,
            StatusCode::TOO_MANY_REQUESTS,
            &headers(&[("retry-after", "3600")]),
        );
        assert!(!blocks(&limiter, Duration::from_secs(10)).await);

        // Another status with Retry-After pauses nobody.
        let limiter = in_process(None, false, Duration::from_secs(60));
        observe(
            &limiter,
            StatusCode::SERVICE_UNAVAILABLE,
            &headers(&[("retry-after", "30")]),
        );
        assert!(!blocks(&limiter, Duration::from_secs(5)).await);
    }

    #[tokio::test]
    async fn a_limit_of_no_requests_or_no_window_is_ignored() {
        for value in ["0;w=60", "0", "5;w=0"] {
            let limiter = in_process(None, true, Duration::from_secs(1));
            observe(
                &limiter,
                StatusCode::OK,
                &headers(&[("x-ratelimit-limit", value)]),
            );
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
            let limiter = in_process(
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
        let limiter = in_process(
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
        let limiter = in_process(None, true, Duration::from_secs(1));
        let quota = |remaining: &'static str, reset: &'static str| {
            headers(&[
                ("x-ratelimit-remaining", remaining),
                ("x-ratelimit-reset", reset),
            ])
        };
        observe(&limiter, StatusCode::OK, &quota("1", "30"));
        observe(&limiter, StatusCode::OK, &quota("50", "30"));
        assert!(!blocks(&limiter, Duration::from_secs(5)).await);
        assert!(blocks(&limiter, Duration::from_millis(300)).await);

        // Once a window has reset, the next window's figures count, however high.
        let limiter = in_process(None, true, Duration::from_secs(1));
        observe(&limiter, StatusCode::OK, &quota("0", "0.2"));
        std::thread::sleep(Duration::from_millis(300));
        observe(&limiter, StatusCode::OK, &quota("5", "30"));
        assert!(!blocks(&limiter, Duration::from_secs(5)).await);

        // With the same remaining, the latest answer's reset counts.
        let limiter = in_process(None, true, Duration::from_secs(1));
        observe(&limiter, StatusCode::OK, &quota("2", "30"));
        observe(&limiter, StatusCode::OK, &quota("2", "0.2"));
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
            let observed = Observation::of_answer(
                StatusCode::TOO_MANY_REQUESTS,
                &headers,
                true,
                Duration::from_secs(60),
            );
            assert_eq!(observed.pause, Some(Duration::from_secs(1)), "{value}");
            assert_eq!(observed.quota, None, "{value}");
        }
    }

    #[tokio::test]
    async fn remaining_zero_waits_for_the_reset() {
        let limiter = in_process(None, true, Duration::from_secs(1));
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("5"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("0.3"));
        observe(&limiter, StatusCode::OK, &headers);
        let started = Instant::now();
        acquire(&limiter).await;
        assert!(started.elapsed() >= Duration::from_millis(250));
    }
}
