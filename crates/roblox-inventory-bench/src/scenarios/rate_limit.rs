//! Scenario 4, the rate-limit ceiling: how close a scan comes to the emulator's limit of R requests per
//! window, and how many 429s it meets on the way.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use anyhow::bail;
use futures_util::StreamExt;
use roblox_inventory::{InventoryFilter, RateLimit};
use roblox_inventory_mock::behaviour::{BehaviourConfig, RateLimitConfig};
use tokio::runtime::Runtime;

use super::{Settings, no_samples, thousands};
use crate::emulator::{self, Emulator, KEY_OWNER};
use crate::measure::Spread;
use crate::report::{Section, Verdict};
use crate::worlds;

const TARGET_SHARE: f64 = 0.90;
const MAX_429S: u64 = 1;

/// How the client knows the limit.
#[derive(Clone, Copy)]
enum Knowledge {
    /// Configured on the builder, as `Client::builder()` does by default with Roblox's documented limit.
    Configured,
    /// Nothing configured: learned from the `x-ratelimit-*` headers of the responses.
    Learned,
}

impl Knowledge {
    fn key(self) -> &'static str {
        match self {
            Knowledge::Configured => "rate-limit-configured",
            Knowledge::Learned => "rate-limit-learned",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Knowledge::Configured => "limit configured on the client",
            Knowledge::Learned => "limit learned from response headers only",
        }
    }
}

struct Run {
    rate: f64,
    too_many_requests: u64,
}

pub fn run(runtime: &Runtime, settings: &Settings) -> anyhow::Result<Section> {
    let requests = settings.rate_limit_requests;
    let window = settings.rate_limit_window;
    let windows = settings.rate_limit_windows;
    let ceiling = f64::from(requests) / window.as_secs_f64();
    let mut body = String::from(
        "| client | pages/s achieved | ceiling pages/s | share of ceiling | 429s per run |\n|---|---|---|---|---|\n",
    );
    let mut verdicts = Vec::new();
    for knowledge in [Knowledge::Configured, Knowledge::Learned] {
        let mut runs = Vec::new();
        for _ in 0..settings.rate_limit_runs {
            runs.push(measure(runtime, settings, knowledge)?);
        }
        let rate = Spread::of(runs.iter().map(|r| r.rate)).ok_or_else(no_samples("rate-limit"))?;
        let share = rate.scaled(100.0 / ceiling);
        let worst_429s = runs.iter().map(|r| r.too_many_requests).max().unwrap_or(0);
        let too_many: Vec<String> = runs
            .iter()
            .map(|r| r.too_many_requests.to_string())
            .collect();
        let _ = writeln!(
            body,
            "| {} | {} | {ceiling:.1} | {} % | {} |",
            knowledge.describe(),
            rate.display(1),
            share.display(1),
            too_many.join(", ")
        );
        verdicts.push(Verdict {
            key: knowledge.key(),
            what: format!(
                "Rate-limit ceiling, {}: pages/s against {requests} requests per window; 429s",
                knowledge.describe()
            ),
            target: format!(
                "≥ {:.0} % of the ceiling, ≤ {MAX_429S} × 429",
                TARGET_SHARE * 100.0
            ),
            result: format!("{} %, {worst_429s} × 429", share.display(1)),
            met: Some(share.median >= TARGET_SHARE * 100.0 && worst_429s <= MAX_429S),
        });
    }
    Ok(Section {
        title: "Rate-limit ceiling".into(),
        method: format!(
            "The emulator allows {requests} Open Cloud requests per window per API key owner, Roblox's documented \
             100 a minute with time scaled so that a window lasts {:.1} s (the emulator's fixed windows, with \
             `x-ratelimit-limit`, `-remaining` and `-reset` on every response; `-reset` in whole seconds, rounded \
             up, as Roblox sends it). A facade scan of a {}-item inventory runs until the first page of window \
             {} arrives; the rate is the {} pages of the first {windows} windows divided by that time, so a \
             client at the ceiling scores 100 %. Two clients: one configured with the limit \
             (`ClientBuilder::rate_limit(Some(RateLimit {{ requests: {requests}, per: {:.1} s }}))`, what the default \
             `RateLimit::API_KEY` is in real time), one with no limit configured that learns it from the headers \
             (`rate_limit(None)`, adaptive). Each runs {} times against a fresh emulator; 429s are the \
             emulator's count. What separates a client from 100 %: once a window's quota is spent it waits for \
             the reset the server announced, which is whole seconds rounded up from the moment of the last \
             response, so each window starts later by about the time the burst of {requests} requests took; \
             time scaling magnifies that share {:.0}-fold against Roblox's real one-minute window.",
            window.as_secs_f64(),
            thousands(pages_needed(settings) * 100),
            windows + 1,
            thousands(u64::from(windows) * u64::from(requests)),
            window.as_secs_f64(),
            settings.rate_limit_runs,
            60.0 / window.as_secs_f64(),
        ),
        body,
        verdicts,
    })
}

/// Pages up to the first of the window after the last measured one, and one more, so that the scan cannot
/// end before that page arrives.
fn pages_needed(settings: &Settings) -> u64 {
    u64::from(settings.rate_limit_windows) * u64::from(settings.rate_limit_requests) + 2
}

fn measure(runtime: &Runtime, settings: &Settings, knowledge: Knowledge) -> anyhow::Result<Run> {
    let requests = settings.rate_limit_requests;
    let window = settings.rate_limit_window;
    let behaviour = BehaviourConfig {
        time_scale: Duration::from_secs(60).as_secs_f64() / window.as_secs_f64(),
        ..emulator::behaviour(RateLimitConfig {
            window: Duration::from_secs(60),
            api_key_owner_limit: requests,
            ..emulator::unlimited()
        })
    };
    let server = Emulator::start(
        worlds::inventories(pages_needed(settings) * 100, 0),
        behaviour,
    )?;
    let limit = match knowledge {
        Knowledge::Configured => Some(RateLimit {
            requests,
            per: window,
        }),
        Knowledge::Learned => None,
    };
    let client = server
        .client_builder()
        .cloud_rate_limit(limit)
        .legacy_rate_limit(None)
        .build()?;
    let measured = u64::from(settings.rate_limit_windows) * u64::from(requests);
    let elapsed = runtime.block_on(async {
        let started = Instant::now();
        let mut pages = client
            .inventory_items(KEY_OWNER, &InventoryFilter::everything())
            .pages();
        let mut count = 0u64;
        while let Some(page) = pages.next().await {
            page?;
            count += 1;
            if count == measured + 1 {
                return Ok(started.elapsed());
            }
        }
        bail!("the scan ended after {count} pages, before the window it was to reach")
    })?;
    Ok(Run {
        rate: measured as f64 / elapsed.as_secs_f64(),
        too_many_requests: server.counters().too_many_requests,
    })
}
