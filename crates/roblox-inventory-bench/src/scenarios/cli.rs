//! Scenario 7, CLI output: `rbxinv --format ndjson` scanning the paging scenario's Open Cloud pages into a
//! pipe, end to end, against the raw reqwest loop over the same pages. It measures rbxinv's whole path to
//! standard output: process start, the facade's scan, each item turned into JSON, and the writes.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::runtime::Runtime;

use super::paging::{Endpoint, rendered_farm_of};
use super::{Settings, expect_items, no_samples, thousands};
use crate::emulator::{API_KEY, KEY_OWNER};
use crate::measure::{Cost, Spread, children_cpu_time, timed};
use crate::raw;
use crate::report::{Section, Verdict};

/// rbxinv ÷ raw wall time, median of the pairs.
pub const TARGET: f64 = 1.30;

/// Items of the scan whose writes strace counts (strace stops the process at every write it traces, so the
/// count comes from a scan of its own, capped at this, never from a timed one).
const COUNTED_ITEMS: u64 = 10_000;

/// The system calls that write, as strace names them.
const WRITE_CALLS: [&str; 5] = ["write", "writev", "pwrite64", "pwritev", "pwritev2"];

/// One run of rbxinv: its wall time from spawn to exit, its CPU time, and what it wrote.
struct CliRun {
    wall: Duration,
    /// User and system CPU time of the child process.
    cpu: Option<Duration>,
    bytes: u64,
}

struct Pair {
    raw: Cost,
    cli: CliRun,
}

pub fn run(
    runtime: &Runtime,
    settings: &Settings,
    rbxinv: Option<&Path>,
    workspace: &Path,
) -> anyhow::Result<Section> {
    let items = settings.cli_items;
    let (rbxinv, build_seconds) = rbxinv_binary(rbxinv, workspace)?;
    let farm = rendered_farm_of(runtime, &[Endpoint::Cloud], items)?;
    let url = farm.url();
    let http = reqwest::Client::new();

    let measure_raw = || -> anyhow::Result<Cost> {
        let (listed, cost) = timed(runtime, raw::cloud_scan(&http, url, KEY_OWNER, None));
        expect_items("the raw scan", listed?, items)?;
        Ok(cost)
    };
    let measure_cli = || run_cli(&rbxinv, url, items);
    // Warm-up: connections, allocator, page cache of the binary.
    measure_raw()?;
    measure_cli()?;
    let mut pairs = Vec::new();
    for round in 0..settings.cli_pairs {
        // Alternate which goes first, so that a drift in the machine's speed favours neither.
        let pair = if round % 2 == 0 {
            let raw = measure_raw()?;
            Pair {
                raw,
                cli: measure_cli()?,
            }
        } else {
            let cli = measure_cli()?;
            Pair {
                raw: measure_raw()?,
                cli,
            }
        };
        pairs.push(pair);
    }
    let counted_items = items.min(COUNTED_ITEMS);
    let writes = match write_calls(&rbxinv, url, counted_items) {
        Ok(Some(calls)) => Ok(calls as f64 / (counted_items as f64 / 100.0)),
        Ok(None) => Err("not counted: strace is not installed".to_owned()),
        Err(error) => {
            eprintln!("warning: counting rbxinv's write calls failed: {error:#}");
            Err(format!("not counted: {error:#}"))
        }
    };

    let ms = |spread: Spread| spread.scaled(1e3).display(0).to_string();
    let ratio = Spread::of(
        pairs
            .iter()
            .map(|p| p.cli.wall.as_secs_f64() / p.raw.wall.as_secs_f64().max(1e-9)),
    )
    .ok_or_else(no_samples("cli-ndjson"))?;
    let raw_wall = Spread::of(pairs.iter().map(|p| p.raw.wall.as_secs_f64()))
        .ok_or_else(no_samples("cli-ndjson"))?;
    let cli_wall = Spread::of(pairs.iter().map(|p| p.cli.wall.as_secs_f64()))
        .ok_or_else(no_samples("cli-ndjson"))?;
    let or_na = |spread: Option<Spread>| spread.map_or("n/a".to_owned(), ms);
    let raw_cpu = or_na(Spread::of(
        pairs.iter().filter_map(|p| Some(p.raw.cpu?.as_secs_f64())),
    ));
    let cli_cpu = or_na(Spread::of(
        pairs.iter().filter_map(|p| Some(p.cli.cpu?.as_secs_f64())),
    ));
    let bytes = pairs.first().map_or(0, |p| p.cli.bytes);
    let mut body = String::from(
        "| items | raw loop wall ms | rbxinv wall ms | rbxinv ÷ raw, wall | raw client CPU ms | \
         rbxinv CPU ms (user + system) | rbxinv output | write calls per page |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    let _ = writeln!(
        body,
        "| {} | {} | {} | {} | {} | {} | {:.1} MB, {} lines | {} |",
        thousands(items),
        ms(raw_wall),
        ms(cli_wall),
        ratio.display(3),
        raw_cpu,
        cli_cpu,
        bytes as f64 / 1e6,
        thousands(items),
        match &writes {
            Ok(per_page) => format!("{per_page:.1}"),
            Err(why) => why.clone(),
        },
    );
    if let Some(seconds) = build_seconds {
        body.push_str(&build_note(seconds));
    }
    Ok(Section {
        title: "CLI output: `rbxinv --format ndjson` into a pipe".into(),
        method: method(settings, counted_items),
        body,
        verdicts: vec![Verdict {
            key: "cli-ndjson",
            what: format!(
                "CLI output: `rbxinv --format ndjson` scanning {} items into a pipe, end to end, ÷ the raw reqwest \
                 loop, wall time, from pre-rendered pages",
                thousands(items)
            ),
            target: format!("≤ {TARGET:.2}"),
            result: ratio.display(3).to_string(),
            met: Some(ratio.median <= TARGET),
        }],
    })
}

