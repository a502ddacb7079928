//! Scenario 1, paging overhead: the same scan through the facade and through a hand-written reqwest loop,
//! alternating; then the client's instructions per item of each, counted under valgrind, which no other load
//! on the machine can disturb.

use std::fmt::Write as _;

use anyhow::Context;
use roblox_inventory::Client;
use tokio::runtime::Runtime;

use super::{Settings, expect_items, facade_cloud_scan, facade_legacy_scan, no_samples, thousands};
use crate::emulator::{self, Emulator, KEY_OWNER};
use crate::measure::{Cost, Spread, instructions, timed};
use crate::raw;
use crate::report::{Section, Verdict};
use crate::worlds::{self, LEGACY_ASSET_TYPE, LEGACY_USER};

const TARGET: f64 = 1.10;

/// The endpoint a scan pages through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Endpoint {
    Legacy,
    Cloud,
}

/// Who does the paging.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Side {
    /// The hand-written reqwest loop of `raw.rs`.
    Raw,
    /// The facade's scan.
    Facade,
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

/// Both clients, pointed at one emulator.
pub struct Clients {
    url: String,
    http: reqwest::Client,
    facade: Client,
}

impl Clients {
    /// A plain reqwest client and a facade client with its limits lifted, both for `url`.
    pub fn new(url: &str) -> anyhow::Result<Clients> {
        Ok(Clients {
            url: url.to_owned(),
            http: reqwest::Client::new(),
            facade: emulator::unthrottled_client(url)?,
        })
    }

    /// One scan of `endpoint` by `side`, at most `max_pages` pages; returns the number of items.
    pub async fn scan(
        &self,
        endpoint: Endpoint,
        side: Side,
        max_pages: Option<u64>,
    ) -> anyhow::Result<u64> {
        let (http, url, facade) = (&self.http, self.url.as_str(), &self.facade);
        match (endpoint, side) {
            (Endpoint::Legacy, Side::Raw) => {
                raw::legacy_scan(http, url, LEGACY_USER, LEGACY_ASSET_TYPE, max_pages).await
            }
            (Endpoint::Cloud, Side::Raw) => raw::cloud_scan(http, url, KEY_OWNER, max_pages).await,
            (Endpoint::Legacy, Side::Facade) => {
                facade_legacy_scan(facade, LEGACY_USER, max_pages).await
            }
            (Endpoint::Cloud, Side::Facade) => {
                facade_cloud_scan(facade, KEY_OWNER, max_pages).await
            }
        }
    }
}

