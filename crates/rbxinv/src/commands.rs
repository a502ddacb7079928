//! Each command handed to the facade, and what it prints: listings through [`Listing`] (with the columns a
//! person looks for first), yes/no answers as `true` or `false`, mutations as a line on stderr.

use roblox_inventory::legacy_v1::types::{AssetsExplorerCategoryItemModel, PlacesTab};
use roblox_inventory::{Client, OwnedItem};
use serde::Serialize;

use crate::args::{CollectionAction, Command, ListingCommand};
use crate::asset_types;
use crate::failure::Failure;
use crate::filters;
use crate::listing::Listing;

/// The columns of each listing's records, in the order a person reads them: names before ids, then what people
/// look for first. csv headers list them all; tables those the records have. Each list names every field its
/// records can have (a test checks the emulator's records against them), so that csv never meets a column
/// after its header.
mod columns {
    pub const ITEMS: &[&str] = &[
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
    pub const INVENTORY: &[&str] = &["name", "assetType", "assetId", "created"];
    pub const BY_TYPE: &[&str] = &[
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
    pub const COLLECTIBLES: &[&str] = &[
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
    pub const OWNERS: &[&str] = &[
        "owner.name",
        "owner.id",
        "owner.type",
        "serialNumber",
        "id",
        "collectibleItemInstanceId",
        "created",
        "updated",
    ];
    pub const COLLECTIBLE_OWNERS: &[&str] = &[
        "owner.name",
        "owner.id",
        "owner.type",
        "serialNumber",
        "collectibleItemInstanceId",
    ];
    pub const PLACES: &[&str] = &[
        "name",
        "placeId",
        "universeId",
        "creator.name",
        "creator.id",
        "creator.type",
        "priceInRobux",
    ];
    pub const INSTANCES: &[&str] = &["name", "type", "id", "instanceId"];
    pub const CATEGORIES: &[&str] = &[
        "category",
        "displayName",
        "name",
        "id",
        "type",
        "categoryType",
        "filter",
    ];
    pub const PACKAGE_ASSETS: &[&str] = &["assetId"];
}

/// Runs one command against Roblox (or the `--mock` emulator) and prints what it returns.
pub async fn execute(
    command: Command,
    client: &Client,
    listing: &Listing,
    quiet: bool,
) -> Result<(), Failure> {
    match command {
        Command::Items(args) => {
            let filter = filters::items_filter(&args)?;
            // Printed as Roblox sent them: the scan's own decoding, not the facade's `InventoryItem`.
            let scan = client.inventory_items(args.user_id, &filter);
            listing.scan(scan, columns::ITEMS).await
        }
        Command::Inventory {
            user_id,
            asset_types,
        } => {
            let types = asset_types
                .iter()
                .map(|text| asset_types::parse_legacy(text))
                .collect::<Result<Vec<_>, _>>()?;
            let scan = client.user_inventory(user_id, types);
            listing.scan(scan, columns::INVENTORY).await
        }
        Command::ByType {
            user_id,
            asset_type,
        } => {
            let asset_type = asset_types::parse_legacy(&asset_type)?;
            let scan = client.user_inventory_by_type(user_id, asset_type);
            listing.scan(scan, columns::BY_TYPE).await
        }
        Command::Collectibles {
            user_id,
            asset_type,
        } => {
            let asset_type = asset_type
                .map(|text| asset_types::parse_legacy(&text))
                .transpose()?;
            let scan = client.collectibles(user_id, asset_type);
            listing.scan(scan, columns::COLLECTIBLES).await
        }
        Command::Owners { asset_id } => {
            let scan = client.asset_owners(asset_id);
            listing.scan(scan, columns::OWNERS).await
        }
        Command::CollectibleOwners {
            collectible_item_id,
        } => {
            let scan = client.collectible_item_owners(collectible_item_id);
            listing.scan(scan, columns::COLLECTIBLE_OWNERS).await
        }
        Command::Places { user_id, tab } => {
            let scan = client.places(user_id, PlacesTab::from(i64::from(tab)));
            listing.scan(scan, columns::PLACES).await
        }
        Command::Instances {
            user_id,
            item_type,
            item_id,
        } => {
            let instances = client
                .item_instances(user_id, item_type.item(item_id))
                .await?;
            listing.records(instances, columns::INSTANCES)
        }
        Command::Categories { user_id, favorites } => {
            let categories = if favorites {
                client.favorite_categories(user_id).await?
            } else {
                client.categories(user_id).await?
            };
            let entries = categories.iter().flat_map(|category| {
                category.items.iter().map(|item| CategoryEntry {
                    category: category.name.as_deref(),
                    item,
                })
            });
            listing.records(entries, columns::CATEGORIES)
        }
        Command::PackageAssets { package_id } => {
            let ids = client.package_assets(package_id).await?;
            let records = ids.into_iter().map(|asset_id| PackageAsset { asset_id });
            listing.records(records, columns::PACKAGE_ASSETS)
        }
        Command::Owns {
            user_id,
            asset,
            game_pass,
            badge,
            bundle,
        } => {
            let item = match (asset, game_pass, badge, bundle) {
                (Some(id), ..) => OwnedItem::Asset(id),
                (_, Some(id), ..) => OwnedItem::GamePass(id),
                (_, _, Some(id), _) => OwnedItem::Badge(id),
                (_, _, _, Some(id)) => OwnedItem::Bundle(id),
                _ => {
                    return Err(Failure::Usage(
                        "give one of --asset, --game-pass, --badge, --bundle".to_owned(),
                    ));
                }
            };
            let owned = client.owns(user_id, item).await?;
            print_line(&owned.to_string())
        }
        Command::CanView { user_id } => {
            let visible = client.can_view_inventory(user_id).await?;
            print_line(&visible.to_string())
        }
        Command::GiveUp { asset_id } => {
            client.delete_inventory_asset(asset_id).await?;
            if !quiet {
                eprintln!("gave up asset {asset_id}");
            }
            Ok(())
        }
        Command::Collection {
            action,
            item_type,
            item_id,
        } => {
            let item = item_type.item(item_id);
            match action {
                CollectionAction::Add => client.add_to_collection(item).await?,
                CollectionAction::Remove => client.remove_from_collection(item).await?,
            }
            if !quiet {
                let done = match action {
                    CollectionAction::Add => "added to",
                    CollectionAction::Remove => "removed from",
                };
                eprintln!("{item_type:?} {item_id} {done} the collection");
            }
            Ok(())
        }
        Command::Schema { .. }
        | Command::Mock { .. }
        | Command::Enqueue { .. }
        | Command::Work(_)
        | Command::Status => {
            unreachable!("`run` handles `schema`, `mock` and the queue's commands itself")
        }
    }
}

/// `rbxinv schema COMMAND`: prints the JSON Schema of the records `command` writes.
pub fn print_schema(command: ListingCommand) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(&record_schema(command))
        .map_err(|error| Failure::Api(format!("encoding the schema: {error}")))?;
    print_line(&text)
}

/// Writes `text` and a line break on stdout; a reader that went away is not an error (`| head` is fine).
pub fn print_line(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(Failure::Output),
    }
}

/// The JSON Schema of the records `command` writes: the type `execute` hands its listing.
fn record_schema(command: ListingCommand) -> schemars::Schema {
    use roblox_inventory::{cloud_v2, legacy_v1, legacy_v2};
    use schemars::schema_for;
    match command {
        ListingCommand::Items => schema_for!(cloud_v2::types::InventoryItem),
        ListingCommand::Inventory => schema_for!(legacy_v2::types::UserAssetItemModelV2),
        ListingCommand::ByType => schema_for!(legacy_v2::types::InventoryItemModel),
        ListingCommand::Collectibles => schema_for!(legacy_v1::types::CollectibleUserAssetModel),
        ListingCommand::Owners => schema_for!(legacy_v2::types::AssetOwnerResponse),
        ListingCommand::CollectibleOwners => {
            schema_for!(legacy_v2::types::CollectibleItemOwnerResponse)
        }
        ListingCommand::Places => schema_for!(legacy_v1::types::PlaceModel),
        ListingCommand::Instances => schema_for!(legacy_v1::types::IItemModel),
        ListingCommand::Categories => schema_for!(CategoryEntry<'static>),
        ListingCommand::PackageAssets => schema_for!(PackageAsset),
    }
}

/// One item of a category, with its category's name: a category holds several, and a row per item reads best.
#[derive(Serialize, schemars::JsonSchema)]
struct CategoryEntry<'a> {
    category: Option<&'a str>,
    #[serde(flatten)]
    item: &'a AssetsExplorerCategoryItemModel,
}

/// One asset of a package.
#[derive(Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
struct PackageAsset {
    asset_id: i64,
}
