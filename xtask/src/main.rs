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
}

fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let root = xtask::workspace_root();
    match cli.command {
        Command::Regen { check, only } => {
            let specs = match only {
                Some(name) => vec![Spec::named(&name)?],
                None => Spec::all().to_vec(),
            };
            let stale = xtask::regen::run(&root, &specs, check)?;
            if check && stale > 0 {
                eprintln!(
                    "{stale} generated file(s) are stale: run `cargo xtask regen` and commit the result"
                );
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
