//! The budget store seam: a store of the caller's own sees every request under a key without the credential,
//! learns 429 pauses and `x-ratelimit-*` headers, and fails requests (unsent) with a typed error; clients built
//! with one store share one budget.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{client_builder, json, server_answering};
use futures_util::TryStreamExt;
use roblox_inventory::{
    Admission, Budget, BudgetError, BudgetFuture, BudgetStore, Client, Error, InProcessBudget,
    InventoryFilter, Observation, RateLimit, RetryPolicy, ServerLimit, ServerQuota,
};
use wiremock::{MockServer, ResponseTemplate};

const API_KEY: &str = "api-key-SECRET-4f1c9a";
const COOKIE: &str = "_|WARNING:-DO-NOT-SHARE-THIS.--cookie-SECRET-77aa";

#[derive(Clone, Debug, PartialEq)]
enum Call {
    Acquire(Budget),
    Observe(Budget, Observation),
}

/// Records every call, then does what an in-process budget does (or fails, when told to).
#[derive(Debug, Default)]
struct RecordingStore {
    calls: Mutex<Vec<Call>>,
    inner: InProcessBudget,
    fail: bool,
}

impl RecordingStore {
    fn failing() -> Self {
        Self {
            fail: true,
            ..Self::default()
        }
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    fn observations(&self) -> Vec<Observation> {
        self.calls()
            .into_iter()
            .filter_map(|call| match call {
                Call::Observe(_, observation) => Some(observation),
                Call::Acquire(_) => None,
            })
            .collect()
    }
}

impl BudgetStore for RecordingStore {
    fn try_acquire<'a>(&'a self, budget: &'a Budget) -> BudgetFuture<'a, Admission> {
        self.calls
            .lock()
            .unwrap()
            .push(Call::Acquire(budget.clone()));
        if self.fail {
            let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
            return Box::pin(async move {
                Err(BudgetError::with_source(
                    "test store at 127.0.0.1:6379 unreachable",
                    refused,
                ))
            });
        }
        self.inner.try_acquire(budget)
    }

    fn observe<'a>(
        &'a self,
        budget: &'a Budget,
        observation: &'a Observation,
    ) -> BudgetFuture<'a, ()> {
        self.calls
            .lock()
            .unwrap()
            .push(Call::Observe(budget.clone(), *observation));
        self.inner.observe(budget, observation)
    }
}

fn builder(server: &MockServer, store: Arc<dyn BudgetStore>) -> roblox_inventory::ClientBuilder {
    client_builder(&server.uri())
        .api_key(API_KEY)
        .cookie(COOKIE)
        .retry(RetryPolicy::none())
        .budget_store(store)
}

