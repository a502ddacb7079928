//! The five `/v2/...` operations (spec/legacy-v2.yaml).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use serde_json::json;

use super::error::LegacyError;
use super::error::LegacyReply;
use super::inventory_page::inventory_page;
use super::json::{
    asset_owner, collectible_item_owner, inventory_item_model, legacy_page, user_asset_item_v2,
};
use super::paging::Sequence;
use super::params::{LegacyPaging, Params, boolean, positive_id};
use super::{AppState, can_view};
use crate::behaviour::Caller;
use crate::world::asset_types::{BADGE, GAME_PASS, legacy_name, parse_legacy};
use crate::world::{AssetInfo, asset_info, asset_of_collectible_item, asset_owner_count};

fn user_id(text: &str) -> Result<u64, LegacyError> {
    positive_id(text, || LegacyError::bad_request(1, "Invalid user Id."))
}

fn hidden() -> LegacyError {
    LegacyError::forbidden(4, "You are not authorized to view this user's inventory.")
}

fn owners_page(
    state: &AppState,
    asset: &AssetInfo,
    paging: &LegacyPaging,
    key: &str,
    collectible: bool,
) -> LegacyReply {
    let position = paging.position(key)?;
    let seed = state.world.seed();
    let sequence = Sequence {
        len: asset_owner_count(seed, asset),
        descending: paging.descending,
        get: |index| Some(crate::world::asset_owner(seed, asset, index)),
    };
    let window = sequence.window(
        position,
        paging.limit,
        state.world.max_examined_per_request(),
    );
    let data = window
        .items
        .iter()
        .map(|entry| {
            if collectible {
                collectible_item_owner(&state.world, entry)
            } else {
                asset_owner(&state.world, entry)
            }
        })
        .collect();
    Ok(Json(legacy_page(
        data,
        paging.cursor(window.previous, key),
        paging.cursor(window.next, key),
    ))
    .into_response())
}

pub async fn asset_owners(
    State(state): State<AppState>,
    Path(asset): Path<String>,
    raw: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> LegacyReply {
    let params = Params::legacy(raw)?;
    let invalid = || LegacyError::bad_request(1, "The asset id is invalid.");
    let asset_id = positive_id(&asset, invalid)?;
    let asset = asset_info(state.world.seed(), asset_id).ok_or_else(invalid)?;
    let paging = LegacyPaging::parse(&params)?;
    owners_page(
        &state,
        &asset,
        &paging,
        &format!("owners;asset={asset_id}"),
        false,
    )
}

pub async fn collectible_item_owners(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(item): Path<String>,
    raw: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> LegacyReply {
    let params = Params::legacy(raw)?;
    if caller == Caller::Anonymous {
        return Err(LegacyError::unauthorized());
    }
    let asset = asset_of_collectible_item(state.world.seed(), &item)
        .ok_or_else(|| LegacyError::bad_request(1, "The collectible item id is invalid."))?;
    // This endpoint alone takes any limit and an integer sortOrder (WIRE-QUIRKS 9).
    let limit = match params.get("limit") {
        None => 10,
        Some(text) => text
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|limit| (1..=100).contains(limit))
            .ok_or_else(|| {
                LegacyError::bad_request(0, format!("The value '{text}' is not valid for limit."))
            })?,
    };
    let descending = match params.get("sortOrder").map(str::trim) {
        None | Some("1") => false,
        Some("2") => true,
        Some(text) if text.eq_ignore_ascii_case("asc") => false,
        Some(text) if text.eq_ignore_ascii_case("desc") => true,
        Some(text) => {
            return Err(LegacyError::bad_request(
                0,
                format!("The value '{text}' is not valid for sortOrder."),
            ));
        }
    };
    let paging = LegacyPaging {
        limit,
        cursor: params.get("cursor").unwrap_or_default().to_owned(),
        descending,
    };
    owners_page(
        &state,
        &asset,
        &paging,
        &format!("item-owners;item={item}"),
        true,
    )
}

pub async fn user_inventory(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(user): Path<String>,
    raw: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> LegacyReply {
    let params = Params::legacy(raw)?;
    let user = user_id(&user)?;
    let invalid_type =
        |text: &str| LegacyError::bad_request(2, format!("Invalid asset type Id. ({text})"));
    let text = params
        .get("assetTypes")
        .ok_or_else(|| invalid_type("assetTypes is required"))?;
    let mut types = Vec::new();
    for part in text.split(',').filter(|part| !part.trim().is_empty()) {
        let id = parse_legacy(part)
            .filter(|id| *id != BADGE && *id != GAME_PASS)
            .ok_or_else(|| invalid_type(part))?;
        types.push(id);
    }
    if types.is_empty() {
        return Err(invalid_type(text));
    }
    boolean(&params, "filterDisapprovedAssets")?;
    boolean(&params, "showApprovedOnly")?;
    let paging = LegacyPaging::parse(&params)?;
    if !can_view(&state.world, &caller, user) {
        return Err(hidden());
    }
    types.sort_unstable();
    types.dedup();
    inventory_page(
        &state.world,
        user,
        &paging,
        &format!("inventory;user={user};types={types:?}"),
        |item| item.asset_type().is_some_and(|t| types.contains(&t)),
        |item| user_asset_item_v2(&item),
    )
}

pub async fn user_inventory_by_type(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((user, asset_type)): Path<(String, String)>,
    raw: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> LegacyReply {
    let params = Params::legacy(raw)?;
    let user = user_id(&user)?;
    let asset_type = asset_type
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|id| legacy_name(*id).is_some())
        .ok_or_else(|| {
            LegacyError::bad_request(2, format!("Invalid asset type Id. ({asset_type})"))
        })?;
    let paging = LegacyPaging::parse(&params)?;
    if !can_view(&state.world, &caller, user) {
        return Err(hidden());
    }
    inventory_page(
        &state.world,
        user,
        &paging,
        &format!("inventory-by-type;user={user};type={asset_type}"),
        |item| item.asset_type() == Some(asset_type),
        |item| inventory_item_model(&state.world, user, item),
    )
}

pub async fn delete_asset(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(asset): Path<String>,
) -> LegacyReply {
    let Caller::Cookie { user_id: user } = caller else {
        return Err(LegacyError::unauthorized());
    };
    let missing = || LegacyError::new(StatusCode::NOT_FOUND, 1, "The item does not exist.");
    let asset_id = positive_id(&asset, missing)?;
    asset_info(state.world.seed(), asset_id).ok_or_else(missing)?;
    let copy = state
        .world
        .inventory(user)
        .iter()
        .find(|item| item.asset_id() == Some(asset_id))
        .ok_or_else(|| LegacyError::forbidden(2, "You don't own the specified item."))?;
    // Limiteds cannot be given up (the operation's description: NotEligibleForDelete).
    if copy.collectible().is_some() {
        return Err(LegacyError::forbidden(
            3,
            "The item is not allowed to be deleted.",
        ));
    }
    state.world.remove(user, copy.user_asset_id);
    Ok(Json(json!({})).into_response())
}