/// The rbxinv to measure: `given`, or the one cargo builds from crates/rbxinv in this binary's own profile
/// (release under `cargo xtask bench`), with how long that build took.
pub(crate) fn rbxinv_binary(
    given: Option<&Path>,
    workspace: &Path,
) -> anyhow::Result<(PathBuf, Option<f64>)> {
    if let Some(path) = given {
        anyhow::ensure!(path.is_file(), "--rbxinv {}: no such file", path.display());
        return Ok((path.to_owned(), None));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(&cargo);
    command.args([
        "build",
        "--locked",
        "--package",
        "rbxinv",
        "--bin",
        "rbxinv",
        "--message-format=json-render-diagnostics",
    ]);
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    let started = Instant::now();
    let output = command
        .current_dir(workspace)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo build --package rbxinv")?;
    let seconds = started.elapsed().as_secs_f64();
    if !output.status.success() {
        bail!("cargo build --package rbxinv failed ({})", output.status);
    }
    let executable = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact" && message["target"]["name"] == "rbxinv"
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .context("cargo build --package rbxinv named no rbxinv executable")?;
    Ok((executable, Some(seconds)))
}

/// `rbxinv --cloud-url URL --api-key KEY --format ndjson --quiet [--max-items N] items USER`, its standard
/// output and error piped to this process.
fn cli_args(url: &str, max_items: Option<u64>) -> Vec<String> {
    let mut args = vec![
        "--cloud-url".to_owned(),
        url.to_owned(),
        "--api-key".to_owned(),
        API_KEY.to_owned(),
        "--format".to_owned(),
        "ndjson".to_owned(),
        "--quiet".to_owned(),
    ];
    if let Some(items) = max_items {
        args.extend(["--max-items".to_owned(), items.to_string()]);
    }
    args.extend(["items".to_owned(), KEY_OWNER.to_string()]);
    args
}

fn piped(mut command: Command) -> Command {
    // Only the flags count: no credential of the environment reaches the child.
    for variable in ["ROBLOX_API_KEY", "ROBLOX_OAUTH_TOKEN", "ROBLOSECURITY"] {
        command.env_remove(variable);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// What a child wrote: its standard output read (and dropped) as it arrives, its standard error collected on
/// a thread of its own so that neither pipe can fill and stall it.
struct Drained {
    bytes: u64,
    lines: u64,
    /// Whether the output ends with a newline (or is empty).
    whole_lines: bool,
    stderr: String,
}

fn drain(child: &mut Child) -> anyhow::Result<Drained> {
    let mut stderr = child.stderr.take().context("the child's standard error")?;
    let stderr: JoinHandle<String> = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut stdout = child.stdout.take().context("the child's standard output")?;
    let mut buffer = vec![0u8; 64 * 1024];
    let (mut bytes, mut lines, mut last) = (0u64, 0u64, b'\n');
    loop {
        let read = match stdout.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error).context("reading the child's standard output"),
        };
        let chunk = &buffer[..read];
        bytes += read as u64;
        lines += chunk.iter().filter(|&&byte| byte == b'\n').count() as u64;
        last = chunk[read - 1];
    }
    let stderr = stderr.join().unwrap_or_default();
    Ok(Drained {
        bytes,
        lines,
        whole_lines: last == b'\n',
        stderr,
    })
}

/// Fails unless the child succeeded and wrote `items` whole lines.
fn expect_lines(
    what: &str,
    status: std::process::ExitStatus,
    drained: &Drained,
    items: u64,
) -> anyhow::Result<()> {
    if !status.success() {
        bail!("{what} failed ({status}): {}", drained.stderr.trim());
    }
    anyhow::ensure!(
        drained.lines == items && drained.whole_lines,
        "{what} wrote {} lines ({} bytes{}), the pages hold {items} items",
        drained.lines,
        drained.bytes,
        if drained.whole_lines {
            ""
        } else {
            ", the last one unfinished"
        }
    );
    Ok(())
}

/// One scan of every item by rbxinv, from spawn to exit, its output read and dropped by this process.
fn run_cli(rbxinv: &Path, url: &str, items: u64) -> anyhow::Result<CliRun> {
    let mut command = piped(Command::new(rbxinv));
    command.args(cli_args(url, None));
    let cpu_before = children_cpu_time();
    let started = Instant::now();
    let mut child = command
        .spawn()
        .with_context(|| format!("running {}", rbxinv.display()))?;
    let drained = drain(&mut child);
    let status = child.wait().context("waiting for rbxinv")?;
    let wall = started.elapsed();
    let cpu = match (cpu_before, children_cpu_time()) {
        (Some(before), Some(after)) => Some(after.saturating_sub(before)),
        _ => None,
    };
    let drained = drained?;
    expect_lines("rbxinv", status, &drained, items)?;
    Ok(CliRun {
        wall,
        cpu,
        bytes: drained.bytes,
    })
}

/// Write system calls on rbxinv's standard output during a scan of `items` items, counted by strace; `None`
/// when strace is not installed.
fn write_calls(rbxinv: &Path, url: &str, items: u64) -> anyhow::Result<Option<u64>> {
    let mut command = piped(Command::new("strace"));
    command
        .args(["-f", "-qq", "--seccomp-bpf", "-s", "0", "-e"])
        .arg(format!("trace={}", WRITE_CALLS.join(",")))
        .arg("--")
        .arg(rbxinv)
        .args(cli_args(url, Some(items)));
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error).context("running strace"),
    };
    let drained = drain(&mut child);
    let status = child.wait().context("waiting for strace")?;
    let drained = drained?;
    expect_lines("rbxinv under strace", status, &drained, items)?;
    Ok(Some(count_stdout_writes(&drained.stderr)))
}

