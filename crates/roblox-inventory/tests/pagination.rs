//! Every cursor style walked against a loopback server: pages in order, empty pages with a cursor, the end
//! markers, a repeated cursor, resuming, and the same query on every page.

mod common;

use common::{client_builder, json};
use futures_util::{StreamExt, TryStreamExt};
use roblox_inventory::AssetId;
use roblox_inventory::legacy_v1::types::PlacesTab;
use roblox_inventory::legacy_v2::types::AssetType;
use roblox_inventory::{Client, InventoryFilter, InventoryItem, PaginationError};
use std::time::Duration;
use wiremock::matchers::{method, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Serves a legacy page for `cursor` (`None`: the request without one).
async fn legacy_page(server: &MockServer, cursor: Option<&str>, ids: &[u64], next: Option<&str>) {
    let data: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"userAssetId":{id},"assetId":{id}}}"#))
        .collect();
    let next = next.map_or("null".to_owned(), |next| format!("{next:?}"));
    let body = format!(
        r#"{{"previousPageCursor":null,"nextPageCursor":{next},"data":[{}]}}"#,
        data.join(",")
    );
    let mock = Mock::given(method("GET"));
    let mock = match cursor {
        Some(cursor) => mock.and(query_param("cursor", cursor)),
        None => mock.and(query_param_is_missing("cursor")),
    };
    mock.respond_with(json(200, body)).mount(server).await;
}

async fn cloud_page(server: &MockServer, token: Option<&str>, ids: &[u64], next: Option<&str>) {
    let items: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"path":"users/1/inventory-items/{id}","assetDetails":{{"assetId":"{id}","inventoryItemAssetType":"HAT","instanceId":"{id}"}}}}"#))
        .collect();
    let next = next.map_or(String::new(), |next| {
        format!(r#","nextPageToken":{next:?}"#)
    });
    let body = format!(r#"{{"inventoryItems":[{}]{next}}}"#, items.join(","));
    let mock = Mock::given(method("GET"));
    let mock = match token {
        Some(token) => mock.and(query_param("pageToken", token)),
        None => mock.and(query_param_is_missing("pageToken")),
    };
    mock.respond_with(json(200, body)).mount(server).await;
}

fn client(server: &MockServer) -> Client {
    client_builder(&server.uri())
        .api_key("k")
        // A failing page is retried before the scan gives up; short waits keep the test fast.
        .retry(roblox_inventory::RetryPolicy {
            max_attempts: 3,
            max_elapsed: Duration::from_secs(5),
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        })
        .build()
        .unwrap()
}

fn user_asset_ids(items: &[roblox_inventory::legacy_v2::types::InventoryItemModel]) -> Vec<i64> {
    items
        .iter()
        .map(|item| item.user_asset_id.unwrap())
        .collect()
}

#[tokio::test]
async fn a_legacy_scan_follows_cursors_past_an_empty_page_to_a_null_cursor() {
    let server = MockServer::start().await;
    legacy_page(&server, None, &[1, 2], Some("c2")).await;
    legacy_page(&server, Some("c2"), &[], Some("c3")).await;
    legacy_page(&server, Some("c3"), &[3], None).await;

    let items: Vec<_> = client(&server)
        .user_inventory_by_type(9, AssetType::Hat)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(user_asset_ids(&items), [1, 2, 3]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.url.path(), "/v2/users/9/inventory/8");
        let others: Vec<_> = request
            .url
            .query_pairs()
            .filter(|(name, _)| name != "cursor")
            .collect();
        assert_eq!(others, [("limit".into(), "100".into())], "{}", request.url);
    }
}

#[tokio::test]
async fn an_open_cloud_scan_continues_past_an_empty_page_and_ends_on_an_empty_token() {
    let server = MockServer::start().await;
    cloud_page(&server, None, &[1], Some("t2")).await;
    cloud_page(&server, Some("t2"), &[], Some("t3")).await;
    cloud_page(&server, Some("t3"), &[2, 3], Some("")).await;
    let filter = InventoryFilter::types()
        .asset_types([roblox_inventory::cloud_v2::types::InventoryItemAssetType::Hat])
        .build()
        .unwrap();

    let items: Vec<InventoryItem> = client(&server)
        .inventory_items(1, &filter)
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<u64> = items
        .iter()
        .map(|item| item.asset_id().unwrap().0)
        .collect();
    assert_eq!(ids, [1, 2, 3]);
    for request in server.received_requests().await.unwrap() {
        let others: Vec<_> = request
            .url
            .query_pairs()
            .filter(|(name, _)| name != "pageToken")
            .collect();
        assert_eq!(
            others,
            [
                ("filter".into(), "inventoryItemAssetTypes=HAT".into()),
                ("maxPageSize".into(), "100".into())
            ]
        );
    }
}

#[tokio::test]
async fn a_whole_inventory_is_one_expression_and_an_absent_token_ends_it() {
    let server = MockServer::start().await;
    cloud_page(&server, None, &[1, 2], None).await;
    let client = client(&server);
    let everything: Vec<_> = client
        .inventory_items(1, &InventoryFilter::everything())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(everything.len(), 2);
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.query(), Some("maxPageSize=100"));
}

