//! Fixed-window request quotas per caller, reported in `x-ratelimit-*` headers on every response.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue};

use super::auth::AuthError;
use super::{Caller, Host};

/// Requests allowed per window, per caller.
#[derive(Clone, Debug)]
pub struct RateLimitConfig {
    /// The window as Roblox documents it (a minute); divided by `BehaviourConfig::time_scale`.
    pub window: Duration,
    /// Open Cloud requests per window per API key owner, all of the owner's keys together (documented: 100).
    pub api_key_owner_limit: u32,
    /// Open Cloud requests per window per OAuth authorization (documented: 20), counted per authorizing user.
    pub oauth_token_limit: u32,
    /// Legacy requests per window per logged-in user, all of their cookies together (or for all anonymous
    /// callers together, unknown cookies included). Roblox does not document this limit, so the default is
    /// generous enough that only tests that lower it ever meet it.
    pub legacy_limit: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(60),
            api_key_owner_limit: 100,
            oauth_token_limit: 20,
            legacy_limit: 1000,
        }
    }
}

/// Whose quota a request counts against. Valid callers are keyed by who they are and everyone else shares one
/// bucket per host, so the number of buckets is bounded by the configured credentials whatever clients send
/// (keying by the secret text let every invented key, token or cookie open a bucket of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Bucket {
    /// All of an owner's API keys together, as Roblox documents.
    ApiKeyOwner(u64),
    /// Roblox counts per authorization (one user's grant to one app). The emulator knows only the user behind
    /// a token, so it counts per user: the same as Roblox's for one app per user, stricter for several.
    OAuthUser(u64),
    /// Open Cloud without a valid credential: none, an unknown API key or an unknown bearer token.
    CloudUnauthenticated,
    /// All of a user's valid cookies together.
    LegacyUser(u64),
    /// Anonymous legacy callers, with those whose cookie is unknown (Roblox treats them as logged out).
    LegacyAnonymous,
}

impl Bucket {
    /// The label of the bucket in counters: whose quota it is, never a secret (see
    /// [`super::Counters::by_credential`]). Only snapshots call this, never the per-request path.
    pub(crate) fn label(&self) -> String {
        match self {
            Bucket::ApiKeyOwner(owner) => format!("api-key:owner:{owner}"),
            Bucket::OAuthUser(user) => format!("oauth:user:{user}"),
            Bucket::CloudUnauthenticated => "cloud:unauthenticated".to_owned(),
            Bucket::LegacyUser(user) => format!("cookie:user:{user}"),
            Bucket::LegacyAnonymous => "anonymous".to_owned(),
        }
    }
}

/// The quota a request counts against, and its limit.
pub(crate) fn bucket(
    config: &RateLimitConfig,
    host: Host,
    caller: &Result<Caller, AuthError>,
) -> (Bucket, u32) {
    match (host, caller) {
        (Host::OpenCloud, Ok(Caller::ApiKey { owner_id })) => {
            (Bucket::ApiKeyOwner(*owner_id), config.api_key_owner_limit)
        }
        (Host::OpenCloud, Ok(Caller::OAuth { user_id })) => {
            (Bucket::OAuthUser(*user_id), config.oauth_token_limit)
        }
        (Host::OpenCloud, _) => (Bucket::CloudUnauthenticated, config.api_key_owner_limit),
        (Host::Legacy, Ok(Caller::Cookie { user_id })) => {
            (Bucket::LegacyUser(*user_id), config.legacy_limit)
        }
        (Host::Legacy, _) => (Bucket::LegacyAnonymous, config.legacy_limit),
    }
}

/// The state of one bucket after counting a request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decision {
    pub(crate) allowed: bool,
    limit: u32,
    remaining: u32,
    reset: Duration,
}

impl Decision {
    pub(crate) fn add_headers(&self, headers: &mut HeaderMap) {
        headers.insert("x-ratelimit-limit", HeaderValue::from(self.limit));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(self.remaining));
        headers.insert("x-ratelimit-reset", HeaderValue::from(self.reset_seconds()));
    }

    /// Whole seconds until the window resets, never 0 so a client that waits that long is served.
    pub(crate) fn retry_after(&self) -> u64 {
        self.reset_seconds().max(1)
    }

    fn reset_seconds(&self) -> u64 {
        // Rounded up: rounding down would tell a client to retry before the window has ended.
        self.reset.as_secs() + u64::from(self.reset.subsec_nanos() > 0)
    }
}

#[derive(Debug)]
struct Window {
    started: Instant,
    used: u32,
}

/// Windows keyed by bucket; see [`Bucket`] for why their number stays bounded.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter(Mutex<HashMap<Bucket, Window>>);

impl RateLimiter {
    pub(crate) fn check(
        &self,
        bucket: Bucket,
        limit: u32,
        window: Duration,
        now: Instant,
    ) -> Decision {
        let mut windows = self.lock();
        let current = windows.entry(bucket).or_insert(Window {
            started: now,
            used: 0,
        });
        if now.saturating_duration_since(current.started) >= window {
            *current = Window {
                started: now,
                used: 0,
            };
        }
        let allowed = current.used < limit;
        if allowed {
            current.used += 1;
        }
        let reset = window.saturating_sub(now.saturating_duration_since(current.started));
        Decision {
            allowed,
            limit,
            remaining: limit.saturating_sub(current.used),
            reset,
        }
    }

    /// How many buckets exist, for tests that check the state stays bounded.
    #[cfg(test)]
    pub(crate) fn buckets(&self) -> usize {
        self.lock().len()
    }

    // A panic elsewhere while holding the lock leaves plain counts behind, still worth enforcing.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Bucket, Window>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
