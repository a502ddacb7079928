//! Listings stay answerable whatever the inventory size and cursor: positions near u64::MAX do not overflow,
//! and a request examines a bounded number of positions, answering a short page with a cursor to go on.

mod common;

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::TryStreamExt;
use reqwest::StatusCode;
use roblox_inventory::{Client, InventoryFilter, InventoryItem, InventoryItemAssetType, legacy_v2};
use roblox_inventory_mock::behaviour::{BehaviourConfig, RateLimitConfig};
use roblox_inventory_mock::{ItemMix, MockServer, UserSpec, WorldConfig};
use serde_json::{Value, json};

/// A user without a spec of their own, so with the world's default inventory size and mix.
const USER: u64 = 1_000;

/// Requests carry a timeout only so that a server that never answers fails the test instead of hanging it;
/// it says nothing about speed (before the cap, one request could scan 10^12 items).
async fn get(base: &str, path_and_query: &str) -> (StatusCode, Value) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let response = http
        .get(format!("{base}{path_and_query}"))
        .header("x-api-key", common::API_KEY)
        .send()
        .await
        .unwrap_or_else(|error| panic!("{path_and_query}: {error:?}"));
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// The emulator on a runtime of its own thread, left running: a handler that never yields then stalls only
/// that thread, and the test's timeout can still fire.
fn start_apart(world: WorldConfig) -> String {
    let (url_sender, url) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let server = MockServer::start(world, common::behaviour()).await.unwrap();
            url_sender.send(server.url()).unwrap();
            std::future::pending::<()>().await;
        });
    });
    url.recv().unwrap()
}

/// `cursor` rewritten to point at `index`: what a client could forge, since a cursor is base64 of JSON with
/// the position in `k`, the direction in `b` and a fingerprint of the other parameters in `h`.
fn forge(cursor: &str, prefix: &str, index: u64, backward: bool) -> String {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).unwrap()).unwrap();
    let mut body: Value = serde_json::from_str(text.strip_prefix(prefix).unwrap()).unwrap();
    body["k"] = json!(index);
    body["b"] = json!(backward);
    URL_SAFE_NO_PAD.encode(format!("{prefix}{body}"))
}

fn is_cursor(value: &Value) -> bool {
    value.is_null() || value.as_str().is_some_and(|text| !text.is_empty())
}

#[tokio::test]
async fn forged_cursors_at_the_top_of_a_u64_max_inventory_are_answered() {
    let world = WorldConfig {
        default_inventory_size: u64::MAX,
        ..common::world()
    };
    let server = start_apart(world);
    let legacy = [
        format!("/v2/users/{USER}/inventory/8?limit=10"),
        format!("/v2/users/{USER}/inventory/8?limit=10&sortOrder=Desc"),
        format!("/v2/users/{USER}/inventory?assetTypes=Hat,Shirt&limit=25"),
        format!("/v1/users/{USER}/assets/collectibles?limit=10"),
    ];
    for listing in &legacy {
        let (status, first) = get(&server, listing).await;
        assert_eq!(status, StatusCode::OK, "{listing}: {first}");
        let cursor = first["nextPageCursor"].as_str().expect("a second page");
        for index in [u64::MAX - 1, u64::MAX] {
            for backward in [false, true] {
                let forged = forge(cursor, "", index, backward);
                let (status, page) = get(&server, &format!("{listing}&cursor={forged}")).await;
                let case = format!("{listing} at {index}, backward {backward}");
                assert_eq!(status, StatusCode::OK, "{case}: {page}");
                assert!(page["data"].is_array(), "{case}: {page}");
                assert!(is_cursor(&page["nextPageCursor"]), "{case}: {page}");
                assert!(is_cursor(&page["previousPageCursor"]), "{case}: {page}");
            }
        }
    }

    let listing = format!("/cloud/v2/users/{USER}/inventory-items?maxPageSize=100");
    let (status, first) = get(&server, &listing).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let token = first["nextPageToken"].as_str().unwrap();
    for index in [u64::MAX - 1, u64::MAX] {
        let forged = forge(token, "v1/", index, false);
        let (status, page) = get(&server, &format!("{listing}&pageToken={forged}")).await;
        assert_eq!(status, StatusCode::OK, "at {index}: {page}");
        assert!(page["inventoryItems"].is_array(), "at {index}: {page}");
        // Nothing lies after u64::MAX - 1: these are last pages.
        assert_eq!(page["nextPageToken"], "", "at {index}: {page}");
    }
}

