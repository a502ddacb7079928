//! The middleware in front of every handler: authentication, CSRF, rate limits, fault injection and counters.
//!
//! Each request passes, in order: counting (per operation and per rate-limit bucket), the rate limit (so that every response, refusals included, carries
//! `x-ratelimit-*` headers), authentication, the CSRF check of legacy mutations, fault injection, and finally the
//! handler, which finds the authenticated [`Caller`] in the request extensions.

mod auth;
mod counters;
mod csrf;
mod faults;
mod rate_limit;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub use auth::Credentials;
pub use counters::{
    Counters, CountersReport, CredentialCounts, FaultCounts, FaultKind, OTHER_METHOD, UNKNOWN_PATH,
    operation_key,
};
pub use faults::FaultConfig;
pub use rate_limit::RateLimitConfig;

/// Everything the middleware enforces.
#[derive(Clone, Debug)]
pub struct BehaviourConfig {
    /// Which cookies / API keys / OAuth tokens are valid, and whose they are.
    pub credentials: Credentials,
    /// Requests per window per caller (API key owner, OAuth user, cookie user), and the window length.
    pub rate_limit: RateLimitConfig,
    /// Seed, probabilities of 500 / 503 / 429 / dropped connection, added latency.
    pub faults: FaultConfig,
    /// How much faster than real time rate-limit windows pass: 60.0 means a documented minute lasts one second.
    /// Values that are not positive and finite count as 1.0.
    pub time_scale: f64,
}

impl Default for BehaviourConfig {
    /// Roblox's documented limits, no credentials, no faults, real time.
    fn default() -> Self {
        Self {
            credentials: Credentials::default(),
            rate_limit: RateLimitConfig::default(),
            faults: FaultConfig::default(),
            time_scale: 1.0,
        }
    }
}

/// The caller as authenticated by the middleware, put into the request extensions for handlers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// No credentials (legacy reads allow this), or a legacy cookie that is not valid.
    Anonymous,
    /// A valid `.ROBLOSECURITY` cookie of this user.
    Cookie { user_id: u64 },
    /// A valid Open Cloud API key owned by this user.
    ApiKey { owner_id: u64 },
    /// A valid OAuth 2.0 access token authorized by this user.
    OAuth { user_id: u64 },
}

/// Which of Roblox's front doors a path belongs to; they differ in credentials and error shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Host {
    /// inventory.roblox.com: `/v1/...`, `/v2/...`.
    Legacy,
    /// apis.roblox.com: `/cloud/...`.
    OpenCloud,
}

impl Host {
    fn of(path: &str) -> Self {
        if path == "/cloud" || path.starts_with("/cloud/") {
            Host::OpenCloud
        } else {
            Host::Legacy
        }
    }
}

/// Shared state of the middleware; one per server.
pub struct Behaviour {
    config: BehaviourConfig,
    window: Duration,
    counters: counters::CounterState,
    csrf: csrf::CsrfToken,
    limiter: rate_limit::RateLimiter,
    faults: faults::Faults,
}

impl std::fmt::Debug for Behaviour {
    // The live state holds a secret (the CSRF token); the redacted config is what is worth seeing.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Behaviour")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Behaviour {
    pub fn new(config: BehaviourConfig) -> Arc<Self> {
        let scale = if config.time_scale.is_finite() && config.time_scale > 0.0 {
            config.time_scale
        } else {
            1.0
        };
        let window = Duration::try_from_secs_f64(config.rate_limit.window.as_secs_f64() / scale)
            .unwrap_or(config.rate_limit.window);
        // Tokens need only differ between runs, not be unguessable: this is a test double.
        let salt = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Arc::new(Self {
            config,
            window,
            counters: counters::CounterState::default(),
            csrf: csrf::CsrfToken::new(salt),
            limiter: rate_limit::RateLimiter::default(),
            faults: faults::Faults::default(),
        })
    }

    /// A snapshot: requests per operation (by path template) and per credential, 429s sent, CSRF rejections,
    /// faults injected. `GET /_mock/counters` serves the same numbers as JSON ([`Counters::report`]).
    pub fn counters(&self) -> Counters {
        self.counters.snapshot()
    }

    /// Sets every counter back to zero (`POST /_mock/counters/reset`). Rate-limit windows are left as they are.
    pub fn reset_counters(&self) {
        self.counters.reset();
    }

    /// Rotates the CSRF token: the next mutation is rejected with a fresh token.
    pub fn expire_csrf_token(&self) {
        self.csrf.rotate();
    }
}

/// The axum middleware; install with `axum::middleware::from_fn_with_state(behaviour, middleware)`.
pub async fn middleware(
    State(behaviour): State<Arc<Behaviour>>,
    mut request: Request,
    next: Next,
) -> Response {
    let operation = operation_key(request.method(), request.uri().path());
    let host = Host::of(request.uri().path());
    let config = &behaviour.config;

    let caller = auth::identify(&config.credentials, host, &operation, request.headers());
    let (bucket, limit) = rate_limit::bucket(&config.rate_limit, host, &caller);
    // Counted once the bucket is known, so one lock counts both the operation and the credential.
    behaviour.counters.request(&operation, bucket);
    let quota = behaviour
        .limiter
        .check(bucket, limit, behaviour.window, Instant::now());

    let mut response = if !quota.allowed {
        behaviour.counters.too_many_requests(bucket);
        too_many_requests(host, quota.retry_after())
    } else {
        match caller {
            // Both hosts use the `errors` envelope here: on Open Cloud it is the gateway that refuses.
            Err(error) => legacy_error(StatusCode::UNAUTHORIZED, &error.to_string()),
            Ok(caller) => match csrf_check(&behaviour, host, &request) {
                Err(token) => {
                    behaviour.counters.csrf_rejection();
                    token_validation_failed(&token)
                }
                Ok(()) => {
                    let draw = behaviour.faults.draw(&config.faults);
                    if let Some(delay) = draw.delay {
                        behaviour.counters.fault(FaultKind::Latency, bucket);
                        tokio::time::sleep(delay).await;
                    }
                    match draw.failure {
                        Some(failure) => {
                            behaviour.counters.fault(failure.kind(), bucket);
                            injected(host, failure)
                        }
                        None => {
                            request.extensions_mut().insert(caller);
                            next.run(request).await
                        }
                    }
                }
            },
        }
    };
    quota.add_headers(response.headers_mut());
    response
}

