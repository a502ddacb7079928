//! Scenario 1, paging overhead: the same scan through the facade and through a hand-written reqwest loop,
//! alternating, against pages rendered once and served from memory, judged on the client's CPU time; then the
//! client's instructions per item of each, counted under valgrind, which no other load on the machine can
//! disturb.

mod instructions;

use std::fmt::Write as _;

use roblox_inventory::Client;
use tokio::runtime::Runtime;

use super::{Settings, expect_items, facade_cloud_scan, facade_legacy_scan, no_samples, thousands};
use crate::emulator::{self, API_KEY, Emulator, KEY_OWNER};
use crate::farm::{self, Listing, PageFarm};
use crate::measure::{Cost, Spread, timed};
use crate::raw;
use crate::report::{Section, Verdict};
use crate::worlds::{self, LEGACY_ASSET_TYPE, LEGACY_USER};

/// Facade ÷ raw client CPU time, median of the pairs.
const CPU_TARGET: f64 = 1.05;

/// The endpoint a scan pages through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Endpoint {
    Legacy,
    Cloud,
}

const ENDPOINTS: [Endpoint; 2] = [Endpoint::Legacy, Endpoint::Cloud];

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

    /// The listing both sides scan, as the raw loop asks the emulator for it.
    pub fn listing(self) -> Listing {
        match self {
            Endpoint::Legacy => Listing {
                path: format!("/v2/users/{LEGACY_USER}/inventory/{LEGACY_ASSET_TYPE}"),
                cursor_parameter: "cursor",
                next_field: "nextPageCursor",
                query: &[("limit", "100")],
                headers: Vec::new(),
            },
            Endpoint::Cloud => Listing {
                path: format!("/cloud/v2/users/{KEY_OWNER}/inventory-items"),
                cursor_parameter: "pageToken",
                next_field: "nextPageToken",
                query: &[("maxPageSize", "100")],
                headers: vec![("x-api-key", API_KEY.to_owned())],
            },
        }
    }
}

/// Both clients, pointed at one server.
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

/// Every page of both listings, rendered by the emulator once and then served from memory.
pub fn rendered_farm(runtime: &Runtime, items: u64) -> anyhow::Result<PageFarm> {
    rendered_farm_of(runtime, &ENDPOINTS, items)
}

/// Every page of the listings of `endpoints`, `items` items each, rendered by the emulator once and then
/// served from memory.
pub fn rendered_farm_of(
    runtime: &Runtime,
    endpoints: &[Endpoint],
    items: u64,
) -> anyhow::Result<PageFarm> {
    let items_of = |endpoint| {
        if endpoints.contains(&endpoint) {
            items
        } else {
            0
        }
    };
    let server = Emulator::start(
        worlds::inventories(items_of(Endpoint::Cloud), items_of(Endpoint::Legacy)),
        emulator::behaviour(emulator::unlimited()),
    )?;
    let http = reqwest::Client::new();
    // One page more than the items fill: a last page may come back empty.
    let max_pages = items.div_ceil(100) + 1;
    let listings = runtime.block_on(async {
        let mut listings = Vec::new();
        for endpoint in endpoints {
            listings.push(farm::render(&http, server.url(), endpoint.listing(), max_pages).await?);
        }
        anyhow::Ok(listings)
    })?;
    PageFarm::start(listings)
}

struct Pair {
    raw: Cost,
    facade: Cost,
}

