//! One module per measurement; each returns a [`Section`](crate::report::Section) of the report.

pub mod cli;
pub mod concurrency;
pub mod decode;
pub mod memory;
pub mod paging;
pub mod rate_limit;
pub mod rate_limit_workers;
pub mod regen;

use std::time::Duration;

use futures_util::{Stream, TryStreamExt};
use roblox_inventory::{
    AssetType, Client, InventoryFilter, InventoryItem, PagedRequest, Scan, Transport,
};

use crate::worlds::LEGACY_ASSET_TYPE;

/// Workload sizes: the figures, or tiny ones that only prove the harness works.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Items per paging scan (100 per page).
    pub paging_items: u64,
    /// Raw/facade pairs per endpoint, after one warm-up pair.
    pub paging_pairs: usize,
    /// Pages of the instruction count: a scan of this many pages and one of twice as many, under valgrind;
    /// 0 leaves the count out.
    pub instruction_pages: u64,
    /// Criterion's warm-up and measurement time per decode benchmark, and its number of samples.
    pub decode_warm_up: Duration,
    pub decode_measurement: Duration,
    pub decode_samples: usize,
    /// Criterion's bootstrap resamples (its default is 100,000; fewer make a debug build's analysis quick).
    pub decode_resamples: usize,
    /// Items streamed by each memory run, and the number of runs.
    pub memory_items: u64,
    pub memory_runs: usize,
    /// The emulator's limit: requests per window, the window (time-scaled), and the windows measured.
    pub rate_limit_requests: u32,
    pub rate_limit_window: Duration,
    pub rate_limit_windows: u32,
    /// Runs per way of knowing the limit, each against a fresh emulator.
    pub rate_limit_runs: usize,
    /// Latency added to every request, pages per asset type, and cap-8/cap-1 pairs.
    pub concurrency_latency: Duration,
    pub concurrency_pages_per_type: u64,
    pub concurrency_pairs: usize,
    /// Timed runs of `cargo xtask regen --check` after one warm-up; 0 skips the scenario.
    pub regen_runs: usize,
    /// Items per `rbxinv --format ndjson` scan and per raw scan it is compared with (100 per page), and the
    /// raw/rbxinv pairs after one warm-up pair.
    pub cli_items: u64,
    pub cli_pairs: usize,
    /// Three `rbxinv work` processes on one Redis budget: users queued, items per user, the emulator's time
    /// scale (60 ÷ the window in seconds), and runs (the lowest share is judged).
    pub workers_users: u64,
    pub workers_items_per_user: u64,
    pub workers_time_scale: f64,
    pub workers_runs: usize,
}

impl Settings {
    /// What the issue asks for.
    pub fn full() -> Settings {
        Settings {
            paging_items: 100_000,
            paging_pairs: 31,
            instruction_pages: 5,
            decode_warm_up: Duration::from_millis(500),
            decode_measurement: Duration::from_secs(1),
            decode_samples: 50,
            decode_resamples: 100_000,
            memory_items: 1_000_000,
            memory_runs: 2,
            rate_limit_requests: 100,
            rate_limit_window: Duration::from_secs(2),
            rate_limit_windows: 2,
            rate_limit_runs: 2,
            concurrency_latency: Duration::from_millis(20),
            concurrency_pages_per_type: 5,
            concurrency_pairs: 5,
            regen_runs: 5,
            cli_items: 100_000,
            cli_pairs: 31,
            workers_users: 15,
            workers_items_per_user: 2_700,
            workers_time_scale: 12.0,
            workers_runs: 2,
        }
    }

    /// Seconds, not minutes: for checking that every scenario runs.
    pub fn quick() -> Settings {
        Settings {
            paging_items: 1_000,
            paging_pairs: 1,
            instruction_pages: 0,
            decode_warm_up: Duration::from_millis(20),
            decode_measurement: Duration::from_millis(50),
            decode_samples: 10,
            decode_resamples: 1_000,
            memory_items: 5_000,
            memory_runs: 1,
            rate_limit_requests: 5,
            rate_limit_window: Duration::from_secs(1),
            rate_limit_windows: 1,
            rate_limit_runs: 1,
            concurrency_latency: Duration::from_millis(5),
            concurrency_pages_per_type: 2,
            concurrency_pairs: 1,
            regen_runs: 1,
            cli_items: 1_000,
            cli_pairs: 1,
            workers_users: 3,
            workers_items_per_user: 300,
            workers_time_scale: 60.0,
            workers_runs: 1,
        }
    }
}

/// The ten asset types of the concurrency scenario.
pub const TEN_ASSET_TYPES: [u32; 10] = [2, 3, 8, 9, 10, 11, 12, 13, 17, 18];

/// Streams `user_id`'s Open Cloud inventory through the facade, at most `max_pages` pages, each item converted
/// into the facade's `InventoryItem` as a user who reads its details does; returns the number of items.
pub async fn facade_cloud_scan(
    client: &Client,
    user_id: u64,
    max_pages: Option<u64>,
) -> anyhow::Result<u64> {
    let scan = client.inventory_items(user_id, &InventoryFilter::everything());
    count(capped(scan, max_pages).items().map_ok(InventoryItem::from)).await
}

/// Streams `user_id`'s legacy inventory of the benchmark's asset type through the facade, at most
/// `max_pages` pages.
pub async fn facade_legacy_scan(
    client: &Client,
    user_id: u64,
    max_pages: Option<u64>,
) -> anyhow::Result<u64> {
    let asset_type = AssetType::from(i64::from(LEGACY_ASSET_TYPE));
    let scan = client.user_inventory_by_type(user_id, asset_type);
    count(capped(scan, max_pages).items()).await
}

fn capped<R: PagedRequest>(
    scan: Scan<R, &Transport>,
    max_pages: Option<u64>,
) -> Scan<R, &Transport> {
    match max_pages {
        Some(pages) => scan.max_pages(usize::try_from(pages).unwrap_or(usize::MAX)),
        None => scan,
    }
}

/// Consumes a stream of items as a user's loop would (`while let Some(item) = items.try_next().await?`), each
/// item handed to `black_box`, and counts them.
pub async fn count<T, E>(items: impl Stream<Item = Result<T, E>>) -> anyhow::Result<u64>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let mut items = std::pin::pin!(items);
    let mut count = 0u64;
    while let Some(item) = items.try_next().await? {
        std::hint::black_box(item);
        count += 1;
    }
    Ok(count)
}

/// The error of a scenario configured with no runs to take a median of.
pub fn no_samples(scenario: &'static str) -> impl Fn() -> anyhow::Error + Copy {
    move || anyhow::anyhow!("no samples: the {scenario} scenario needs at least one run")
}

/// Fails unless a scan listed what the world holds: a benchmark of a scan that stopped early measures nothing.
pub fn expect_items(what: &str, listed: u64, expected: u64) -> anyhow::Result<()> {
    anyhow::ensure!(
        listed == expected,
        "{what} listed {listed} items, the emulator holds {expected}"
    );
    Ok(())
}

/// `n` with thousands separated: 100,000.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_separated() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_000), "1,000");
        assert_eq!(super::thousands(1_000_000), "1,000,000");
    }
}