/// A world whose default user has a trillion items, none of them an asset copy.
fn trillion_badges() -> WorldConfig {
    WorldConfig {
        default_inventory_size: 1_000_000_000_000,
        default_mix: ItemMix::only(|mix| &mut mix.badge),
        ..common::world()
    }
}

#[tokio::test]
async fn an_open_cloud_filter_matching_nothing_in_a_trillion_items_answers_short_pages() {
    let server = start_apart(trillion_badges());
    let listing = format!("/cloud/v2/users/{USER}/inventory-items?filter=assetIds=1");
    let mut token = String::new();
    let mut seen = Vec::new();
    for page in 0..3 {
        let (status, body) = get(&server, &format!("{listing}&pageToken={token}")).await;
        assert_eq!(status, StatusCode::OK, "page {page}: {body}");
        assert_eq!(body["inventoryItems"], json!([]), "page {page}");
        token = body["nextPageToken"].as_str().unwrap().to_owned();
        assert!(!token.is_empty(), "page {page} leads on: {body}");
        assert!(!seen.contains(&token), "each token moves on");
        seen.push(token.clone());
    }
}

#[tokio::test]
async fn legacy_listings_of_types_a_trillion_item_inventory_lacks_answer_short_pages() {
    let server = start_apart(trillion_badges());
    for listing in [
        format!("/v2/users/{USER}/inventory/8?limit=100"),
        format!("/v2/users/{USER}/inventory/8?limit=100&sortOrder=Desc"),
        format!("/v2/users/{USER}/inventory?assetTypes=Hat&limit=100"),
        format!("/v1/users/{USER}/assets/collectibles?limit=100"),
    ] {
        let (status, first) = get(&server, &listing).await;
        assert_eq!(status, StatusCode::OK, "{listing}: {first}");
        assert_eq!(first["data"], json!([]), "{listing}");
        assert!(first["previousPageCursor"].is_null(), "{listing}: {first}");
        let next = first["nextPageCursor"].as_str().expect("a cursor onward");
        let (status, second) = get(&server, &format!("{listing}&cursor={next}")).await;
        assert_eq!(status, StatusCode::OK, "{listing}: {second}");
        assert_eq!(second["data"], json!([]), "{listing}");
        assert!(second["nextPageCursor"].is_string(), "{listing}: {second}");
        let previous = second["previousPageCursor"]
            .as_str()
            .expect("a cursor back, since what lies before was not examined by this request");
        let (status, back) = get(&server, &format!("{listing}&cursor={previous}")).await;
        assert_eq!(status, StatusCode::OK, "{listing}: {back}");
        assert_eq!(back["data"], json!([]), "{listing}");
        assert!(back["nextPageCursor"].is_string(), "{listing}: {back}");
    }
}

/// The test world with a cap far below the gaps between Hats, so that most pages come back short. Scans then
/// take a few hundred requests, so neither side limits their rate.
async fn small_cap() -> (MockServer, Client) {
    let world = WorldConfig {
        max_examined_per_request: 7,
        ..common::world()
    };
    let behaviour = BehaviourConfig {
        rate_limit: RateLimitConfig {
            api_key_owner_limit: u32::MAX,
            legacy_limit: u32::MAX,
            ..RateLimitConfig::default()
        },
        ..common::behaviour()
    };
    let server = MockServer::start(world, behaviour).await.unwrap();
    let client = Client::builder()
        .cookie(common::COOKIE)
        .api_key(common::API_KEY)
        .legacy_url(server.url())
        .cloud_url(server.url())
        .cloud_rate_limit(None)
        .legacy_rate_limit(None)
        .build()
        .unwrap();
    (server, client)
}

