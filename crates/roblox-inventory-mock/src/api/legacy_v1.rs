//! The ten `/v1/...` operations (spec/legacy-v1.yaml).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::{Extension, Json};
use serde_json::{Value, json};

use super::error::LegacyError;
use super::error::LegacyReply;
use super::inventory_page::inventory_page;
use super::json::{collectible_user_asset, legacy_page};
use super::params::{LegacyPaging, Params, positive_id};
use super::{AppState, can_view};
use crate::behaviour::Caller;
use crate::world::asset_types::{BADGE, GAME_PASS, parse_legacy};
use crate::world::hash::hash;
use crate::world::{
    BUNDLE_ID_BASE, CollectionKind, ItemKind, OTHER_CATALOG, asset_info, place, place_count,
};

fn user_id(text: &str) -> Result<u64, LegacyError> {
    positive_id(text, || {
        LegacyError::bad_request(1, "The specified user does not exist!")
    })
}

pub async fn package_assets(
    State(state): State<AppState>,
    Path(package): Path<String>,
) -> LegacyReply {
    let package = positive_id(&package, || {
        LegacyError::bad_request(0, format!("Invalid package id '{package}'."))
    })?;
    let seed = state.world.seed();
    let count = hash(&[seed, package, 8]) % 6;
    let ids: Vec<u64> = (0..count)
        .map(|part| 10_000_000_000 + hash(&[seed, package, part, 9]) % 200_000)
        .collect();
    Ok(Json(json!({ "assetIds": ids })).into_response())
}

pub async fn collectibles(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(user): Path<String>,
    raw: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> LegacyReply {
    let params = Params::legacy(raw)?;
    let user = user_id(&user)?;
    let asset_type = match params.get("assetType") {
        None => None,
        Some(text) => Some(parse_legacy(text).ok_or_else(|| {
            LegacyError::bad_request(0, "The specified asset type(s) are invalid.")
        })?),
    };
    let paging = LegacyPaging::parse(&params)?;
    if !can_view(&state.world, &caller, user) {
        return Err(LegacyError::forbidden(
            0,
            "The specified user's inventory is hidden.",
        ));
    }
    let seed = state.world.seed();
    inventory_page(
        &state.world,
        user,
        &paging,
        &format!("collectibles;user={user};type={asset_type:?}"),
        |item| {
            item.collectible().is_some() && asset_type.is_none_or(|t| item.asset_type() == Some(t))
        },
        |item| {
            collectible_user_asset(
                &item,
                item.asset_id().and_then(|id| asset_info(seed, id)).as_ref(),
            )
        },
    )
}

pub async fn can_view_inventory(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(user): Path<String>,
) -> LegacyReply {
    let user = user_id(&user)?;
    Ok(Json(json!({ "canView": can_view(&state.world, &caller, user) })).into_response())
}

fn category(name: &str, items: &[(&str, u32)]) -> Value {
    let items: Vec<Value> = items
        .iter()
        .map(|(item, id)| {
            json!({"name": item, "displayName": item, "filter": format!("assetType={id}"), "id": id,
                   "type": 0, "categoryType": name})
        })
        .collect();
    json!({"name": name, "displayName": name, "categoryType": name, "items": items})
}

pub async fn categories(Path(user): Path<String>) -> LegacyReply {
    user_id(&user)?;
    let body = json!({"categories": [
        category("Accessories", &[("Hats", 8), ("Hair", 41), ("Face", 42), ("Neck", 43)]),
        category("Clothing", &[("Shirts", 11), ("Pants", 12), ("TShirts", 2)]),
        category("Creations", &[("Models", 10), ("Decals", 13), ("Audio", 3), ("Places", 9)]),
    ]});
    Ok(Json(body).into_response())
}

pub async fn favorite_categories(Path(user): Path<String>) -> LegacyReply {
    user_id(&user)?;
    let body = json!({"categories": [
        category("Accessories", &[("Hats", 8), ("Gear", 19)]),
        category("Creations", &[("Models", 10), ("Places", 9)]),
    ]});
    Ok(Json(body).into_response())
}

/// The item kinds of `/items/{itemType}/...`: by name (what clients send, WIRE-QUIRKS 3) or number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ItemType {
    Asset = 0,
    GamePass = 1,
    Badge = 2,
    Bundle = 3,
    Avatar = 4,
}

