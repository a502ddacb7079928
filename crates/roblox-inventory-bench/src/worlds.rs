//! The inventories the scenarios scan.

use roblox_inventory_mock::world::{ItemKind, ItemMix, generate_with};
use roblox_inventory_mock::{Fixture, Item, UserSpec, WorldConfig};

use crate::emulator::KEY_OWNER;

/// The seed of every benchmark world.
pub const SEED: u64 = 8;
/// The user whose legacy inventory the legacy scans list (public, so no credentials are needed).
pub const LEGACY_USER: u64 = 1;
/// The legacy asset type every item of [`LEGACY_USER`] has: Hat.
pub const LEGACY_ASSET_TYPE: u32 = 8;

/// Open Cloud lists every kind of item but bundles (spec/cloud-v2.yaml has no bundle details), so a mix
/// without bundles makes every generated item listable and a scan of `n` items exactly `n / 100` pages.
fn listable_mix() -> ItemMix {
    ItemMix {
        bundle: 0,
        ..ItemMix::default()
    }
}

/// [`KEY_OWNER`] holds `cloud_items` generated items of every kind Open Cloud lists; [`LEGACY_USER`] holds
/// `legacy_items` Hats (a fixture, so that the emulator serves each by-type page without skipping items of
/// other types, which would make the server, not the client, the slow side).
pub fn inventories(cloud_items: u64, legacy_items: u64) -> WorldConfig {
    let hats = (0..legacy_items)
        .map(|index| legacy_asset(index, LEGACY_ASSET_TYPE))
        .collect();
    WorldConfig::seeded(SEED)
        .user(
            KEY_OWNER,
            UserSpec {
                inventory_size: Some(cloud_items),
                mix: Some(listable_mix()),
                ..UserSpec::default()
            },
        )
        .user(
            LEGACY_USER,
            UserSpec {
                fixture: Some(Fixture { items: hats }),
                ..UserSpec::default()
            },
        )
}

/// [`LEGACY_USER`] holds `per_type` items of each of `asset_types`, interleaved (item `i` is of type
/// `i % asset_types.len()`).
pub fn several_asset_types(asset_types: &[u32], per_type: u64) -> WorldConfig {
    let count = asset_types.len() as u64;
    let items = (0..per_type * count)
        .map(|index| legacy_asset(index, asset_types[(index % count) as usize]))
        .collect();
    WorldConfig::seeded(SEED).user(
        LEGACY_USER,
        UserSpec {
            fixture: Some(Fixture { items }),
            ..UserSpec::default()
        },
    )
}

/// Item `index` of [`LEGACY_USER`]'s generated inventory, always an asset copy, made of `asset_type`.
fn legacy_asset(index: u64, asset_type: u32) -> Item {
    let mut item = generate_with(
        SEED,
        LEGACY_USER,
        index,
        &ItemMix::only(|mix| &mut mix.asset),
    );
    if let ItemKind::Asset {
        asset_type: generated,
        ..
    } = &mut item.kind
    {
        *generated = asset_type;
    }
    item
}
