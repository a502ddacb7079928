//! Scenario 2, decode speed: one 100-item page into the generated types, into `serde_json::Value`, and into
//! the raw loop's hand-written structs, measured by criterion.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use anyhow::Context;
use criterion::Criterion;
use roblox_inventory::{cloud_v2, legacy_v2};
use roblox_inventory_core::decode_json;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::runtime::Runtime;

use super::Settings;
use super::paging::Endpoint;
use crate::emulator::{self, API_KEY, Emulator, KEY_OWNER};
use crate::measure::Spread;
use crate::raw;
use crate::report::{Section, Verdict};
use crate::worlds::{self, LEGACY_ASSET_TYPE, LEGACY_USER};

/// What a page is decoded into: criterion's function names within a page's group.
const DECODED_INTO: [&str; 3] = ["generated", "value", "hand_written"];

struct Page {
    endpoint: Endpoint,
    body: Vec<u8>,
}

impl Page {
    /// Criterion's group name, and so its folder under `target/criterion`.
    fn group(&self) -> &'static str {
        match self.endpoint {
            Endpoint::Legacy => "decode_legacy_page",
            Endpoint::Cloud => "decode_cloud_page",
        }
    }

    fn describe(&self) -> &'static str {
        match self.endpoint {
            Endpoint::Legacy => "legacy v2 by asset type (`InventoryItemModelPage`)",
            Endpoint::Cloud => "Open Cloud (`ListInventoryItemsResponse`)",
        }
    }

    fn verdict_key(&self) -> &'static str {
        match self.endpoint {
            Endpoint::Legacy => "decode-legacy",
            Endpoint::Cloud => "decode-cloud",
        }
    }
}

pub fn run(
    runtime: &Runtime,
    settings: &Settings,
    criterion_home: &Path,
) -> anyhow::Result<Section> {
    let pages = fetch_pages(runtime)?;
    let mut criterion = Criterion::default()
        .warm_up_time(settings.decode_warm_up)
        .measurement_time(settings.decode_measurement)
        .sample_size(settings.decode_samples)
        .nresamples(settings.decode_resamples);

    let mut body = String::from(
        "| page | bytes | generated types µs | `serde_json::Value` µs | hand-written structs µs | generated ÷ Value | \
         generated ÷ hand-written |\n|---|---|---|---|---|---|---|\n",
    );
    let mut verdicts = Vec::new();
    for page in &pages {
        match page.endpoint {
            Endpoint::Legacy => bench::<legacy_v2::types::InventoryItemModelPage, raw::LegacyPage>(
                &mut criterion,
                page,
            )?,
            Endpoint::Cloud => {
                bench::<cloud_v2::types::ListInventoryItemsResponse, raw::CloudPage>(
                    &mut criterion,
                    page,
                )?
            }
        }
        let [generated, value, hand_written] = DECODED_INTO
            .map(|function| median_microseconds(criterion_home, page.group(), function));
        let (generated, value, hand_written) = (generated?, value?, hand_written?);
        // The ratio's bounds pair the ends of the two confidence intervals.
        let to_value = Spread {
            median: generated.median / value.median,
            min: generated.min / value.max,
            max: generated.max / value.min,
            samples: 1,
        };
        let _ = writeln!(
            body,
            "| {} | {} | {} | {} | {} | {} | {:.2} |",
            page.describe(),
            page.body.len(),
            generated.display(1),
            value.display(1),
            hand_written.display(1),
            to_value.display(2),
            generated.median / hand_written.median,
        );
        verdicts.push(Verdict {
            key: page.verdict_key(),
            what: format!(
                "Decode speed, {}: generated types ÷ `serde_json::Value`, time per page",
                page.describe()
            ),
            target: "< 1.00 (PERFORMANCE.md: never decode through `Value`)".into(),
            result: to_value.display(2).to_string(),
            met: Some(to_value.median < 1.0),
        });
    }
    criterion.final_summary();
    Ok(Section {
        title: "Decode speed: generated types against `serde_json::Value`".into(),
        method: format!(
            "The first page (100 items) of each endpoint, as the emulator serves it, decoded from bytes with \
             `roblox_inventory_core::decode_json` as the generated clients do (serde_json, after one UTF-8 check \
             of the whole body): into the generated page type, into `serde_json::Value`, and into the raw loop's \
             hand-written structs, so that the type decoded into is all that differs. criterion ({} samples, {:.1} s \
             of measurement after {:.1} s of warm-up per function); the figures are criterion's median time per \
             page with its 95 % confidence interval in brackets, and each ratio's brackets pair the ends of the \
             two intervals. The issue sets no target here; PERFORMANCE.md's \
             rule that decoding must never go through `Value` is the one judged. Criterion's own reports are \
             under `target/criterion/decode_*`.",
            settings.decode_samples,
            settings.decode_measurement.as_secs_f64(),
            settings.decode_warm_up.as_secs_f64(),
        ),
        body,
        verdicts,
    })
}