fn item_type(text: &str) -> Option<ItemType> {
    const ALL: [(ItemType, &str); 5] = [
        (ItemType::Asset, "Asset"),
        (ItemType::GamePass, "GamePass"),
        (ItemType::Badge, "Badge"),
        (ItemType::Bundle, "Bundle"),
        (ItemType::Avatar, "Avatar"),
    ];
    ALL.iter()
        .find(|(kind, name)| name.eq_ignore_ascii_case(text) || text == (*kind as u8).to_string())
        .map(|(kind, _)| *kind)
}

// The user's copies of one item, as (instance id, name).
fn instances(
    state: &AppState,
    user: u64,
    kind: ItemType,
    id: u64,
) -> Result<Vec<(u64, String)>, LegacyError> {
    let seed = state.world.seed();
    match kind {
        ItemType::Asset if asset_info(seed, id).is_none() => {
            return Err(LegacyError::bad_request(
                7,
                "The specified Asset does not exist!",
            ));
        }
        ItemType::GamePass if !(1_000..51_000).contains(&id) => {
            return Err(LegacyError::bad_request(
                5,
                "The specified game pass does not exist! Are you using the new game pass ID?",
            ));
        }
        ItemType::Badge if !(2_000_000_000..2_000_050_000).contains(&id) => {
            return Err(LegacyError::bad_request(
                10,
                "The specified asset is not a badge!",
            ));
        }
        ItemType::Bundle if !bundle_exists(id) => {
            return Err(LegacyError::bad_request(
                12,
                "The specified bundle does not exist!",
            ));
        }
        // The world holds no avatar items: known ids, never owned.
        ItemType::Avatar => return Ok(Vec::new()),
        _ => {}
    }
    let matches = |item_kind: &ItemKind| match (kind, item_kind) {
        (ItemType::Asset, ItemKind::Asset { asset_id, .. }) => *asset_id == id,
        (ItemType::GamePass, ItemKind::GamePass { game_pass_id }) => *game_pass_id == id,
        (ItemType::Badge, ItemKind::Badge { badge_id }) => *badge_id == id,
        (ItemType::Bundle, ItemKind::Bundle { bundle_id }) => *bundle_id == id,
        _ => false,
    };
    Ok(state
        .world
        .inventory(user)
        .iter()
        .filter(|item| matches(&item.kind))
        .map(|item| (item.user_asset_id, item.name))
        .collect())
}

// The generated catalog's bundle ids (fixtures may use any of them).
fn bundle_exists(id: u64) -> bool {
    (BUNDLE_ID_BASE..BUNDLE_ID_BASE + OTHER_CATALOG).contains(&id)
}

fn item_path(user: &str, kind: &str, id: &str) -> Result<(u64, ItemType, u64), LegacyError> {
    let user = user_id(user)?;
    let kind = item_type(kind)
        .ok_or_else(|| LegacyError::bad_request(6, "The specified item type does not exist."))?;
    let id = positive_id(id, || {
        LegacyError::bad_request(7, "The specified Asset does not exist!")
    })?;
    Ok((user, kind, id))
}

pub async fn item_instances(
    State(state): State<AppState>,
    Path(path): Path<(String, String, String)>,
) -> LegacyReply {
    let (user, kind, id) = item_path(&path.0, &path.1, &path.2)?;
    let data: Vec<Value> = instances(&state, user, kind, id)?
        .into_iter()
        .map(|(instance, name)| json!({"id": id, "name": name, "type": kind as u8, "instanceId": instance}))
        .collect();
    Ok(Json(legacy_page(data, None, None)).into_response())
}

pub async fn is_owned(
    State(state): State<AppState>,
    Path(path): Path<(String, String, String)>,
) -> LegacyReply {
    let (user, kind, id) = item_path(&path.0, &path.1, &path.2)?;
    let owned = !instances(&state, user, kind, id)?.is_empty();
    Ok(Json(owned).into_response())
}

