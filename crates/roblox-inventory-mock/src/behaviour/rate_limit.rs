//! Fixed-window request quotas per credential, reported in `x-ratelimit-*` headers on every response.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue};

use super::auth::{Identity, Presented};
use super::{Caller, Host};

/// Requests allowed per window, per credential.
#[derive(Clone, Debug)]
pub struct RateLimitConfig {
    /// The window as Roblox documents it (a minute); divided by `BehaviourConfig::time_scale`.
    pub window: Duration,
    /// Open Cloud requests per window per API key owner, all of the owner's keys together (documented: 100).
    pub api_key_owner_limit: u32,
    /// Open Cloud requests per window per OAuth access token (documented: 20).
    pub oauth_token_limit: u32,
    /// Legacy requests per window per cookie (or for all anonymous callers together). Roblox does not document
    /// this limit, so the default is generous enough that only tests that lower it ever meet it.
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

/// The quota a request counts against: a bucket name and its limit.
pub(crate) fn bucket(
    config: &RateLimitConfig,
    host: Host,
    identity: &Identity<'_>,
) -> (String, u32) {
    match (host, &identity.caller, identity.presented) {
        (Host::OpenCloud, Ok(Caller::ApiKey { owner_id }), _) => (
            format!("cloud api-key-owner {owner_id}"),
            config.api_key_owner_limit,
        ),
        (Host::OpenCloud, _, Presented::Bearer(token)) => {
            (format!("cloud bearer {token}"), config.oauth_token_limit)
        }
        (Host::OpenCloud, _, Presented::ApiKey(key)) => {
            (format!("cloud api-key {key}"), config.api_key_owner_limit)
        }
        (Host::OpenCloud, _, _) => ("cloud anonymous".to_owned(), config.api_key_owner_limit),
        (Host::Legacy, _, Presented::Cookie(cookie)) => {
            (format!("legacy cookie {cookie}"), config.legacy_limit)
        }
        (Host::Legacy, _, _) => ("legacy anonymous".to_owned(), config.legacy_limit),
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

/// Windows keyed by bucket; stale ones are dropped once the map grows so that many credentials cannot grow it forever.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter(Mutex<HashMap<String, Window>>);

const PRUNE_ABOVE: usize = 10_000;

impl RateLimiter {
    pub(crate) fn check(
        &self,
        bucket: String,
        limit: u32,
        window: Duration,
        now: Instant,
    ) -> Decision {
        let mut windows = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() > PRUNE_ABOVE {
            windows.retain(|_, w| now.saturating_duration_since(w.started) < window);
        }
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
}
