//! What an inventory holds, and how item `i` of user `u` is computed from the seed alone.

use serde::{Deserialize, Serialize};

use super::asset_types::{GENERATED_ASSET_TYPES, legacy_name};
use super::hash::{hash, uuid};

/// One owned thing: a copy of an asset, a game pass, a badge or a private server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// The id of this copy; items of an inventory are ordered by it (`sortOrder` sorts on it).
    pub user_asset_id: u64,
    /// The display name.
    pub name: String,
    /// When the user got it, in milliseconds since 1970 (UTC).
    pub created_ms: u64,
    /// What it is.
    pub kind: ItemKind,
}

/// The four kinds of inventory item Open Cloud distinguishes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ItemKind {
    /// A copy of an asset, of a legacy asset type id (`8` for Hat).
    Asset {
        asset_id: u64,
        asset_type: u32,
        #[serde(default)]
        collectible: Option<Collectible>,
    },
    /// A game pass.
    GamePass { game_pass_id: u64 },
    /// A badge.
    Badge { badge_id: u64 },
    /// A private server.
    PrivateServer { private_server_id: u64 },
}

/// The collectible (limited) side of an asset copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collectible {
    /// The collectible item's UUID-like id (the same for every copy of the asset).
    pub item_id: String,
    /// This copy's UUID-like id.
    pub instance_id: String,
    /// The serial number, for limiteds that have one.
    #[serde(default)]
    pub serial_number: Option<u64>,
    /// Whether the copy is on hold (cannot be traded).
    #[serde(default)]
    pub on_hold: bool,
}

impl Item {
    /// The asset id, for asset copies.
    pub fn asset_id(&self) -> Option<u64> {
        match self.kind {
            ItemKind::Asset { asset_id, .. } => Some(asset_id),
            _ => None,
        }
    }

    /// The legacy asset type id, for asset copies.
    pub fn asset_type(&self) -> Option<u32> {
        match self.kind {
            ItemKind::Asset { asset_type, .. } => Some(asset_type),
            _ => None,
        }
    }

    /// The collectible details, for collectible asset copies.
    pub fn collectible(&self) -> Option<&Collectible> {
        match &self.kind {
            ItemKind::Asset { collectible, .. } => collectible.as_ref(),
            _ => None,
        }
    }
}

// Id ranges of the generated catalog. Asset ids exceed 32 bits as real ones do (WIRE-QUIRKS 18).
pub(crate) const ASSET_ID_BASE: u64 = 10_000_000_000;
pub(crate) const CATALOG_ASSETS: u64 = 200_000;
pub(crate) const GAME_PASS_ID_BASE: u64 = 1_000;
pub(crate) const BADGE_ID_BASE: u64 = 2_000_000_000;
pub(crate) const PRIVATE_SERVER_ID_BASE: u64 = 100_000;
pub(crate) const OTHER_CATALOG: u64 = 50_000;
const USER_ASSET_ID_BASE: u64 = 100_000_000_000;
const EPOCH_2012_MS: u64 = 1_325_376_000_000;

/// What every copy of one catalog asset shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetInfo {
    pub asset_id: u64,
    pub asset_type: u32,
    pub name: String,
    /// The collectible item id, when the asset is a limited.
    pub collectible_item_id: Option<String>,
    /// How many copies a limited was limited to.
    pub stock: Option<u64>,
    pub original_price: Option<u64>,
    pub recent_average_price: u64,
    pub created_ms: u64,
}

