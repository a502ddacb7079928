//! What an inventory holds, and how item `i` of user `u` is computed from the seed alone.

use serde::{Deserialize, Serialize};

use super::asset_types::{GENERATED_ASSET_TYPES, legacy_name};
use super::hash::{hash, uuid};

/// One owned thing: a copy of an asset, a game pass, a badge, a private server or a bundle.
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

/// The four kinds of inventory item Open Cloud distinguishes, plus bundles, which only the legacy v1 item
/// endpoints know (`/v1/users/{id}/items/Bundle/...`, collections; spec/legacy-v1.yaml).
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
    /// A bundle (legacy v1 only: spec/cloud-v2.yaml's InventoryItem has no bundle details, so Open Cloud
    /// listings leave bundles out).
    Bundle { bundle_id: u64 },
}

/// The relative share of each kind of item in generated inventories: item `i` is of a kind chosen with
/// probability `weight / sum of weights`. `Default` is 85 assets, 5 game passes, 5 badges, 3 private servers
/// and 2 bundles in a hundred, with one asset copy in eight a collectible (the catalog's own rate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ItemMix {
    /// Weight of asset copies.
    pub asset: u32,
    /// Weight of game passes.
    pub game_pass: u32,
    /// Weight of badges.
    pub badge: u32,
    /// Weight of private servers.
    pub private_server: u32,
    /// Weight of bundles.
    pub bundle: u32,
    /// Of asset copies, how many in a thousand are collectibles (limiteds); clamped to 1000. At 125, the
    /// catalog's own rate, assets are picked from the whole catalog; otherwise from its limiteds or its
    /// non-limiteds as the share asks.
    pub collectible_per_mille: u32,
}

/// The catalog's own share of limiteds, in a thousand (one asset in eight).
pub const NATURAL_COLLECTIBLE_PER_MILLE: u32 = 125;

impl Default for ItemMix {
    fn default() -> Self {
        Self {
            asset: 85,
            game_pass: 5,
            badge: 5,
            private_server: 3,
            bundle: 2,
            collectible_per_mille: NATURAL_COLLECTIBLE_PER_MILLE,
        }
    }
}

impl ItemMix {
    /// A mix of one kind only, e.g. `ItemMix::only(|mix| &mut mix.bundle)`.
    pub fn only(kind: impl FnOnce(&mut Self) -> &mut u32) -> Self {
        let mut mix = Self {
            asset: 0,
            game_pass: 0,
            badge: 0,
            private_server: 0,
            bundle: 0,
            ..Self::default()
        };
        *kind(&mut mix) = 1;
        mix
    }
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

