//! Scenario 6, regeneration: wall time of `cargo xtask regen --check`, the command run whenever a spec changes.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use super::Settings;
use crate::measure::Spread;
use crate::report::{Section, Verdict};

pub fn run(settings: &Settings, workspace: &Path) -> anyhow::Result<Section> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let check = || -> anyhow::Result<f64> {
        let started = Instant::now();
        let output = Command::new(&cargo)
            .args(["xtask", "regen", "--check"])
            .current_dir(workspace)
            .stdin(Stdio::null())
            .output()
            .context("running cargo xtask regen --check")?;
        let seconds = started.elapsed().as_secs_f64();
        if !output.status.success() {
            bail!(
                "cargo xtask regen --check failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(seconds)
    };
    // The first run may build xtask; "once built" is what is measured.
    check()?;
    let mut samples = Vec::new();
    for _ in 0..settings.regen_runs {
        samples.push(check()?);
    }
    let seconds = Spread::of(samples).context("no regen runs")?;
    let mut body = String::from("| command | wall s |\n|---|---|\n");
    let _ = writeln!(
        body,
        "| `cargo xtask regen --check` | {} |",
        seconds.display(2)
    );
    Ok(Section {
        title: "Regeneration".into(),
        method: format!(
            "`cargo xtask regen --check` from the workspace root: cargo's freshness check, then all three specs \
             read, prepared and generated with progenitor, formatted, and compared with the committed files. One \
             untimed run first (it may build xtask), then {} timed runs. The issue sets no target.",
            settings.regen_runs
        ),
        body,
        verdicts: vec![Verdict {
            key: "regen",
            what: "Regeneration: `cargo xtask regen --check`, once built".into(),
            target: "none set".into(),
            result: format!("{} s", seconds.display(2)),
            met: None,
        }],
    })
}