/// The calls in strace's output (one per line, `[pid N] ` before those of other threads) that write to file
/// descriptor 1; a call interrupted by another thread's is counted once, at its start.
fn count_stdout_writes(trace: &str) -> u64 {
    trace
        .lines()
        .map(|line| match line.strip_prefix("[pid ") {
            Some(rest) => rest.split_once("] ").map_or("", |(_, call)| call),
            None => line,
        })
        .filter(|call| {
            WRITE_CALLS.iter().any(|name| {
                call.strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with("(1,"))
            })
        })
        .count() as u64
}

fn method(settings: &Settings, counted_items: u64) -> String {
    let items = settings.cli_items;
    format!(
        "What a user of the command line waits for when piping a whole inventory on: `rbxinv --cloud-url URL \
         --api-key KEY --format ndjson --quiet items 156` run as a child process, its standard output a pipe \
         that this process reads in 64 KiB reads and drops, counting bytes and lines (a run must write exactly \
         {} lines, one per item, or the benchmark fails). The figure is its wall time from spawn to exit, so it \
         holds everything: process start, the facade's scan, each item turned into JSON, and the writes into \
         the pipe. The pages are the paging scenario's: the emulator renders every Open Cloud page of {} items \
         ({} pages of 100) once, and the same minimal server, on a thread of this process, replays the stored \
         bytes. The baseline is the paging scenario's raw loop (crates/roblox-inventory-bench/src/raw.rs: \
         reqwest and serde_json into plain structs, each item dropped) over the same pages, timed in this \
         process on a current-thread runtime, with a reqwest client kept across scans; it writes nothing. One \
         warm-up pair, then {} pairs alternating which side goes first; the ratio of wall times is taken per \
         pair, and its median is judged against ≤ {TARGET:.2}. CPU times are shown, not judged: the raw \
         loop's thread, and rbxinv's user and system time (`getrusage(RUSAGE_CHILDREN)` across its run). \
         rbxinv is built by cargo from crates/rbxinv in the benchmark's own profile (`--release` under \
         `cargo xtask bench`), or given with `--rbxinv FILE`. Write calls per page: a separate, untimed \
         scan of {} items under `strace -f --seccomp-bpf -e trace={}` counts the calls on file descriptor 1, \
         divided by its pages; without strace the column says so.",
        thousands(items),
        thousands(items),
        thousands(items / 100),
        settings.cli_pairs,
        thousands(counted_items),
        WRITE_CALLS.join(","),
    )
}

