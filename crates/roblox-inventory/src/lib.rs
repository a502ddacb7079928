#![doc = include_str!("../README.md")]

mod asset_types;
mod client;
mod error;
mod filter;
mod ids;
mod items;
mod operations;
mod scans;
mod send;

pub use asset_types::{asset_type_pairs, cloud_to_legacy, legacy_to_cloud};
pub use client::{Client, ClientBuilder, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RESPONSE_BYTES};
pub use error::{
    ApiError, BudgetError, ConfigError, Error, ErrorCode, ErrorEntry, ErrorKind, InvalidRequest,
    RequestLine,
};
pub use filter::{
    AssetTypeSelection, FilterError, IdFilter, IdFilterBuilder, InventoryFilter, TypeFilter,
    TypeFilterBuilder,
};
pub use ids::{
    AssetId, AssetInstanceId, BadgeId, BundleId, GamePassId, ParseIdError, PrivateServerId,
};
pub use items::{
    AssetItem, Collectible, InventoryItem, ItemConversionError, ItemDetails, UnknownItem,
};
pub use operations::OwnedItem;
pub use scans::ScanError;
pub use send::{
    Admission, Budget, BudgetFuture, BudgetKey, BudgetStore, CloudCredential, InProcessBudget,
    Observation, RateLimit, RetryPolicy, Secret, ServerLimit, ServerQuota, Transport, WAIT_TARGET,
};

pub use roblox_inventory_cloud_v2 as cloud_v2;
pub use roblox_inventory_cloud_v2::types::{InstanceState, InventoryItemAssetType};
pub use roblox_inventory_core::{
    Cursor, Execute, InvalidCursor, Operation, Page, PagedRequest, PaginationError, ParseEnumError,
    Request, Scan, ScannedPage, Timestamp, UnknownValue,
};
/// Roblox's legacy asset types, one type for both legacy APIs.
pub use roblox_inventory_legacy_types::AssetType;
pub use roblox_inventory_legacy_v1 as legacy_v1;
pub use roblox_inventory_legacy_v1::types::ItemType;
pub use roblox_inventory_legacy_v2 as legacy_v2;
