//! Lists a user's whole Open Cloud inventory.
//!
//! `ROBLOX_API_KEY=... cargo run -p roblox-inventory --example whole_inventory -- 156`
//! (`ROBLOX_CLOUD_URL` points it at an emulator instead of apis.roblox.com.)

use futures_util::TryStreamExt;
use roblox_inventory::{Client, InventoryFilter, InventoryItem};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let user_id: u64 = std::env::args()
        .nth(1)
        .ok_or("usage: whole_inventory USER_ID")?
        .parse()
        .map_err(|error| format!("USER_ID must be a number: {error}"))?;
    let mut builder = Client::builder();
    if let Ok(key) = std::env::var("ROBLOX_API_KEY") {
        builder = builder.api_key(key);
    }
    if let Ok(url) = std::env::var("ROBLOX_CLOUD_URL") {
        builder = builder.cloud_url(url);
    }
    let client = builder.build()?;
    let items: Vec<InventoryItem> = client
        .inventory_items(user_id, &InventoryFilter::everything())
        .items()
        .map_ok(InventoryItem::from)
        .try_collect()
        .await?;
    for item in &items {
        println!("{} {:?}", item.path, item.details);
    }
    eprintln!("{} items", items.len());
    Ok(())
}