/// The report's line on how long building rbxinv took (before anything was timed).
pub(crate) fn build_note(seconds: f64) -> String {
    let profile = if cfg!(debug_assertions) {
        ""
    } else {
        " --release"
    };
    format!(
        "\nBuilding rbxinv (`cargo build{profile} -p rbxinv`, before anything was timed) took {seconds:.0} s.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_writes_to_standard_output_are_counted() {
        let trace = "\
write(1, \"\"..., 230)                  = 230
[pid 7483] write(4, \"\"..., 8)         = 8
[pid 7483] writev(9, [...], 1)         = 169
[pid 7483] writev(1, [...], 2 <unfinished ...>
write(1, \"\"..., 230 <unfinished ...>
[pid 7483] <... writev resumed>)       = 460
<... write resumed>)                   = 230
pwrite64(10, \"\"..., 4, 0)              = 4
write(12, \"\"..., 3)                   = 3
+++ exited with 0 +++
";
        assert_eq!(count_stdout_writes(trace), 3);
    }

    #[test]
    fn the_command_line_names_the_listing_and_the_cap() {
        let args = cli_args("http://127.0.0.1:9", Some(500));
        assert_eq!(
            args.join(" "),
            format!(
                "--cloud-url http://127.0.0.1:9 --api-key {API_KEY} --format ndjson --quiet --max-items 500 \
                 items {KEY_OWNER}"
            )
        );
    }
}
