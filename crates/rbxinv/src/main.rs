//! `rbxinv`: Roblox's inventory APIs from a shell. See README.md.
//!
//! This file starts the program and hands each command to the facade; every other job (the command line,
//! credentials, the emulator, printing, failures) has a module of its own, named after it.

mod args;
mod asset_types;
mod client;
mod commands;
mod failure;
mod item_kind;
mod listing;
mod listing_commands;
mod logging;
mod mock;
mod output;
mod progress;
mod scale;
mod secrets;
mod terminal;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::args::{Cli, Command};
use crate::client::Target;
use crate::failure::{FAILED_STATUS, Failure, USAGE_STATUS};
use crate::listing::Listing;
use crate::progress::Progress;
use crate::secrets::Secrets;
use crate::terminal::escape_controls_but_newlines;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let parsed = Cli::command()
        .try_get_matches_from(&args)
        .and_then(|matches| Ok((Cli::from_arg_matches(&matches)?, matches)));
    let (mut cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(error) if !error.use_stderr() => error.exit(),
        Err(error) => {
            // clap quotes the arguments it rejects, and a rejected argument may be a secret.
            let message = secrets::redact(&error.render().to_string(), &args);
            eprint!("{}", escape_controls_but_newlines(&message));
            return ExitCode::from(USAGE_STATUS);
        }
    };
    let environment = Secrets::take_environment(&mut cli.global, &matches);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("rbxinv: starting the runtime: {error}");
            return ExitCode::from(FAILED_STATUS);
        }
    };
    match runtime.block_on(run(cli, environment)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

async fn run(cli: Cli, environment: Secrets) -> Result<(), Failure> {
    let Cli { global, command } = cli;
    let explicit = Secrets::explicit(&global)?;

    if let Command::Mock {
        addr,
        allow_non_loopback,
        seed,
    } = command
    {
        return mock::serve(addr, allow_non_loopback, seed, &explicit).await;
    }
    if let Command::Schema { command } = command {
        return commands::print_schema(command);
    }
    match command {
        Command::Enqueue {
            kind,
            user_ids,
            asset_types,
        } => {
            let redis = global.redis.as_deref();
            return scale::enqueue(redis, kind, user_ids, asset_types, global.quiet).await;
        }
        Command::Status => return scale::status(global.redis.as_deref()).await,
        _ => {}
    }

    let progress = Progress::new(global.quiet, global.verbose > 0);
    logging::init(global.verbose, &progress);
    // Dropping the emulator stops it, so it is held until the command is done.
    let (target, _emulator) = if global.mock {
        let (emulator, target) = mock::start_in_process(explicit).await?;
        (target, Some(emulator))
    } else {
        let target = Target {
            legacy_url: global.legacy_url,
            cloud_url: global.cloud_url,
            credentials: explicit.or(environment),
        };
        (target, None)
    };
    let budget = client::SharedBudget::connect(global.redis.as_deref(), global.budget_name).await?;
    let client = client::build(
        target,
        budget,
        global.cloud_rate_limit,
        global.allow_insecure_http,
    )?;
    if let Command::Work(work) = command {
        return scale::work(global.redis.as_deref(), client, work).await;
    }
    let listing = Listing::new(global.format, global.columns, global.max_items, progress);
    commands::execute(command, &client, &listing, global.quiet).await
}
