#![doc = include_str!("../README.md")]

mod asset_types;
mod client;
mod error;
mod filter;
mod items;
mod operations;
mod paginate;
mod refusal;
mod resilience;
mod scans;
mod secret;
mod transport;

pub use asset_types::{
    asset_type_pairs, cloud_to_legacy, legacy_to_cloud, legacy_v1_to_v2_asset_type,
    legacy_v2_to_v1_asset_type,
};
pub use client::{Client, ClientBuilder, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RESPONSE_BYTES};
pub use error::{ApiError, Error, ErrorCode, ErrorEntry, ErrorKind, RequestLine};
pub use filter::{
    AssetTypeSelection, FilterError, IdFilter, IdFilterBuilder, InventoryFilter, TypeFilter,
    TypeFilterBuilder,
};
pub use items::{
    AssetId, AssetInstanceId, AssetItem, BadgeId, Collectible, GamePassId, InventoryItem,
    ItemConversionError, ItemDetails, ParseIdError, PrivateServerId, UnknownItem,
};
pub use operations::OwnedItem;
pub use paginate::{Cursor, Page, PaginationError, Paginator, ScannedPage};
pub use resilience::{RateLimit, RetryPolicy};
pub use scans::{PageFetcher, PageFuture, Scan, ScanError};
pub use secret::{CloudCredential, Secret};

pub use roblox_inventory_cloud_v2 as cloud_v2;
pub use roblox_inventory_cloud_v2::types::{InstanceState, InventoryItemAssetType};
pub use roblox_inventory_core::{ParseEnumError, Timestamp, UnknownValue};
pub use roblox_inventory_legacy_v1 as legacy_v1;
pub use roblox_inventory_legacy_v1::types::ItemType;
pub use roblox_inventory_legacy_v2 as legacy_v2;
/// Roblox's legacy asset types (the legacy v2 crate's; [`legacy_v1_to_v2_asset_type`] converts v1's).
pub use roblox_inventory_legacy_v2::types::AssetType;
