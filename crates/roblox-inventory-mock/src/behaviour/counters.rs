//! What the middleware has seen, for tests to read: requests per operation, 429s, CSRF rejections, faults.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use axum::http::Method;
use serde::{Deserialize, Serialize};

use super::rate_limit::Bucket;

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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// Requests and 429s of one credential label; see [`Counters::by_credential`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialCounts {
    /// Requests whose quota was this credential's, including the ones the middleware rejected.
    pub requests: u64,
    /// 429s sent to this credential, from the rate limit or injected as a fault.
    pub rate_limited: u64,
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
    /// Requests and 429s per rate-limit bucket, labelled by whose quota it is and never by a secret:
    /// `api-key:owner:{id}` (all of the owner's API keys together), `oauth:user:{id}`, `cookie:user:{id}`
    /// (all of the user's cookies together), `anonymous` (legacy calls without a valid cookie) and
    /// `cloud:unauthenticated` (Open Cloud calls without a valid API key or token). The requests of all
    /// labels add up to [`Counters::total_requests`] and their 429s to [`Counters::too_many_requests`].
    pub by_credential: BTreeMap<String, CredentialCounts>,
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

    /// The counts of one credential label (see [`Counters::by_credential`]), for example `"cookie:user:1"`;
    /// zeros for a label that has sent nothing.
    pub fn for_credential(&self, label: &str) -> CredentialCounts {
        self.by_credential.get(label).copied().unwrap_or_default()
    }

    /// The JSON document `GET /_mock/counters` answers with.
    pub fn report(&self) -> CountersReport {
        CountersReport {
            requests: self.total_requests(),
            rate_limited: self.too_many_requests,
            csrf_rejections: self.csrf_rejections,
            faults: self.faults,
            by_route: self.requests.clone(),
            by_credential: self.by_credential.clone(),
        }
    }
}

/// What `GET /_mock/counters` answers, for tests in another process to deserialize:
/// `{"requests":…,"rate_limited":…,"csrf_rejections":…,"faults":{…},"by_route":{…},"by_credential":{…}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountersReport {
    /// All API requests received ([`Counters::total_requests`]); the `/_mock/` routes are not counted.
    pub requests: u64,
    /// Every 429 sent, from the rate limit or injected ([`Counters::too_many_requests`]).
    pub rate_limited: u64,
    /// Mutations rejected with 403 "Token Validation Failed".
    pub csrf_rejections: u64,
    /// Faults injected, by kind.
    pub faults: FaultCounts,
    /// Requests per operation key ([`Counters::requests`]).
    pub by_route: BTreeMap<String, u64>,
    /// Requests and 429s per credential label ([`Counters::by_credential`]).
    pub by_credential: BTreeMap<String, CredentialCounts>,
}

/// The live counters behind the snapshots. Buckets stay keyed by [`Bucket`] here (a `Copy` key, so counting
/// allocates nothing once a bucket has been seen) and get their labels only when a snapshot is taken.
#[derive(Debug, Default)]
struct Live {
    counters: Counters,
    buckets: HashMap<Bucket, CredentialCounts>,
}

/// The live counters behind the snapshots.
#[derive(Debug, Default)]
pub(crate) struct CounterState(Mutex<Live>);

impl CounterState {
    pub(crate) fn snapshot(&self) -> Counters {
        self.with(|live| {
            let mut counters = live.counters.clone();
            counters.by_credential = live
                .buckets
                .iter()
                .map(|(bucket, counts)| (bucket.label(), *counts))
                .collect();
            counters
        })
    }

    pub(crate) fn reset(&self) {
        self.with(|live| *live = Live::default());
    }

    /// Counts a request for operation `key` against `bucket`'s quota.
    pub(crate) fn request(&self, key: &str, bucket: Bucket) {
        self.with(|live| {
            // Look up before inserting: only an operation's first request pays for its key's allocation.
            match live.counters.requests.get_mut(key) {
                Some(count) => *count += 1,
                None => {
                    live.counters.requests.insert(key.to_owned(), 1);
                }
            }
            live.buckets.entry(bucket).or_default().requests += 1;
        });
    }

    pub(crate) fn too_many_requests(&self, bucket: Bucket) {
        self.with(|live| {
            live.counters.too_many_requests += 1;
            live.buckets.entry(bucket).or_default().rate_limited += 1;
        });
    }

    pub(crate) fn csrf_rejection(&self) {
        self.with(|live| live.counters.csrf_rejections += 1);
    }

    pub(crate) fn fault(&self, kind: FaultKind, bucket: Bucket) {
        self.with(|live| {
            let counters = &mut live.counters;
            let faults = &mut counters.faults;
            match kind {
                FaultKind::InternalError => faults.internal_error += 1,
                FaultKind::Unavailable => faults.unavailable += 1,
                FaultKind::TooManyRequests => {
                    faults.too_many_requests += 1;
                    counters.too_many_requests += 1;
                    live.buckets.entry(bucket).or_default().rate_limited += 1;
                }
                FaultKind::DroppedConnection => faults.dropped_connection += 1,
                FaultKind::Latency => faults.latency += 1,
            }
        });
    }

    // A panic elsewhere while holding the lock leaves plain numbers behind, which are still worth reading.
    fn with<T>(&self, f: impl FnOnce(&mut Live) -> T) -> T {
        let mut guard = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }
}
