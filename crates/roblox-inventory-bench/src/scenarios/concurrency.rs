//! Scenario 5, concurrency: ten asset types of one user scanned at once, with latency on every request,
//! under an in-flight cap of 8 and of 1.

use std::fmt::Write as _;

use roblox_inventory::{AssetType, Client};
use roblox_inventory_mock::behaviour::{BehaviourConfig, FaultConfig};
use tokio::runtime::Runtime;

use super::{Settings, TEN_ASSET_TYPES, count, expect_items, no_samples};
use crate::emulator::{self, Emulator};
use crate::measure::{Spread, timed};
use crate::report::{Section, Verdict};
use crate::worlds::{self, LEGACY_USER};

const TARGET_SPEEDUP: f64 = 5.0;

pub fn run(runtime: &Runtime, settings: &Settings) -> anyhow::Result<Section> {
    let per_type = settings.concurrency_pages_per_type * 100;
    let latency = settings.concurrency_latency;
    let behaviour = BehaviourConfig {
        faults: FaultConfig {
            latency_probability: 1.0,
            latency,
            ..FaultConfig::default()
        },
        ..emulator::behaviour(emulator::unlimited())
    };
    let server = Emulator::start(
        worlds::several_asset_types(&TEN_ASSET_TYPES, per_type),
        behaviour,
    )?;
    let client = |cap: usize| -> anyhow::Result<Client> {
        Ok(server
            .client_builder()
            .cloud_rate_limit(None)
            .legacy_rate_limit(None)
            .max_in_flight(cap)
            .build()?)
    };
    let (eight, one) = (client(8)?, client(1)?);
    let expected = per_type * TEN_ASSET_TYPES.len() as u64;
    let measure = |client: &Client| -> anyhow::Result<f64> {
        let types = TEN_ASSET_TYPES.map(|id| AssetType::from(i64::from(id)));
        let scan = count(client.scan_asset_types(LEGACY_USER, types));
        let (listed, cost) = timed(runtime, scan);
        expect_items("the ten-type scan", listed?, expected)?;
        Ok(cost.wall.as_secs_f64())
    };
    measure(&eight)?;
    measure(&one)?;
    let mut pairs = Vec::new();
    for round in 0..settings.concurrency_pairs {
        let (capped_at_eight, capped_at_one) = if round % 2 == 0 {
            let eight = measure(&eight)?;
            (eight, measure(&one)?)
        } else {
            let one = measure(&one)?;
            (measure(&eight)?, one)
        };
        pairs.push((capped_at_eight, capped_at_one));
    }
    let no_pairs = no_samples("concurrency");
    let wall_eight = Spread::of(pairs.iter().map(|p| p.0 * 1e3)).ok_or_else(no_pairs)?;
    let wall_one = Spread::of(pairs.iter().map(|p| p.1 * 1e3)).ok_or_else(no_pairs)?;
    let speedup = Spread::of(pairs.iter().map(|p| p.1 / p.0)).ok_or_else(no_pairs)?;
    let requests = settings.concurrency_pages_per_type * TEN_ASSET_TYPES.len() as u64;
    let mut body = String::from(
        "| requests | latency added | cap 1, wall ms | cap 8, wall ms | speed-up | floor at cap 1 (requests × latency) |\n\
         |---|---|---|---|---|---|\n",
    );
    let _ = writeln!(
        body,
        "| {requests} | {} ms | {} | {} | {} × | {} ms |",
        latency.as_millis(),
        wall_one.display(0),
        wall_eight.display(0),
        speedup.display(2),
        requests as u128 * latency.as_millis(),
    );
    Ok(Section {
        title: "Concurrency: ten asset types under an in-flight cap".into(),
        method: format!(
            "One user holds {per_type} items of each of ten legacy asset types ({} pages each); the emulator \
             delays every request by {} ms. `Client::scan_asset_types` scans the ten types at once (one paged scan \
             per type, merged as items arrive) on a current-thread runtime, once with `max_in_flight(8)` (the \
             default) and once with `max_in_flight(1)`; client-side rate limits are off. One warm-up each, then {} \
             pairs alternating the order; the speed-up is cap-1 time ÷ cap-8 time per pair. With ten types of {} \
             pages each, eight slots can at best run {:.1} × faster than one.",
            settings.concurrency_pages_per_type,
            latency.as_millis(),
            settings.concurrency_pairs,
            settings.concurrency_pages_per_type,
            best_speedup(requests, settings.concurrency_pages_per_type),
        ),
        body,
        verdicts: vec![Verdict {
            key: "concurrency",
            what: format!(
                "Concurrency, 10 asset types, {} ms latency: cap 8 against cap 1",
                latency.as_millis()
            ),
            target: format!("≥ {TARGET_SPEEDUP:.0} × faster"),
            result: format!("{} ×", speedup.display(2)),
            met: Some(speedup.median >= TARGET_SPEEDUP),
        }],
    })
}

/// `requests` in chains of `chain` (each page needs the one before), over 8 slots: the time is at least the
/// longest chain and at least an even share of the slots.
fn best_speedup(requests: u64, chain: u64) -> f64 {
    let rounds = requests.div_ceil(8).max(chain);
    requests as f64 / rounds as f64
}