fn can_view() -> ResponseTemplate {
    json(200, r#"{"canView":true}"#)
}

fn empty_cloud_page() -> ResponseTemplate {
    json(200, r#"{"inventoryItems":[],"nextPageToken":""}"#)
}

async fn cloud_request(client: &Client) -> Result<(), Error> {
    client
        .inventory_items(156, &InventoryFilter::everything())
        .items()
        .try_collect::<Vec<_>>()
        .await
        .map(drop)
        .map_err(|error| match error {
            roblox_inventory::PaginationError::Fetch { source, .. } => source,
            other => panic!("{other:?}"),
        })
}

#[tokio::test]
async fn every_request_acquires_under_a_key_without_the_credential() {
    let server = server_answering(can_view()).await;
    let store = Arc::new(RecordingStore::default());
    let client = builder(&server, store.clone()).build().unwrap();
    assert!(client.can_view_inventory(1).await.unwrap());
    assert!(client.can_view_inventory(1).await.unwrap());
    let _ = cloud_request(&client).await;

    let acquired: Vec<Budget> = store
        .calls()
        .into_iter()
        .filter_map(|call| match call {
            Call::Acquire(budget) => Some(budget),
            Call::Observe(..) => None,
        })
        .collect();
    assert_eq!(acquired.len(), 3, "{acquired:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    let legacy = acquired[0].key.as_str();
    let cloud = acquired[2].key.as_str();
    assert!(legacy.starts_with("legacy:cookie:fnv1a64:"), "{legacy}");
    assert!(cloud.starts_with("cloud:api-key:fnv1a64:"), "{cloud}");
    assert_eq!(acquired[0], acquired[1]);
    // The configured limits come with the key: none on the legacy host, Roblox's 100 a minute for a key.
    assert_eq!(acquired[0].limit, None);
    assert_eq!(acquired[2].limit, Some(RateLimit::API_KEY));
    let shown = format!("{:?} {store:?} {client:?}", store.calls());
    for secret in ["SECRET", API_KEY, COOKIE] {
        assert!(!shown.contains(secret), "{shown}");
    }

    // The same credentials in another client: the same keys. A name replaces the hash.
    let again = Arc::new(RecordingStore::default());
    let other = builder(&server, again.clone()).build().unwrap();
    other.can_view_inventory(1).await.unwrap();
    assert_eq!(again.calls()[0], Call::Acquire(acquired[0].clone()));
    let named = Arc::new(RecordingStore::default());
    let other = builder(&server, named.clone())
        .budget_name("owner-156")
        .build()
        .unwrap();
    other.can_view_inventory(1).await.unwrap();
    let _ = cloud_request(&other).await;
    let keys: Vec<String> = named
        .calls()
        .into_iter()
        .filter_map(|call| match call {
            Call::Acquire(budget) => Some(budget.key.to_string()),
            Call::Observe(..) => None,
        })
        .collect();
    assert_eq!(keys, ["legacy:name:owner-156", "cloud:name:owner-156"]);
}

#[tokio::test]
async fn a_429_with_retry_after_reaches_the_store_as_a_pause() {
    let server =
        server_answering(ResponseTemplate::new(429).insert_header("retry-after", "7")).await;
    let store = Arc::new(RecordingStore::default());
    let client = builder(&server, store.clone()).build().unwrap();
    let error = client.can_view_inventory(1).await.unwrap_err();
    assert!(error.api().is_some(), "{error:?}");
    assert_eq!(
        store.observations(),
        [Observation::default().with_pause(Duration::from_secs(7))]
    );
}

#[tokio::test]
async fn x_ratelimit_headers_reach_the_store() {
    let server = server_answering(
        can_view()
            .insert_header("x-ratelimit-limit", "50;w=60")
            .insert_header("x-ratelimit-remaining", "49")
            .insert_header("x-ratelimit-reset", "30"),
    )
    .await;
    let store = Arc::new(RecordingStore::default());
    let client = builder(&server, store.clone()).build().unwrap();
    client.can_view_inventory(1).await.unwrap();
    assert_eq!(
        store.observations(),
        [Observation::default()
            .with_limit(ServerLimit {
                requests: 50,
                window: Some(Duration::from_secs(60)),
            })
            .with_quota(ServerQuota {
                remaining: 49,
                reset: Duration::from_secs(30),
            })]
    );

    // Not adaptive: only a 429's pause is learned; an answer with nothing to learn is not passed on.
    let store = Arc::new(RecordingStore::default());
    let client = builder(&server, store.clone())
        .adaptive_rate_limit(false)
        .build()
        .unwrap();
    client.can_view_inventory(1).await.unwrap();
    assert_eq!(store.observations(), []);
}

#[tokio::test]
async fn a_store_error_fails_the_request_unsent_with_a_typed_error() {
    let server = server_answering(can_view()).await;
    let store = Arc::new(RecordingStore::failing());
    // Retries on: a store's failure is not retried either.
    let client = builder(&server, store.clone())
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    for error in [
        client.can_view_inventory(1).await.unwrap_err(),
        cloud_request(&client).await.unwrap_err(),
    ] {
        let Error::Budget { request, source } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(source.message(), "test store at 127.0.0.1:6379 unreachable");
        assert!(std::error::Error::source(source).is_some());
        assert!(
            error.to_string().starts_with(&format!(
                "{request}: not sent, the rate budget store failed"
            )),
            "{error}"
        );
        for secret in ["SECRET", API_KEY, COOKIE] {
            assert!(!format!("{error} {error:?}").contains(secret));
        }
    }
    assert_eq!(store.calls().len(), 2, "asked once per request");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_built_with_one_store_share_one_budget() {
    let server = server_answering(empty_cloud_page()).await;
    let limit = RateLimit {
        requests: 2,
        per: Duration::from_millis(300),
    };
    let build = |store: Arc<dyn BudgetStore>| {
        builder(&server, store)
            .cloud_rate_limit(Some(limit))
            .build()
            .unwrap()
    };
    let shared: Arc<dyn BudgetStore> = Arc::new(InProcessBudget::new());
    let (one, two) = (build(shared.clone()), build(shared));
    // Six requests, three from each client, 2 per 300 ms between them: three windows, so at least 600 ms.
    let started = Instant::now();
    for _ in 0..3 {
        cloud_request(&one).await.unwrap();
        cloud_request(&two).await.unwrap();
    }
    // Each client alone would have spent one window's wait (300 ms).
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(600), "{elapsed:?}");
}
