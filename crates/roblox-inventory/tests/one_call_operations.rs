//! The facade's one-call legacy reads: the request each sends, and what each hands back of Roblox's answer.

mod common;

use common::{client_builder, json};
use roblox_inventory::{AssetId, BundleId, Client, GamePassId, ItemType, OwnedItem};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

/// A server that answers `GET request_path` with `body`, and nothing else.
async fn answering(request_path: &str, body: &str) -> (Client, MockServer) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(request_path))
        .respond_with(json(200, body))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_builder(&server.uri()).build().unwrap();
    (client, server)
}

#[tokio::test]
async fn item_instances_asks_for_the_item_by_type_and_id_and_returns_every_copy() {
    let (client, _server) = answering(
        "/v1/users/7/items/GamePass/18152543",
        r#"{"previousPageCursor":null,"nextPageCursor":null,"data":[
            {"type":"GamePass","id":18152543,"name":"VIP"},
            {"type":1,"id":18152543,"name":"VIP","instanceId":42}]}"#,
    )
    .await;
    let copies = client
        .item_instances(7, OwnedItem::GamePass(GamePassId(18_152_543)))
        .await
        .unwrap();
    assert_eq!(copies.len(), 2);
    assert!(
        copies
            .iter()
            .all(|copy| copy.type_ == Some(ItemType::GamePass))
    );
    assert!(copies.iter().all(|copy| copy.id == Some(18_152_543)));
    assert_eq!(copies[0].name.as_deref(), Some("VIP"));
    assert_eq!(copies[0].instance_id, None);
    assert_eq!(copies[1].instance_id, Some(42));
}

#[tokio::test]
async fn item_instances_of_a_bundle_and_an_asset_name_their_type_in_the_path() {
    for (item, request_path) in [
        (
            OwnedItem::Bundle(BundleId(192)),
            "/v1/users/1/items/Bundle/192",
        ),
        (
            OwnedItem::Asset(AssetId(1_028_595)),
            "/v1/users/1/items/Asset/1028595",
        ),
    ] {
        let (client, _server) = answering(request_path, r#"{"data":[]}"#).await;
        let copies = client.item_instances(1, item).await.unwrap();
        assert!(copies.is_empty(), "{request_path}");
    }
}

const CATEGORIES: &str = r#"{"categories":[{"name":"Accessories","displayName":"Accessories","categoryType":"Accessories","items":[
    {"name":"Hats","displayName":"Hats","filter":null,"id":8,"type":"AssetType","categoryType":"Accessories"}]}]}"#;

#[tokio::test]
async fn categories_and_favorite_categories_return_the_categories_with_their_items() {
    let (client, _server) = answering("/v1/users/7/categories", CATEGORIES).await;
    let categories = client.categories(7).await.unwrap();
    let (client, _favorites) = answering("/v1/users/7/categories/favorites", CATEGORIES).await;
    let favorites = client.favorite_categories(7).await.unwrap();
    for categories in [categories, favorites] {
        assert_eq!(categories.len(), 1);
        assert_eq!(categories[0].name.as_deref(), Some("Accessories"));
        assert_eq!(categories[0].items.len(), 1);
        assert_eq!(categories[0].items[0].id, Some(8));
        assert_eq!(categories[0].items[0].display_name.as_deref(), Some("Hats"));
    }
}

#[tokio::test]
async fn package_assets_returns_the_package_asset_ids() {
    let (client, _server) = answering(
        "/v1/packages/193700907/assets",
        r#"{"assetIds":[1028595,2016,7]}"#,
    )
    .await;
    let assets = client.package_assets(AssetId(193_700_907)).await.unwrap();
    assert_eq!(assets, [1_028_595, 2016, 7]);
}
