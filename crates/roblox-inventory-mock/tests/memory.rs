//! Memory while a client pages through a million-item inventory: a measurement, not a timed test.
//! Run with `cargo test -p roblox-inventory-mock --release --test memory -- --ignored --nocapture`.

mod common;

use futures_util::TryStreamExt;
use roblox_inventory::InventoryFilter;
use roblox_inventory_mock::{MockServer, UserSpec, WorldConfig};

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement: pages through 1,000,000 items"]
async fn a_million_item_scan_keeps_memory_flat() {
    const SIZE: u64 = 1_000_000;
    let mut behaviour = common::behaviour();
    // 10,000 pages: lift the documented 100/minute so that the scan measures memory, not waiting.
    behaviour.rate_limit.api_key_owner_limit = u32::MAX;
    let world = WorldConfig::seeded(1).user(
        9,
        UserSpec {
            inventory_size: Some(SIZE),
            ..UserSpec::default()
        },
    );
    let server = MockServer::start(world, behaviour).await.unwrap();
    let client = common::client(&server);
    let before = peak_rss_kib();
    let started = std::time::Instant::now();
    let count = client
        .inventory_items(9, &InventoryFilter::everything())
        .items()
        .try_fold(0u64, |count, _| async move { Ok(count + 1) })
        .await
        .unwrap();
    let after = peak_rss_kib();
    assert_eq!(count, SIZE);
    println!(
        "scanned {count} items in {:.1?}; peak RSS (VmHWM) before {before} KiB, after {after} KiB, growth {} KiB",
        started.elapsed(),
        after.saturating_sub(before)
    );
    assert!(
        after.saturating_sub(before) < 64 * 1024,
        "memory grew by more than 64 MiB"
    );
}
