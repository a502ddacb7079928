//! The kinds of item a user owns, as the commands that name one item take them.

use roblox_inventory::{AssetId, BadgeId, BundleId, GamePassId, OwnedItem};

/// The kinds of item a user owns, as the legacy item paths name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ItemKind {
    #[value(name = "Asset")]
    Asset,
    #[value(name = "GamePass")]
    GamePass,
    #[value(name = "Badge")]
    Badge,
    #[value(name = "Bundle")]
    Bundle,
}

impl ItemKind {
    /// The item of this kind with `id`.
    pub fn item(self, id: u64) -> OwnedItem {
        match self {
            ItemKind::Asset => OwnedItem::Asset(AssetId(id)),
            ItemKind::GamePass => OwnedItem::GamePass(GamePassId(id)),
            ItemKind::Badge => OwnedItem::Badge(BadgeId(id)),
            ItemKind::Bundle => OwnedItem::Bundle(BundleId(id)),
        }
    }
}
