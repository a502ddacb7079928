//! Open Cloud `GET /cloud/v2/users/{user_id}/inventory-items` (spec/cloud-v2.yaml).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use serde_json::{Map, Value, json};

use super::error::CloudError;
use super::filter::CloudFilter;
use super::paging::{self, Sequence};
use super::params::Params;
use super::{AppState, can_view};
use crate::behaviour::Caller;
use crate::world::asset_types::cloud_name;
use crate::world::hash::timestamp;
use crate::world::{Item, ItemKind};

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
    let window = sequence.window(position, page_size);
    let items: Vec<Value> = window
        .items
        .iter()
        .filter_map(|item| inventory_item(user, item))
        .collect();
    // The last page carries "" rather than omitting the token (WIRE-QUIRKS 20); optionally it first
    // carries a token to an empty page past the end, as Roblox's guide shows.
    let trailing =
        (window.next.is_none() && !window.items.is_empty() && state.world.empty_trailing_page())
            .then_some(paging::Position {
                index: inventory.len(),
                backward: false,
            });
    let token = window
        .next
        .or(trailing)
        .map(|next| paging::encode(TOKEN_PREFIX, next, &key))
        .unwrap_or_default();
    Ok(Json(json!({"inventoryItems": items, "nextPageToken": token})).into_response())
}

// `None` for bundles, which Open Cloud cannot represent (spec/cloud-v2.yaml has no bundle details).
fn inventory_item(user: u64, item: &Item) -> Option<Value> {
    let (id_key, details_key, details) = match &item.kind {
        ItemKind::Asset {
            asset_id,
            asset_type,
            collectible,
        } => {
            let mut details = Map::new();
            details.insert("assetId".into(), asset_id.to_string().into());
            details.insert(
                "inventoryItemAssetType".into(),
                cloud_name(*asset_type).into(),
            );
            details.insert("instanceId".into(), item.user_asset_id.to_string().into());
            if let Some(collectible) = collectible {
                let mut c = Map::new();
                c.insert("itemId".into(), collectible.item_id.clone().into());
                c.insert("instanceId".into(), collectible.instance_id.clone().into());
                let state = if collectible.on_hold {
                    "HOLD"
                } else {
                    "AVAILABLE"
                };
                c.insert("instanceState".into(), state.into());
                if let Some(serial) = collectible.serial_number {
                    c.insert("serialNumber".into(), serial.into());
                }
                details.insert("collectibleDetails".into(), c.into());
            }
            (
                format!("USER_ASSET_ID={}", item.user_asset_id),
                "assetDetails",
                Value::Object(details),
            )
        }
        ItemKind::GamePass { game_pass_id } => (
            format!("GAME_PASS_ID={game_pass_id}"),
            "gamePassDetails",
            json!({"gamePassId": game_pass_id.to_string()}),
        ),
        ItemKind::Badge { badge_id } => (
            format!("BADGE_ID={badge_id}"),
            "badgeDetails",
            json!({"badgeId": badge_id.to_string()}),
        ),
        ItemKind::PrivateServer { private_server_id } => (
            format!("PRIVATE_SERVER_ID={private_server_id}"),
            "privateServerDetails",
            json!({"privateServerId": private_server_id.to_string()}),
        ),
        ItemKind::Bundle { .. } => return None,
    };
    let mut body = Map::new();
    body.insert(
        "path".into(),
        format!(
            "users/{user}/inventory-items/{}",
            STANDARD_NO_PAD.encode(id_key)
        )
        .into(),
    );
    body.insert(details_key.into(), details);
    // addTime is not populated for passes (the spec's note, WIRE-QUIRKS 23).
    if !matches!(item.kind, ItemKind::GamePass { .. }) {
        body.insert("addTime".into(), timestamp(item.created_ms).into());
    }
    Some(Value::Object(body))
}