/// The child's side of the instruction count: one scan of `pages` pages, on a current-thread runtime.
pub fn scan_client(url: &str, endpoint: Endpoint, side: Side, pages: u64) -> anyhow::Result<u64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let clients = Clients::new(url)?;
    let listed = runtime.block_on(clients.scan(endpoint, side, Some(pages)))?;
    expect_items("the scan", listed, pages * 100)?;
    Ok(listed)
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
    let clients = Clients::new(server.url())?;

    let mut body = String::from(
        "| endpoint | raw wall ms | facade wall ms | facade ÷ raw, wall | raw client CPU ms | facade client CPU ms | \
         facade ÷ raw, CPU | client CPU per item, raw / facade |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut verdicts = Vec::new();
    for endpoint in [Endpoint::Legacy, Endpoint::Cloud] {
        let measure = |side: Side| -> anyhow::Result<Cost> {
            let (listed, cost) = timed(runtime, clients.scan(endpoint, side, None));
            expect_items(&format!("the {side:?} scan"), listed?, items)?;
            Ok(cost)
        };
        // Warm-up: connections, allocator, caches.
        measure(Side::Raw)?;
        measure(Side::Facade)?;
        let mut pairs = Vec::new();
        for round in 0..settings.paging_pairs {
            // Alternate which goes first, so that a drift in the machine's speed favours neither.
            let pair = if round % 2 == 0 {
                let raw = measure(Side::Raw)?;
                Pair {
                    raw,
                    facade: measure(Side::Facade)?,
                }
            } else {
                let facade = measure(Side::Facade)?;
                Pair {
                    raw: measure(Side::Raw)?,
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
        let raw_wall = wall(|p| p.raw).ok_or_else(no_samples("paging"))?;
        let facade_wall = wall(|p| p.facade).ok_or_else(no_samples("paging"))?;
        let ratio = Spread::of(
            pairs
                .iter()
                .map(|p| p.facade.wall.as_secs_f64() / p.raw.wall.as_secs_f64()),
        )
        .ok_or_else(no_samples("paging"))?;
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
    body.push('\n');
    if settings.instruction_pages == 0 {
        body.push_str("The instruction counts are left out of a `--quick` run.\n");
    } else {
        match instruction_table(server.url(), settings.instruction_pages) {
            Ok(table) => body.push_str(&table),
            Err(error) => {
                eprintln!("warning: the instruction counts failed: {error:#}");
                let _ = writeln!(body, "The instruction counts failed: {error:#}.");
            }
        }
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
             first; the ratio is taken per pair, and its median is the figure judged.\n\n\
             Wall and CPU time on a shared virtual machine move with its neighbours' load (the hypervisor's steal \
             time lands in both), so the second table counts instructions instead: the same scans in a child \
             process under valgrind (cachegrind, no cache simulation), once for {} pages and once for {}, the \
             emulator staying in this process; the difference divided by the {} extra items is the client's \
             instructions per item, start-up excluded. Instructions are not time (cache misses and system calls \
             are not in them), but they barely move from run to run for the same pages, and they say what the \
             facade itself adds.",
            thousands(items),
            thousands(items / 100),
            settings.paging_pairs,
            settings.instruction_pages,
            settings.instruction_pages * 2,
            thousands(settings.instruction_pages * 100),
        ),
        body,
        verdicts,
    })
}

/// The client's instructions per item for each endpoint and side, as a Markdown table; a sentence instead
/// when valgrind is not installed.
fn instruction_table(url: &str, pages: u64) -> anyhow::Result<String> {
    let exe = std::env::current_exe().context("finding the benchmark's own executable")?;
    let count = |endpoint: Endpoint, side: Side, pages: u64| -> anyhow::Result<Option<u64>> {
        let args = [
            "scan-client".to_owned(),
            format!("--url={url}"),
            format!("--endpoint={}", format!("{endpoint:?}").to_lowercase()),
            format!("--side={}", format!("{side:?}").to_lowercase()),
            format!("--pages={pages}"),
        ];
        instructions(&exe, &args)
    };
    // A count hardly depends on timing (the same scan of the same pages repeated to within a few
    // instructions, alone or beside the others, when checked), so the eight runs go at once.
    let runs: Vec<(Endpoint, Side, u64)> = [Endpoint::Legacy, Endpoint::Cloud]
        .into_iter()
        .flat_map(|endpoint| [Side::Raw, Side::Facade].map(|side| (endpoint, side)))
        .flat_map(|(endpoint, side)| [pages, pages * 2].map(|pages| (endpoint, side, pages)))
        .collect();
    let counts: Vec<Option<u64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .iter()
            .map(|&(endpoint, side, pages)| scope.spawn(move || count(endpoint, side, pages)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("an instruction-count thread panicked"))
            .collect::<anyhow::Result<_>>()
    })?;
    let counted = |endpoint: Endpoint, side: Side, pages: u64| {
        runs.iter()
            .position(|run| *run == (endpoint, side, pages))
            .and_then(|index| counts[index])
    };
    let mut table = String::from(
        "| endpoint | raw loop, instructions per item | facade, instructions per item | facade ÷ raw, instructions |\n\
         |---|---|---|---|\n",
    );
    for endpoint in [Endpoint::Legacy, Endpoint::Cloud] {
        let mut per_item = Vec::new();
        for side in [Side::Raw, Side::Facade] {
            let (Some(once), Some(twice)) = (
                counted(endpoint, side, pages),
                counted(endpoint, side, pages * 2),
            ) else {
                return Ok(
                    "valgrind is not installed here, so the instruction counts were skipped.\n"
                        .into(),
                );
            };
            anyhow::ensure!(
                twice > once,
                "{endpoint:?} {side:?}: {} pages counted {twice} instructions, no more than {pages} pages ({once})",
                pages * 2
            );
            per_item.push((twice - once) as f64 / (pages * 100) as f64);
        }
        let _ = writeln!(
            table,
            "| {} | {:.0} | {:.0} | {:.3} |",
            endpoint.describe(),
            per_item[0],
            per_item[1],
            per_item[1] / per_item[0]
        );
    }
    Ok(table)
}
