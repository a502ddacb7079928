//! The facade's one-call operations: ownership, visibility, and the legacy mutations.

use std::future::Future;

use progenitor_client::ResponseValue;
use reqwest::Method;

use crate::Client;
use crate::error::{Error, ErrorBody, RequestLine, from_generated};
use crate::legacy_v1::types::{CollectionItemType, ItemType};

/// Something a user can own, for [`Client::owns`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OwnedItem {
    /// An asset (a hat, a face, a place...), by asset id.
    Asset(u64),
    /// A game pass, by game pass id.
    GamePass(u64),
    /// A badge, by badge id.
    Badge(u64),
    /// A bundle, by bundle id.
    Bundle(u64),
}

impl OwnedItem {
    fn parts(self) -> (ItemType, CollectionItemType, u64) {
        match self {
            OwnedItem::Asset(id) => (ItemType::Asset, CollectionItemType::Asset, id),
            OwnedItem::GamePass(id) => (ItemType::GamePass, CollectionItemType::GamePass, id),
            OwnedItem::Badge(id) => (ItemType::Badge, CollectionItemType::Badge, id),
            OwnedItem::Bundle(id) => (ItemType::Bundle, CollectionItemType::Bundle, id),
        }
    }
}

/// Roblox's ids are positive and fit in an `i64`; the generated clients take `i64`.
pub(crate) fn id(field: &str, value: u64) -> Result<i64, Error> {
    i64::try_from(value).map_err(|_| {
        Error::InvalidRequest(format!(
            "{field} {value} is out of range (at most {})",
            i64::MAX
        ))
    })
}

pub(crate) fn line(method: Method, path: String) -> RequestLine {
    RequestLine { method, path }
}

/// Awaits a generated call and converts its error for `request`.
pub(crate) async fn call<T, E: ErrorBody>(
    request: RequestLine,
    response: impl Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
) -> Result<T, Error> {
    match response.await {
        Ok(value) => Ok(value.into_inner()),
        Err(error) => Err(from_generated(error, request).await),
    }
}

impl Client {
    /// Whether this caller may see `user_id`'s inventory (`GET /v1/users/{userId}/can-view-inventory`).
    pub async fn can_view_inventory(&self, user_id: u64) -> Result<bool, Error> {
        let path = format!("/v1/users/{user_id}/can-view-inventory");
        let request = self
            .legacy_v1()
            .can_view_inventory()
            .user_id(id("user_id", user_id)?);
        let body = call(line(Method::GET, path), request.send()).await?;
        Ok(body.can_view.unwrap_or(false))
    }

    /// Whether `user_id` owns `item` (`GET /v1/users/{userId}/items/{itemType}/{itemTargetId}/is-owned`).
    pub async fn owns(&self, user_id: u64, item: OwnedItem) -> Result<bool, Error> {
        let (item_type, _, target) = item.parts();
        let path = format!("/v1/users/{user_id}/items/{item_type}/{target}/is-owned");
        let request = self
            .legacy_v1()
            .is_item_owned()
            .user_id(id("user_id", user_id)?)
            .item_type(item_type)
            .item_target_id(id("item id", target)?);
        call(line(Method::GET, path), request.send()).await
    }

    /// Gives up an asset the cookie's user owns (`DELETE /v2/inventory/asset/{assetId}`; needs the cookie, and
    /// handles the CSRF token).
    pub async fn delete_inventory_asset(&self, asset_id: u64) -> Result<(), Error> {
        let path = format!("/v2/inventory/asset/{asset_id}");
        let request = self
            .legacy_v2()
            .delete_inventory_asset()
            .asset_id(id("asset_id", asset_id)?);
        call(line(Method::DELETE, path), request.send())
            .await
            .map(drop)
    }

    /// Adds an item to the cookie's user's collection (`POST /v1/collections/items/{itemType}/{itemTargetId}`).
    pub async fn add_to_collection(&self, item: OwnedItem) -> Result<(), Error> {
        let (_, item_type, target) = item.parts();
        let path = format!("/v1/collections/items/{item_type}/{target}");
        let request = self
            .legacy_v1()
            .add_item_to_collection()
            .item_type(item_type)
            .item_target_id(id("item id", target)?);
        call(line(Method::POST, path), request.send())
            .await
            .map(drop)
    }

    /// Removes an item from the cookie's user's collection
    /// (`DELETE /v1/collections/items/{itemType}/{itemTargetId}`).
    pub async fn remove_from_collection(&self, item: OwnedItem) -> Result<(), Error> {
        let (_, item_type, target) = item.parts();
        let path = format!("/v1/collections/items/{item_type}/{target}");
        let request = self
            .legacy_v1()
            .remove_item_from_collection()
            .item_type(item_type)
            .item_target_id(id("item id", target)?);
        call(line(Method::DELETE, path), request.send())
            .await
            .map(drop)
    }
}
