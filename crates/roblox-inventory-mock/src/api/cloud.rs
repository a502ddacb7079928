//! Open Cloud `GET /cloud/v2/users/{user_id}/inventory-items` (spec/cloud-v2.yaml).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use serde::Serialize;

use super::error::CloudError;
use super::filter::CloudFilter;
use super::paging::{self, Sequence};
use super::params::Params;
use super::{AppState, can_view};
use crate::behaviour::Caller;
use crate::world::asset_types::cloud_name;
use crate::world::hash::timestamp;
use crate::world::{EmptyTrailingPage, Item, ItemKind};

const TOKEN_PREFIX: &str = "v1/";

pub async fn inventory_items(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(user): Path<String>,
    raw: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, CloudError> {
    let params = Params::from_query(raw).map_err(CloudError::invalid_argument)?;
    let user = user
        .parse::<u64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            CloudError::invalid_argument(format!("Invalid User ID in the request: '{user}'."))
        })?;
    // Above 100 is clamped, not refused; 0 means the default as in Google's AIP-158.
    let page_size = match params.get("maxPageSize") {
        None => 10,
        Some(text) => match text.trim().parse::<i64>() {
            Ok(0) => 10,
            Ok(size @ 1..) => size.min(100) as usize,
            _ => {
                return Err(CloudError::invalid_argument(format!(
                    "Invalid maxPageSize '{text}'."
                )));
            }
        },
    };
    let filter_text = params.get("filter").unwrap_or_default();
    let filter = CloudFilter::parse(filter_text)
        .map_err(|error| CloudError::invalid_argument(error.to_string()))?;
    if !can_view(&state.world, &caller, user) {
        return Err(CloudError::permission_denied(
            "The user's inventory is not visible to this caller.",
        ));
    }
    let key = format!("user={user};filter={filter_text}");
    let position = paging::decode(
        TOKEN_PREFIX,
        params.get("pageToken").unwrap_or_default(),
        &key,
    )
    .map_err(|error| CloudError::invalid_argument(format!("Invalid page token: {error}.")))?;
    let inventory = state.world.inventory(user);
    let sequence = Sequence {
        len: inventory.len(),
        descending: false,
        // Bundles are left out here (filter.selects refuses them): spec/cloud-v2.yaml's InventoryItem has
        // asset, badge, game pass and private server details only, so Open Cloud has no way to list a bundle.
        get: |position| inventory.get(position).filter(|item| filter.selects(item)),
    };
    let window = sequence.window(position, page_size, state.world.max_examined_per_request());
    let items: Vec<InventoryItem> = window
        .items
        .iter()
        .filter_map(|item| inventory_item(user, item))
        .collect();
    // The last page carries "" rather than omitting the token (WIRE-QUIRKS 20); optionally it first carries
    // a token to empty pages past the end, as Roblox's guide shows.
    let past_end = |extra: u64| paging::Position {
        index: inventory.len() + extra,
        backward: false,
    };
    let trailing = match state.world.empty_trailing_page() {
        _ if window.next.is_some() => None,
        EmptyTrailingPage::None => None,
        _ if !window.items.is_empty() => Some(past_end(0)),
        EmptyTrailingPage::FreshToken if position.index == inventory.len() => Some(past_end(1)),
        EmptyTrailingPage::SameToken if position.index == inventory.len() => Some(past_end(0)),
        EmptyTrailingPage::EmptyToken
        | EmptyTrailingPage::FreshToken
        | EmptyTrailingPage::SameToken => None,
    };
    let token = window
        .next
        .or(trailing)
        .map(|next| paging::encode(TOKEN_PREFIX, next, &key))
        .unwrap_or_default();
    Ok(Json(ListInventoryItemsResponse {
        inventory_items: items,
        next_page_token: token,
    })
    .into_response())
}

/// ListInventoryItemsResponse (spec/cloud-v2.yaml): serialized straight from the items, with no `Value` tree.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListInventoryItemsResponse<'a> {
    inventory_items: Vec<InventoryItem<'a>>,
    next_page_token: String,
}

/// InventoryItem (spec/cloud-v2.yaml). A struct rather than `json!`: benchmarks stream these by the million,
/// and a map per item made the emulator, not the client, the slow side.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InventoryItem<'a> {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    asset_details: Option<AssetDetails<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    badge_details: Option<BadgeDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    game_pass_details: Option<GamePassDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_server_details: Option<PrivateServerDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    add_time: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AssetDetails<'a> {
    asset_id: String,
    inventory_item_asset_type: &'static str,
    instance_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    collectible_details: Option<CollectibleDetails<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CollectibleDetails<'a> {
    item_id: &'a str,
    instance_id: &'a str,
    instance_state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    serial_number: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BadgeDetails {
    badge_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GamePassDetails {
    game_pass_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PrivateServerDetails {
    private_server_id: String,
}

// `None` for bundles, which Open Cloud cannot represent (spec/cloud-v2.yaml has no bundle details).
fn inventory_item(user: u64, item: &Item) -> Option<InventoryItem<'_>> {
    let mut out = InventoryItem {
        path: String::new(),
        asset_details: None,
        badge_details: None,
        game_pass_details: None,
        private_server_details: None,
        // addTime is not populated for passes (the spec's note, WIRE-QUIRKS 23).
        add_time: (!matches!(item.kind, ItemKind::GamePass { .. }))
            .then(|| timestamp(item.created_ms)),
    };
    let id_key = match &item.kind {
        ItemKind::Asset {
            asset_id,
            asset_type,
            collectible,
        } => {
            out.asset_details = Some(AssetDetails {
                asset_id: asset_id.to_string(),
                inventory_item_asset_type: cloud_name(*asset_type),
                instance_id: item.user_asset_id.to_string(),
                collectible_details: collectible.as_ref().map(|collectible| CollectibleDetails {
                    item_id: &collectible.item_id,
                    instance_id: &collectible.instance_id,
                    instance_state: if collectible.on_hold {
                        "HOLD"
                    } else {
                        "AVAILABLE"
                    },
                    serial_number: collectible.serial_number,
                }),
            });
            format!("USER_ASSET_ID={}", item.user_asset_id)
        }
        ItemKind::GamePass { game_pass_id } => {
            out.game_pass_details = Some(GamePassDetails {
                game_pass_id: game_pass_id.to_string(),
            });
            format!("GAME_PASS_ID={game_pass_id}")
        }
        ItemKind::Badge { badge_id } => {
            out.badge_details = Some(BadgeDetails {
                badge_id: badge_id.to_string(),
            });
            format!("BADGE_ID={badge_id}")
        }
        ItemKind::PrivateServer { private_server_id } => {
            out.private_server_details = Some(PrivateServerDetails {
                private_server_id: private_server_id.to_string(),
            });
            format!("PRIVATE_SERVER_ID={private_server_id}")
        }
        ItemKind::Bundle { .. } => return None,
    };
    out.path = format!(
        "users/{user}/inventory-items/{}",
        STANDARD_NO_PAD.encode(id_key)
    );
    Some(out)
}