#[tokio::test]
async fn a_cursor_the_server_already_returned_ends_the_scan_with_an_error() {
    let server = MockServer::start().await;
    legacy_page(&server, None, &[1], Some("c2")).await;
    legacy_page(&server, Some("c2"), &[2], Some("c2")).await;
    // At most 10 results: a scan that missed the loop would otherwise go on for ever instead of failing.
    let results: Vec<_> = client(&server)
        .asset_owners(AssetId(5))
        .items()
        .take(10)
        .collect()
        .await;
    let mut seen = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(item) if errors.is_empty() => seen.push(item.id),
            Ok(item) => panic!("an item after the error: {item:?}"),
            Err(error) => errors.push(error),
        }
    }
    let [error] = <[_; 1]>::try_from(errors)
        .unwrap_or_else(|errors| panic!("expected one error at the end, got {errors:?}"));
    assert_eq!(seen, [None, None]);
    assert!(
        matches!(error, PaginationError::CursorRepeated { ref cursor } if cursor == "c2"),
        "{error}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_scan_resumed_from_a_saved_cursor_returns_exactly_the_rest() {
    let server = MockServer::start().await;
    legacy_page(&server, None, &[1, 2], Some("c2")).await;
    legacy_page(&server, Some("c2"), &[3, 4], Some("c3")).await;
    legacy_page(&server, Some("c3"), &[5], None).await;
    let client = client(&server);

    let mut pages = client.user_inventory_by_type(9, AssetType::Face).pages();
    let first = pages.try_next().await.unwrap().unwrap();
    assert_eq!(user_asset_ids(&first.items), [1, 2]);
    drop(pages);
    let saved = first.next.clone();
    assert_eq!(saved.as_deref(), Some("c2"));

    let rest: Vec<_> = client
        .user_inventory_by_type(9, AssetType::Face)
        .start_from(saved)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(user_asset_ids(&rest), [3, 4, 5]);
}

#[tokio::test]
async fn caps_stop_fetching() {
    let server = MockServer::start().await;
    legacy_page(&server, None, &[1, 2], Some("c2")).await;
    legacy_page(&server, Some("c2"), &[3, 4], Some("c3")).await;
    let items: Vec<_> = client(&server)
        .user_inventory_by_type(9, AssetType::Hat)
        .max_items(3)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(user_asset_ids(&items), [1, 2, 3]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_places_inventory_pages_with_integer_cursors() {
    let server = MockServer::start().await;
    for (cursor, next) in [("0", r#""1""#), ("1", "null")] {
        Mock::given(query_param("cursor", cursor))
            .respond_with(json(
                200,
                format!(r#"{{"nextPageCursor":{next},"data":[{{"placeId":{cursor}}}]}}"#),
            ))
            .mount(&server)
            .await;
    }
    let places: Vec<_> = client(&server)
        .places(1, PlacesTab::Tab0)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = places.iter().map(|place| place.place_id).collect();
    assert_eq!(ids, [Some(0), Some(1)]);
    let first = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        first.url.query(),
        Some("cursor=0&itemsPerPage=100&placesTab=0")
    );
}

#[tokio::test]
async fn several_asset_types_are_scanned_concurrently_and_tagged() {
    let server = MockServer::start().await;
    for (type_id, ids) in [(8, [1, 2]), (18, [3, 4])] {
        Mock::given(wiremock::matchers::path(format!(
            "/v2/users/1/inventory/{type_id}"
        )))
        .respond_with(json(
            200,
            format!(
                r#"{{"nextPageCursor":null,"data":[{{"userAssetId":{}}},{{"userAssetId":{}}}]}}"#,
                ids[0], ids[1]
            ),
        ))
        .mount(&server)
        .await;
    }
    let mut tagged: Vec<(AssetType, i64)> = client(&server)
        .scan_asset_types(1, [AssetType::Hat, AssetType::Face])
        .map_ok(|(asset_type, item)| (asset_type, item.user_asset_id.unwrap()))
        .try_collect()
        .await
        .unwrap();
    tagged.sort_by_key(|(_, id)| *id);
    assert_eq!(
        tagged,
        [
            (AssetType::Hat, 1),
            (AssetType::Hat, 2),
            (AssetType::Face, 3),
            (AssetType::Face, 4)
        ]
    );
}

#[tokio::test]
async fn a_failed_page_carries_the_cursor_to_resume_from() {
    let server = MockServer::start().await;
    legacy_page(&server, None, &[1], Some("c2")).await;
    Mock::given(query_param("cursor", "c2"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let result: Result<Vec<_>, _> = client(&server)
        .user_inventory_by_type(9, AssetType::Hat)
        .items()
        .try_collect()
        .await;
    match result.unwrap_err() {
        PaginationError::Fetch {
            source,
            resume_from,
        } => {
            assert_eq!(resume_from.as_deref(), Some("c2"));
            assert_eq!(source.kind(), Some(roblox_inventory::ErrorKind::Server));
        }
        other => panic!("expected a fetch error, got {other}"),
    }
}

#[tokio::test]
async fn open_cloud_items_come_as_roblox_sends_them_with_the_caps_kept() {
    let server = MockServer::start().await;
    cloud_page(&server, None, &[1, 2], Some("t2")).await;
    cloud_page(&server, Some("t2"), &[3, 4], Some("")).await;
    let items: Vec<roblox_inventory::cloud_v2::types::InventoryItem> = client(&server)
        .inventory_items(1, &InventoryFilter::everything())
        .max_items(3)
        .items()
        .try_collect()
        .await
        .unwrap();
    let paths: Vec<&str> = items
        .iter()
        .filter_map(|item| item.path.as_deref())
        .collect();
    assert_eq!(
        paths,
        [
            "users/1/inventory-items/1",
            "users/1/inventory-items/2",
            "users/1/inventory-items/3"
        ]
    );
}
