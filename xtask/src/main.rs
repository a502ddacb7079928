use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::specs::Spec;

/// Workspace automation for the Roblox inventory clients.
#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate crates/roblox-inventory-*/src/generated.rs from spec/*.yaml.
    Regen {
        /// Change nothing; print a diff and fail when a generated file is stale.
        #[arg(long)]
        check: bool,
        /// Regenerate one spec only (legacy-v1, legacy-v2 or cloud-v2).
        #[arg(long, value_name = "NAME")]
        only: Option<String>,
    },
    /// Print what changed in each spec since BASE, each change classed as breaking or not for users of the
    /// generated crates.
    Diff {
        /// A git revision, or a spec file to compare with (then name the spec with --only, or name the file
        /// after it).
        #[arg(long, default_value = "HEAD")]
        base: String,
        /// Compare one spec only (legacy-v1, legacy-v2 or cloud-v2).
        #[arg(long, value_name = "NAME")]
        only: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Compare a spec with a document Roblox publishes (Swagger 2.0 or OpenAPI 3, JSON or YAML); fails when a
    /// difference has no x-wire-note explaining it.
    Audit {
        /// The upstream document.
        #[arg(long)]
        upstream: std::path::PathBuf,
        /// The spec to compare (legacy-v1, legacy-v2 or cloud-v2).
        spec: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Build the benchmark in release and run it against the emulator; rewrites BENCHMARKS.md. Options after
    /// `bench` go to the benchmark: --quick, --only SCENARIO,..., --out FILE, --skip-regen (see
    /// crates/roblox-inventory-bench/README.md).
    Bench {
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "OPTIONS"
        )]
        options: Vec<std::ffi::OsString>,
    },
}

fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let root = xtask::workspace_root();
    match cli.command {
        Command::Regen { check, only } => {
            let specs = selected(only.as_deref())?;
            let stale = xtask::regen::run(&root, &specs, check)?;
            if check && stale > 0 {
                eprintln!(
                    "{stale} generated file(s) are stale: run `cargo xtask regen` and commit the result"
                );
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Diff { base, only, json } => {
            let specs = match only.as_deref() {
                None if std::path::Path::new(&base).is_file() => {
                    vec![spec_named_after_file(&base)?]
                }
                only => selected(only)?,
            };
            print!("{}", xtask::diff::changelog(&root, &specs, &base, json)?);
        }
        Command::Audit {
            upstream,
            spec,
            json,
        } => {
            let report = xtask::audit::run(&root, &upstream, &spec)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{report}");
            }
            if !report.findings.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Bench { options } => {
            let status = xtask::bench::run(&root, &options)?;
            if !status.success() {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn selected(only: Option<&str>) -> anyhow::Result<Vec<Spec>> {
    Ok(match only {
        Some(name) => vec![Spec::named(name)?],
        None => Spec::all().to_vec(),
    })
}

/// A base file compares with one spec: the one the file is named after (`legacy-v2.yaml`).
fn spec_named_after_file(file: &str) -> anyhow::Result<Spec> {
    let stem = std::path::Path::new(file)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default();
    Spec::named(stem).map_err(|_| {
        anyhow::anyhow!("{file} is not named after a spec: pass --only NAME to say which spec it is a version of")
    })
}