/// The catalog asset with this id, or `None` outside the generated catalog.
pub fn asset_info(seed: u64, asset_id: u64) -> Option<AssetInfo> {
    let k = asset_id.checked_sub(ASSET_ID_BASE)?;
    if k >= CATALOG_ASSETS {
        return None;
    }
    let h = hash(&[seed, asset_id, 0xA55E7]);
    let (asset_type, _) = GENERATED_ASSET_TYPES[(h % GENERATED_ASSET_TYPES.len() as u64) as usize];
    let limited = (h >> 20).is_multiple_of(8);
    let type_name = legacy_name(asset_type).unwrap_or("Asset");
    Some(AssetInfo {
        asset_id,
        asset_type,
        name: format!(
            "{} {type_name} {k}",
            ADJECTIVES[((h >> 8) % ADJECTIVES.len() as u64) as usize]
        ),
        collectible_item_id: limited.then(|| collectible_item_id(seed, asset_id)),
        stock: limited.then_some(100 + (h >> 24) % 9_900),
        original_price: (!(h >> 40).is_multiple_of(4)).then_some((h >> 44) % 1_000),
        recent_average_price: (h >> 32) % 100_000,
        created_ms: EPOCH_2012_MS + (h >> 4) % 300_000_000_000,
    })
}

/// The asset a collectible item id belongs to: the id's last group is the asset id in hex, so the reverse
/// lookup needs no index.
pub fn asset_of_collectible_item(seed: u64, item_id: &str) -> Option<AssetInfo> {
    let (_, last) = item_id.rsplit_once('-')?;
    let asset_id = u64::from_str_radix(last, 16).ok()?;
    let info = asset_info(seed, asset_id)?;
    (info.collectible_item_id.as_deref() == Some(item_id)).then_some(info)
}

fn collectible_item_id(seed: u64, asset_id: u64) -> String {
    let random = uuid(&[seed, asset_id, 1]);
    format!("{}-{asset_id:012x}", &random[..23])
}

/// Item `index` of `user`'s generated inventory. Its userAssetId grows with `index`, so generation order is
/// ascending sort order.
pub fn generate(seed: u64, user: u64, index: u64) -> Item {
    let h = hash(&[seed, user, index]);
    let user_asset_id = USER_ASSET_ID_BASE + (user % 100_000) * 10_000_000_000 + index;
    let created_ms = EPOCH_2012_MS + index * 60_000 + h % 60_000;
    let pick = (h >> 8) % OTHER_CATALOG;
    let (name, kind) = match h % 100 {
        0..85 => {
            let asset_id = ASSET_ID_BASE + (h >> 8) % CATALOG_ASSETS;
            let info = asset_info(seed, asset_id).unwrap_or_else(|| unreachable_asset(asset_id));
            let collectible = info.collectible_item_id.clone().map(|item_id| Collectible {
                item_id,
                instance_id: uuid(&[seed, user, index, 2]),
                serial_number: info.stock.map(|stock| 1 + (h >> 30) % stock),
                on_hold: (h >> 50).is_multiple_of(13),
            });
            let kind = ItemKind::Asset {
                asset_id,
                asset_type: info.asset_type,
                collectible,
            };
            (info.name, kind)
        }
        85..90 => (
            format!("Pass {pick}"),
            ItemKind::GamePass {
                game_pass_id: GAME_PASS_ID_BASE + pick,
            },
        ),
        90..95 => (
            format!("Badge {pick}"),
            ItemKind::Badge {
                badge_id: BADGE_ID_BASE + pick,
            },
        ),
        _ => (
            format!("Server {pick}"),
            ItemKind::PrivateServer {
                private_server_id: PRIVATE_SERVER_ID_BASE + pick,
            },
        ),
    };
    Item {
        user_asset_id,
        name,
        created_ms,
        kind,
    }
}

// The catalog range above is exactly what asset_info accepts; this only keeps generate() total.
fn unreachable_asset(asset_id: u64) -> AssetInfo {
    AssetInfo {
        asset_id,
        asset_type: 8,
        name: format!("Asset {asset_id}"),
        collectible_item_id: None,
        stock: None,
        original_price: None,
        recent_average_price: 0,
        created_ms: EPOCH_2012_MS,
    }
}

const ADJECTIVES: &[&str] = &[
    "Golden", "Classic", "Neon", "Midnight", "Crimson", "Frosty", "Sparkle", "Shadow", "Retro",
    "Cosmic",
];
