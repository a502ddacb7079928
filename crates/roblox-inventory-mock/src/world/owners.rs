//! Owners of an asset and a user's places: like inventories, computed per position from the seed.

use super::hash::{hash, uuid};
use super::item::AssetInfo;

/// One owned copy of an asset, as the owners listings show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetOwner {
    pub user_asset_id: u64,
    pub owner_id: u64,
    /// Owners who hide their inventory are listed without their identity.
    pub owner_visible: bool,
    pub instance_id: Option<String>,
    pub serial_number: Option<u64>,
    pub created_ms: u64,
}

/// How many copies of the asset exist (limiteds: up to their stock, others up to 120).
pub fn asset_owner_count(seed: u64, asset: &AssetInfo) -> u64 {
    let h = hash(&[seed, asset.asset_id, 3]);
    match asset.stock {
        Some(stock) => stock.min(250),
        None => h % 121,
    }
}

/// Copy `index` of the asset's owners listing, ascending by userAssetId.
pub fn asset_owner(seed: u64, asset: &AssetInfo, index: u64) -> AssetOwner {
    let h = hash(&[seed, asset.asset_id, index, 4]);
    let limited = asset.collectible_item_id.is_some();
    AssetOwner {
        user_asset_id: 500_000_000_000_000 + (asset.asset_id % 200_000) * 1_000 + index,
        owner_id: 1 + h % 5_000_000_000,
        owner_visible: !(h >> 40).is_multiple_of(5),
        instance_id: limited.then(|| uuid(&[seed, asset.asset_id, index, 5])),
        serial_number: limited.then_some(index + 1),
        created_ms: asset.created_ms + index * 3_600_000 + (h >> 8) % 3_600_000,
    }
}

/// A place of a user's places tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub universe_id: u64,
    pub place_id: u64,
    pub name: String,
    pub price_in_robux: u64,
}

/// How many places the user has on `tab`.
pub fn place_count(seed: u64, user: u64, tab: u32) -> u64 {
    hash(&[seed, user, u64::from(tab), 6]) % 31
}

/// Place `index` of the user's `tab`.
pub fn place(seed: u64, user: u64, tab: u32, index: u64) -> Place {
    let h = hash(&[seed, user, u64::from(tab), index, 7]);
    Place {
        universe_id: 1_000_000 + h % 9_000_000,
        place_id: 10_000_000 + (h >> 24) % 90_000_000,
        name: format!("Place {index} of Player{user}"),
        price_in_robux: if (h >> 8).is_multiple_of(3) {
            (h >> 12) % 500
        } else {
            0
        },
    }
}
