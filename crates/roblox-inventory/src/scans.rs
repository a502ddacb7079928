//! Every paged operation as a [`Scan`]: the generated request with the facade's parameters, paged by the one
//! generic path of `roblox-inventory-core` (the generated `PagedRequest` of each operation knows its cursor,
//! page size and fields), with its errors turned into [`Error`] and its items into the facade's types.

use std::marker::PhantomData;
use std::sync::Arc;

use futures_core::Stream;
use futures_util::StreamExt;
use roblox_inventory_core::{Page, PagedRequest, PaginationError, Request, ScannedPage};

use crate::error::{Error, GeneratedError, InvalidRequest, RequestLine};
use crate::filter::InventoryFilter;
use crate::ids::AssetId;
use crate::items::InventoryItem;
use crate::operations::id;
use crate::{AssetType, Client, cloud_v2, legacy_v1, legacy_v2};

impl<R: ScanRequest> Scan<R, R::Item> {
    /// A scan of any paged request of the generated crates, its errors made the facade's [`Error`]: the one
    /// generic path every paged method of [`Client`] takes. A request from a generated client the facade did not
    /// make (or an operation the facade has no method for) pages the same way.
    pub fn of(request: R) -> Self {
        Self::new(request, None)
    }
}

/// What a scan's streams yield on failure.
pub type ScanError<C = String> = PaginationError<Error, C>;

/// A generated paged request the facade can scan: the bounds of [`Scan`] in one name, met by every paged
/// request of the generated crates.
pub trait ScanRequest:
    PagedRequest<Error: GeneratedError, Item: Send, Cursor: Send, Output: Send> + Sync
{
}

impl<R> ScanRequest for R where
    R: PagedRequest<Error: GeneratedError, Item: Send, Cursor: Send, Output: Send> + Sync
{
}

/// How the generated items of a page become the items a scan yields: unchanged, or (Open Cloud's) into the
/// facade's [`InventoryItem`]. A page is converted as it arrives, in place where the types allow, so that the
/// scan's item stream hands out its items without a conversion step of its own.
pub trait IntoItems<T>: Sized {
    /// A page's items as `T`.
    fn into_items(items: Vec<Self>) -> Vec<T>;
}

impl<T> IntoItems<T> for T {
    fn into_items(items: Vec<T>) -> Vec<T> {
        items
    }
}

impl IntoItems<InventoryItem> for cloud_v2::types::InventoryItem {
    fn into_items(items: Vec<Self>) -> Vec<InventoryItem> {
        items.into_iter().map(InventoryItem::from).collect()
    }
}

/// A paged operation, ready to run: [`items`](Self::items) or [`pages`](Self::pages), after
/// [`max_items`](Self::max_items), [`max_pages`](Self::max_pages) or [`start_from`](Self::start_from) if wanted.
///
/// `R` is the generated request of the operation, `T` the item the scan yields. A scan borrows the client it was
/// made from.
pub struct Scan<R: ScanRequest<Item: IntoItems<T>>, T> {
    inner: roblox_inventory_core::Scan<Checked<R, T>>,
}

impl<R: ScanRequest<Item: IntoItems<T>>, T> Scan<R, T> {
    /// A scan of `request`; with `refused`, a scan whose first page fails with that error without sending
    /// anything (a parameter the caller gave cannot be sent).
    fn new(request: R, refused: Option<InvalidRequest>) -> Self {
        // The path does not change from page to page (the cursor is in the query): named once, for errors.
        let line = Arc::new(RequestLine::of(&request));
        Self {
            inner: roblox_inventory_core::Scan::new(Checked {
                request,
                line,
                refused,
                items: PhantomData,
            }),
        }
    }

    /// Starts the scan at a saved cursor ([`ScannedPage::next`], or [`PaginationError::Fetch`]'s `resume_from`)
    /// instead of the first page. `None`, or an end cursor such as `""`, starts from the first page.
    pub fn start_from(self, cursor: impl Into<Option<R::Cursor>>) -> Self {
        Self {
            inner: self.inner.start_from(cursor),
        }
    }

    /// Yields at most `count` items, cutting the page that reaches the cap short, and fetches no page after it.
    pub fn max_items(self, count: usize) -> Self {
        Self {
            inner: self.inner.max_items(count),
        }
    }

    /// Fetches at most `count` pages (empty pages count).
    pub fn max_pages(self, count: usize) -> Self {
        Self {
            inner: self.inner.max_pages(count),
        }
    }

    /// The same scan, yielding each item as the generated crate decodes it (the shape Roblox sends) instead of
    /// converting it: for a caller that only passes the items on, such as a tool that prints them as JSON.
    pub fn wire_items(self) -> Scan<R, R::Item> {
        Scan {
            inner: self.inner.map_request(|checked| Checked::<R, R::Item> {
                request: checked.request,
                line: checked.line,
                refused: checked.refused,
                items: PhantomData,
            }),
        }
    }

    /// The pages of the scan, each with the cursor that fetched it and the cursor to resume from.
    pub fn pages(
        self,
    ) -> impl Stream<Item = Result<ScannedPage<T, R::Cursor>, ScanError<R::Cursor>>> + Unpin {
        self.inner.pages()
    }

    /// The items of the scan, page after page; a page is fetched only once the items before it are consumed.
    pub fn items(self) -> impl Stream<Item = Result<T, ScanError<R::Cursor>>> + Unpin {
        self.inner.items()
    }
}

/// A generated paged request whose errors become [`Error`] and whose items become `T`.
struct Checked<R, T> {
    request: R,
    line: Arc<RequestLine>,
    refused: Option<InvalidRequest>,
    items: PhantomData<fn() -> T>,
}

