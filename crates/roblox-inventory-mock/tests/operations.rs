//! Every operation answered per spec, through the facade and the generated clients, against the emulator.

mod common;

use std::collections::BTreeSet;

use common::{OWNER, PUBLIC};
use futures_util::TryStreamExt;
use roblox_inventory::{
    ApiError, Error, ErrorCode, ErrorKind, InventoryFilter, InventoryItem, InventoryItemAssetType,
    OwnedItem, PaginationError, ScanError, legacy_v1, legacy_v2,
};
use roblox_inventory::{AssetId, BundleId};
use roblox_inventory_mock::ItemKind;

/// The failed request of a scan that stopped on an error status.
fn fetch_error(error: ScanError) -> Error {
    match error {
        PaginationError::Fetch { source, .. } => source,
        other => panic!("not a failed request: {other:?}"),
    }
}

/// The codes of every entry of Roblox's error body.
fn codes(api: &ApiError) -> Vec<ErrorCode> {
    api.errors
        .iter()
        .map(|entry| entry.code.clone().expect("every entry has a code"))
        .collect()
}

#[tokio::test]
async fn open_cloud_scan_sees_every_item_exactly_once() {
    let server = common::start().await;
    let client = common::client(&server);
    let items: Vec<_> = client
        .inventory_items(PUBLIC, &InventoryFilter::everything())
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await
        .unwrap();
    let inventory: Vec<_> = server.world().inventory(PUBLIC).iter().collect();
    assert_eq!(inventory.len(), 1_234);
    // Bundles are legacy-only: Open Cloud lists everything else.
    let expected: Vec<_> = inventory
        .iter()
        .filter(|item| item.in_open_cloud())
        .collect();
    assert!(
        expected.len() < inventory.len(),
        "the default mix has bundles"
    );
    assert_eq!(items.len(), expected.len());
    let distinct: BTreeSet<String> = items.iter().map(|item| format!("{item:?}")).collect();
    assert_eq!(distinct.len(), items.len(), "no item is listed twice");
    let assets = items
        .iter()
        .filter(|item| item.asset_id().is_some())
        .count();
    let expected_assets = expected
        .iter()
        .filter(|item| item.asset_id().is_some())
        .count();
    assert_eq!(assets, expected_assets);
}

#[tokio::test]
async fn open_cloud_filters_select_what_they_name() {
    let server = common::start().await;
    let client = common::client(&server);
    let hats = InventoryFilter::types()
        .asset_type(InventoryItemAssetType::Hat)
        .build()
        .unwrap();
    let items: Vec<_> = client
        .inventory_items(PUBLIC, &hats)
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await
        .unwrap();
    let expected = server
        .world()
        .inventory(PUBLIC)
        .iter()
        .filter(|item| item.asset_type() == Some(8))
        .count();
    assert!(expected > 0);
    assert_eq!(items.len(), expected);
    let collectibles: Vec<_> = client
        .inventory_items(PUBLIC, &InventoryFilter::all_collectibles())
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await
        .unwrap();
    assert!(!collectibles.is_empty());
    assert!(collectibles.iter().all(|item| item.collectible().is_some()));
    let passes = InventoryFilter::types().game_passes().build().unwrap();
    let items: Vec<_> = client
        .inventory_items(PUBLIC, &passes)
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await
        .unwrap();
    assert!(!items.is_empty() && items.iter().all(|item| item.game_pass_id().is_some()));
}

#[tokio::test]
async fn legacy_scans_walk_whole_inventories_exactly_once() {
    let server = common::start().await;
    let client = common::client(&server);
    let world = server.world().inventory(PUBLIC);
    let hats: Vec<_> = client
        .user_inventory_by_type(PUBLIC, legacy_v2::types::AssetType::Hat)
        .items()
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<u64> = world
        .iter()
        .filter(|item| item.asset_type() == Some(8))
        .map(|item| item.user_asset_id)
        .collect();
    let got: Vec<u64> = hats
        .iter()
        .map(|item| item.user_asset_id.unwrap() as u64)
        .collect();
    assert_eq!(got, expected);

    let types = [
        legacy_v2::types::AssetType::Hat,
        legacy_v2::types::AssetType::Shirt,
    ];
    let several: Vec<_> = client
        .user_inventory(PUBLIC, types)
        .items()
        .try_collect()
        .await
        .unwrap();
    let expected = world
        .iter()
        .filter(|item| matches!(item.asset_type(), Some(8 | 11)))
        .count();
    assert_eq!(several.len(), expected);
    assert!(
        several
            .iter()
            .any(|item| item.asset_type == Some(legacy_v2::types::AssetType::Shirt))
    );

    let collectibles: Vec<_> = client
        .collectibles(PUBLIC, None)
        .items()
        .try_collect()
        .await
        .unwrap();
    let expected = world
        .iter()
        .filter(|item| item.collectible().is_some())
        .count();
    assert_eq!(collectibles.len(), expected);
}

