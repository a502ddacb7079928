//! One suite, both budget stores: the facade's in-process default and the Redis store behave the same through
//! the `BudgetStore` trait the facade calls (limits, pauses, what the server said, separate budgets).

mod common;

use std::time::Duration;

use common::RedisServer;
use roblox_inventory::{
    Admission, Budget, BudgetKey, BudgetStore, InProcessBudget, Observation, RateLimit,
    ServerLimit, ServerQuota,
};
use roblox_inventory_redis::RedisBudget;

fn budget(name: &str, limit: Option<(u32, u64)>) -> Budget {
    Budget::new(
        BudgetKey::new(format!("cloud:name:{name}")),
        limit.map(|(requests, millis)| RateLimit {
            requests,
            per: Duration::from_millis(millis),
        }),
    )
}

async fn grants(store: &dyn BudgetStore, budget: &Budget, count: usize) {
    for index in 0..count {
        assert_eq!(
            store.try_acquire(budget).await.unwrap(),
            Admission::Granted,
            "request {index} of {count}"
        );
    }
}

async fn waits(store: &dyn BudgetStore, budget: &Budget, at_most: Duration) -> Duration {
    match store.try_acquire(budget).await.unwrap() {
        Admission::Wait(wait) if wait <= at_most => wait,
        other => panic!("expected a wait of at most {at_most:?}, got {other:?}"),
    }
}

async fn a_configured_limit_holds_per_window(store: &dyn BudgetStore) {
    let budget = budget("limit", Some((3, 400)));
    grants(store, &budget, 3).await;
    let wait = waits(store, &budget, Duration::from_millis(400)).await;
    tokio::time::sleep(wait + Duration::from_millis(20)).await;
    grants(store, &budget, 1).await;
}

async fn a_pause_holds_until_it_ends_and_a_shorter_one_does_not_cut_it(store: &dyn BudgetStore) {
    let budget = budget("pause", None);
    let mut long = Observation::default();
    long.pause = Some(Duration::from_millis(300));
    store.observe(&budget, &long).await.unwrap();
    let mut short = Observation::default();
    short.pause = Some(Duration::from_millis(10));
    store.observe(&budget, &short).await.unwrap();
    let wait = waits(store, &budget, Duration::from_millis(300)).await;
    assert!(wait > Duration::from_millis(150), "{wait:?}");
    tokio::time::sleep(wait + Duration::from_millis(20)).await;
    grants(store, &budget, 1).await;
}

async fn the_servers_remaining_count_is_spent_down(store: &dyn BudgetStore) {
    let budget = budget("quota", None);
    let mut said = Observation::default();
    said.quota = Some(ServerQuota {
        remaining: 2,
        reset: Duration::from_millis(300),
    });
    store.observe(&budget, &said).await.unwrap();
    grants(store, &budget, 2).await;
    waits(store, &budget, Duration::from_millis(300)).await;
}

async fn the_servers_limit_replaces_the_configured_one(store: &dyn BudgetStore) {
    let budget = budget("server-limit", Some((10, 300)));
    let mut said = Observation::default();
    said.limit = Some(ServerLimit {
        requests: 1,
        window: None,
    });
    store.observe(&budget, &said).await.unwrap();
    grants(store, &budget, 1).await;
    waits(store, &budget, Duration::from_millis(300)).await;
}

async fn budgets_are_separate(store: &dyn BudgetStore) {
    let first = budget("first", Some((1, 1_000)));
    let second = budget("second", Some((1, 1_000)));
    grants(store, &first, 1).await;
    waits(store, &first, Duration::from_secs(1)).await;
    grants(store, &second, 1).await;
}

async fn conformance(store: &dyn BudgetStore) {
    a_configured_limit_holds_per_window(store).await;
    a_pause_holds_until_it_ends_and_a_shorter_one_does_not_cut_it(store).await;
    the_servers_remaining_count_is_spent_down(store).await;
    the_servers_limit_replaces_the_configured_one(store).await;
    budgets_are_separate(store).await;
}

#[tokio::test]
async fn the_in_process_store_conforms() {
    conformance(&InProcessBudget::new()).await;
}

