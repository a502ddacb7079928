#![doc = include_str!("../README.md")]

mod asset_types;
mod budget;
mod client;
mod error;
mod filter;
mod ids;
mod items;
mod operations;
mod refusal;
mod resilience;
mod scans;
mod secret;
mod transport;

pub use asset_types::{asset_type_pairs, cloud_to_legacy, legacy_to_cloud};
pub use budget::{
    Admission, Budget, BudgetError, BudgetFuture, BudgetKey, BudgetStore, InProcessBudget,
    Observation, ServerLimit, ServerQuota,
};
pub use client::{Client, ClientBuilder, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RESPONSE_BYTES};
pub use error::{
    ApiError, ConfigError, Error, ErrorBody, ErrorCode, ErrorEntry, ErrorKind, GeneratedError,
    InvalidRequest, RequestLine,
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
pub use resilience::{RateLimit, RetryPolicy, WAIT_TARGET};
pub use scans::{IntoItems, Scan, ScanError, ScanRequest};
pub use secret::{CloudCredential, Secret};

pub use roblox_inventory_cloud_v2 as cloud_v2;
pub use roblox_inventory_cloud_v2::types::{InstanceState, InventoryItemAssetType};
pub use roblox_inventory_core::{
    Cursor, Operation, Page, PagedRequest, PaginationError, Paginator, ParseEnumError, Request,
    ScannedPage, Timestamp, UnknownValue,
};
/// Roblox's legacy asset types, one type for both legacy APIs.
pub use roblox_inventory_legacy_types::AssetType;
pub use roblox_inventory_legacy_v1 as legacy_v1;
pub use roblox_inventory_legacy_v1::types::ItemType;
pub use roblox_inventory_legacy_v2 as legacy_v2;
