//! 50 concurrent legacy mutations meeting an expired CSRF token, against the emulator: one refresh, all succeed.

mod common;

use std::collections::BTreeSet;

use common::client_builder;
use futures_util::future::join_all;
use roblox_inventory::AssetId;
use roblox_inventory_mock::behaviour::{BehaviourConfig, Credentials};
use roblox_inventory_mock::world::ItemKind;
use roblox_inventory_mock::{MockServer, UserSpec, WorldConfig};

const USER: u64 = 156;
const COOKIE: &str = "cookie-of-156";

#[tokio::test]
async fn fifty_concurrent_mutations_after_the_token_expires_cause_one_refresh() {
    let world = WorldConfig::seeded(3).user(
        USER,
        UserSpec {
            inventory_size: Some(400),
            ..UserSpec::default()
        },
    );
    let behaviour = BehaviourConfig {
        credentials: Credentials {
            cookies: vec![(COOKIE.into(), USER)],
            ..Credentials::default()
        },
        ..BehaviourConfig::default()
    };
    let server = MockServer::start(world, behaviour).await.unwrap();
    let assets: Vec<u64> = server
        .world()
        .inventory(USER)
        .iter()
        // Limiteds cannot be given up (403 code 3), so only plain assets.
        .filter_map(|item| match item.kind {
            ItemKind::Asset {
                asset_id,
                collectible: None,
                ..
            } => Some(asset_id),
            _ => None,
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .take(51)
        .collect();
    assert_eq!(
        assets.len(),
        51,
        "the world gives the user enough distinct assets"
    );
    let items_before = server.world().inventory(USER).iter().count();
    let client = client_builder(&server.url())
        .cookie(COOKIE)
        .build()
        .unwrap();

    // The first mutation fetches a token.
    client
        .delete_inventory_asset(AssetId(assets[0]))
        .await
        .unwrap();
    assert_eq!(client.csrf_refreshes(), 1);

    server.behaviour().expire_csrf_token();
    let results = join_all(assets[1..].iter().map(|asset| {
        let client = client.clone();
        let asset = *asset;
        async move { client.delete_inventory_asset(AssetId(asset)).await }
    }))
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(
        client.csrf_refreshes(),
        2,
        "one refresh for the 50 requests"
    );

    // Each of the 51 deletions removed one copy from the user's inventory.
    assert_eq!(
        server.world().inventory(USER).iter().count(),
        items_before - 51
    );
}