#[tokio::test]
async fn the_redis_store_conforms() {
    let Some(server) = RedisServer::start("the_redis_store_conforms") else {
        return;
    };
    let store = RedisBudget::connect(&server.url(), "conformance")
        .await
        .unwrap();
    conformance(&store).await;
}

#[tokio::test]
async fn an_unreachable_redis_is_a_clear_error() {
    // A port nothing listens on: the store says so, naming neither host nor password.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let connected = RedisBudget::connect(&format!("redis://:hunter2@127.0.0.1:{port}/"), "x").await;
    let error = connected.expect_err("nothing listens there");
    assert!(!error.to_string().contains("hunter2"), "{error}");
}

/// Two clients, each with its own connection to the store (as two processes would have), share one limit.
#[tokio::test]
async fn two_clients_on_one_redis_budget_share_its_limit() {
    use std::sync::Arc;
    use std::time::Instant;
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let Some(redis) = RedisServer::start("two_clients_on_one_redis_budget_share_its_limit") else {
        return;
    };
    let roblox = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"canView":true}"#, "application/json"),
        )
        .mount(&roblox)
        .await;
    let mut clients = Vec::new();
    for _ in 0..2 {
        let store = RedisBudget::connect(&redis.url(), "shared").await.unwrap();
        let client = roblox_inventory::Client::builder()
            .legacy_url(roblox.uri())
            .legacy_rate_limit(Some(RateLimit {
                requests: 3,
                per: Duration::from_millis(500),
            }))
            .budget_name("owner-156")
            .budget_store(Arc::new(store))
            .build()
            .unwrap();
        clients.push(client);
    }
    let started = Instant::now();
    for round in 0..3 {
        for client in &clients {
            assert!(client.can_view_inventory(7).await.unwrap(), "round {round}");
        }
    }
    // Six requests under one limit of three per 500 ms: the second three wait for the next window.
    assert!(
        started.elapsed() >= Duration::from_millis(480),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(roblox.received_requests().await.unwrap().len(), 6);
}

#[tokio::test]
async fn without_redis_a_budget_fails_or_keeps_to_its_share_in_process() {
    let Some(server) =
        RedisServer::start("without_redis_a_budget_fails_or_keeps_to_its_share_in_process")
    else {
        return;
    };
    let strict = RedisBudget::connect(&server.url(), "fallback")
        .await
        .unwrap();
    let lenient = RedisBudget::connect(&server.url(), "fallback")
        .await
        .unwrap()
        .fall_back_to_share(0.5);
    let budget = budget("gone", Some((4, 10_000)));
    grants(&strict, &budget, 1).await;
    drop(server);
    let error = BudgetStore::try_acquire(&strict, &budget)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("Redis budget store"), "{error}");
    // Half of four per window, in this process, while Redis is away.
    grants(&lenient, &budget, 2).await;
    waits(&lenient, &budget, Duration::from_secs(10)).await;
}

/// The server's limit and remaining count are the whole key's: while Redis is away, the local budget learns only
/// its share of them, and does not spend every worker's part.
#[tokio::test]
async fn without_redis_the_servers_limit_and_quota_are_cut_to_the_share() {
    let Some(server) =
        RedisServer::start("without_redis_the_servers_limit_and_quota_are_cut_to_the_share")
    else {
        return;
    };
    let store = RedisBudget::connect(&server.url(), "fallback-learned")
        .await
        .unwrap()
        .fall_back_to_share(0.5);
    let limited = budget("learned-limit", Some((4, 10_000)));
    let counted = budget("learned-quota", None);
    // Learned while Redis is up (the local budget learns too, to be ready) ...
    let mut said = Observation::default();
    said.limit = Some(ServerLimit {
        requests: 10,
        window: Some(Duration::from_secs(10)),
    });
    store.observe(&limited, &said).await.unwrap();
    drop(server);
    // ... and while it is away.
    let mut said = Observation::default();
    said.quota = Some(ServerQuota {
        remaining: 6,
        reset: Duration::from_secs(10),
    });
    store.observe(&counted, &said).await.unwrap();
    // Half of the server's ten per window, not all ten.
    grants(&store, &limited, 5).await;
    waits(&store, &limited, Duration::from_secs(10)).await;
    // Half of the six the server said were left.
    grants(&store, &counted, 3).await;
    waits(&store, &counted, Duration::from_secs(10)).await;
}
