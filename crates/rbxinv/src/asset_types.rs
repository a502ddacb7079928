//! Asset types as the command line names them: legacy names (any case) or ids, and Open Cloud names.

use roblox_inventory::{AssetType, InventoryItemAssetType, legacy_to_cloud};

use crate::failure::Failure;

/// A legacy asset type by name (any case) or id; unknown names are a usage error naming the allowed ones.
pub fn parse_legacy(text: &str) -> Result<AssetType, Failure> {
    text.parse::<AssetType>()
        .map_err(|error| Failure::Usage(format!("unknown asset type: {error}")))
}

/// An Open Cloud asset type: its own name (HAT), a legacy name (Hat), or a legacy id (8).
pub fn parse_cloud(text: &str) -> Result<InventoryItemAssetType, Failure> {
    let cloud_error = match text.parse::<InventoryItemAssetType>() {
        Ok(asset_type) if !asset_type.is_unknown() => return Ok(asset_type),
        Ok(_) => None,
        Err(error) => Some(error),
    };
    if let Ok(legacy) = text.parse::<AssetType>()
        && let Some(cloud) = legacy_to_cloud(&legacy)
    {
        return Ok(cloud);
    }
    Err(Failure::Usage(match cloud_error {
        Some(error) => format!("unknown asset type: {error}"),
        None => format!("unknown asset type: {text:?}"),
    }))
}
