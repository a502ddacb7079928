use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::specs::Spec;

/// Workspace automation for the Roblox inventory clients. Exits 0 when all is well, 1 when a check found
/// something (a stale file, an unexplained difference, upstream drift), 2 on a usage or input error.
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
        /// Regenerate one spec only: legacy-v1, legacy-v2 or cloud-v2, or its file (spec/legacy-v1.yaml).
        #[arg(long, value_name = "SPEC")]
        only: Option<String>,
    },
    /// Print what changed in each spec since BASE, each change classed as breaking or not for users of the
    /// generated crates.
    Diff {
        /// A git revision, or a spec file to compare with (then name the spec with --only, or name the file
        /// after it).
        #[arg(long, default_value = "HEAD")]
        base: String,
        /// Compare one spec only: legacy-v1, legacy-v2 or cloud-v2, or its file (spec/legacy-v1.yaml).
        #[arg(long, value_name = "SPEC")]
        only: Option<String>,
        /// Print JSON instead of text.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print an entry for CHANGELOG.md: breaking changes first, each naming its crate.
        #[arg(long)]
        markdown: bool,
    },
    /// Compare a spec with a document Roblox publishes (Swagger 2.0 or OpenAPI 3, JSON or YAML); fails when a
    /// difference has no x-differs-from-upstream entry explaining it.
    Audit {
        /// The upstream document.
        #[arg(long)]
        upstream: PathBuf,
        /// The spec to compare: legacy-v1, legacy-v2 or cloud-v2, or its file (spec/legacy-v1.yaml).
        spec: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Download the documents Roblox publishes for the specs (inventory.roblox.com's Swagger for each legacy
    /// spec, and the creator-docs source for all three), compare them with spec/upstream.lock, list what changed
    /// and audit each spec against each document; print a Markdown report that ends with the specs' assumptions.
    /// Exits 1 when a document changed since the lock or a difference is unexplained.
    Drift {
        /// The specs to check (names or files); all of them when none is given.
        specs: Vec<String>,
        /// Read DIR/legacy-v1.json and DIR/legacy-v2.json (the Swaggers) and DIR/cloud-v2.json (the creator-docs
        /// source, for all three specs) instead of downloading (a document whose file is missing is left
        /// unchecked, unless the specs are named).
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        /// Download BASE/NAME.json for each spec instead of Roblox's URLs (a mirror, a loopback server);
        /// ignored with --from.
        #[arg(long, value_name = "URL", env = "XTASK_UPSTREAM_BASE")]
        upstream_base: Option<String>,
        /// The lock to compare with.
        #[arg(long, value_name = "FILE")]
        lock: Option<PathBuf>,
        /// Record the documents read in the lock (their hash, today's date, where they were read), and their
        /// digest trees beside it, in upstream/.
        #[arg(long)]
        update_lock: bool,
        /// Print the report as JSON instead of Markdown.
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

/// Errors print as one line, `xtask: what went wrong: why`, with no backtrace even under RUST_BACKTRACE, and
/// exit 2.
fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help, --version.
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            // clap's first line says what is wrong; usage and tips follow on the next ones.
            let rendered = error.to_string();
            let first = rendered.lines().next().unwrap_or_default();
            let message = first.trim_start_matches("error: ").trim();
            eprintln!("xtask: {message} (see `cargo xtask --help`)");
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("xtask: {}", one_line(&format!("{error:#}")));
            ExitCode::from(2)
        }
    }
}

/// A message on one line: line breaks inside a cause become spaces.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let root = xtask::workspace_root();
    match cli.command {
        Command::Regen { check, only } => {
            let specs = selected(&root, only.as_deref())?;
            let stale = xtask::regen::run(&root, &specs, check)?;
            if check && stale > 0 {
                eprintln!(
                    "{stale} generated file(s) are stale: run `cargo xtask regen` and commit the result"
                );
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Diff {
            base,
            only,
            json,
            markdown,
        } => {
            let specs = match only.as_deref() {
                None if Path::new(&base).is_file() => vec![spec_named_after_file(&base)?],
                only => selected(&root, only)?,
            };
            if markdown {
                print!("{}", xtask::diff::changelog_markdown(&root, &specs, &base)?);
            } else {
                print!("{}", xtask::diff::changelog(&root, &specs, &base, json)?);
            }
        }
        Command::Audit {
            upstream,
            spec,
            json,
        } => {
            let spec = Spec::resolve(&spec, &root)?;
            let report = xtask::audit::run(&root, &upstream, spec.name)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{report}");
            }
            if !report.findings.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Drift {
            specs,
            from,
            upstream_base,
            lock,
            update_lock,
            json,
        } => {
            let mut options = xtask::drift::Options::new(&root);
            if !specs.is_empty() {
                options.specs = specs
                    .iter()
                    .map(|spec| Spec::resolve(spec, &root))
                    .collect::<anyhow::Result<_>>()?;
                options.specs_named = true;
            }
            options.source = match from {
                Some(dir) => xtask::drift::Source::Directory(dir),
                None => xtask::drift::Source::Download {
                    base: upstream_base,
                },
            };
            if let Some(lock) = lock {
                options.lock = lock;
            }
            let (report, old_lock) = xtask::drift::run(&options, update_lock)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{report}");
            }
            if update_lock {
                report.record(&old_lock, &options.lock)?;
                eprintln!(
                    "recorded {} document(s) in {}, their digest trees in {}",
                    report.documents.len(),
                    options.lock.display(),
                    xtask::drift::digest::path_of(&options.lock, "")
                        .parent()
                        .map(|dir| dir.display().to_string())
                        .unwrap_or_default()
                );
            }
            if !report.is_clean() {
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

fn selected(root: &Path, only: Option<&str>) -> anyhow::Result<Vec<Spec>> {
    Ok(match only {
        Some(spec) => vec![Spec::resolve(spec, root)?],
        None => Spec::all().to_vec(),
    })
}

/// A base file compares with one spec: the one the file is named after (`legacy-v2.yaml`).
fn spec_named_after_file(file: &str) -> anyhow::Result<Spec> {
    let stem = Path::new(file)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default();
    Spec::named(stem).map_err(|_| {
        anyhow::anyhow!("{file} is not named after a spec: pass --only NAME to say which spec it is a version of")
    })
}
