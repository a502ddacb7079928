//! Bundles and the configurable item mix: bundles are owned through the legacy v1 item endpoints but never
//! listed by Open Cloud; a mix of one kind yields only that kind.

mod common;

use futures_util::TryStreamExt;
use roblox_inventory::BundleId;
use roblox_inventory::{InventoryFilter, InventoryItem, OwnedItem};
use roblox_inventory_mock::{Fixture, Item, ItemKind, ItemMix, MockServer, UserSpec};

const BUNDLER: u64 = 501;
const PASSER: u64 = 502;
const FIXTURED: u64 = 503;

async fn start() -> MockServer {
    let world = common::world()
        .user(
            BUNDLER,
            UserSpec {
                inventory_size: Some(40),
                mix: Some(ItemMix::only(|mix| &mut mix.bundle)),
                ..UserSpec::default()
            },
        )
        .user(
            PASSER,
            UserSpec {
                inventory_size: Some(60),
                mix: Some(ItemMix::only(|mix| &mut mix.game_pass)),
                ..UserSpec::default()
            },
        )
        .user(
            FIXTURED,
            UserSpec {
                fixture: Some(Fixture {
                    items: vec![Item {
                        user_asset_id: 1,
                        name: "Fixture Bundle".into(),
                        created_ms: 0,
                        kind: ItemKind::Bundle { bundle_id: 600_123 },
                    }],
                }),
                ..UserSpec::default()
            },
        );
    MockServer::start(world, common::behaviour())
        .await
        .expect("emulator starts")
}

fn bundle_ids(server: &MockServer, user: u64) -> Vec<u64> {
    server
        .world()
        .inventory(user)
        .iter()
        .map(|item| match item.kind {
            ItemKind::Bundle { bundle_id } => bundle_id,
            other => panic!("a bundles-only user holds {other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn a_bundles_only_user_owns_bundles_that_open_cloud_does_not_list() {
    let server = start().await;
    let client = common::client(&server);
    let bundles = bundle_ids(&server, BUNDLER);
    assert_eq!(bundles.len(), 40);
    assert!(
        client
            .owns(BUNDLER, OwnedItem::Bundle(BundleId(bundles[0])))
            .await
            .unwrap()
    );
    let items: Vec<_> = client
        .inventory_items(BUNDLER, &InventoryFilter::everything())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty(), "Open Cloud lists no bundles: {items:?}");
}

#[tokio::test]
async fn a_game_passes_only_user_has_only_game_passes_in_open_cloud() {
    let server = start().await;
    let items: Vec<_> = common::client(&server)
        .inventory_items(PASSER, &InventoryFilter::everything())
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 60);
    assert!(
        items.iter().all(|item| item.game_pass_id().is_some()),
        "{items:?}"
    );
}

#[tokio::test]
async fn bundles_are_seeded_like_everything_else() {
    let (a, b) = (start().await, start().await);
    assert_eq!(bundle_ids(&a, BUNDLER), bundle_ids(&b, BUNDLER));
    // The default mix holds a small share of bundles.
    let default: Vec<_> = a.world().inventory(common::PUBLIC).iter().collect();
    let bundles = default
        .iter()
        .filter(|item| matches!(item.kind, ItemKind::Bundle { .. }))
        .count();
    assert!(
        bundles > 0 && bundles * 20 < default.len(),
        "{bundles} bundles"
    );
}

#[tokio::test]
async fn fixture_bundles_are_owned_and_collectable() {
    let server = start().await;
    let http = reqwest::Client::new();
    let owned: bool = http
        .get(format!(
            "{}/v1/users/{FIXTURED}/items/Bundle/600123/is-owned",
            server.url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(owned);
    let instances: serde_json::Value = http
        .get(format!(
            "{}/v1/users/{FIXTURED}/items/Bundle/600123",
            server.url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(instances["data"][0]["name"], "Fixture Bundle");
    assert_eq!(instances["data"][0]["type"], 3);

    // The owner (user 7, the test cookie's) adds one of their generated bundles to their collection.
    let owner_world = common::world().user(
        common::OWNER,
        UserSpec {
            mix: Some(ItemMix::only(|mix| &mut mix.bundle)),
            ..UserSpec::default()
        },
    );
    let server = MockServer::start(owner_world, common::behaviour())
        .await
        .unwrap();
    let bundle = bundle_ids(&server, common::OWNER)[0];
    let client = common::client(&server);
    assert!(
        client
            .owns(common::OWNER, OwnedItem::Bundle(BundleId(bundle)))
            .await
            .unwrap()
    );
    let cookie = format!(".ROBLOSECURITY={}", common::COOKIE);
    let url = format!("{}/v1/collections/items/Bundle/{bundle}", server.url());
    let first = http
        .post(&url)
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let token = first
        .headers()
        .get("x-csrf-token")
        .map(|value| value.to_str().unwrap().to_owned());
    let mut request = http.post(&url).header("cookie", &cookie);
    if let Some(token) = token {
        request = request.header("x-csrf-token", token);
    }
    let second = request.send().await.unwrap();
    assert_eq!(second.status(), 200, "{:?}", second.text().await);

    // The facade sends the documented number (`/v1/collections/items/3/...`); the emulator reads both forms as
    // the same item: the bundle added by name is already there by number, and comes out by number.
    let again = client
        .add_to_collection(OwnedItem::Bundle(BundleId(bundle)))
        .await
        .unwrap_err();
    assert_eq!(
        again.api().map(|api| api.status.as_u16()),
        Some(403),
        "{again}"
    );
    client
        .remove_from_collection(OwnedItem::Bundle(BundleId(bundle)))
        .await
        .expect("removed by number");
    client
        .add_to_collection(OwnedItem::Bundle(BundleId(bundle)))
        .await
        .expect("added by number");
}

#[tokio::test]
async fn collectible_share_is_configurable() {
    let mix = |per_mille| ItemMix {
        collectible_per_mille: per_mille,
        ..ItemMix::only(|mix| &mut mix.asset)
    };
    let world = common::world()
        .user(
            801,
            UserSpec {
                inventory_size: Some(50),
                mix: Some(mix(1_000)),
                ..UserSpec::default()
            },
        )
        .user(
            802,
            UserSpec {
                inventory_size: Some(50),
                mix: Some(mix(0)),
                ..UserSpec::default()
            },
        );
    let server = MockServer::start(world, common::behaviour()).await.unwrap();
    let world = server.world();
    assert!(
        world
            .inventory(801)
            .iter()
            .all(|item| item.collectible().is_some())
    );
    assert!(
        world
            .inventory(802)
            .iter()
            .all(|item| item.asset_id().is_some() && item.collectible().is_none())
    );
}
