//! The listings of the legacy Inventory API v1: `collectibles`, `places`, `instances`, `categories`,
//! `package-assets`.

use roblox_inventory::legacy_v1::types::{
    AssetsExplorerCategoryItemModel, CollectibleUserAssetModel, IItemModel, PlaceModel, PlacesTab,
};
use roblox_inventory::{AssetId, Client};
use serde::Serialize;

use super::{ListingCommand, Printer};
use crate::asset_types;
use crate::failure::Failure;
use crate::item_kind::ItemKind;

/// Legacy v1 collectibles (limiteds) of a user.
#[derive(Debug, clap::Args)]
pub struct Collectibles {
    /// The user.
    user_id: u64,
    /// Only this legacy asset type, name or id.
    #[arg(long, value_name = "T")]
    asset_type: Option<String>,
}

impl ListingCommand for Collectibles {
    type Record = CollectibleUserAssetModel;

    const COLUMNS: &'static [&'static str] = &[
        "name",
        "assetId",
        "userAssetId",
        "serialNumber",
        "recentAveragePrice",
        "originalPrice",
        "assetStock",
        "isOnHold",
        "buildersClubMembershipType",
    ];

    async fn run(self, client: &Client, out: Printer<'_, Self::Record>) -> Result<(), Failure> {
        let asset_type = self
            .asset_type
            .map(|text| asset_types::parse_legacy(&text))
            .transpose()?;
        out.scan(client.collectibles(self.user_id, asset_type))
            .await
    }
}

/// Legacy v1 places of a user, every page.
#[derive(Debug, clap::Args)]
pub struct Places {
    /// The user.
    user_id: u64,
    /// Which places tab, 0 to 5 (Roblox names none of them).
    #[arg(long, default_value_t = 0, value_name = "N")]
    tab: u8,
}

impl ListingCommand for Places {
    type Record = PlaceModel;

    const COLUMNS: &'static [&'static str] = &[
        "name",
        "placeId",
        "universeId",
        "creator.name",
        "creator.id",
        "creator.type",
        "priceInRobux",
    ];

    async fn run(self, client: &Client, out: Printer<'_, Self::Record>) -> Result<(), Failure> {
        let tab = PlacesTab::from(i64::from(self.tab));
        out.scan(client.places(self.user_id, tab)).await
    }
}

/// Legacy v1 copies of one item a user owns, with their instance ids.
#[derive(Debug, clap::Args)]
pub struct Instances {
    /// The user.
    user_id: u64,
    /// What kind of item.
    #[arg(value_enum, ignore_case = true)]
    item_type: ItemKind,
    /// The item's id.
    item_id: u64,
}

impl ListingCommand for Instances {
    type Record = IItemModel;

    const COLUMNS: &'static [&'static str] = &["name", "type", "id", "instanceId"];

    async fn run(self, client: &Client, out: Printer<'_, Self::Record>) -> Result<(), Failure> {
        let item = self.item_type.item(self.item_id);
        out.records(client.item_instances(self.user_id, item).await?)
    }
}

/// Legacy v1 categories of a user's inventory page (or, with --favorites, of their favorites page).
#[derive(Debug, clap::Args)]
pub struct Categories {
    /// The user.
    user_id: u64,
    /// The favorites page's categories.
    #[arg(long)]
    favorites: bool,
}

/// One item of a category, with its category's name: a category holds several, and a row per item reads best.
#[derive(Serialize, schemars::JsonSchema)]
pub struct CategoryEntry {
    category: Option<String>,
    #[serde(flatten)]
    item: AssetsExplorerCategoryItemModel,
}

impl ListingCommand for Categories {
    type Record = CategoryEntry;

    const COLUMNS: &'static [&'static str] = &[
        "category",
        "displayName",
        "name",
        "id",
        "type",
        "categoryType",
        "filter",
    ];

    async fn run(self, client: &Client, out: Printer<'_, Self::Record>) -> Result<(), Failure> {
        let categories = if self.favorites {
            client.favorite_categories(self.user_id).await?
        } else {
            client.categories(self.user_id).await?
        };
        let entries = categories.into_iter().flat_map(|category| {
            let name = category.name;
            category.items.into_iter().map(move |item| CategoryEntry {
                category: name.clone(),
                item,
            })
        });
        out.records(entries)
    }
}

/// Legacy v1 asset ids in a package (an endpoint Roblox marks deprecated).
#[derive(Debug, clap::Args)]
pub struct PackageAssets {
    /// The package's asset id.
    package_id: AssetId,
}

/// One asset of a package.
#[derive(Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PackageAsset {
    asset_id: i64,
}

impl ListingCommand for PackageAssets {
    type Record = PackageAsset;

    const COLUMNS: &'static [&'static str] = &["assetId"];

    async fn run(self, client: &Client, out: Printer<'_, Self::Record>) -> Result<(), Failure> {
        let ids = client.package_assets(self.package_id).await?;
        out.records(ids.into_iter().map(|asset_id| PackageAsset { asset_id }))
    }
}
