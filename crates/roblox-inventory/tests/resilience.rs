//! Retries, rate limits and cancellation against the emulator's fault injection and rate limits: long scans
//! finish with every item exactly once.

mod common;

use std::time::{Duration, Instant};

use common::client_builder;
use futures_util::{StreamExt, TryStreamExt};
use roblox_inventory::{
    Client, Error, ErrorKind, InventoryFilter, PaginationError, RateLimit, RetryPolicy,
    asset_type_pairs,
};
use roblox_inventory_mock::behaviour::{
    BehaviourConfig, Credentials, FaultConfig, RateLimitConfig,
};
use roblox_inventory_mock::{MockServer, UserSpec, WorldConfig};

const USER: u64 = 156;
const KEY: &str = "key-of-156";
const ITEMS: u64 = 10_000;
const SEEDS: u64 = 20;

fn world(size: u64) -> WorldConfig {
    WorldConfig::seeded(11).user(
        USER,
        UserSpec {
            inventory_size: Some(size),
            ..UserSpec::default()
        },
    )
}

fn behaviour(faults: FaultConfig, rate_limit: RateLimitConfig) -> BehaviourConfig {
    BehaviourConfig {
        credentials: Credentials {
            api_keys: vec![(KEY.into(), USER)],
            ..Credentials::default()
        },
        rate_limit,
        faults,
        time_scale: 60.0,
    }
}

fn unlimited() -> RateLimitConfig {
    RateLimitConfig {
        api_key_owner_limit: u32::MAX,
        legacy_limit: u32::MAX,
        ..RateLimitConfig::default()
    }
}

/// 10% of requests fail: 3% 500, 3% 503, 2% 429, 2% dropped connections.
fn faults(seed: u64) -> FaultConfig {
    FaultConfig {
        seed,
        internal_error: 0.03,
        unavailable: 0.03,
        too_many_requests: 0.02,
        dropped_connection: 0.02,
        ..FaultConfig::default()
    }
}

/// Short waits: the emulator's time runs 60 times faster, and these tests must not wait for real minutes.
fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 10,
        max_elapsed: Duration::from_secs(30),
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
    }
}

fn client(server: &MockServer) -> Client {
    client_builder(&server.url())
        .api_key(KEY)
        .retry(fast_retries())
        .cloud_rate_limit(None)
        .build()
        .unwrap()
}

async fn cloud_scan(client: &Client) -> Vec<String> {
    client
        .inventory_items(USER, &InventoryFilter::everything())
        .items()
        .map_ok(|item| format!("{item:?}"))
        .try_collect()
        .await
        .unwrap()
}

async fn legacy_scan(client: &Client) -> Vec<String> {
    let types = asset_type_pairs().iter().map(|(legacy, _)| legacy.clone());
    client
        .scan_asset_types(USER, types)
        .map_ok(|(asset_type, item)| format!("{asset_type:?} {item:?}"))
        .try_collect()
        .await
        .unwrap()
}

/// Scans Open Cloud, counting pages.
async fn cloud_pages(client: &Client) -> usize {
    client
        .inventory_items(USER, &InventoryFilter::everything())
        .pages()
        .try_fold(0, |pages, _| async move { Ok(pages + 1) })
        .await
        .unwrap()
}

