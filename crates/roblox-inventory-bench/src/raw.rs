//! The floor: what a careful user would write by hand with reqwest and serde_json, without this library.
//!
//! The structs decode every field the generated models decode, with plain types (dates and enums as
//! strings), so that the facade's extra cost is what it adds: typed timestamps and enums, errors, retries,
//! rate limiting, tracing and the stream.
#![expect(
    dead_code,
    reason = "every field is decoded, as a user's client would, and measured; none is read"
)]

use std::hint::black_box;

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::emulator::API_KEY;

/// `GET /v2/users/{userId}/inventory/{assetTypeId}`, page by page.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyPage {
    pub data: Vec<LegacyItem>,
    pub next_page_cursor: Option<String>,
    pub previous_page_cursor: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyItem {
    pub user_asset_id: Option<i64>,
    pub asset_id: Option<i64>,
    pub asset_name: Option<String>,
    pub collectible_item_id: Option<String>,
    pub collectible_item_instance_id: Option<String>,
    pub serial_number: Option<i64>,
    pub owner: Option<LegacyOwner>,
    pub created: Option<String>,
    pub updated: Option<String>,
    pub expire_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyOwner {
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub builders_club_membership_type: Option<i32>,
}

/// `GET /cloud/v2/users/{userId}/inventory-items`, page by page.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPage {
    pub inventory_items: Vec<CloudItem>,
    pub next_page_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudItem {
    pub path: Option<String>,
    pub add_time: Option<String>,
    pub asset_details: Option<CloudAssetDetails>,
    pub badge_details: Option<CloudIdDetails>,
    pub game_pass_details: Option<CloudIdDetails>,
    pub private_server_details: Option<CloudIdDetails>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudAssetDetails {
    pub asset_id: Option<String>,
    pub inventory_item_asset_type: Option<String>,
    pub instance_id: Option<String>,
    pub collectible_details: Option<CloudCollectibleDetails>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudCollectibleDetails {
    pub item_id: Option<String>,
    pub instance_id: Option<String>,
    pub instance_state: Option<String>,
    pub serial_number: Option<i64>,
}

/// The one id of a badge, game pass or private server (the key differs; each is read as text).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudIdDetails {
    #[serde(alias = "badgeId", alias = "gamePassId", alias = "privateServerId")]
    pub id: Option<String>,
}

/// Pages through one user's items of one legacy asset type, 100 at a time, at most `max_pages` pages;
/// returns the number of items.
pub async fn legacy_scan(
    http: &reqwest::Client,
    base: &str,
    user_id: u64,
    asset_type_id: u32,
    max_pages: Option<u64>,
) -> anyhow::Result<u64> {
    let url = format!("{base}/v2/users/{user_id}/inventory/{asset_type_id}");
    let mut cursor: Option<String> = None;
    let mut count = 0u64;
    for _ in 0..max_pages.unwrap_or(u64::MAX) {
        let mut request = http.get(&url).query(&[("limit", "100")]);
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        let response = request.send().await.context("legacy page request")?;
        if !response.status().is_success() {
            bail!("legacy page: HTTP {}", response.status());
        }
        let page: LegacyPage = response.json().await.context("legacy page body")?;
        for item in page.data {
            black_box(item);
            count += 1;
        }
        match page.next_page_cursor {
            Some(next) if !next.is_empty() => cursor = Some(next),
            _ => break,
        }
    }
    Ok(count)
}

/// Pages through one user's Open Cloud inventory items, 100 at a time, at most `max_pages` pages; returns
/// the number of items.
pub async fn cloud_scan(
    http: &reqwest::Client,
    base: &str,
    user_id: u64,
    max_pages: Option<u64>,
) -> anyhow::Result<u64> {
    let url = format!("{base}/cloud/v2/users/{user_id}/inventory-items");
    let mut token: Option<String> = None;
    let mut count = 0u64;
    for _ in 0..max_pages.unwrap_or(u64::MAX) {
        let mut request = http
            .get(&url)
            .header("x-api-key", API_KEY)
            .query(&[("maxPageSize", "100")]);
        if let Some(token) = &token {
            request = request.query(&[("pageToken", token)]);
        }
        let response = request.send().await.context("Open Cloud page request")?;
        if !response.status().is_success() {
            bail!("Open Cloud page: HTTP {}", response.status());
        }
        let page: CloudPage = response.json().await.context("Open Cloud page body")?;
        for item in page.inventory_items {
            black_box(item);
            count += 1;
        }
        match page.next_page_token {
            Some(next) if !next.is_empty() => token = Some(next),
            _ => break,
        }
    }
    Ok(count)
}
