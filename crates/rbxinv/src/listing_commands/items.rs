//! The Open Cloud listing, `items`, and its flags as the facade's `InventoryFilter`.

use roblox_inventory::{
    AssetId, BadgeId, Client, FilterError, GamePassId, InventoryFilter, PrivateServerId, cloud_v2,
};

use super::{ListingCommand, Printer};
use crate::asset_types;
use crate::failure::{Failure, one_line};

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
        let filter = filter_of(&self)?;
        out.scan(client.inventory_items(self.user_id, &filter))
            .await
    }
}

/// The filter the flags describe: the whole inventory without any, else type fields or ID fields, never both.
fn filter_of(args: &Items) -> Result<InventoryFilter, Failure> {
    let has_types = !args.asset_types.is_empty()
        || args.only_collectibles
        || args.badges
        || args.game_passes
        || args.private_servers;
    let has_ids = !args.asset_ids.is_empty()
        || !args.badge_ids.is_empty()
        || !args.game_pass_ids.is_empty()
        || !args.private_server_ids.is_empty();
    match (has_types, has_ids) {
        (false, false) => Ok(InventoryFilter::everything()),
        (true, true) => Err(Failure::Usage(
            "type filters (--asset-types, --only-collectibles, --badges, --game-passes, --private-servers) \
             cannot be mixed with ID filters (--asset-ids, --badge-ids, --game-pass-ids, --private-server-ids)"
                .to_owned(),
        )),
        (true, false) => by_types(args),
        (false, true) => InventoryFilter::ids()
            .asset_ids(args.asset_ids.iter().copied())
            .badge_ids(args.badge_ids.iter().copied())
            .game_pass_ids(args.game_pass_ids.iter().copied())
            .private_server_ids(args.private_server_ids.iter().copied())
            .build()
            .map_err(invalid),
    }
}

fn by_types(args: &Items) -> Result<InventoryFilter, Failure> {
    let mut builder = InventoryFilter::types();
    if args.asset_types.iter().any(|text| text.trim() == "*") {
        builder = builder.all_asset_types();
    } else if !args.asset_types.is_empty() {
        let types = args
            .asset_types
            .iter()
            .map(|text| asset_types::parse_cloud(text))
            .collect::<Result<Vec<_>, _>>()?;
        builder = builder.asset_types(types);
    }
    if args.only_collectibles {
        builder = builder.only_collectibles();
    }
    if args.badges {
        builder = builder.badges();
    }
    if args.game_passes {
        builder = builder.game_passes();
    }
    if args.private_servers {
        builder = builder.private_servers();
    }
    builder.build().map_err(invalid)
}

/// A combination the facade refuses (`--only-collectibles` alone) is a usage error.
fn invalid(error: FilterError) -> Failure {
    Failure::Usage(one_line(&error.to_string()))
}
