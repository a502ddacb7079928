//! `roblox-inventory-bench`, run by `cargo xtask bench`: measures the facade against raw reqwest, decode speed,
//! memory, the rate-limit ceiling, concurrency, regeneration and rbxinv's ndjson output on loopback (against the
//! emulator, or pages it rendered), and writes BENCHMARKS.md.

mod emulator;
mod farm;
mod machine;
mod measure;
mod raw;
mod report;
mod scenarios;
mod server_thread;
mod worlds;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use report::{MissNotes, Report, Timed};
use scenarios::Settings;

/// Benchmarks of the Roblox inventory client against its emulator; writes BENCHMARKS.md.
#[derive(Parser)]
#[command(name = "roblox-inventory-bench")]
struct Args {
    #[command(subcommand)]
    mode: Option<Mode>,
    /// Tiny workloads that only prove the harness works (seconds, figures meaningless); writes
    /// target/BENCHMARKS.quick.md unless --out says otherwise.
    #[arg(long)]
    quick: bool,
    /// Where to write the report [default: BENCHMARKS.md at the workspace root].
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Leave out the timing of `cargo xtask regen --check` (it cannot run inside `cargo test`, which holds
    /// the build directory's lock).
    #[arg(long)]
    skip_regen: bool,
    /// Run only these scenarios (comma-separated or repeated); writes target/BENCHMARKS.partial.md unless
    /// --out says otherwise.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "SCENARIO")]
    only: Vec<Scenario>,
    /// The rbxinv binary the cli-ndjson and rate-limit-workers scenarios run [default: built by cargo from
    /// crates/rbxinv, in this binary's profile].
    #[arg(long, value_name = "FILE")]
    rbxinv: Option<PathBuf>,
    /// How long `cargo xtask bench` spent building this binary, for the report.
    #[arg(long, hide = true, value_name = "SECONDS")]
    build_seconds: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Scenario {
    Paging,
    Decode,
    Memory,
    RateLimit,
    Concurrency,
    Regen,
    CliNdjson,
    RateLimitWorkers,
}

#[derive(Subcommand)]
enum Mode {
    /// The paging scenario's instruction-count client: one scan of PAGES pages from URL (the page farm), run
    /// under valgrind.
    #[command(hide = true)]
    ScanClient {
        #[arg(long)]
        url: String,
        #[arg(long, value_enum)]
        endpoint: scenarios::paging::Endpoint,
        #[arg(long, value_enum)]
        side: scenarios::paging::Side,
        #[arg(long)]
        pages: u64,
    },
    /// The paging scenario's page farm alone, serving ITEMS items of each listing until interrupted: prints its
    /// URL, for profiling a `scan-client` by hand (under callgrind, say).
    #[command(hide = true)]
    ServeFarm {
        #[arg(long, default_value_t = 100_000)]
        items: u64,
    },
    /// The memory scenario's client process: streams the key owner's Open Cloud inventory from URL and prints
    /// its peak memory as JSON.
    #[command(hide = true)]
    MemoryClient {
        #[arg(long)]
        url: String,
        #[arg(long)]
        items: u64,
    },
}

fn main() -> anyhow::Result<ExitCode> {
    let args = Args::parse();
    match &args.mode {
        Some(Mode::MemoryClient { url, items }) => {
            let memory = scenarios::memory::client(url, *items)?;
            println!("{}", serde_json::to_string(&memory)?);
            return Ok(ExitCode::SUCCESS);
        }
        Some(Mode::ServeFarm { items }) => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let farm = scenarios::paging::rendered_farm(&runtime, *items)?;
            println!("{}", farm.url());
            loop {
                std::thread::park();
            }
        }
        Some(Mode::ScanClient {
            url,
            endpoint,
            side,
            pages,
        }) => {
            scenarios::paging::scan_client(url, *endpoint, *side, *pages)?;
            return Ok(ExitCode::SUCCESS);
        }
        None => {}
    }
    let workspace = workspace_root()?;
    let criterion_home = match std::env::var_os("CRITERION_HOME") {
        Some(home) => PathBuf::from(home),
        None => {
            let home = workspace.join("target").join("criterion");
            // SAFETY: nothing else runs yet: no runtime, no emulator thread; criterion reads it later.
            unsafe { std::env::set_var("CRITERION_HOME", &home) };
            home
        }
    };
    let settings = if args.quick {
        Settings::quick()
    } else {
        Settings::full()
    };
    let selected: Vec<Scenario> = Scenario::value_variants()
        .iter()
        .copied()
        .filter(|scenario| args.only.is_empty() || args.only.contains(scenario))
        .filter(|scenario| !(args.skip_regen && *scenario == Scenario::Regen))
        .collect();
    // Only a full run of every scenario replaces the committed BENCHMARKS.md.
    let out = args.out.clone().unwrap_or_else(|| {
        if args.quick {
            workspace.join("target").join("BENCHMARKS.quick.md")
        } else if selected.len() < Scenario::value_variants().len() {
            workspace.join("target").join("BENCHMARKS.partial.md")
        } else {
            workspace.join("BENCHMARKS.md")
        }
    });

    let machine = machine::describe(&workspace);
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut sections: Vec<Timed> = Vec::new();
    for scenario in selected {
        let scenario_started = Instant::now();
        let section = match scenario {
            Scenario::Paging => {
                eprintln!(
                    "paging overhead, {} items per scan...",
                    settings.paging_items
                );
                scenarios::paging::run(&runtime, &settings)
            }
            Scenario::Decode => {
                eprintln!("decode speed (criterion)...");
                scenarios::decode::run(&runtime, &settings, &criterion_home)
            }
            Scenario::Memory => {
                eprintln!("memory, {} items...", settings.memory_items);
                scenarios::memory::run(&settings)
            }
            Scenario::RateLimit => {
                eprintln!("rate-limit ceiling...");
                scenarios::rate_limit::run(&runtime, &settings)
            }
            Scenario::Concurrency => {
                eprintln!("concurrency...");
                scenarios::concurrency::run(&runtime, &settings)
            }
            Scenario::Regen => {
                eprintln!("cargo xtask regen --check...");
                scenarios::regen::run(&settings, &workspace)
            }
            Scenario::CliNdjson => {
                eprintln!(
                    "rbxinv --format ndjson into a pipe, {} items per scan...",
                    settings.cli_items
                );
                scenarios::cli::run(&runtime, &settings, args.rbxinv.as_deref(), &workspace)
            }
            Scenario::RateLimitWorkers => {
                eprintln!(
                    "rate-limit ceiling, three rbxinv workers on one Redis budget, {} users of {} items...",
                    settings.workers_users, settings.workers_items_per_user
                );
                scenarios::rate_limit_workers::run(&settings, args.rbxinv.as_deref(), &workspace)
            }
        };
        let section = section.with_context(|| format!("the {scenario:?} scenario"))?;
        for verdict in &section.verdicts {
            eprintln!(
                "{:<4}  {}: {}",
                verdict.mark(),
                verdict.what,
                verdict.result
            );
        }
        sections.push(Timed {
            section,
            seconds: scenario_started.elapsed().as_secs_f64(),
        });
    }

    let report = Report {
        machine,
        sections,
        seconds: started.elapsed().as_secs_f64(),
        build_seconds: args.build_seconds,
        quick: args.quick,
    };
    let notes_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("notes/missed-targets.md");
    let notes = match std::fs::read_to_string(&notes_path) {
        Ok(text) => MissNotes::parse(&text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => MissNotes::default(),
        Err(error) => {
            return Err(error).with_context(|| format!("reading {}", notes_path.display()));
        }
    };
    // The file holds exactly what is printed, so that every committed figure is one a run printed.
    let markdown = report.markdown(&notes);
    print!("{markdown}");
    std::fs::write(&out, &markdown).with_context(|| format!("writing {}", out.display()))?;
    println!("Written to {}", out.display());
    // A quick run's misses mean nothing: its workloads are too small to reach any target.
    if !args.quick {
        for verdict in report.unexplained_misses(&notes) {
            eprintln!(
                "warning: {} missed its target and {} has no `## {}` entry explaining why",
                verdict.what,
                notes_path.display(),
                verdict.key
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The workspace this binary was built from (two levels above this crate).
fn workspace_root() -> anyhow::Result<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize()
        .with_context(|| format!("finding the workspace root at {}", root.display()))
}
