//! What the middleware has seen, for tests to read: requests per operation, 429s, CSRF rejections, faults.

use std::collections::BTreeMap;
use std::sync::Mutex;

use axum::http::Method;

/// The path templates of the three specs, with every parameter written `{}`, so that all requests for one
/// operation share a counter whatever ids, item types or UUIDs they carry. `tests/behaviour.rs` checks this
/// list against the specs so the two cannot drift apart.
pub(crate) const TEMPLATES: &[&str] = &[
    "/v1/packages/{}/assets",
    "/v1/users/{}/assets/collectibles",
    "/v1/users/{}/can-view-inventory",
    "/v1/users/{}/categories",
    "/v1/users/{}/categories/favorites",
    "/v1/users/{}/items/{}/{}",
    "/v1/users/{}/items/{}/{}/is-owned",
    "/v1/users/{}/places/inventory",
    "/v1/collections/items/{}/{}",
    "/v2/assets/{}/owners",
    "/v2/collectible-items/{}/owners",
    "/v2/users/{}/inventory",
    "/v2/users/{}/inventory/{}",
    "/v2/inventory/asset/{}",
    "/cloud/v2/users/{}/inventory-items",
];

/// The path part of the counter key of every request whose path matches none of the path templates of the three specs.
pub const UNKNOWN_PATH: &str = "(unknown path)";

/// The method part of the counter key of every request whose method is not one of HTTP's nine standard ones.
pub const OTHER_METHOD: &str = "(other method)";

/// The counter key of a request: method and path template, for example `GET /v2/users/{}/inventory`.
///
/// Paths outside the specs all share one key per method, `GET (unknown path)`, and methods outside HTTP's
/// standard nine are written [`OTHER_METHOD`]: both are the client's to invent, and a key per invented value
/// would let a client grow the counters without bound.
pub fn operation_key(method: &Method, path: &str) -> String {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let template = TEMPLATES
        .iter()
        .find(|template| {
            let parts: Vec<&str> = template.split('/').collect();
            parts.len() == segments.len()
                && parts.iter().zip(&segments).all(|(part, segment)| {
                    *part == *segment || (*part == "{}" && !segment.is_empty())
                })
        })
        .copied()
        .unwrap_or(UNKNOWN_PATH);
    format!("{} {template}", method_name(method))
}

fn method_name(method: &Method) -> &str {
    match *method {
        Method::GET
        | Method::HEAD
        | Method::POST
        | Method::PUT
        | Method::DELETE
        | Method::CONNECT
        | Method::OPTIONS
        | Method::TRACE
        | Method::PATCH => method.as_str(),
        _ => OTHER_METHOD,
    }
}

/// A kind of injected fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// A 500 response.
    InternalError,
    /// A 503 response.
    Unavailable,
    /// A 429 response not caused by the rate limit.
    TooManyRequests,
    /// A response whose body breaks off, so the client sees a broken transfer.
    DroppedConnection,
    /// Added latency before the request is handled (the request itself then proceeds normally).
    Latency,
}

/// Faults injected so far, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// Injected 500 responses.
    pub internal_error: u64,
    /// Injected 503 responses.
    pub unavailable: u64,
    /// Injected 429 responses (also counted in [`Counters::too_many_requests`]).
    pub too_many_requests: u64,
    /// Responses whose body was broken off.
    pub dropped_connection: u64,
    /// Requests that were delayed.
    pub latency: u64,
}

impl FaultCounts {
    /// All injected faults together.
    pub fn total(&self) -> u64 {
        self.internal_error
            + self.unavailable
            + self.too_many_requests
            + self.dropped_connection
            + self.latency
    }
}

/// A snapshot of what the middleware has seen; see [`crate::behaviour::Behaviour::counters`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Requests received per operation (see [`operation_key`]), including the ones the middleware rejected.
    /// Requests for paths outside the specs are counted together under `METHOD (unknown path)`, for example
    /// `GET (unknown path)` ([`UNKNOWN_PATH`]), and non-standard methods as [`OTHER_METHOD`], so the map has
    /// at most 160 keys (ten method names by fifteen templates and the unknown path) whatever clients send.
    pub requests: BTreeMap<String, u64>,
    /// Every 429 sent, whether from the rate limit or injected as a fault.
    pub too_many_requests: u64,
    /// Mutations rejected with 403 "Token Validation Failed".
    pub csrf_rejections: u64,
    /// Faults injected, by kind.
    pub faults: FaultCounts,
}

impl Counters {
    /// Requests received for one operation key, for example `"GET /v2/users/{}/inventory"`.
    pub fn requests_for(&self, key: &str) -> u64 {
        self.requests.get(key).copied().unwrap_or(0)
    }

    /// Requests received for all operations together.
    pub fn total_requests(&self) -> u64 {
        self.requests.values().sum()
    }
}

/// The live counters behind the snapshots.
#[derive(Debug, Default)]
pub(crate) struct CounterState(Mutex<Counters>);

impl CounterState {
    pub(crate) fn snapshot(&self) -> Counters {
        self.with(|counters| counters.clone())
    }

    pub(crate) fn request(&self, key: &str) {
        self.with(|counters| *counters.requests.entry(key.to_owned()).or_default() += 1);
    }

    pub(crate) fn too_many_requests(&self) {
        self.with(|counters| counters.too_many_requests += 1);
    }

    pub(crate) fn csrf_rejection(&self) {
        self.with(|counters| counters.csrf_rejections += 1);
    }

    pub(crate) fn fault(&self, kind: FaultKind) {
        self.with(|counters| {
            let faults = &mut counters.faults;
            match kind {
                FaultKind::InternalError => faults.internal_error += 1,
                FaultKind::Unavailable => faults.unavailable += 1,
                FaultKind::TooManyRequests => {
                    faults.too_many_requests += 1;
                    counters.too_many_requests += 1;
                }
                FaultKind::DroppedConnection => faults.dropped_connection += 1,
                FaultKind::Latency => faults.latency += 1,
            }
        });
    }

    // A panic elsewhere while holding the lock leaves plain numbers behind, which are still worth reading.
    fn with<T>(&self, f: impl FnOnce(&mut Counters) -> T) -> T {
        let mut guard = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }
}