fn fetch_pages(runtime: &Runtime) -> anyhow::Result<Vec<Page>> {
    let server = Emulator::start(
        worlds::inventories(100, 100),
        emulator::behaviour(emulator::unlimited()),
    )?;
    let http = reqwest::Client::new();
    let legacy = format!(
        "{}/v2/users/{LEGACY_USER}/inventory/{LEGACY_ASSET_TYPE}?limit=100",
        server.url()
    );
    let cloud = format!(
        "{}/cloud/v2/users/{KEY_OWNER}/inventory-items?maxPageSize=100",
        server.url()
    );
    runtime.block_on(async {
        let legacy = http
            .get(legacy)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        let cloud = http
            .get(cloud)
            .header("x-api-key", API_KEY)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        Ok(vec![
            Page {
                endpoint: Endpoint::Legacy,
                body: legacy.to_vec(),
            },
            Page {
                endpoint: Endpoint::Cloud,
                body: cloud.to_vec(),
            },
        ])
    })
}

fn bench<Generated: DeserializeOwned, HandWritten: DeserializeOwned>(
    criterion: &mut Criterion,
    page: &Page,
) -> anyhow::Result<()> {
    // Each must decode this page, or the timing would be of an early error.
    decode_json::<Generated>(&page.body).context("the generated type refuses the page")?;
    decode_json::<HandWritten>(&page.body).context("the hand-written struct refuses the page")?;
    let mut group = criterion.benchmark_group(page.group());
    group.bench_function(DECODED_INTO[0], |b| {
        b.iter(|| decode_json::<Generated>(black_box(&page.body)).ok())
    });
    group.bench_function(DECODED_INTO[1], |b| {
        b.iter(|| decode_json::<serde_json::Value>(black_box(&page.body)).ok())
    });
    group.bench_function(DECODED_INTO[2], |b| {
        b.iter(|| decode_json::<HandWritten>(black_box(&page.body)).ok())
    });
    group.finish();
    Ok(())
}

#[derive(Deserialize)]
struct Estimates {
    median: Estimate,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
    confidence_interval: ConfidenceInterval,
}

#[derive(Deserialize)]
struct ConfidenceInterval {
    lower_bound: f64,
    upper_bound: f64,
}

/// Criterion's median (nanoseconds, with its confidence interval) from `estimates.json`, in microseconds.
fn median_microseconds(
    criterion_home: &Path,
    group: &str,
    function: &str,
) -> anyhow::Result<Spread> {
    let path: PathBuf = [criterion_home, Path::new(group), Path::new(function)]
        .iter()
        .collect::<PathBuf>()
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading criterion's estimates {}", path.display()))?;
    let estimates: Estimates = serde_json::from_str(&text).with_context(|| {
        format!(
            "criterion's estimates {} are not as expected",
            path.display()
        )
    })?;
    let median = estimates.median;
    Ok(Spread {
        median: median.point_estimate,
        min: median.confidence_interval.lower_bound,
        max: median.confidence_interval.upper_bound,
        samples: 1,
    }
    .scaled(1e-3))
}
