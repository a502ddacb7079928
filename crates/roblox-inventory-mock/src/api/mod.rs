//! The 16 operations of the three specs, as axum handlers over a [`World`].

mod cloud;
pub mod error;
mod filter;
mod inventory_page;
mod json;
mod legacy_v1;
mod legacy_v2;
pub mod paging;
mod params;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::behaviour::Caller;
use crate::world::World;

pub use error::{CloudError, LegacyError};
pub use filter::{CloudFilter, FilterError};

/// What every handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    pub world: Arc<World>,
}

/// The routes of all 16 operations (without the behaviour middleware; see [`crate::server`]).
pub fn router(world: Arc<World>) -> Router {
    Router::new()
        .route(
            "/v1/packages/{package_id}/assets",
            get(legacy_v1::package_assets),
        )
        .route(
            "/v1/users/{user_id}/assets/collectibles",
            get(legacy_v1::collectibles),
        )
        .route(
            "/v1/users/{user_id}/can-view-inventory",
            get(legacy_v1::can_view_inventory),
        )
        .route("/v1/users/{user_id}/categories", get(legacy_v1::categories))
        .route(
            "/v1/users/{user_id}/categories/favorites",
            get(legacy_v1::favorite_categories),
        )
        .route(
            "/v1/users/{user_id}/items/{item_type}/{item_id}",
            get(legacy_v1::item_instances),
        )
        .route(
            "/v1/users/{user_id}/items/{item_type}/{item_id}/is-owned",
            get(legacy_v1::is_owned),
        )
        .route(
            "/v1/users/{user_id}/places/inventory",
            get(legacy_v1::places),
        )
        .route(
            "/v1/collections/items/{item_type}/{item_id}",
            post(legacy_v1::add_to_collection).delete(legacy_v1::remove_from_collection),
        )
        .route("/v2/assets/{asset_id}/owners", get(legacy_v2::asset_owners))
        .route(
            "/v2/collectible-items/{item_id}/owners",
            get(legacy_v2::collectible_item_owners),
        )
        .route(
            "/v2/users/{user_id}/inventory",
            get(legacy_v2::user_inventory),
        )
        .route(
            "/v2/users/{user_id}/inventory/{asset_type_id}",
            get(legacy_v2::user_inventory_by_type),
        )
        .route(
            "/v2/inventory/asset/{asset_id}",
            axum::routing::delete(legacy_v2::delete_asset),
        )
        .route(
            "/cloud/v2/users/{user_id}/inventory-items",
            get(cloud::inventory_items),
        )
        .with_state(AppState { world })
}

/// Whether `caller` may see `user`'s inventory: public ones to anyone, private ones to the user's own cookie,
/// an API key the user owns, or an OAuth token the user granted.
pub fn can_view(world: &World, caller: &Caller, user: u64) -> bool {
    if !world.is_hidden(user) {
        return true;
    }
    match caller {
        Caller::Cookie { user_id } | Caller::OAuth { user_id } => *user_id == user,
        Caller::ApiKey { owner_id } => *owner_id == user,
        Caller::Anonymous => false,
    }
}