pub async fn places(
    State(state): State<AppState>,
    Path(user): Path<String>,
    raw: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> LegacyReply {
    let params = Params::legacy(raw)?;
    let user = user_id(&user)?;
    let invalid = |name: &str, value: Option<&str>| {
        LegacyError::bad_request(
            6,
            format!("Invalid request: {name}={}", value.unwrap_or("(missing)")),
        )
    };
    let number = |name: &str| -> Result<i64, LegacyError> {
        let value = params.get(name);
        value
            .and_then(|text| text.trim().parse::<i64>().ok())
            .ok_or_else(|| invalid(name, value))
    };
    let tab = number("placesTab")?;
    let tab = u32::try_from(tab)
        .ok()
        .filter(|tab| *tab <= 5)
        .ok_or_else(|| invalid("placesTab", params.get("placesTab")))?;
    let per_page = u64::try_from(number("itemsPerPage")?)
        .ok()
        .filter(|n| (1..=100).contains(n))
        .ok_or_else(|| invalid("itemsPerPage", params.get("itemsPerPage")))?;
    let cursor =
        u64::try_from(number("cursor")?).map_err(|_| invalid("cursor", params.get("cursor")))?;
    let seed = state.world.seed();
    let count = place_count(seed, user, tab);
    let end = (cursor + per_page).min(count);
    let data: Vec<Value> = (cursor.min(end)..end)
        .map(|index| {
            let place = place(seed, user, tab, index);
            json!({
                "universeId": place.universe_id,
                "placeId": place.place_id,
                "name": place.name,
                "creator": {"id": user, "name": state.world.username(user), "type": 1},
                "priceInRobux": place.price_in_robux,
            })
        })
        .collect();
    // This endpoint pages by integer offset: its cursors are the offsets as strings.
    let previous = (cursor > 0).then(|| cursor.saturating_sub(per_page).to_string());
    let next = (end < count).then(|| end.to_string());
    Ok(Json(legacy_page(data, previous, next)).into_response())
}

fn collection_path(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    id: &str,
) -> Result<(u64, CollectionKind, u64), LegacyError> {
    let Caller::Cookie { user_id: user } = *caller else {
        return Err(LegacyError::unauthorized());
    };
    let kind = match item_type(kind) {
        Some(ItemType::Asset) => CollectionKind::Asset,
        Some(ItemType::Bundle) => CollectionKind::Bundle,
        Some(ItemType::GamePass | ItemType::Badge) => {
            return Err(LegacyError::forbidden(
                6,
                "Items of this type are not allowed in collections.",
            ));
        }
        Some(ItemType::Avatar) | None => {
            return Err(LegacyError::bad_request(1, "The item type does not exist."));
        }
    };
    let id = match kind {
        CollectionKind::Asset => {
            let id = positive_id(id, || {
                LegacyError::bad_request(2, "The asset does not exist.")
            })?;
            let info = asset_info(state.world.seed(), id)
                .ok_or_else(|| LegacyError::bad_request(2, "The asset does not exist."))?;
            if info.asset_type == BADGE || info.asset_type == GAME_PASS {
                return Err(LegacyError::forbidden(
                    5,
                    "Assets of this type are not allowed in collections.",
                ));
            }
            id
        }
        CollectionKind::Bundle => {
            let id = positive_id(id, || {
                LegacyError::bad_request(3, "The bundle does not exist.")
            })?;
            if !bundle_exists(id) {
                return Err(LegacyError::bad_request(3, "The bundle does not exist."));
            }
            id
        }
    };
    Ok((user, kind, id))
}

pub async fn add_to_collection(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((kind, id)): Path<(String, String)>,
) -> LegacyReply {
    let (user, kind, id) = collection_path(&state, &caller, &kind, &id)?;
    let owned = match kind {
        CollectionKind::Asset => !instances(&state, user, ItemType::Asset, id)?.is_empty(),
        CollectionKind::Bundle => !instances(&state, user, ItemType::Bundle, id)?.is_empty(),
    };
    if !owned {
        return Err(LegacyError::forbidden(
            4,
            "You don't own the specified item.",
        ));
    }
    if !state.world.collect(user, kind, id) {
        return Err(LegacyError::forbidden(
            7,
            "The item is already in the collection.",
        ));
    }
    Ok(Json(json!({})).into_response())
}

pub async fn remove_from_collection(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((kind, id)): Path<(String, String)>,
) -> LegacyReply {
    let (user, kind, id) = collection_path(&state, &caller, &kind, &id)?;
    if !state.world.uncollect(user, kind, id) {
        return Err(LegacyError::forbidden(
            8,
            "The item is not in the collection.",
        ));
    }
    Ok(Json(json!({})).into_response())
}
