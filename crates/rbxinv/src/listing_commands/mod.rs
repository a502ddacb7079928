//! The commands that print records. Each is one type, which holds all there is to say about it: its arguments
//! and help (clap), the record it prints, that record's preferred columns, and how it runs. `register!` at the
//! end names each once, and makes from that list its subcommand, its name for `rbxinv schema`, and its dispatch.

mod items;
mod legacy_v1;
mod legacy_v2;

use std::marker::PhantomData;

use roblox_inventory::{Client, PagedRequest, Scan, Transport};
use schemars::JsonSchema;
use serde::Serialize;

use crate::failure::Failure;
use crate::listing::Listing;

/// A command that prints records. The implementing type is the command's clap `Args`: its doc comment is the
/// command's help, and its name (in kebab case) the command's name.
pub trait ListingCommand {
    /// What the command prints, one per row; `rbxinv schema` describes this type.
    type Record: Serialize + JsonSchema + Send + 'static;

    /// The record's fields in the order a person reads them (names before ids, then what people look for
    /// first): the first table and csv columns. It names every field the records can have, so that csv never
    /// meets a column after its header; a test lists the emulator's records as csv to check.
    const COLUMNS: &'static [&'static str];

    /// Asks Roblox (or the `--mock` emulator), and prints what it returns through `out`.
    async fn run(self, client: &Client, out: Printer<'_, Self::Record>) -> Result<(), Failure>;
}

/// A [`Listing`] that takes one command's records only, with that command's columns first: so a command cannot
/// print anything but the type its schema describes.
pub struct Printer<'a, Record> {
    listing: &'a Listing,
    columns: &'static [&'static str],
    record: PhantomData<fn(Record)>,
}

impl<'a, Record: Serialize + Send + 'static> Printer<'a, Record> {
    fn of<C: ListingCommand<Record = Record>>(listing: &'a Listing) -> Self {
        Printer {
            listing,
            columns: C::COLUMNS,
            record: PhantomData,
        }
    }

    /// Prints every page of `scan` as it arrives (see [`Listing::scan`]).
    pub async fn scan<R>(self, scan: Scan<R, &Transport>) -> Result<(), Failure>
    where
        R: PagedRequest<Item = Record>,
    {
        self.listing.scan(scan, self.columns).await
    }

    /// Prints the records of a one-call operation.
    pub fn records(self, records: impl IntoIterator<Item = Record>) -> Result<(), Failure> {
        self.listing.records(records, self.columns)
    }
}

/// Makes, from the list of listing commands, the enums clap parses them into and the two matches over them.
macro_rules! register {
    ($($module:ident::$command:ident),+ $(,)?) => {
        /// A listing command and its arguments, as clap parses them; `Command` lists these first.
        #[derive(Debug, clap::Subcommand)]
        pub enum ListingArgs {
            $($command($module::$command),)+
        }

        /// A listing command's name, as `rbxinv schema` takes it.
        #[derive(Clone, Copy, Debug, clap::ValueEnum)]
        pub enum ListingName {
            $($command,)+
        }

        impl ListingArgs {
            pub async fn run(self, client: &Client, listing: &Listing) -> Result<(), Failure> {
                match self {
                    $(ListingArgs::$command(command) => {
                        command.run(client, Printer::of::<$module::$command>(listing)).await
                    })+
                }
            }
        }

        impl ListingName {
            /// The JSON Schema of the records the command prints.
            pub fn record_schema(self) -> schemars::Schema {
                match self {
                    $(ListingName::$command => {
                        schemars::schema_for!(<$module::$command as ListingCommand>::Record)
                    })+
                }
            }
        }
    };
}

// In the order `--help` and `schema --help` list them.
register!(
    items::Items,
    legacy_v2::Inventory,
    legacy_v2::ByType,
    legacy_v1::Collectibles,
    legacy_v2::Owners,
    legacy_v2::CollectibleOwners,
    legacy_v1::Places,
    legacy_v1::Instances,
    legacy_v1::Categories,
    legacy_v1::PackageAssets,
);
