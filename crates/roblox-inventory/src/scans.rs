//! Every paged operation as a [`Scan`]: a [`Paginator`] already wired to its endpoint, with the largest page
//! size the endpoint allows and every query parameter the same on every page.

use std::future::Future;
use std::pin::Pin;

use futures_core::Stream;
use futures_util::StreamExt;
use reqwest::Method;

use crate::error::Error;
use crate::filter::InventoryFilter;
use crate::items::InventoryItem;
use crate::operations::{call, id, line};
use crate::paginate::{Cursor, Page, PaginationError, Paginator};
use crate::{Client, legacy_v1, legacy_v2};

/// One page request of a [`Scan`].
pub type PageFuture<T, C> = Pin<Box<dyn Future<Output = Result<Page<T, C>, Error>> + Send>>;

/// The page fetcher of a [`Scan`].
pub type PageFetcher<T, C> = Box<dyn FnMut(Option<C>) -> PageFuture<T, C> + Send>;

/// A paged operation, ready to run: `.items()` or `.pages()`, after `.max_items(n)`, `.max_pages(n)` or
/// `.start_from(cursor)` if wanted.
pub type Scan<T, C = String> = Paginator<PageFetcher<T, C>, C>;

/// What a scan's streams yield on failure.
pub type ScanError<C = String> = PaginationError<Error, C>;

