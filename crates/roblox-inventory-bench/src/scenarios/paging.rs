//! Scenario 1, paging overhead: the same scan through the facade and through a hand-written reqwest loop, alternating.

use std::fmt::Write as _;

use tokio::runtime::Runtime;

use super::{Settings, expect_items, facade_cloud_scan, facade_legacy_scan, thousands};
use crate::emulator::{self, Emulator, KEY_OWNER};
use crate::measure::{Cost, Spread, timed};
use crate::raw;
use crate::report::{Section, Verdict};
use crate::worlds::{self, LEGACY_ASSET_TYPE, LEGACY_USER};

const TARGET: f64 = 1.10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endpoint {
    Legacy,
    Cloud,
}

impl Endpoint {
    fn key(self) -> &'static str {
        match self {
            Endpoint::Legacy => "paging-legacy",
            Endpoint::Cloud => "paging-cloud",
        }
    }

    fn describe(self) -> String {
        match self {
            Endpoint::Legacy => {
                format!("legacy v2 `GET /v2/users/{{id}}/inventory/{LEGACY_ASSET_TYPE}`")
            }
            Endpoint::Cloud => "Open Cloud `GET /cloud/v2/users/{id}/inventory-items`".into(),
        }
    }
}

struct Pair {
    raw: Cost,
    facade: Cost,
}

pub fn run(runtime: &Runtime, settings: &Settings) -> anyhow::Result<Section> {
    let items = settings.paging_items;
    let server = Emulator::start(
        worlds::inventories(items, items),
        emulator::behaviour(emulator::unlimited()),
    )?;
    let facade = server.unthrottled_client()?;
    let http = reqwest::Client::new();

    let mut body = String::from(
        "| endpoint | raw wall ms | facade wall ms | facade ÷ raw, wall | raw client CPU ms | facade client CPU ms | \
         facade ÷ raw, CPU | client CPU per item, raw / facade |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut verdicts = Vec::new();
    for endpoint in [Endpoint::Legacy, Endpoint::Cloud] {
        let scan_raw = || async {
            match endpoint {
                Endpoint::Legacy => {
                    raw::legacy_scan(&http, server.url(), LEGACY_USER, LEGACY_ASSET_TYPE).await
                }
                Endpoint::Cloud => raw::cloud_scan(&http, server.url(), KEY_OWNER).await,
            }
        };
        let scan_facade = || async {
            match endpoint {
                Endpoint::Legacy => facade_legacy_scan(&facade, LEGACY_USER).await,
                Endpoint::Cloud => facade_cloud_scan(&facade, KEY_OWNER).await,
            }
        };
        let measure_raw = || -> anyhow::Result<Cost> {
            let (listed, cost) = timed(runtime, scan_raw());
            expect_items("the raw loop", listed?, items)?;
            Ok(cost)
        };
        let measure_facade = || -> anyhow::Result<Cost> {
            let (listed, cost) = timed(runtime, scan_facade());
            expect_items("the facade", listed?, items)?;
            Ok(cost)
        };
        // Warm-up: connections, allocator, caches.
        measure_raw()?;
        measure_facade()?;
        let mut pairs = Vec::new();
        for round in 0..settings.paging_pairs {
            // Alternate which goes first, so that a drift in the machine's speed favours neither.
            let pair = if round % 2 == 0 {
                let raw = measure_raw()?;
                Pair {
                    raw,
                    facade: measure_facade()?,
                }
            } else {
                let facade = measure_facade()?;
                Pair {
                    raw: measure_raw()?,
                    facade,
                }
            };
            pairs.push(pair);
        }
        let wall = |pick: fn(&Pair) -> Cost| {
            Spread::of(pairs.iter().map(|p| pick(p).wall.as_secs_f64() * 1e3))
        };
        let cpu = |pick: fn(&Pair) -> Cost| {
            Spread::of(
                pairs
                    .iter()
                    .filter_map(|p| pick(p).cpu.map(|cpu| cpu.as_secs_f64() * 1e3)),
            )
        };
        let raw_wall = wall(|p| p.raw).ok_or_else(no_samples)?;
        let facade_wall = wall(|p| p.facade).ok_or_else(no_samples)?;
        let ratio = Spread::of(
            pairs
                .iter()
                .map(|p| p.facade.wall.as_secs_f64() / p.raw.wall.as_secs_f64()),
        )
        .ok_or_else(no_samples)?;
        let cpu_ratio = Spread::of(pairs.iter().filter_map(|p| {
            Some(p.facade.cpu?.as_secs_f64() / p.raw.cpu?.as_secs_f64().max(1e-9))
        }));
        let (raw_cpu, facade_cpu) = (cpu(|p| p.raw), cpu(|p| p.facade));
        let per_item = |spread: Option<Spread>| {
            spread.map_or("n/a".to_owned(), |s| {
                format!("{:.2}", s.median * 1e3 / items as f64)
            })
        };
        let or_na = |spread: Option<Spread>, decimals| {
            spread.map_or("n/a".to_owned(), |s| s.display(decimals).to_string())
        };
        let _ = writeln!(
            body,
            "| {} | {} | {} | {} | {} | {} | {} | {} / {} µs |",
            endpoint.describe(),
            raw_wall.display(0),
            facade_wall.display(0),
            ratio.display(3),
            or_na(raw_cpu, 0),
            or_na(facade_cpu, 0),
            or_na(cpu_ratio, 3),
            per_item(raw_cpu),
            per_item(facade_cpu),
        );
        verdicts.push(Verdict {
            key: endpoint.key(),
            what: format!(
                "Paging overhead, {}: facade ÷ raw reqwest wall time, {} items",
                endpoint.describe(),
                thousands(items)
            ),
            target: format!("≤ {TARGET:.2}"),
            result: ratio.display(3).to_string(),
            met: Some(ratio.median <= TARGET),
        });
    }
    Ok(Section {
        title: "Paging overhead: the facade against raw reqwest".into(),
        method: format!(
            "Each scan streams {} items ({} pages of 100) from the emulator. The raw side is a hand-written loop \
             (crates/roblox-inventory-bench/src/raw.rs): reqwest and serde_json into plain structs that decode every \
             field the generated models decode, dates and enums as strings. The facade side is \
             `Client::user_inventory_by_type(..).items()` and `Client::inventory_items(..).items()` with the \
             builder's defaults (retry policy, adaptive rate limiting from the response headers, in-flight cap 8, \
             tracing spans) except that the client-side limits are off, as the emulator's are: at the documented \
             100 requests a minute a scan would measure waiting. Both clients run on one current-thread tokio \
             runtime on the main thread, the emulator on a thread of its own, so the client CPU figures (the main \
             thread's CPU clock) contain no server work. One warm-up pair, then {} pairs alternating which side goes \
             first; the ratio is taken per pair, and its median is the figure judged.",
            thousands(items),
            thousands(items / 100),
            settings.paging_pairs,
        ),
        body,
        verdicts,
    })
}

fn no_samples() -> anyhow::Error {
    anyhow::anyhow!("no samples: the paging scenario needs at least one pair")
}