pub fn run(runtime: &Runtime, settings: &Settings) -> anyhow::Result<Section> {
    let items = settings.paging_items;
    let farm = rendered_farm(runtime, items)?;
    let clients = Clients::new(farm.url())?;

    let mut body = String::from(
        "| endpoint | raw client CPU ms | facade client CPU ms | facade ÷ raw, CPU | client CPU per item, raw / facade | \
         raw wall ms | facade wall ms | facade ÷ raw, wall |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut verdicts = Vec::new();
    for endpoint in ENDPOINTS {
        let pairs = alternating_pairs(runtime, &clients, endpoint, settings)?;
        let wall = |pick: fn(&Pair) -> Cost| {
            Spread::of(pairs.iter().map(|p| pick(p).wall.as_secs_f64() * 1e3))
                .ok_or_else(no_samples("paging"))
        };
        let cpu = |pick: fn(&Pair) -> Cost| {
            Spread::of(
                pairs
                    .iter()
                    .filter_map(|p| pick(p).cpu.map(|cpu| cpu.as_secs_f64() * 1e3)),
            )
        };
        let wall_ratio = Spread::of(
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
            "| {} | {} | {} | {} | {} / {} µs | {} | {} | {} |",
            endpoint.describe(),
            or_na(raw_cpu, 0),
            or_na(facade_cpu, 0),
            or_na(cpu_ratio, 3),
            per_item(raw_cpu),
            per_item(facade_cpu),
            wall(|p| p.raw)?.display(0),
            wall(|p| p.facade)?.display(0),
            wall_ratio.display(3),
        );
        verdicts.push(Verdict {
            key: endpoint.key(),
            what: format!(
                "Paging overhead, {}: facade ÷ raw reqwest client CPU time, {} items from pre-rendered pages",
                endpoint.describe(),
                thousands(items)
            ),
            target: format!("≤ {CPU_TARGET:.2}"),
            result: or_na(cpu_ratio, 3),
            met: cpu_ratio.map(|ratio| ratio.median <= CPU_TARGET),
        });
    }
    body.push('\n');
    let (table, instruction_verdicts) =
        instructions::counted(farm.url(), settings.instruction_pages);
    body.push_str(&table);
    verdicts.extend(instruction_verdicts);
    Ok(Section {
        title: "Paging overhead: the facade against raw reqwest".into(),
        method: method(settings),
        body,
        verdicts,
    })
}

/// One warm-up pair, then `paging_pairs` pairs of one raw and one facade scan of every item.
fn alternating_pairs(
    runtime: &Runtime,
    clients: &Clients,
    endpoint: Endpoint,
    settings: &Settings,
) -> anyhow::Result<Vec<Pair>> {
    let items = settings.paging_items;
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
    Ok(pairs)
}

fn method(settings: &Settings) -> String {
    let items = settings.paging_items;
    format!(
        "Each scan streams {} items ({} pages of 100). The pages are rendered once, before anything is timed: a \
         plain reqwest loop fetches every page of both listings from the emulator, following the cursors, and \
         keeps each body as bytes, with its `Content-Type` and `x-ratelimit-*` headers, under the cursor that \
         fetched it. A minimal axum server on loopback then answers each request with the stored page of its \
         `cursor` (legacy) or `pageToken` (Open Cloud) parameter, whatever else the request asks, so both \
         clients read exactly the same bytes and the server's work per page is a lookup and a write rather than \
         the emulator's rendering, whose time, spent while the client waits, diluted the ratios of wall time. \
         The raw side is a hand-written loop (crates/roblox-inventory-bench/src/raw.rs): reqwest and serde_json \
         into plain structs that decode every field the generated models decode, dates and enums as strings. \
         The facade side is `Client::user_inventory_by_type(..).items()` and `Client::inventory_items(..).items()` \
         with the builder's defaults (retry policy, adaptive rate limiting from the response headers, in-flight \
         cap 8, tracing spans) except that the client-side limits are off: at the documented 100 requests a \
         minute a scan would measure waiting. Both clients run on one current-thread tokio runtime on the main \
         thread, the server on a thread of its own, so the client CPU figures (the main thread's CPU clock) \
         contain no server work. One warm-up pair, then {} pairs alternating which side goes first; the ratio \
         of client CPU time is taken per pair, and its median is the figure judged. Wall time is shown beside \
         it, not judged.\n\n{}",
        thousands(items),
        thousands(items / 100),
        settings.paging_pairs,
        instruction_method(settings.instruction_pages),
    )
}

fn instruction_method(pages: u64) -> String {
    if pages == 0 {
        return "The instruction counts under valgrind are left out of a `--quick` run.".into();
    }
    format!(
        "CPU time on a shared virtual machine still moves with its neighbours' load, so the second table \
         counts instructions instead: the same scans of the same stored pages in a child process under \
         valgrind (cachegrind, no cache simulation), once for {pages} pages and once for {}, the server staying \
         in this process; the difference divided by the {} extra items is the client's instructions per item, \
         start-up excluded. Instructions are not time (cache misses and system calls are not in them), but \
         they barely move from run to run for the same pages, and they say what the facade itself adds; \
         facade ÷ raw is judged against ≤ {:.2}.",
        pages * 2,
        thousands(pages * 100),
        instructions::TARGET,
    )
}
