//! The facade's one-call operations: ownership, visibility, and the legacy mutations, each the generated request
//! sent through [`Client::send`].

use crate::client::Client;
use crate::error::{Error, InvalidRequest};
use crate::ids::{AssetId, BadgeId, BundleId, GamePassId};
use roblox_inventory_legacy_v1::types::{
    AssetsExplorerCategoryModel, CollectionItemType, IItemModel, ItemType,
};

/// Something a user can own, for [`Client::owns`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OwnedItem {
    /// An asset (a hat, a face, a place...), by asset id.
    Asset(AssetId),
    /// A game pass, by game pass id.
    GamePass(GamePassId),
    /// A badge, by badge id.
    Badge(BadgeId),
    /// A bundle, by bundle id.
    Bundle(BundleId),
}

impl OwnedItem {
    fn parts(self) -> (ItemType, CollectionItemType, u64) {
        match self {
            OwnedItem::Asset(id) => (ItemType::Asset, CollectionItemType::Asset, id.get()),
            OwnedItem::GamePass(id) => (ItemType::GamePass, CollectionItemType::GamePass, id.get()),
            OwnedItem::Badge(id) => (ItemType::Badge, CollectionItemType::Badge, id.get()),
            OwnedItem::Bundle(id) => (ItemType::Bundle, CollectionItemType::Bundle, id.get()),
        }
    }
}

/// Roblox's ids are positive and fit in an `i64`, which the generated clients take: a larger one is refused
/// before anything is sent, naming the parameter.
pub(crate) fn id(field: &'static str, value: u64) -> Result<i64, InvalidRequest> {
    i64::try_from(value).map_err(|_| InvalidRequest::IdOutOfRange { field, value })
}

impl Client {
    /// Whether this caller may see `user_id`'s inventory (`GET /v1/users/{userId}/can-view-inventory`).
    pub async fn can_view_inventory(&self, user_id: u64) -> Result<bool, Error> {
        let request = self
            .legacy_v1()
            .can_view_inventory()
            .user_id(id("user_id", user_id)?);
        let body = self.send(request).await?;
        Ok(body.can_view.unwrap_or(false))
    }

    /// Whether `user_id` owns `item` (`GET /v1/users/{userId}/items/{itemType}/{itemTargetId}/is-owned`).
    pub async fn owns(&self, user_id: u64, item: OwnedItem) -> Result<bool, Error> {
        let (item_type, _, target) = item.parts();
        let request = self
            .legacy_v1()
            .is_item_owned()
            .user_id(id("user_id", user_id)?)
            .item_type(item_type)
            .item_target_id(id("item id", target)?);
        self.send(request).await
    }

    /// The copies of `item` that `user_id` owns (`GET /v1/users/{userId}/items/{itemType}/{itemTargetId}`): one
    /// entry per copy, with its instance id where the item has instances.
    pub async fn item_instances(
        &self,
        user_id: u64,
        item: OwnedItem,
    ) -> Result<Vec<IItemModel>, Error> {
        let (item_type, _, target) = item.parts();
        let request = self
            .legacy_v1()
            .list_user_item_instances()
            .user_id(id("user_id", user_id)?)
            .item_type(item_type)
            .item_target_id(id("item id", target)?);
        Ok(self.send(request).await?.data)
    }

    /// The categories of `user_id`'s inventory page (`GET /v1/users/{userId}/categories`), each with the asset
    /// types or other kinds of item it groups.
    pub async fn categories(
        &self,
        user_id: u64,
    ) -> Result<Vec<AssetsExplorerCategoryModel>, Error> {
        let request = self
            .legacy_v1()
            .get_user_categories()
            .user_id(id("user_id", user_id)?);
        Ok(self.send(request).await?.categories)
    }

    /// The categories of `user_id`'s favorites page (`GET /v1/users/{userId}/categories/favorites`).
    pub async fn favorite_categories(
        &self,
        user_id: u64,
    ) -> Result<Vec<AssetsExplorerCategoryModel>, Error> {
        let request = self
            .legacy_v1()
            .get_user_favorite_categories()
            .user_id(id("user_id", user_id)?);
        Ok(self.send(request).await?.categories)
    }

    /// The ids of the assets in a package (`GET /v1/packages/{packageId}/assets`, which Roblox marks
    /// deprecated).
    pub async fn package_assets(&self, package_id: AssetId) -> Result<Vec<i64>, Error> {
        let request = self
            .legacy_v1()
            .list_package_assets()
            .package_id(id("package_id", package_id.get())?);
        Ok(self.send(request).await?.asset_ids)
    }

    /// Gives up an asset the cookie's user owns (`DELETE /v2/inventory/asset/{assetId}`; needs the cookie, and
    /// handles the CSRF token).
    pub async fn delete_inventory_asset(&self, asset_id: AssetId) -> Result<(), Error> {
        let request = self
            .legacy_v2()
            .delete_inventory_asset()
            .asset_id(id("asset_id", asset_id.get())?);
        self.send(request).await.map(drop)
    }

    /// Adds an item to the cookie's user's collection (`POST /v1/collections/items/{itemType}/{itemTargetId}`).
    pub async fn add_to_collection(&self, item: OwnedItem) -> Result<(), Error> {
        let (_, item_type, target) = item.parts();
        let request = self
            .legacy_v1()
            .add_item_to_collection()
            .item_type(item_type)
            .item_target_id(id("item id", target)?);
        self.send(request).await.map(drop)
    }

    /// Removes an item from the cookie's user's collection
    /// (`DELETE /v1/collections/items/{itemType}/{itemTargetId}`).
    pub async fn remove_from_collection(&self, item: OwnedItem) -> Result<(), Error> {
        let (_, item_type, target) = item.parts();
        let request = self
            .legacy_v1()
            .remove_item_from_collection()
            .item_type(item_type)
            .item_target_id(id("item id", target)?);
        self.send(request).await.map(drop)
    }
}