    /// Whether Open Cloud lists this item: everything but bundles (spec/cloud-v2.yaml's InventoryItem has
    /// asset, badge, game pass and private server details only).
    pub fn in_open_cloud(&self) -> bool {
        !matches!(self.kind, ItemKind::Bundle { .. })
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
pub(crate) const BUNDLE_ID_BASE: u64 = 600_000;
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

/// Item `index` of `user`'s generated inventory with the default [`ItemMix`]. Its userAssetId grows with
/// `index`, so generation order is ascending sort order.
pub fn generate(seed: u64, user: u64, index: u64) -> Item {
    generate_with(seed, user, index, &ItemMix::default())
}

/// Item `index` of `user`'s generated inventory with `mix` (a mix whose weights are all zero is the default).
pub fn generate_with(seed: u64, user: u64, index: u64, mix: &ItemMix) -> Item {
    let h = hash(&[seed, user, index]);
    // Saturating: `--inventory-size` may be as large as u64::MAX, and ids and dates past the top of the range
    // stay at u64::MAX rather than wrapping (release) or panicking (debug).
    let user_asset_id = USER_ASSET_ID_BASE
        .saturating_add((user % 100_000) * 10_000_000_000)
        .saturating_add(index);
    let created_ms = EPOCH_2012_MS
        .saturating_add(index.saturating_mul(60_000))
        .saturating_add(h % 60_000);
    let pick = other_catalog_pick(seed, user, index);
    let default = ItemMix::default();
    let weights = [
        mix.asset,
        mix.game_pass,
        mix.badge,
        mix.private_server,
        mix.bundle,
    ];
    let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
    let (weights, total, per_mille) = if total == 0 {
        let w = [
            default.asset,
            default.game_pass,
            default.badge,
            default.private_server,
            default.bundle,
        ];
        (w, 100, default.collectible_per_mille)
    } else {
        (weights, total, mix.collectible_per_mille)
    };
    let mut roll = h % total;
    let mut kind_index = 0;
    for (i, weight) in weights.iter().enumerate() {
        if roll < u64::from(*weight) {
            kind_index = i;
            break;
        }
        roll -= u64::from(*weight);
    }
    let (name, kind) = match kind_index {
        0 => {
            let asset_id = pick_asset(seed, user, index, h, per_mille);
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
        1 => (
            format!("Pass {pick}"),
            ItemKind::GamePass {
                game_pass_id: GAME_PASS_ID_BASE + pick,
            },
        ),
        2 => (
            format!("Badge {pick}"),
            ItemKind::Badge {
                badge_id: BADGE_ID_BASE + pick,
            },
        ),
        3 => (
            format!("Server {pick}"),
            ItemKind::PrivateServer {
                private_server_id: PRIVATE_SERVER_ID_BASE + pick,
            },
        ),
        _ => (
            format!("Bundle {pick}"),
            ItemKind::Bundle {
                bundle_id: BUNDLE_ID_BASE + pick,
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

// Roblox lets a user own a game pass, badge, private server or bundle once, so a user's picks from that
// catalog are a permutation of the item index: a per-user offset plus a stride coprime to the catalog's size
// (7,919 is a prime other than 2 and 5, and 50,000 = 2^4 * 5^5). Two of a user's items repeat a pick only when
// their indices are a whole catalog (50,000) apart.
fn other_catalog_pick(seed: u64, user: u64, index: u64) -> u64 {
    const STRIDE: u64 = 7_919;
    let offset = hash(&[seed, user, 0x07_4E55]) % OTHER_CATALOG;
    (offset + (index % OTHER_CATALOG) * STRIDE) % OTHER_CATALOG
}

// The catalog asset of a generated asset copy. At the catalog's own rate of limiteds any asset will do; else
// the copy is first decided collectible or not, then the catalog is probed from a hashed start for an asset
// of that sort (one in eight is a limited, so a few probes suffice; the bound only keeps this total).
fn pick_asset(seed: u64, user: u64, index: u64, h: u64, per_mille: u32) -> u64 {
    let start = (h >> 8) % CATALOG_ASSETS;
    if per_mille == NATURAL_COLLECTIBLE_PER_MILLE {
        return ASSET_ID_BASE + start;
    }
    let want_limited = hash(&[seed, user, index, 10]) % 1_000 < u64::from(per_mille.min(1_000));
    (0..4_096)
        .map(|step| ASSET_ID_BASE + (start + step) % CATALOG_ASSETS)
        .find(|id| {
            asset_info(seed, *id)
                .is_some_and(|info| info.collectible_item_id.is_some() == want_limited)
        })
        .unwrap_or(ASSET_ID_BASE + start)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_at_the_top_of_u64_saturate_instead_of_overflowing() {
        for index in [u64::MAX - 1, u64::MAX] {
            let item = generate(3, 99_999, index);
            assert_eq!(item.user_asset_id, u64::MAX);
            assert_eq!(item.created_ms, u64::MAX);
        }
        let early = generate(3, 99_999, 5);
        assert_eq!(
            early.user_asset_id,
            100_000_000_000 + 99_999 * 10_000_000_000 + 5
        );
    }

    #[test]
    fn a_user_owns_each_pass_badge_server_and_bundle_once() {
        let only_passes = ItemMix {
            asset: 0,
            game_pass: 1,
            badge: 0,
            private_server: 0,
            bundle: 0,
            ..ItemMix::default()
        };
        for user in [1, 156, 99_999] {
            let mut seen = std::collections::HashSet::new();
            for index in 0..OTHER_CATALOG {
                let item = generate_with(7, user, index, &only_passes);
                let ItemKind::GamePass { game_pass_id } = item.kind else {
                    panic!(
                        "item {index} of user {user} is {:?}, not a game pass",
                        item.kind
                    );
                };
                assert!(
                    seen.insert(game_pass_id),
                    "user {user} owns game pass {game_pass_id} twice (item {index})"
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for index in 0..20_000 {
            let kind = generate(7, 156, index).kind;
            if !matches!(kind, ItemKind::Asset { .. }) {
                assert!(
                    seen.insert(format!("{kind:?}")),
                    "user 156 owns {kind:?} twice"
                );
            }
        }
        assert!(
            seen.len() > 1_000,
            "the default mix gave {} non-assets",
            seen.len()
        );
    }
}
