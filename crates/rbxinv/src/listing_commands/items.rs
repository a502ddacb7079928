//! The Open Cloud listing: `items`.

use roblox_inventory::{AssetId, BadgeId, Client, GamePassId, PrivateServerId, cloud_v2};

use super::{ListingCommand, Printer};
use crate::failure::Failure;
use crate::filters;

/// Open Cloud inventory items, every page (GET /cloud/v2/users/{id}/inventory-items).
///
/// Type fields (--asset-types, --only-collectibles, --badges, --game-passes, --private-servers) and ID
/// fields (--asset-ids, --badge-ids, --game-pass-ids, --private-server-ids) cannot be mixed. Without any,
/// the whole inventory.
#[derive(Debug, clap::Args)]
pub struct Items {
    /// The user.
    pub user_id: u64,
    /// Open Cloud asset types (HAT,FACE), legacy names (Hat), or * for every asset type.
    #[arg(long, value_delimiter = ',', value_name = "T,..")]
    pub asset_types: Vec<String>,
    /// Only collectibles (with --asset-types).
    #[arg(long)]
    pub only_collectibles: bool,
    /// Badges.
    #[arg(long)]
    pub badges: bool,
    /// Game passes.
    #[arg(long)]
    pub game_passes: bool,
    /// Private servers.
    #[arg(long)]
    pub private_servers: bool,
    /// These asset ids.
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    pub asset_ids: Vec<AssetId>,
    /// These badge ids.
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    pub badge_ids: Vec<BadgeId>,
    /// These game pass ids.
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    pub game_pass_ids: Vec<GamePassId>,
    /// These private server ids.
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    pub private_server_ids: Vec<PrivateServerId>,
}

impl ListingCommand for Items {
    // As Roblox sent them: the scan's own decoding, not the facade's `InventoryItem`.
    type Record = cloud_v2::types::InventoryItem;

    const COLUMNS: &'static [&'static str] = &[
        "assetDetails.inventoryItemAssetType",
        "assetDetails.assetId",
        "assetDetails.instanceId",
        "assetDetails.collectibleDetails.serialNumber",
        "badgeDetails.badgeId",
        "gamePassDetails.gamePassId",
        "privateServerDetails.privateServerId",
        "addTime",
        "assetDetails.collectibleDetails.itemId",
        "assetDetails.collectibleDetails.instanceId",
        "assetDetails.collectibleDetails.instanceState",
        "path",
    ];

    async fn run(self, client: &Client, out: Printer<'_, Self::Record>) -> Result<(), Failure> {
        let filter = filters::items_filter(&self)?;
        out.scan(client.inventory_items(self.user_id, &filter))
            .await
    }
}
