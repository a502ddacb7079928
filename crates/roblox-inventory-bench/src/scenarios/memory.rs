//! Scenario 3, memory: peak resident memory of a client process streaming a million items without keeping them.
//!
//! The emulator runs in the benchmark's process; the client runs in a child process (this same binary,
//! `memory-client`), so that the child's `VmHWM` is the client's peak alone.

use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::{Settings, expect_items, facade_cloud_scan, thousands};
use crate::emulator::{self, Emulator, KEY_OWNER};
use crate::measure::{Spread, peak_rss_kib};
use crate::report::{Section, Verdict};
use crate::worlds;

const TARGET_MIB: f64 = 64.0;

/// What the child process prints, as one JSON line.
#[derive(Debug, Serialize, Deserialize)]
pub struct ClientMemory {
    pub items: u64,
    pub seconds: f64,
    /// `VmHWM` once the runtime and client exist, before the first request.
    pub peak_before_kib: u64,
    /// `VmHWM` after the scan.
    pub peak_after_kib: u64,
}

/// The child's side: stream every Open Cloud item of the key owner from `url` and report memory.
pub fn client(url: &str, expected_items: u64) -> anyhow::Result<ClientMemory> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = emulator::unthrottled_client(url)?;
    let peak_before_kib = peak_rss_kib()?;
    let started = Instant::now();
    let items = runtime.block_on(facade_cloud_scan(&client, KEY_OWNER, None))?;
    let seconds = started.elapsed().as_secs_f64();
    expect_items("the facade", items, expected_items)?;
    Ok(ClientMemory {
        items,
        seconds,
        peak_before_kib,
        peak_after_kib: peak_rss_kib()?,
    })
}

pub fn run(settings: &Settings) -> anyhow::Result<Section> {
    let items = settings.memory_items;
    let server = Emulator::start(
        worlds::inventories(items, 0),
        emulator::behaviour(emulator::unlimited()),
    )?;
    let exe = std::env::current_exe().context("finding the benchmark's own executable")?;
    let mut runs = Vec::new();
    for _ in 0..settings.memory_runs {
        let output = Command::new(&exe)
            .args(["memory-client", "--url", server.url(), "--items"])
            .arg(items.to_string())
            .output()
            .with_context(|| format!("running {} memory-client", exe.display()))?;
        if !output.status.success() {
            bail!(
                "the memory client failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        let line = String::from_utf8_lossy(&output.stdout);
        let run: ClientMemory = serde_json::from_str(line.trim())
            .with_context(|| format!("the memory client printed {line:?}"))?;
        runs.push(run);
    }
    let mib = |kib: u64| kib as f64 / 1024.0;
    let peak = Spread::of(runs.iter().map(|r| mib(r.peak_after_kib))).context("no memory runs")?;
    let before =
        Spread::of(runs.iter().map(|r| mib(r.peak_before_kib))).context("no memory runs")?;
    let seconds = Spread::of(runs.iter().map(|r| r.seconds)).context("no memory runs")?;
    let rate = Spread::of(runs.iter().map(|r| r.items as f64 / r.seconds / 1e3))
        .context("no memory runs")?;
    let mut body = String::from(
        "| items streamed | peak RSS before the scan, MiB | peak RSS after, MiB | scan s | thousand items/s |\n\
         |---|---|---|---|---|\n",
    );
    let _ = writeln!(
        body,
        "| {} | {} | {} | {} | {} |",
        thousands(items),
        before.display(1),
        peak.display(1),
        seconds.display(2),
        rate.display(0)
    );
    Ok(Section {
        title: "Memory: streaming without collecting".into(),
        method: format!(
            "A child process (this benchmark's `memory-client` mode) builds a current-thread runtime and a facade \
             client, reads its peak resident set (`VmHWM` in /proc/self/status), streams all {} Open Cloud items \
             of one user through `Client::inventory_items(..).items()` ({} pages of 100), counting and dropping \
             each, and reads `VmHWM` again. The emulator serves from the parent process, so the figure is the \
             client's alone. {} run(s).",
            thousands(items),
            thousands(items / 100),
            settings.memory_runs
        ),
        body,
        verdicts: vec![Verdict {
            key: "memory",
            what: format!(
                "Memory: peak RSS of a client streaming {} items",
                thousands(items)
            ),
            target: format!("< {TARGET_MIB:.0} MiB in every run"),
            result: format!("{} MiB", peak.display(1)),
            met: Some(peak.max < TARGET_MIB),
        }],
    })
}
