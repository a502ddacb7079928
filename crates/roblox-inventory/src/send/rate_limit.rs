//! A client-side rate limit, and Roblox's documented ones.

use std::time::Duration;

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

    /// Whether this limit limits anything: a limit of no requests or of a zero window is no limit.
    pub(crate) fn limits_anything(&self) -> bool {
        limits_anything(self.requests, Some(self.per))
    }
}

/// Whether a limit of `requests` per `window` limits anything (`None`: the window is not known).
pub(crate) fn limits_anything(requests: u32, window: Option<Duration>) -> bool {
    requests > 0 && window.is_none_or(|window| !window.is_zero())
}
