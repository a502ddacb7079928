//! Each way an Open Cloud scan may end after its last items (WIRE-QUIRKS 20): an empty page with `""`, an empty
//! page with a fresh token to one more empty page, or an empty page that hands back the token it was sent. The
//! emulator serves each shape, and the facade ends every one of them with each item once and no error.

mod common;

use futures_util::TryStreamExt;
use roblox_inventory::InventoryFilter;
use roblox_inventory_mock::world::UserSpec;
use roblox_inventory_mock::{EmptyTrailingPage, MockServer, WorldConfig};
use serde_json::Value;

const ITEMS: u64 = 20;

async fn server(ending: EmptyTrailingPage) -> MockServer {
    let mut world = common::world();
    world.empty_trailing_page = ending;
    let world: WorldConfig = world.user(
        common::PUBLIC,
        UserSpec {
            inventory_size: Some(ITEMS),
            ..UserSpec::default()
        },
    );
    MockServer::start(world, common::behaviour()).await.unwrap()
}

/// The pages a scan of 20 items, 20 a page, sees on the wire, following every token at most four times.
async fn wire_pages(server: &MockServer) -> Vec<(usize, String, Option<String>)> {
    let http = reqwest::Client::new();
    let url = format!(
        "{}/cloud/v2/users/{}/inventory-items?maxPageSize=20",
        server.url(),
        common::PUBLIC
    );
    let mut pages = Vec::new();
    let mut sent: Option<String> = None;
    for _ in 0..4 {
        let mut request = http.get(&url).header("x-api-key", common::API_KEY);
        if let Some(token) = &sent {
            request = request.query(&[("pageToken", token)]);
        }
        let page: Value = request.send().await.unwrap().json().await.unwrap();
        let next = page["nextPageToken"].as_str().unwrap().to_owned();
        pages.push((
            page["inventoryItems"].as_array().unwrap().len(),
            next.clone(),
            sent.clone(),
        ));
        if next.is_empty() || Some(&next) == sent.as_ref() {
            break;
        }
        sent = Some(next);
    }
    pages
}

async fn scan_ids(server: &MockServer) -> Vec<String> {
    let items: Vec<_> = common::client(server)
        .inventory_items(common::PUBLIC, &InventoryFilter::everything())
        .items()
        .try_collect()
        .await
        .expect("the scan ends without an error");
    let mut ids: Vec<String> = items.iter().map(|item| format!("{item:?}")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), items.len(), "an item came twice");
    ids
}

#[tokio::test]
async fn an_empty_page_with_an_empty_token_ends_the_scan_without_losing_items() {
    let server = server(EmptyTrailingPage::EmptyToken).await;
    let pages = wire_pages(&server).await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_eq!(pages[0].0, 20);
    assert!(
        !pages[0].1.is_empty(),
        "the full last page still carries a token"
    );
    assert_eq!((pages[1].0, pages[1].1.as_str()), (0, ""));
    assert_eq!(scan_ids(&server).await.len(), 20);
}

#[tokio::test]
async fn an_empty_page_with_a_fresh_token_is_followed_to_the_end() {
    let server = server(EmptyTrailingPage::FreshToken).await;
    let pages = wire_pages(&server).await;
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert_eq!(pages[1].0, 0);
    assert!(!pages[1].1.is_empty());
    assert_ne!(Some(&pages[1].1), pages[1].2.as_ref(), "a fresh token");
    assert_eq!((pages[2].0, pages[2].1.as_str()), (0, ""));
    assert_eq!(scan_ids(&server).await.len(), 20);
    let requests = server
        .behaviour()
        .counters()
        .requests_for("GET /cloud/v2/users/{}/inventory-items");
    assert_eq!(
        requests,
        3 + 3,
        "the scan followed the fresh token, then stopped at \"\""
    );
}

#[tokio::test]
async fn an_empty_page_that_hands_back_its_own_token_ends_the_scan() {
    let server = server(EmptyTrailingPage::SameToken).await;
    let pages = wire_pages(&server).await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_eq!(pages[1].0, 0);
    assert_eq!(
        Some(&pages[1].1),
        pages[1].2.as_ref(),
        "the token it was sent"
    );
    assert_eq!(scan_ids(&server).await.len(), 20);
    let requests = server
        .behaviour()
        .counters()
        .requests_for("GET /cloud/v2/users/{}/inventory-items");
    assert_eq!(requests, 2 + 2, "the scan stopped at the repeated token");
}

#[tokio::test]
async fn without_the_option_the_last_page_with_items_ends_the_scan() {
    let server = server(EmptyTrailingPage::None).await;
    let pages = wire_pages(&server).await;
    assert_eq!(pages, [(20, String::new(), None)]);
    assert_eq!(scan_ids(&server).await.len(), 20);
}
