//! The JSON shapes of items, as each spec names their fields.

use serde::Serialize;
use serde_json::{Value, json};

use crate::world::asset_types::legacy_name;
use crate::world::hash::timestamp;
use crate::world::{AssetInfo, AssetOwner, Item, ItemKind, World};

/// A legacy page: `previousPageCursor` and `nextPageCursor` are null at the ends (WIRE-QUIRKS 5).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyPage<T> {
    previous_page_cursor: Option<String>,
    next_page_cursor: Option<String>,
    data: Vec<T>,
}

pub fn legacy_page<T: Serialize>(
    data: Vec<T>,
    previous: Option<String>,
    next: Option<String>,
) -> LegacyPage<T> {
    LegacyPage {
        previous_page_cursor: previous,
        next_page_cursor: next,
        data,
    }
}

/// InventoryItemModel (GET /v2/users/{userId}/inventory/{assetTypeId}). A struct rather than `json!`: this
/// is the legacy page a benchmark streams by the hundred thousand, and a map per item made the emulator, not
/// the client, the slow side.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryItemModel {
    expire_at: Option<String>,
    user_asset_id: u64,
    asset_id: Option<u64>,
    asset_name: String,
    collectible_item_id: Option<String>,
    collectible_item_instance_id: Option<String>,
    serial_number: Option<u64>,
    owner: Owner,
    created: String,
    updated: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Owner {
    user_id: u64,
    username: String,
    builders_club_membership_type: u8,
}

/// The item's strings are moved into the model, not copied.
pub fn inventory_item_model(world: &World, user: u64, item: Item) -> InventoryItemModel {
    let asset_id = item.asset_id();
    let created = timestamp(item.created_ms);
    let collectible = match item.kind {
        ItemKind::Asset { collectible, .. } => collectible,
        _ => None,
    };
    let serial_number = collectible.as_ref().and_then(|c| c.serial_number);
    let (collectible_item_id, collectible_item_instance_id) =
        collectible.map(|c| (c.item_id, c.instance_id)).unzip();
    InventoryItemModel {
        expire_at: None,
        user_asset_id: item.user_asset_id,
        asset_id,
        asset_name: item.name,
        collectible_item_id,
        collectible_item_instance_id,
        serial_number,
        owner: Owner {
            user_id: user,
            username: world.username(user),
            builders_club_membership_type: 0,
        },
        updated: created.clone(),
        created,
    }
}

/// UserAssetItemModelV2 (GET /v2/users/{userId}/inventory): `assetType` is the NAME (WIRE-QUIRKS 1).
pub fn user_asset_item_v2(item: &Item) -> Value {
    json!({
        "assetId": item.asset_id(),
        "name": item.name,
        "assetType": item.asset_type().and_then(legacy_name),
        "created": timestamp(item.created_ms),
    })
}

/// CollectibleUserAssetModel (GET /v1/users/{userId}/assets/collectibles).
pub fn collectible_user_asset(item: &Item, info: Option<&AssetInfo>) -> Value {
    let collectible = item.collectible();
    json!({
        "userAssetId": item.user_asset_id,
        "serialNumber": collectible.and_then(|c| c.serial_number),
        "assetId": item.asset_id(),
        "name": item.name,
        "recentAveragePrice": info.map_or(0, |info| info.recent_average_price),
        "originalPrice": info.and_then(|info| info.original_price),
        "assetStock": info.and_then(|info| info.stock),
        "buildersClubMembershipType": 0,
        "isOnHold": collectible.is_some_and(|c| c.on_hold),
    })
}

/// RelatedEntityTypeResponse of a user, or null when the owner hides their inventory.
fn owner(world: &World, owner: &AssetOwner) -> Value {
    let visible = owner.owner_visible && !world.is_hidden(owner.owner_id);
    if visible {
        json!({"id": owner.owner_id, "type": 1, "name": world.username(owner.owner_id)})
    } else {
        Value::Null
    }
}

/// AssetOwnerResponse (GET /v2/assets/{assetId}/owners).
pub fn asset_owner(world: &World, entry: &AssetOwner) -> Value {
    json!({
        "id": entry.user_asset_id,
        "collectibleItemInstanceId": entry.instance_id,
        "serialNumber": entry.serial_number,
        "owner": owner(world, entry),
        "created": timestamp(entry.created_ms),
        "updated": timestamp(entry.created_ms),
    })
}

/// CollectibleItemOwnerResponse (GET /v2/collectible-items/{id}/owners).
pub fn collectible_item_owner(world: &World, entry: &AssetOwner) -> Value {
    json!({
        "collectibleItemInstanceId": entry.instance_id,
        "serialNumber": entry.serial_number,
        "owner": owner(world, entry),
    })
}
