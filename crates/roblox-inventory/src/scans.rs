//! Every paged operation of the facade: the generated request with the facade's parameters, as a [`Scan`] sent
//! through the transport of its host (see [`Client::scan`]), which pages any generated paged request the same
//! way.

use futures_core::Stream;
use futures_util::StreamExt;
use roblox_inventory_core::{PagedRequest, PaginationError, Scan};

use crate::client::Client;
use crate::error::{Error, InvalidRequest};
use crate::filter::InventoryFilter;
use crate::ids::AssetId;
use crate::operations::id;
use crate::send::Transport;
use roblox_inventory_cloud_v2 as cloud_v2;
use roblox_inventory_legacy_types::AssetType;
use roblox_inventory_legacy_v1 as legacy_v1;
use roblox_inventory_legacy_v2 as legacy_v2;

/// What a scan's streams yield on failure.
pub type ScanError<C = String> = PaginationError<Error, C>;

impl Client {
    /// A scan of `request` that sends nothing and fails on its first page with `refused`, if there is such an
    /// error (a parameter the caller gave that cannot be sent), and otherwise [`Client::scan`].
    fn scan_checked<R: PagedRequest>(
        &self,
        request: R,
        refused: Option<InvalidRequest>,
    ) -> Scan<R, &Transport> {
        match refused {
            Some(refused) => Scan::refused(request, self.transport_of::<R>(), refused.into()),
            None => self.scan(request),
        }
    }

    /// Every Open Cloud inventory item of `user_id` that `filter` selects
    /// (`GET /cloud/v2/users/{user_id}/inventory-items`, 100 per page), as Roblox sends them; map them into the
    /// facade's [`InventoryItem`](crate::InventoryItem) (details as one enum, ids as numbers) where you want that.
    ///
    /// ```no_run
    /// # async fn run(client: roblox_inventory::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures_util::TryStreamExt;
    /// use roblox_inventory::{InventoryFilter, InventoryItem};
    ///
    /// let items: Vec<InventoryItem> = client
    ///     .inventory_items(156, &InventoryFilter::everything())
    ///     .items()
    ///     .map_ok(InventoryItem::from)
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn inventory_items(
        &self,
        user_id: u64,
        filter: &InventoryFilter,
    ) -> Scan<cloud_v2::builder::ListInventoryItems<'_>, &Transport> {
        let mut request = self
            .cloud_v2()
            .list_inventory_items()
            .user_id(user_id.to_string());
        if let Some(filter) = filter.to_query_value() {
            request = request.filter(filter);
        }
        self.scan(request)
    }

    /// `user_id`'s items of one legacy asset type (`GET /v2/users/{userId}/inventory/{assetTypeId}`, 100 per
    /// page).
    pub fn user_inventory_by_type(
        &self,
        user_id: u64,
        asset_type: AssetType,
    ) -> Scan<legacy_v2::builder::ListUserInventoryByAssetType<'_>, &Transport> {
        let asset_type_id = asset_type.id().and_then(|id| i32::try_from(id).ok());
        let refused = match asset_type_id {
            None => Some(InvalidRequest::AssetTypeWithoutId { asset_type }),
            Some(_) => id("user_id", user_id).err(),
        };
        let request = self
            .legacy_v2()
            .list_user_inventory_by_asset_type()
            .user_id(user_id)
            .asset_type_id(asset_type_id.unwrap_or_default());
        self.scan_checked(request, refused)
    }

    /// `user_id`'s items of several legacy asset types in one scan (`GET /v2/users/{userId}/inventory`, 100
    /// per page).
    pub fn user_inventory(
        &self,
        user_id: u64,
        asset_types: impl IntoIterator<Item = AssetType>,
    ) -> Scan<legacy_v2::builder::ListUserInventory<'_>, &Transport> {
        let asset_types: Vec<AssetType> = asset_types.into_iter().collect();
        let request = self
            .legacy_v2()
            .list_user_inventory()
            .user_id(user_id)
            .asset_types(asset_types);
        self.scan_checked(request, id("user_id", user_id).err())
    }

    /// Scans several asset types of one user concurrently, one legacy scan per type, items tagged with their
    /// type and yielded as they arrive.
    pub fn scan_asset_types(
        &self,
        user_id: u64,
        asset_types: impl IntoIterator<Item = AssetType>,
    ) -> impl Stream<Item = Result<(AssetType, legacy_v2::types::InventoryItemModel), ScanError>>
    + Send
    + '_ {
        let streams = asset_types.into_iter().map(|asset_type| {
            let tag = asset_type.clone();
            self.user_inventory_by_type(user_id, asset_type)
                .items()
                .map(move |item| item.map(|item| (tag.clone(), item)))
                .boxed()
        });
        futures_util::stream::select_all(streams)
    }

    /// `user_id`'s collectibles (limiteds), optionally of one asset type
    /// (`GET /v1/users/{userId}/assets/collectibles`, 100 per page).
    pub fn collectibles(
        &self,
        user_id: u64,
        asset_type: Option<AssetType>,
    ) -> Scan<legacy_v1::builder::ListUserCollectibles<'_>, &Transport> {
        let mut request = self.legacy_v1().list_user_collectibles().user_id(user_id);
        if let Some(asset_type) = asset_type {
            request = request.asset_type(asset_type);
        }
        self.scan_checked(request, id("user_id", user_id).err())
    }

    /// The owners of an asset (`GET /v2/assets/{assetId}/owners`, 100 per page).
    pub fn asset_owners(
        &self,
        asset_id: AssetId,
    ) -> Scan<legacy_v2::builder::ListAssetOwners<'_>, &Transport> {
        let request = self
            .legacy_v2()
            .list_asset_owners()
            .asset_id(asset_id.get());
        self.scan_checked(request, id("asset_id", asset_id.get()).err())
    }

    /// The owners of a collectible item, by its UUID (`GET /v2/collectible-items/{collectibleItemId}/owners`;
    /// needs the cookie; 100 per page, as no larger size is documented).
    pub fn collectible_item_owners(
        &self,
        collectible_item_id: impl Into<String>,
    ) -> Scan<legacy_v2::builder::ListCollectibleItemOwners<'_>, &Transport> {
        let request = self
            .legacy_v2()
            .list_collectible_item_owners()
            .collectible_item_id(collectible_item_id.into());
        self.scan(request)
    }

    /// `user_id`'s places (`GET /v1/users/{userId}/places/inventory`). This endpoint pages with an integer
    /// cursor; the first page is cursor 0, and 100 places are asked for per page.
    pub fn places(
        &self,
        user_id: u64,
        tab: legacy_v1::types::PlacesTab,
    ) -> Scan<legacy_v1::builder::ListUserPlaces<'_>, &Transport> {
        let request = self
            .legacy_v1()
            .list_user_places()
            .user_id(user_id)
            .places_tab(tab);
        self.scan_checked(request, id("user_id", user_id).err())
    }
}
