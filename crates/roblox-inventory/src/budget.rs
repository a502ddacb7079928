//! The rate budget of a credential, behind a trait so that clients (and, with a shared store, processes) can
//! share it.
//!
//! A [`BudgetStore`] keeps, per [`BudgetKey`], what the client-side rate limiter knows: the configured limit
//! (it comes with every call, in the [`Budget`]), what the server's `x-ratelimit-*` headers have taught it, and
//! the pause after a 429. The facade asks it before every request it sends to a credential's own host
//! ([`BudgetStore::try_acquire`]) and tells it what every answer said ([`BudgetStore::observe`]); it parses the
//! headers itself, so a store sees only numbers. [`InProcessBudget`] is the default: the state in this process's
//! memory, as the client always kept it. A store that several processes share (Redis, in the separate crate
//! `roblox-inventory-redis`) makes them spend one budget.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::resilience::RateLimit;
use crate::secret::Secret;

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
            limit: limit.filter(|limit| limits_anything(limit.requests, Some(limit.per))),
        }
    }
}

/// Whether a limit of `requests` per `window` limits anything: a limit of no requests or of a zero window is no
/// limit (`None`: the window is not known).
pub(crate) fn limits_anything(requests: u32, window: Option<Duration>) -> bool {
    requests > 0 && window.is_none_or(|window| !window.is_zero())
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

/// A budget store's failure (its server unreachable, say). It names the store's problem and carries no
/// credential: a store never sees one.
#[derive(Clone, Debug)]
pub struct BudgetError {
    message: String,
    source: Option<Arc<dyn StdError + Send + Sync>>,
}

impl BudgetError {
    /// A failure described by `message` (say which store and what failed).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// A failure described by `message`, caused by `source` (the store client's error).
    pub fn with_source(
        message: impl Into<String>,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(Arc::new(source)),
        }
    }

    /// What failed.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for BudgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl StdError for BudgetError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// A `reqwest` error carrying `error`, for the transport to return: the generated clients take only
/// `reqwest::Result` from it. As with [`refusal`](crate::refusal), the error comes from reading a body that fails
/// at once, and [`carried`](crate::refusal::carried) finds it again.
pub(crate) async fn into_reqwest(error: BudgetError) -> reqwest::Error {
    use http_body_util::BodyExt;
    let frames = futures_util::stream::iter([Err::<http_body::Frame<bytes::Bytes>, _>(error)]);
    let body = reqwest::Body::wrap(http_body_util::StreamBody::new(frames));
    match body.collect().await {
        Err(error) => error,
        // A body of one error cannot be read whole.
        Ok(_) => unreachable!("a body that fails at once was read"),
    }
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

    /// [`BudgetStore::try_acquire`], at once.
    pub(crate) fn admit(&self, budget: &Budget) -> Admission {
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

    /// [`BudgetStore::observe`], at once.
    pub(crate) fn learn(&self, budget: &Budget, observation: &Observation) {
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
        Box::pin(std::future::ready(Ok(self.admit(budget))))
    }

    fn observe<'a>(
        &'a self,
        budget: &'a Budget,
        observation: &'a Observation,
    ) -> BudgetFuture<'a, ()> {
        self.learn(budget, observation);
        Box::pin(std::future::ready(Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(store.admit(&one), Admission::Granted);
        assert_eq!(store.admit(&two), Admission::Granted);
        assert!(matches!(store.admit(&one), Admission::Wait(_)));
        assert!(matches!(store.admit(&two), Admission::Wait(_)));
    }

    #[test]
    fn an_observation_beyond_the_clock_does_not_panic() {
        let store = InProcessBudget::new();
        let budget = Budget::new(BudgetKey::new("cloud:x"), None);
        store.learn(
            &budget,
            &Observation::default()
                .with_pause(Duration::MAX)
                .with_quota(ServerQuota {
                    remaining: 0,
                    reset: Duration::MAX,
                }),
        );
        assert!(matches!(store.admit(&budget), Admission::Wait(_)));
    }
}