#[tokio::test]
async fn owners_and_places_are_paged_to_the_end() {
    let server = common::start().await;
    let client = common::client(&server);
    let limited = server
        .world()
        .inventory(PUBLIC)
        .iter()
        .find_map(|item| Some((item.asset_id()?, item.collectible()?.item_id.clone())))
        .expect("a limited in the inventory");
    let info = roblox_inventory_mock::world::asset_info(42, limited.0).unwrap();
    let count = roblox_inventory_mock::world::asset_owner_count(42, &info);
    let owners: Vec<_> = client
        .asset_owners(AssetId(limited.0))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(owners.len() as u64, count);
    let ids: BTreeSet<_> = owners.iter().map(|owner| owner.id).collect();
    assert_eq!(ids.len(), owners.len());
    let item_owners: Vec<_> = client
        .collectible_item_owners(limited.1)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(item_owners.len() as u64, count);
    assert!(
        item_owners
            .iter()
            .all(|owner| owner.serial_number.is_some())
    );

    let places: Vec<_> = client
        .places(PUBLIC, legacy_v1::types::PlacesTab::Tab0)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        places.len() as u64,
        roblox_inventory_mock::world::place_count(42, PUBLIC, 0)
    );
}

#[tokio::test]
async fn single_answers_follow_the_spec() {
    let server = common::start().await;
    let client = common::client(&server);
    let item = server
        .world()
        .inventory(PUBLIC)
        .iter()
        .find_map(|item| item.asset_id())
        .unwrap();
    assert!(
        client
            .owns(PUBLIC, OwnedItem::Asset(AssetId(item)))
            .await
            .unwrap()
    );
    let unowned_bundle = (600_000..)
        .find(|id| {
            !server
                .world()
                .inventory(PUBLIC)
                .iter()
                .any(|item| item.kind == ItemKind::Bundle { bundle_id: *id })
        })
        .unwrap();
    assert!(
        !client
            .owns(PUBLIC, OwnedItem::Bundle(BundleId(unowned_bundle)))
            .await
            .unwrap()
    );
    // No such bundle: 400 with the legacy code 12 the item endpoints give an unknown bundle.
    let error = client
        .owns(PUBLIC, OwnedItem::Bundle(BundleId(5)))
        .await
        .expect_err("no such bundle");
    assert_eq!(error.kind(), Some(ErrorKind::InvalidArgument), "{error:?}");
    let api = error.api().unwrap();
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(codes(api), [ErrorCode::Number(12)]);
    assert!(client.can_view_inventory(PUBLIC).await.unwrap());
    assert!(
        !common::stranger(&server)
            .can_view_inventory(OWNER)
            .await
            .unwrap()
    );
    assert!(
        client.can_view_inventory(OWNER).await.unwrap(),
        "the owner's cookie sees the owner's inventory"
    );

    let v1 = client.legacy_v1();
    let packages = v1
        .list_package_assets()
        .package_id(12_345)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(packages.asset_ids.iter().all(|id| *id >= 10_000_000_000));
    let categories = v1
        .get_user_categories()
        .user_id(PUBLIC as i64)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(!categories.categories.is_empty());
    let favorites = v1
        .get_user_favorite_categories()
        .user_id(PUBLIC as i64)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(!favorites.categories.is_empty());
    let instances = v1
        .list_user_item_instances()
        .user_id(PUBLIC as i64)
        .item_type(legacy_v1::types::ItemType::Asset)
        .item_target_id(item as i64)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(!instances.data.is_empty());
    assert_eq!(instances.data[0].id, Some(item as i64));
}

