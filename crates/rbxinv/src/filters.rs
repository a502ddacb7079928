//! The `items` command's flags as the facade's `InventoryFilter`.

use roblox_inventory::{FilterError, InventoryFilter};

use crate::asset_types;
use crate::failure::{Failure, one_line};
use crate::listing_commands::Items;

/// The filter the flags describe: the whole inventory without any, else type fields or ID fields, never both.
pub fn items_filter(args: &Items) -> Result<InventoryFilter, Failure> {
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