// Not derived: a derive would ask `T: Clone`, and `T` is only what the pages become.
impl<R: Clone, T> Clone for Checked<R, T> {
    fn clone(&self) -> Self {
        Self {
            request: self.request.clone(),
            line: Arc::clone(&self.line),
            refused: self.refused.clone(),
            items: PhantomData,
        }
    }
}

impl<R: ScanRequest, T> Request for Checked<R, T> {
    type Output = R::Output;
    type Error = Error;

    const OPERATION: &'static roblox_inventory_core::Operation = R::OPERATION;

    fn path(&self) -> String {
        self.request.path()
    }

    async fn call(self) -> Result<R::Output, Error> {
        if let Some(refused) = self.refused {
            return Err(Error::InvalidRequest(refused));
        }
        match self.request.call().await {
            Ok(output) => Ok(output),
            Err(error) => Err(error.into_error((*self.line).clone()).await),
        }
    }
}

impl<R: ScanRequest<Item: IntoItems<T>>, T> PagedRequest for Checked<R, T> {
    type Item = T;
    type Cursor = R::Cursor;

    async fn page(self, cursor: Option<R::Cursor>) -> Result<Page<T, R::Cursor>, Error> {
        if let Some(refused) = self.refused {
            return Err(Error::InvalidRequest(refused));
        }
        match self.request.page(cursor).await {
            Ok(page) => Ok(Page {
                items: IntoItems::into_items(page.items),
                next: page.next,
            }),
            Err(error) => Err(error.into_error((*self.line).clone()).await),
        }
    }
}

impl Client {
    /// Every Open Cloud inventory item of `user_id` that `filter` selects
    /// (`GET /cloud/v2/users/{user_id}/inventory-items`, 100 per page).
    ///
    /// ```no_run
    /// # async fn run(client: roblox_inventory::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures_util::TryStreamExt;
    /// use roblox_inventory::InventoryFilter;
    ///
    /// let items: Vec<_> = client.inventory_items(156, &InventoryFilter::everything()).items().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn inventory_items(
        &self,
        user_id: u64,
        filter: &InventoryFilter,
    ) -> Scan<cloud_v2::builder::ListInventoryItems<'_>, InventoryItem> {
        let mut request = self
            .cloud_v2()
            .list_inventory_items()
            .user_id(user_id.to_string());
        if let Some(filter) = filter.to_query_value() {
            request = request.filter(filter);
        }
        Scan::new(request, None)
    }

    /// `user_id`'s items of one legacy asset type (`GET /v2/users/{userId}/inventory/{assetTypeId}`, 100 per
    /// page).
    pub fn user_inventory_by_type(
        &self,
        user_id: u64,
        asset_type: AssetType,
    ) -> Scan<
        legacy_v2::builder::ListUserInventoryByAssetType<'_>,
        legacy_v2::types::InventoryItemModel,
    > {
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
        Scan::new(request, refused)
    }

    /// `user_id`'s items of several legacy asset types in one scan (`GET /v2/users/{userId}/inventory`, 100
    /// per page).
    pub fn user_inventory(
        &self,
        user_id: u64,
        asset_types: impl IntoIterator<Item = AssetType>,
    ) -> Scan<legacy_v2::builder::ListUserInventory<'_>, legacy_v2::types::UserAssetItemModelV2>
    {
        let asset_types: Vec<AssetType> = asset_types.into_iter().collect();
        let request = self
            .legacy_v2()
            .list_user_inventory()
            .user_id(user_id)
            .asset_types(asset_types);
        Scan::new(request, id("user_id", user_id).err())
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
    ) -> Scan<
        legacy_v1::builder::ListUserCollectibles<'_>,
        legacy_v1::types::CollectibleUserAssetModel,
    > {
        let mut request = self.legacy_v1().list_user_collectibles().user_id(user_id);
        if let Some(asset_type) = asset_type {
            request = request.asset_type(asset_type);
        }
        Scan::new(request, id("user_id", user_id).err())
    }

    /// The owners of an asset (`GET /v2/assets/{assetId}/owners`, 100 per page).
    pub fn asset_owners(
        &self,
        asset_id: AssetId,
    ) -> Scan<legacy_v2::builder::ListAssetOwners<'_>, legacy_v2::types::AssetOwnerResponse> {
        let request = self
            .legacy_v2()
            .list_asset_owners()
            .asset_id(asset_id.get());
        Scan::new(request, id("asset_id", asset_id.get()).err())
    }

    /// The owners of a collectible item, by its UUID (`GET /v2/collectible-items/{collectibleItemId}/owners`;
    /// needs the cookie; 100 per page, as no larger size is documented).
    pub fn collectible_item_owners(
        &self,
        collectible_item_id: impl Into<String>,
    ) -> Scan<
        legacy_v2::builder::ListCollectibleItemOwners<'_>,
        legacy_v2::types::CollectibleItemOwnerResponse,
    > {
        let request = self
            .legacy_v2()
            .list_collectible_item_owners()
            .collectible_item_id(collectible_item_id.into());
        Scan::new(request, None)
    }

    /// `user_id`'s places (`GET /v1/users/{userId}/places/inventory`). This endpoint pages with an integer
    /// cursor; the first page is cursor 0, and 100 places are asked for per page.
    pub fn places(
        &self,
        user_id: u64,
        tab: legacy_v1::types::PlacesTab,
    ) -> Scan<legacy_v1::builder::ListUserPlaces<'_>, legacy_v1::types::PlaceModel> {
        let request = self
            .legacy_v1()
            .list_user_places()
            .user_id(user_id)
            .places_tab(tab);
        Scan::new(request, id("user_id", user_id).err())
    }
}