#[tokio::test]
async fn giving_up_an_asset_removes_it_from_later_listings() {
    let server = common::start().await;
    let client = common::client(&server);
    let asset = server
        .world()
        .inventory(OWNER)
        .iter()
        .find_map(|item| match item.kind {
            ItemKind::Asset {
                asset_id,
                collectible: None,
                ..
            } => Some(asset_id),
            _ => None,
        })
        .unwrap();
    let count = |items: &[roblox_inventory::InventoryItem]| {
        items
            .iter()
            .filter(|item| item.asset_id().map(|id| id.get()) == Some(asset))
            .count()
    };
    let before: Vec<_> = client
        .inventory_items(OWNER, &InventoryFilter::everything())
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await
        .unwrap();
    let copies = count(&before);
    assert!(copies >= 1);
    client.delete_inventory_asset(AssetId(asset)).await.unwrap();
    let after: Vec<_> = client
        .inventory_items(OWNER, &InventoryFilter::everything())
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(count(&after), copies - 1);
    assert_eq!(after.len(), before.len() - 1);

    // Collections: add, add again (403 code 7), remove, remove again (403 code 8).
    let owned = after.iter().find_map(|item| item.asset_id()).unwrap().get();
    client
        .add_to_collection(OwnedItem::Asset(AssetId(owned)))
        .await
        .unwrap();
    let again = client
        .add_to_collection(OwnedItem::Asset(AssetId(owned)))
        .await
        .unwrap_err();
    assert_eq!(again.api().map(|api| api.status.as_u16()), Some(403));
    client
        .remove_from_collection(OwnedItem::Asset(AssetId(owned)))
        .await
        .unwrap();
    let again = client
        .remove_from_collection(OwnedItem::Asset(AssetId(owned)))
        .await
        .expect_err("no longer in the collection");
    assert_eq!(again.kind(), Some(ErrorKind::Forbidden), "{again:?}");
    let api = again.api().unwrap();
    assert_eq!(api.status.as_u16(), 403);
    assert_eq!(codes(api), [ErrorCode::Number(8)]);
}

#[tokio::test]
async fn hidden_inventories_are_refused_to_strangers() {
    let server = common::start().await;
    // Logged in with valid credentials of another user, so only the hidden-inventory check can refuse.
    let stranger = common::stranger(&server);
    let public: Vec<_> = stranger
        .inventory_items(PUBLIC, &InventoryFilter::everything())
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await
        .expect("the stranger's credentials are valid");
    assert!(!public.is_empty());

    let error = stranger
        .user_inventory_by_type(OWNER, legacy_v2::types::AssetType::Hat)
        .items()
        .try_collect::<Vec<_>>()
        .await
        .map_err(fetch_error)
        .unwrap_err();
    assert_eq!(error.kind(), Some(ErrorKind::InventoryHidden), "{error:?}");
    let api = error.api().unwrap();
    assert_eq!(api.status.as_u16(), 403);
    assert_eq!(codes(api), [ErrorCode::Number(4)]);

    let error = stranger
        .inventory_items(OWNER, &InventoryFilter::everything())
        .items()
        .map_ok(InventoryItem::from)
        .try_collect::<Vec<_>>()
        .await
        .map_err(fetch_error)
        .unwrap_err();
    assert_eq!(error.kind(), Some(ErrorKind::InventoryHidden), "{error:?}");
    let api = error.api().unwrap();
    assert_eq!(api.status.as_u16(), 403);
    assert_eq!(
        codes(api),
        [ErrorCode::Name("PERMISSION_DENIED".to_owned())]
    );
    let owner = common::client(&server);
    let items: Vec<_> = owner
        .inventory_items(OWNER, &InventoryFilter::everything())
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await
        .unwrap();
    let listed = server
        .world()
        .inventory(OWNER)
        .iter()
        .filter(|item| item.in_open_cloud())
        .count();
    assert_eq!(items.len(), listed);
    assert!(listed > 250);
}

#[tokio::test]
async fn fixtures_replace_generated_inventories() {
    let fixture: roblox_inventory_mock::Fixture = serde_json::from_str(
        r#"{"items":[
            {"userAssetId":2,"name":"Second","createdMs":0,"kind":{"kind":"badge","badgeId":2000000001}},
            {"userAssetId":1,"name":"First","createdMs":0,
             "kind":{"kind":"asset","assetId":10000000001,"assetType":8,
                     "collectible":{"itemId":"x","instanceId":"y","serialNumber":3}}}
        ]}"#,
    )
    .unwrap();
    let world = common::world().user(
        99,
        roblox_inventory_mock::UserSpec {
            fixture: Some(fixture),
            ..Default::default()
        },
    );
    let server = roblox_inventory_mock::MockServer::start(world, common::behaviour())
        .await
        .unwrap();
    let client = common::client(&server);
    let items: Vec<_> = client
        .inventory_items(99, &InventoryFilter::everything())
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].asset_id().map(|id| id.get()), Some(10_000_000_001));
    assert_eq!(
        items[0].collectible().and_then(|c| c.serial_number),
        Some(3)
    );
    assert_eq!(items[1].badge_id().map(|id| id.get()), Some(2_000_000_001));
}