/// Every item once: sorted, the same list as the fault-free scan. (A few items are indistinguishable on the
/// wire, for example two copies of one game pass, so this compares multisets: an item lost or returned twice
/// changes the list.)
fn assert_exactly_once(label: &str, mut got: Vec<String>, expected: &[String]) {
    got.sort();
    assert_eq!(got.len(), expected.len(), "{label}: lost or extra items");
    assert!(
        got == expected,
        "{label}: other items than the fault-free scan"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn full_scans_under_ten_percent_faults_return_every_item_exactly_once() {
    let clean = MockServer::start(world(ITEMS), behaviour(FaultConfig::default(), unlimited()))
        .await
        .unwrap();
    let mut expected_cloud = cloud_scan(&client(&clean)).await;
    let mut expected_legacy = legacy_scan(&client(&clean)).await;
    expected_cloud.sort();
    expected_legacy.sort();
    // Open Cloud lists most of them (the world has kinds of items it does not list).
    assert!(expected_cloud.len() as u64 > ITEMS / 2);
    assert!(!expected_legacy.is_empty());

    let started = Instant::now();
    // SEEDS=n runs fewer or more seeds (for a quick look or a soak).
    let seeds: u64 = std::env::var("SEEDS").map_or(SEEDS, |v| v.parse().unwrap());
    let expected_cloud = std::sync::Arc::new(expected_cloud);
    let expected_legacy = std::sync::Arc::new(expected_legacy);
    let runs = (1..=seeds).map(|seed| {
        let expected_cloud = expected_cloud.clone();
        let expected_legacy = expected_legacy.clone();
        tokio::spawn(async move {
            let server = MockServer::start(world(ITEMS), behaviour(faults(seed), unlimited()))
                .await
                .unwrap();
            let client = client(&server);
            let (cloud, legacy) = tokio::join!(cloud_scan(&client), legacy_scan(&client));
            assert_exactly_once(&format!("seed {seed} cloud"), cloud, &expected_cloud);
            assert_exactly_once(&format!("seed {seed} legacy"), legacy, &expected_legacy);
            let counters = server.behaviour().counters();
            (counters.requests.values().sum::<u64>(), counters.faults)
        })
    });
    let results: Vec<_> = futures_util::future::try_join_all(runs).await.unwrap();
    let requests: u64 = results.iter().map(|(requests, _)| requests).sum();
    let injected: u64 = results.iter().map(|(_, faults)| faults.total()).sum();
    let dropped: u64 = results
        .iter()
        .map(|(_, faults)| faults.dropped_connection)
        .sum();
    let too_many: u64 = results
        .iter()
        .map(|(_, faults)| faults.too_many_requests)
        .sum();
    println!(
        "{seeds} seeds, {} cloud + {} legacy items each: {requests} requests, {injected} faults injected \
         ({too_many} 429, {dropped} dropped connections) in {:?}",
        expected_cloud.len(),
        expected_legacy.len(),
        started.elapsed()
    );
    assert!(
        injected as f64 > requests as f64 * 0.05,
        "faults were injected"
    );
    assert!(dropped > 0 && too_many > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_limit_scans_five_windows_with_at_most_one_429() {
    const LIMIT: u32 = 10;
    // At least 5 windows of pages: 50 pages of 100 or more.
    let server = MockServer::start(
        world(u64::from(LIMIT) * 6 * 100),
        behaviour(
            FaultConfig::default(),
            RateLimitConfig {
                api_key_owner_limit: LIMIT,
                ..RateLimitConfig::default()
            },
        ),
    )
    .await
    .unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .cloud_url(server.url())
        .retry(fast_retries())
        // The documented minute, as the emulator's time scale makes it.
        .cloud_rate_limit(Some(RateLimit {
            requests: LIMIT,
            per: Duration::from_secs(1),
        }))
        .build()
        .unwrap();
    let pages = cloud_pages(&client).await;
    assert!(pages >= 5 * LIMIT as usize, "{pages} pages");
    let counters = server.behaviour().counters();
    println!(
        "known limit: {} requests, {} 429s",
        counters.requests.values().sum::<u64>(),
        counters.too_many_requests
    );
    assert!(counters.too_many_requests <= 1, "{counters:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limit_learned_from_headers_completes_without_error() {
    const LIMIT: u32 = 10;
    let server = MockServer::start(
        world(u64::from(LIMIT) * 6 * 100),
        behaviour(
            FaultConfig::default(),
            RateLimitConfig {
                api_key_owner_limit: LIMIT,
                ..RateLimitConfig::default()
            },
        ),
    )
    .await
    .unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .cloud_url(server.url())
        .retry(fast_retries())
        .cloud_rate_limit(None)
        .build()
        .unwrap();
    let pages = cloud_pages(&client).await;
    assert!(pages >= 5 * LIMIT as usize, "{pages} pages");
    let counters = server.behaviour().counters();
    println!(
        "learned limit: {} requests, {} 429s",
        counters.requests.values().sum::<u64>(),
        counters.too_many_requests
    );
    assert!(counters.too_many_requests <= 1, "{counters:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_stream_stops_its_requests() {
    let server = MockServer::start(
        world(ITEMS),
        behaviour(
            FaultConfig {
                latency_probability: 1.0,
                latency: Duration::from_millis(5),
                ..FaultConfig::default()
            },
            unlimited(),
        ),
    )
    .await
    .unwrap();
    let client = client(&server);
    let mut items = Box::pin(
        client
            .inventory_items(USER, &InventoryFilter::everything())
            .items(),
    );
    for _ in 0..250 {
        items.try_next().await.unwrap().unwrap();
    }
    drop(items);
    let after_drop = server.behaviour().counters().requests.values().sum::<u64>();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let later = server.behaviour().counters().requests.values().sum::<u64>();
    assert_eq!(
        after_drop, later,
        "requests went on after the stream was dropped"
    );
    assert!(later < 10, "{later} requests for 3 pages");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_resumed_after_a_failure_yields_exactly_the_remaining_items() {
    let clean = MockServer::start(world(2_000), behaviour(FaultConfig::default(), unlimited()))
        .await
        .unwrap();
    let mut expected = cloud_scan(&client(&clean)).await;
    expected.sort();

    // Every request fails half the time, and the client gives up after 2 attempts: scans break often.
    let server = MockServer::start(
        world(2_000),
        behaviour(
            FaultConfig {
                seed: 3,
                unavailable: 0.5,
                ..FaultConfig::default()
            },
            unlimited(),
        ),
    )
    .await
    .unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .cloud_url(server.url())
        .retry(RetryPolicy {
            max_attempts: 2,
            ..fast_retries()
        })
        .cloud_rate_limit(None)
        .build()
        .unwrap();
    let mut got = Vec::new();
    let mut resume_from = None;
    let mut failures = 0;
    loop {
        let mut items = Box::pin(
            client
                .inventory_items(USER, &InventoryFilter::everything())
                .start_from(resume_from.clone())
                .items(),
        );
        let mut done = true;
        while let Some(item) = items.next().await {
            match item {
                Ok(item) => got.push(format!("{item:?}")),
                Err(PaginationError::Fetch { resume_from: r, .. }) => {
                    failures += 1;
                    resume_from = r;
                    done = false;
                    break;
                }
                Err(other) => panic!("{other}"),
            }
        }
        if done {
            break;
        }
    }
    assert!(failures > 0, "no scan failed; the test proves nothing");
    println!("resumed {failures} times");
    assert_exactly_once("resumed", got, &expected);
}

mod loopback {
    use super::*;
    use common::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn client(server: &MockServer) -> Client {
        client_builder(&server.uri())
            .cookie("c")
            .retry(fast_retries())
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn a_read_is_retried_until_it_succeeds_and_a_mutation_is_not() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/users/1/can-view-inventory"))
            .respond_with(json(200, r#"{"canView":true}"#))
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        let client = client(&server);
        let answer = client
            .send(client.legacy_v1().can_view_inventory().user_id(1))
            .await;
        assert!(answer.is_ok(), "{answer:?}");
        let deleted = client
            .send(client.legacy_v2().delete_inventory_asset().asset_id(5))
            .await;
        assert!(deleted.is_err());
        let requests = server.received_requests().await.unwrap();
        let count = |m: &str| requests.iter().filter(|r| r.method.as_str() == m).count();
        assert_eq!(count("GET"), 3);
        assert_eq!(count("DELETE"), 1);
    }

    #[tokio::test]
    async fn retrying_stops_after_max_attempts() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(500))
            .mount(&server)
            .await;
        let client = client(&server);
        let error = client
            .send(client.legacy_v1().can_view_inventory().user_id(1))
            .await
            .unwrap_err();
        assert_eq!(error.api().map(|api| api.status.as_u16()), Some(500));
        assert_eq!(
            server.received_requests().await.unwrap().len() as u32,
            fast_retries().max_attempts
        );
    }

    fn ok_page() -> ResponseTemplate {
        json(200, r#"{"inventoryItems":[],"nextPageToken":""}"#)
    }

    async fn list(client: &Client) -> Result<(), Error> {
        client
            .inventory_items(1, &InventoryFilter::everything())
            .items()
            .try_collect::<Vec<_>>()
            .await
            .map(drop)
            .map_err(|error| match error {
                PaginationError::Fetch { source, .. } => source,
                other => panic!("{other}"),
            })
    }

    /// Open Cloud's own error shape.
    fn cloud_error(status: u16, code: &str) -> ResponseTemplate {
        json(status, format!(r#"{{"code":"{code}","message":"no"}}"#))
    }

    /// Open Cloud requests the server has received.
    async fn received(server: &MockServer) -> usize {
        server.received_requests().await.unwrap().len()
    }

    #[tokio::test]
    async fn a_credentials_default_limit_holds_back_the_request_past_it() {
        for (builder, limit) in [
            (Client::builder().api_key("key"), RateLimit::API_KEY),
            (
                Client::builder().oauth_token("token"),
                RateLimit::OAUTH_TOKEN,
            ),
        ] {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .respond_with(ok_page())
                .mount(&server)
                .await;
            let client = builder.cloud_url(server.uri()).build().unwrap();
            for _ in 0..limit.requests {
                list(&client).await.unwrap();
            }
            // The next one waits for the window, a minute away.
            let next = tokio::time::timeout(Duration::from_millis(500), list(&client)).await;
            assert!(
                next.is_err(),
                "request {} went out at once",
                limit.requests + 1
            );
            assert_eq!(received(&server).await, limit.requests as usize);
        }
        // Without a credential there is no default limit.
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ok_page())
            .mount(&server)
            .await;
        let client = Client::builder().cloud_url(server.uri()).build().unwrap();
        for _ in 0..=RateLimit::API_KEY.requests {
            list(&client).await.unwrap();
        }
    }

    #[tokio::test]
    async fn a_429_pauses_the_whole_credential_not_only_the_request_that_met_it() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/cloud/v2/users/1/inventory-items"))
            .respond_with(cloud_error(429, "RESOURCE_EXHAUSTED").insert_header("retry-after", "30"))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ok_page())
            .mount(&server)
            .await;
        let client = Client::builder()
            .api_key("key")
            .cloud_url(server.uri())
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let error = list(&client).await.unwrap_err();
        assert_eq!(error.kind(), Some(ErrorKind::RateLimited));
        // Another operation of the same credential waits out the pause.
        let other = client.send(client.cloud_v2().list_inventory_items().user_id("2"));
        assert!(
            tokio::time::timeout(Duration::from_millis(500), other)
                .await
                .is_err(),
            "a request went out during the pause"
        );
        assert_eq!(received(&server).await, 1);
    }

    #[tokio::test]
    async fn max_in_flight_holds_requests_back() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ok_page().set_delay(Duration::from_millis(300)))
            .mount(&server)
            .await;
        let client = Client::builder()
            .cloud_url(server.uri())
            .max_in_flight(2)
            .build()
            .unwrap();
        let started = Instant::now();
        let results = futures_util::future::join_all((0..6).map(|_| list(&client))).await;
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        // Six 300 ms answers two at a time take three rounds; all at once would take one.
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(850), "{took:?}");
    }

    #[tokio::test]
    async fn retrying_stops_at_max_elapsed() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(cloud_error(503, "UNAVAILABLE"))
            .mount(&server)
            .await;
        let client = Client::builder()
            .cloud_url(server.uri())
            .retry(RetryPolicy {
                max_attempts: 100,
                max_elapsed: Duration::from_millis(300),
                base_delay: Duration::from_millis(50),
                max_delay: Duration::from_millis(100),
            })
            .build()
            .unwrap();
        let error = list(&client).await.unwrap_err();
        assert_eq!(error.kind(), Some(ErrorKind::Server));
        // At least 50 ms between attempts within 300 ms: at most 7 attempts, far from 100.
        let attempts = received(&server).await;
        assert!((2..=7).contains(&attempts), "{attempts} attempts");
    }

    #[tokio::test]
    async fn a_retry_waits_as_long_as_the_server_says() {
        for hint in [
            ("retry-after", 503),
            ("retry-after", 429),
            ("x-ratelimit-reset", 429),
        ] {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .respond_with(ResponseTemplate::new(hint.1).insert_header(hint.0, "1"))
                .up_to_n_times(1)
                .mount(&server)
                .await;
            Mock::given(method("GET"))
                .respond_with(ok_page())
                .mount(&server)
                .await;
            let client = Client::builder()
                .cloud_url(server.uri())
                .retry(RetryPolicy {
                    base_delay: Duration::from_millis(1),
                    ..RetryPolicy::default()
                })
                .build()
                .unwrap();
            let started = Instant::now();
            list(&client).await.unwrap();
            let waited = started.elapsed();
            assert!(waited >= Duration::from_millis(950), "{hint:?}: {waited:?}");
            assert_eq!(received(&server).await, 2);
        }
    }

    #[tokio::test]
    async fn a_redirect_error_of_a_callers_client_is_not_retried() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", "/elsewhere"))
            .mount(&server)
            .await;
        let refusing = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::limited(0))
            .build()
            .unwrap();
        let client = Client::builder()
            .cloud_url(server.uri())
            .http_client(refusing)
            .retry(fast_retries())
            .build()
            .unwrap();
        match list(&client).await.unwrap_err() {
            Error::Transport { source, .. } => assert!(source.is_redirect(), "{source:?}"),
            other => panic!("expected the client's redirect error, got {other:?}"),
        }
        assert_eq!(received(&server).await, 1);
    }

    #[tokio::test]
    async fn x_ratelimit_reset_on_a_503_is_not_a_wait() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(cloud_error(503, "UNAVAILABLE").insert_header("x-ratelimit-reset", "30"))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ok_page())
            .mount(&server)
            .await;
        let client = Client::builder()
            .cloud_url(server.uri())
            .retry(RetryPolicy {
                base_delay: Duration::from_millis(1),
                max_delay: Duration::from_secs(60),
                ..RetryPolicy::default()
            })
            .build()
            .unwrap();
        let started = Instant::now();
        list(&client).await.unwrap();
        // The backoff (milliseconds), not the reset (30 s each time), decided the waits.
        let waited = started.elapsed();
        assert!(waited < Duration::from_secs(20), "{waited:?}");
        assert_eq!(received(&server).await, 3);
    }
}
