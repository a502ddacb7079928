//! Each command handed to the facade, and what it prints: listings through [`Listing`] (`listing_commands` holds
//! them), yes/no answers as `true` or `false`, mutations as a line on stderr.

use roblox_inventory::{Client, OwnedItem};

use crate::args::{CollectionAction, Command};
use crate::failure::Failure;
use crate::listing::Listing;
use crate::listing_commands::ListingName;

/// Runs one command against Roblox (or the `--mock` emulator) and prints what it returns.
pub async fn execute(
    command: Command,
    client: &Client,
    listing: &Listing,
    quiet: bool,
) -> Result<(), Failure> {
    match command {
        Command::Listing(command) => command.run(client, listing).await,
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
            print_line(&owned.to_string())
        }
        Command::CanView { user_id } => {
            let visible = client.can_view_inventory(user_id).await?;
            print_line(&visible.to_string())
        }
        Command::GiveUp { asset_id } => {
            client.delete_inventory_asset(asset_id).await?;
            if !quiet {
                eprintln!("gave up asset {asset_id}");
            }
            Ok(())
        }
        Command::Collection {
            action,
            item_type,
            item_id,
        } => {
            let item = item_type.item(item_id);
            match action {
                CollectionAction::Add => client.add_to_collection(item).await?,
                CollectionAction::Remove => client.remove_from_collection(item).await?,
            }
            if !quiet {
                let done = match action {
                    CollectionAction::Add => "added to",
                    CollectionAction::Remove => "removed from",
                };
                eprintln!("{item_type:?} {item_id} {done} the collection");
            }
            Ok(())
        }
        Command::Schema { .. }
        | Command::Mock { .. }
        | Command::Enqueue { .. }
        | Command::Work(_)
        | Command::Status => {
            unreachable!("`run` handles `schema`, `mock` and the queue's commands itself")
        }
    }
}

/// `rbxinv schema COMMAND`: prints the JSON Schema of the records `command` writes.
pub fn print_schema(command: ListingName) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(&command.record_schema())
        .map_err(|error| Failure::Api(format!("encoding the schema: {error}")))?;
    print_line(&text)
}

/// Writes `text` and a line break on stdout; a reader that went away is not an error (`| head` is fine).
pub fn print_line(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(Failure::Output),
    }
}
