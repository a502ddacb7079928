//! `cargo xtask bench`: builds crates/roblox-inventory-bench in release and runs it; the benchmark itself
//! writes BENCHMARKS.md. It lives in its own crate so that xtask, which CI builds for `regen --check`, does not
//! compile the client, the emulator and criterion.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, ExitStatus};
use std::time::Instant;

use anyhow::{Context, bail};

const PACKAGE: &str = "roblox-inventory-bench";

/// Builds, then runs the benchmark with `args`; returns its exit status. The build time is handed to the
/// benchmark so that BENCHMARKS.md can say what the whole command cost.
pub fn run(root: &Path, args: &[OsString]) -> anyhow::Result<ExitStatus> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let started = Instant::now();
    let built = Command::new(&cargo)
        .args(["build", "--release", "--locked", "--package", PACKAGE])
        .current_dir(root)
        .status()
        .context("running cargo build")?;
    if !built.success() {
        bail!("cargo build --release --package {PACKAGE} failed ({built})");
    }
    let build_seconds = started.elapsed().as_secs_f64();
    Command::new(&cargo)
        .args([
            "run",
            "--quiet",
            "--release",
            "--locked",
            "--package",
            PACKAGE,
            "--",
        ])
        .arg(format!("--build-seconds={build_seconds:.0}"))
        .args(args)
        .current_dir(root)
        .status()
        .context("running the benchmark")
}