fn csrf_check(behaviour: &Behaviour, host: Host, request: &Request) -> Result<(), String> {
    if host == Host::Legacy && csrf::guards(request.method()) {
        behaviour.csrf.check(request.headers())
    } else {
        Ok(())
    }
}

/// Roblox's legacy envelope, `{"errors":[{"code":0,"message":...}]}`.
fn legacy_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "errors": [{ "code": 0, "message": message }] })),
    )
        .into_response()
}

/// Open Cloud v2's own error shape, `{"code":"RESOURCE_EXHAUSTED","message":...,"details":[]}`.
fn cloud_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "code": code, "message": message, "details": [] })),
    )
        .into_response()
}

fn token_validation_failed(token: &str) -> Response {
    let mut response = legacy_error(StatusCode::FORBIDDEN, "Token Validation Failed");
    if let Ok(value) = HeaderValue::from_str(token) {
        response.headers_mut().insert(csrf::HEADER, value);
    }
    response
}

fn too_many_requests(host: Host, retry_after: u64) -> Response {
    let mut response = match host {
        Host::Legacy => legacy_error(StatusCode::TOO_MANY_REQUESTS, "TooManyRequests"),
        Host::OpenCloud => cloud_error(
            StatusCode::TOO_MANY_REQUESTS,
            "RESOURCE_EXHAUSTED",
            "Too many requests.",
        ),
    };
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

fn injected(host: Host, failure: faults::Failure) -> Response {
    use faults::Failure;
    match (failure, host) {
        (Failure::TooManyRequests, _) => too_many_requests(host, 1),
        (Failure::InternalError, Host::Legacy) => {
            legacy_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError")
        }
        (Failure::InternalError, Host::OpenCloud) => cloud_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "Internal server error.",
        ),
        (Failure::Unavailable, Host::Legacy) => {
            legacy_error(StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable")
        }
        (Failure::Unavailable, Host::OpenCloud) => cloud_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "UNAVAILABLE",
            "The service is currently unavailable.",
        ),
        (Failure::DroppedConnection, _) => broken_response(),
    }
}

/// A 200 that promises more body than it sends: hyper writes what there is, finds the body ended early and
/// closes the connection, so the client's read fails midway as on a dropped connection.
fn broken_response() -> Response {
    const PARTIAL: &str = r#"{"data":[{"id":"#;
    // A stream has no known length, so hyper takes the declared one and notices the shortfall.
    let body = Body::from_stream(Body::from(PARTIAL).into_data_stream());
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(PARTIAL.len() as u64 + 4096),
    );
    response
}

/// A 64-bit mix (splitmix64's finalizer over both inputs): cheap, well spread, and no RNG crate needed.
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use axum::{Router, middleware::from_fn_with_state};

    use super::*;

    #[tokio::test]
    async fn invented_secrets_share_one_bucket_and_valid_callers_one_each() {
        let behaviour = Behaviour::new(BehaviourConfig {
            credentials: Credentials {
                cookies: vec![("cookie-a".into(), 1), ("cookie-b".into(), 1)],
                api_keys: vec![
                    ("key-a".into(), 7),
                    ("key-b".into(), 7),
                    ("key-c".into(), 8),
                ],
                oauth_tokens: vec![("token-a".into(), 9), ("token-b".into(), 9)],
            },
            ..BehaviourConfig::default()
        });
        let app = Router::new()
            .fallback(|| async { "ok" })
            .layer(from_fn_with_state(behaviour.clone(), middleware));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let http = reqwest::Client::new();
        let cloud = format!("{base}/cloud/v2/users/1/inventory-items");
        let legacy_read = format!("{base}/v2/users/1/inventory?assetTypes=8");
        let legacy_cookie_only = format!("{base}/v2/collectible-items/x/owners");

        for i in 0..1_000 {
            let junk = format!("junk-secret-{i}");
            let cookie = format!(".ROBLOSECURITY={junk}");
            let requests = [
                http.get(&cloud).header("x-api-key", &junk),
                http.get(&cloud).bearer_auth(&junk),
                http.get(&legacy_read).header("cookie", &cookie),
                http.get(&legacy_cookie_only).header("cookie", &cookie),
            ];
            for request in requests {
                request.send().await.unwrap();
            }
        }
        assert_eq!(
            behaviour.limiter.buckets(),
            2,
            "one bucket per host for all invalid credentials"
        );

        for key in ["key-a", "key-b", "key-c"] {
            http.get(&cloud)
                .header("x-api-key", key)
                .send()
                .await
                .unwrap();
        }
        for token in ["token-a", "token-b"] {
            http.get(&cloud).bearer_auth(token).send().await.unwrap();
        }
        for cookie in ["cookie-a", "cookie-b"] {
            let cookie = format!(".ROBLOSECURITY={cookie}");
            http.get(&legacy_read)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
        }
        http.get(&legacy_read).send().await.unwrap();
        http.get(&cloud).send().await.unwrap();
        // Owners 7 and 8, OAuth user 9, cookie user 1, and the two shared buckets.
        assert_eq!(behaviour.limiter.buckets(), 6);
    }
}
