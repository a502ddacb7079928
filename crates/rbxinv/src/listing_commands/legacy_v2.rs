//! The listings of the legacy Inventory API v2: `inventory`, `by-type`, `owners`, `collectible-owners`.

use roblox_inventory::legacy_v2::types::{
    AssetOwnerResponse, CollectibleItemOwnerResponse, InventoryItemModel, UserAssetItemModelV2,
};
use roblox_inventory::{AssetId, Client};

use super::{ListingCommand, Printer};
use crate::asset_types;
use crate::failure::Failure;

/// Legacy v2 /v2/users/{id}/inventory: items of several asset types (names or ids).
#[derive(Debug, clap::Args)]
pub struct Inventory {
    /// The user.
    user_id: u64,
    /// Legacy asset types, names or ids (Hat,Face or 8,18).
    #[arg(long, value_delimiter = ',', required = true, value_name = "T,..")]
    asset_types: Vec<String>,
}

impl ListingCommand for Inventory {
    type Record = UserAssetItemModelV2;

    const COLUMNS: &'static [&'static str] = &["name", "assetType", "assetId", "created"];

    async fn run(self, client: &Client, out: Printer<'_, Self::Record>) -> Result<(), Failure> {
        let types = self
            .asset_types
            .iter()
            .map(|text| asset_types::parse_legacy(text))
            .collect::<Result<Vec<_>, _>>()?;
        out.scan(client.user_inventory(self.user_id, types)).await
    }
}

/// Legacy v2 /v2/users/{id}/inventory/{assetTypeId}: items of one asset type (name or id).
#[derive(Debug, clap::Args)]
pub struct ByType {
    /// The user.
    user_id: u64,
    /// A legacy asset type, name or id (Hat or 8).
    asset_type: String,
}

impl ListingCommand for ByType {
    type Record = InventoryItemModel;

    const COLUMNS: &'static [&'static str] = &[
        "assetName",
        "assetId",
        "userAssetId",
        "serialNumber",
        "collectibleItemId",
        "collectibleItemInstanceId",
        "created",
        "updated",
        "expireAt",
        "owner.username",
        "owner.userId",
        "owner.buildersClubMembershipType",
    ];

    async fn run(self, client: &Client, out: Printer<'_, Self::Record>) -> Result<(), Failure> {
        let asset_type = asset_types::parse_legacy(&self.asset_type)?;
        out.scan(client.user_inventory_by_type(self.user_id, asset_type))
            .await
    }
}

/// Legacy v2 owners of an asset.
#[derive(Debug, clap::Args)]
pub struct Owners {
    /// The asset.
    asset_id: AssetId,
}

impl ListingCommand for Owners {
    type Record = AssetOwnerResponse;

    const COLUMNS: &'static [&'static str] = &[
        "owner.name",
        "owner.id",
        "owner.type",
        "serialNumber",
        "id",
        "collectibleItemInstanceId",
        "created",
        "updated",
    ];

    async fn run(self, client: &Client, out: Printer<'_, Self::Record>) -> Result<(), Failure> {
        out.scan(client.asset_owners(self.asset_id)).await
    }
}

/// Legacy v2 owners of a collectible item, by its UUID (needs --cookie).
#[derive(Debug, clap::Args)]
pub struct CollectibleOwners {
    /// The collectible item id (a UUID).
    collectible_item_id: String,
}

impl ListingCommand for CollectibleOwners {
    type Record = CollectibleItemOwnerResponse;

    const COLUMNS: &'static [&'static str] = &[
        "owner.name",
        "owner.id",
        "owner.type",
        "serialNumber",
        "collectibleItemInstanceId",
    ];

    async fn run(self, client: &Client, out: Printer<'_, Self::Record>) -> Result<(), Failure> {
        out.scan(client.collectible_item_owners(self.collectible_item_id))
            .await
    }
}
