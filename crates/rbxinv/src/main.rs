//! `rbxinv`: Roblox's inventory APIs from a shell. See README.md.
//!
//! This file starts the program and hands each command to the facade; every other job (the command line,
//! credentials, the emulator, printing, failures) has a module of its own, named after it.

mod args;
mod asset_types;
mod client;
mod failure;
mod filters;
mod listing;
mod mock;
mod output;
mod secrets;
mod terminal;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;
use roblox_inventory::cloud_v2::types::InventoryItem as RawInventoryItem;
use roblox_inventory::{Client, OwnedItem};

use crate::args::{Cli, Command};
use crate::client::Target;
use crate::failure::{FAILED_STATUS, Failure, USAGE_STATUS};
use crate::listing::Listing;
use crate::secrets::Secrets;
use crate::terminal::escape_controls_but_newlines;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => error.exit(),
        Err(error) => {
            // clap quotes the arguments it rejects, and a rejected argument may be a secret.
            let message = secrets::redact(&error.render().to_string(), &args);
            eprint!("{}", escape_controls_but_newlines(&message));
            return ExitCode::from(USAGE_STATUS);
        }
    };
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
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
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

    // Dropping the emulator stops it, so it is held until the command is done.
    let (target, _emulator) = if global.mock {
        let (emulator, target) = mock::start_in_process(explicit).await?;
        (target, Some(emulator))
    } else {
        let target = Target {
            legacy_url: global.legacy_url,
            cloud_url: global.cloud_url,
            credentials: explicit.or_environment(),
        };
        (target, None)
    };
    let client = client::build(target, global.allow_insecure_http)?;
    let listing = Listing::new(global.format, global.max_items, global.quiet);
    execute(command, &client, &listing, global.quiet).await
}

/// Runs one command against Roblox (or the `--mock` emulator) and prints what it returns.
async fn execute(
    command: Command,
    client: &Client,
    listing: &Listing,
    quiet: bool,
) -> Result<(), Failure> {
    match command {
        Command::Items(args) => {
            let filter = filters::items_filter(&args)?;
            listing
                .run(client.inventory_items(args.user_id, &filter), |item| {
                    RawInventoryItem::from(item)
                })
                .await
        }
        Command::Inventory {
            user_id,
            asset_types,
        } => {
            let types = asset_types
                .iter()
                .map(|text| asset_types::parse_legacy(text))
                .collect::<Result<Vec<_>, _>>()?;
            listing
                .run(client.user_inventory(user_id, types), |item| item)
                .await
        }
        Command::ByType {
            user_id,
            asset_type,
        } => {
            let asset_type = asset_types::parse_legacy(&asset_type)?;
            listing
                .run(client.user_inventory_by_type(user_id, asset_type), |item| {
                    item
                })
                .await
        }
        Command::Collectibles {
            user_id,
            asset_type,
        } => {
            let asset_type = asset_type
                .map(|text| asset_types::parse_legacy(&text))
                .transpose()?;
            listing
                .run(client.collectibles(user_id, asset_type), |item| item)
                .await
        }
        Command::Owners { asset_id } => {
            listing
                .run(client.asset_owners(asset_id), |item| item)
                .await
        }
        Command::Owns {
            user_id,
            asset,
            game_pass,
            badge,
            bundle,
        } => {
            let item = match (asset, game_pass, badge, bundle) {
                (Some(id), ..) => OwnedItem::Asset(id),
                (_, Some(id), ..) => OwnedItem::GamePass(id),
                (_, _, Some(id), _) => OwnedItem::Badge(id),
                (_, _, _, Some(id)) => OwnedItem::Bundle(id),
                _ => {
                    return Err(Failure::Usage(
                        "give one of --asset, --game-pass, --badge, --bundle".to_owned(),
                    ));
                }
            };
            let owned = client.owns(user_id, item).await?;
            println!("{owned}");
            Ok(())
        }
        Command::CanView { user_id } => {
            let visible = client.can_view_inventory(user_id).await?;
            println!("{visible}");
            Ok(())
        }
        Command::GiveUp { asset_id } => {
            client.delete_inventory_asset(asset_id).await?;
            if !quiet {
                eprintln!("gave up asset {asset_id}");
            }
            Ok(())
        }
        Command::Mock { .. } => unreachable!("`run` hands `mock` to mock::serve"),
    }
}
