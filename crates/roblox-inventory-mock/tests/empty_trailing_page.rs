//! With `empty_trailing_page`, the last page with items still carries a token, which leads to an empty page
//! with `""`: the facade must follow it and return every item once (WIRE-QUIRKS 20).

mod common;

use futures_util::TryStreamExt;
use roblox_inventory::InventoryFilter;
use roblox_inventory_mock::world::UserSpec;
use roblox_inventory_mock::{MockServer, WorldConfig};

#[tokio::test]
async fn the_trailing_empty_page_ends_the_scan_without_losing_items() {
    let mut world = common::world();
    world.empty_trailing_page = true;
    let world: WorldConfig = world.user(
        common::PUBLIC,
        UserSpec {
            inventory_size: Some(20),
            ..UserSpec::default()
        },
    );
    let server = MockServer::start(world, common::behaviour()).await.unwrap();
    let http = reqwest::Client::new();
    let url = format!(
        "{}/cloud/v2/users/{}/inventory-items?maxPageSize=20",
        server.url(),
        common::PUBLIC
    );
    let first: serde_json::Value = http
        .get(&url)
        .header("x-api-key", common::API_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["inventoryItems"].as_array().unwrap().len(), 20);
    let token = first["nextPageToken"].as_str().unwrap();
    assert!(
        !token.is_empty(),
        "the full last page still carries a token"
    );
    let second: serde_json::Value = http
        .get(&url)
        .query(&[("pageToken", token)])
        .header("x-api-key", common::API_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(second["inventoryItems"].as_array().unwrap().len(), 0);
    assert_eq!(second["nextPageToken"], "");

    let items: Vec<_> = common::client(&server)
        .inventory_items(common::PUBLIC, &InventoryFilter::everything())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 20);
}