fn hats_of(server: &MockServer, user: u64) -> Vec<u64> {
    server
        .world()
        .inventory(user)
        .iter()
        .filter(|item| item.asset_type() == Some(8))
        .map(|item| item.user_asset_id)
        .collect()
}

#[tokio::test]
async fn under_a_small_cap_a_legacy_scan_still_lists_every_match_once_in_order() {
    let (server, client) = small_cap().await;
    let expected = hats_of(&server, common::PUBLIC);
    assert!(expected.len() > 10, "enough Hats for several pages");

    let hats: Vec<u64> = client
        .user_inventory_by_type(common::PUBLIC, legacy_v2::types::AssetType::Hat)
        .items()
        .map_ok(|item| item.user_asset_id.unwrap() as u64)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(hats, expected);
    let requests = server
        .behaviour()
        .counters()
        .requests_for("GET /v2/users/{}/inventory/{}");
    assert!(
        requests > expected.len().div_ceil(10) as u64 + 1,
        "short pages were served: {requests} requests"
    );

    // The same listing walked by hand to its end, then back by previous cursors.
    let listing = format!("/v2/users/{}/inventory/8?limit=10", common::PUBLIC);
    let ids = |page: &Value| -> Vec<u64> {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["userAssetId"].as_u64().unwrap())
            .collect()
    };
    let (_, mut page) = get(&server.url(), &listing).await;
    let mut forward = ids(&page);
    while let Some(next) = page["nextPageCursor"].as_str() {
        page = get(&server.url(), &format!("{listing}&cursor={next}"))
            .await
            .1;
        forward.extend(ids(&page));
    }
    assert_eq!(forward, expected);
    let mut backward = ids(&page);
    while let Some(previous) = page["previousPageCursor"].as_str() {
        page = get(&server.url(), &format!("{listing}&cursor={previous}"))
            .await
            .1;
        backward.splice(0..0, ids(&page));
    }
    assert_eq!(backward, expected);
}

#[tokio::test]
async fn under_a_small_cap_an_open_cloud_scan_still_lists_every_match_once_in_order() {
    let (server, client) = small_cap().await;
    let expected = hats_of(&server, common::PUBLIC);
    let filter = InventoryFilter::types()
        .asset_type(InventoryItemAssetType::Hat)
        .build()
        .unwrap();
    let hats: Vec<u64> = client
        .inventory_items(common::PUBLIC, &filter)
        .items()
        .map_ok(|item| {
            InventoryItem::from(item)
                .asset()
                .expect("Hats are assets")
                .instance_id
                .get()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(hats, expected);
    let requests = server
        .behaviour()
        .counters()
        .requests_for("GET /cloud/v2/users/{}/inventory-items");
    assert!(
        requests > expected.len().div_ceil(10) as u64 + 1,
        "short pages were served: {requests} requests"
    );
}

#[tokio::test]
async fn a_cap_of_zero_counts_as_one_so_scans_still_end() {
    let world = WorldConfig {
        max_examined_per_request: 0,
        ..common::world()
    }
    .user(
        USER,
        UserSpec {
            inventory_size: Some(50),
            ..UserSpec::default()
        },
    );
    let server = MockServer::start(world, common::behaviour()).await.unwrap();
    let items: Vec<_> = common::client(&server)
        .inventory_items(USER, &InventoryFilter::everything())
        .items()
        .try_collect()
        .await
        .unwrap();
    let expected = server
        .world()
        .inventory(USER)
        .iter()
        .filter(|item| item.in_open_cloud())
        .count();
    assert_eq!(items.len(), expected);
}