fn scan<T, C, Fut>(mut fetch: impl FnMut(Option<C>) -> Fut + Send + 'static) -> Scan<T, C>
where
    C: Cursor,
    Fut: Future<Output = Result<Page<T, C>, Error>> + Send + 'static,
{
    let fetcher: PageFetcher<T, C> = Box::new(move |cursor| Box::pin(fetch(cursor)));
    Paginator::new(fetcher)
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
    pub fn inventory_items(&self, user_id: u64, filter: &InventoryFilter) -> Scan<InventoryItem> {
        let client = self.clone();
        let filter = filter.to_query_value();
        scan(move |token: Option<String>| {
            let client = client.clone();
            let filter = filter.clone();
            async move {
                let mut request = client
                    .cloud_v2()
                    .list_inventory_items()
                    .user_id(user_id.to_string())
                    .max_page_size(100);
                if let Some(filter) = filter {
                    request = request.filter(filter);
                }
                if let Some(token) = token {
                    request = request.page_token(token);
                }
                let path = format!("/cloud/v2/users/{user_id}/inventory-items");
                let page = call(line(Method::GET, path), request.send()).await?;
                Ok(Page {
                    items: page
                        .inventory_items
                        .into_iter()
                        .map(InventoryItem::from)
                        .collect(),
                    next: page.next_page_token,
                })
            }
        })
    }

    /// `user_id`'s items of one legacy asset type (`GET /v2/users/{userId}/inventory/{assetTypeId}`, 100 per
    /// page).
    pub fn user_inventory_by_type(
        &self,
        user_id: u64,
        asset_type: legacy_v2::types::AssetType,
    ) -> Scan<legacy_v2::types::InventoryItemModel> {
        let client = self.clone();
        scan(move |cursor: Option<String>| {
            let client = client.clone();
            let asset_type = asset_type.clone();
            async move {
                let asset_type_id = asset_type
                    .id()
                    .and_then(|id| i32::try_from(id).ok())
                    .ok_or_else(|| {
                        Error::InvalidRequest(format!("asset type {asset_type} has no id"))
                    })?;
                let mut request = client
                    .legacy_v2()
                    .list_user_inventory_by_asset_type()
                    .user_id(id("user_id", user_id)?)
                    .asset_type_id(asset_type_id)
                    .limit(legacy_v2::types::PageLimit::OneHundred);
                if let Some(cursor) = cursor {
                    request = request.cursor(cursor);
                }
                let path = format!("/v2/users/{user_id}/inventory/{asset_type_id}");
                let page = call(line(Method::GET, path), request.send()).await?;
                Ok(Page {
                    items: page.data,
                    next: page.next_page_cursor,
                })
            }
        })
    }

    /// `user_id`'s items of several legacy asset types in one scan (`GET /v2/users/{userId}/inventory`, 100
    /// per page).
    pub fn user_inventory(
        &self,
        user_id: u64,
        asset_types: impl IntoIterator<Item = legacy_v2::types::AssetType>,
    ) -> Scan<legacy_v2::types::UserAssetItemModelV2> {
        let client = self.clone();
        let asset_types: Vec<_> = asset_types.into_iter().collect();
        scan(move |cursor: Option<String>| {
            let client = client.clone();
            let asset_types = asset_types.clone();
            async move {
                let mut request = client
                    .legacy_v2()
                    .list_user_inventory()
                    .user_id(id("user_id", user_id)?)
                    .asset_types(asset_types)
                    .limit(legacy_v2::types::PageLimit::OneHundred);
                if let Some(cursor) = cursor {
                    request = request.cursor(cursor);
                }
                let path = format!("/v2/users/{user_id}/inventory");
                let page = call(line(Method::GET, path), request.send()).await?;
                Ok(Page {
                    items: page.data,
                    next: page.next_page_cursor,
                })
            }
        })
    }

    /// Scans several asset types of one user concurrently, one legacy scan per type, items tagged with their
    /// type and yielded as they arrive.
    pub fn scan_asset_types(
        &self,
        user_id: u64,
        asset_types: impl IntoIterator<Item = legacy_v2::types::AssetType>,
    ) -> impl Stream<
        Item = Result<
            (
                legacy_v2::types::AssetType,
                legacy_v2::types::InventoryItemModel,
            ),
            ScanError,
        >,
    > + Send
    + 'static {
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
        asset_type: Option<legacy_v1::types::AssetType>,
    ) -> Scan<legacy_v1::types::CollectibleUserAssetModel> {
        let client = self.clone();
        scan(move |cursor: Option<String>| {
            let client = client.clone();
            let asset_type = asset_type.clone();
            async move {
                let mut request = client
                    .legacy_v1()
                    .list_user_collectibles()
                    .user_id(id("user_id", user_id)?)
                    .limit(legacy_v1::types::PageLimit::OneHundred);
                if let Some(asset_type) = asset_type {
                    request = request.asset_type(asset_type);
                }
                if let Some(cursor) = cursor {
                    request = request.cursor(cursor);
                }
                let path = format!("/v1/users/{user_id}/assets/collectibles");
                let page = call(line(Method::GET, path), request.send()).await?;
                Ok(Page {
                    items: page.data,
                    next: page.next_page_cursor,
                })
            }
        })
    }

    /// The owners of an asset (`GET /v2/assets/{assetId}/owners`, 100 per page).
    pub fn asset_owners(&self, asset_id: u64) -> Scan<legacy_v2::types::AssetOwnerResponse> {
        let client = self.clone();
        scan(move |cursor: Option<String>| {
            let client = client.clone();
            async move {
                let mut request = client
                    .legacy_v2()
                    .list_asset_owners()
                    .asset_id(id("asset_id", asset_id)?)
                    .limit(legacy_v2::types::PageLimit::OneHundred);
                if let Some(cursor) = cursor {
                    request = request.cursor(cursor);
                }
                let path = format!("/v2/assets/{asset_id}/owners");
                let page = call(line(Method::GET, path), request.send()).await?;
                Ok(Page {
                    items: page.data,
                    next: page.next_page_cursor,
                })
            }
        })
    }

    /// The owners of a collectible item, by its UUID (`GET /v2/collectible-items/{collectibleItemId}/owners`;
    /// needs the cookie; 100 per page, as no larger size is documented).
    pub fn collectible_item_owners(
        &self,
        collectible_item_id: impl Into<String>,
    ) -> Scan<legacy_v2::types::CollectibleItemOwnerResponse> {
        let client = self.clone();
        let item = collectible_item_id.into();
        scan(move |cursor: Option<String>| {
            let client = client.clone();
            let item = item.clone();
            async move {
                let path = format!("/v2/collectible-items/{item}/owners");
                let mut request = client
                    .legacy_v2()
                    .list_collectible_item_owners()
                    .collectible_item_id(item)
                    .limit(100);
                if let Some(cursor) = cursor {
                    request = request.cursor(cursor);
                }
                let page = call(line(Method::GET, path), request.send()).await?;
                Ok(Page {
                    items: page.data,
                    next: page.next_page_cursor,
                })
            }
        })
    }

    /// `user_id`'s places (`GET /v1/users/{userId}/places/inventory`). This endpoint pages with an integer
    /// cursor; the first page is cursor 0, and 100 places are asked for per page.
    pub fn places(
        &self,
        user_id: u64,
        tab: legacy_v1::types::PlacesTab,
    ) -> Scan<legacy_v1::types::PlaceModel, i32> {
        let client = self.clone();
        scan(move |cursor: Option<i32>| {
            let client = client.clone();
            let tab = tab.clone();
            async move {
                let path = format!("/v1/users/{user_id}/places/inventory");
                let request = client
                    .legacy_v1()
                    .list_user_places()
                    .user_id(id("user_id", user_id)?)
                    .places_tab(tab)
                    .items_per_page(100)
                    .cursor(cursor.unwrap_or(0));
                let page = call(line(Method::GET, path.clone()), request.send()).await?;
                let next = match page.next_page_cursor.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(text) => Some(text.parse::<i32>().map_err(|_| {
                        Error::InvalidRequest(format!(
                            "GET {path}: nextPageCursor {text:?} is not the integer this endpoint pages with"
                        ))
                    })?),
                };
                Ok(Page {
                    items: page.data,
                    next,
                })
            }
        })
    }
}
