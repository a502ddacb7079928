//! The JSON shapes of items, as each spec names their fields.

use serde_json::{Value, json};

use crate::world::asset_types::legacy_name;
use crate::world::hash::timestamp;
use crate::world::{AssetInfo, AssetOwner, Item, World};

/// A legacy page: `previousPageCursor` and `nextPageCursor` are null at the ends (WIRE-QUIRKS 5).
pub fn legacy_page(data: Vec<Value>, previous: Option<String>, next: Option<String>) -> Value {
    json!({"previousPageCursor": previous, "nextPageCursor": next, "data": data})
}

/// InventoryItemModel (GET /v2/users/{userId}/inventory/{assetTypeId}).
pub fn inventory_item_model(world: &World, user: u64, item: &Item) -> Value {
    let collectible = item.collectible();
    json!({
        "expireAt": null,
        "userAssetId": item.user_asset_id,
        "assetId": item.asset_id(),
        "assetName": item.name,
        "collectibleItemId": collectible.map(|c| &c.item_id),
        "collectibleItemInstanceId": collectible.map(|c| &c.instance_id),
        "serialNumber": collectible.and_then(|c| c.serial_number),
        "owner": {"userId": user, "username": world.username(user), "buildersClubMembershipType": 0},
        "created": timestamp(item.created_ms),
        "updated": timestamp(item.created_ms),
    })
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
