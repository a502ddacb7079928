//! The command line as clap parses it: every flag and help text, but those of the listing commands, which
//! `listing_commands` keeps with the rest of each command.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{ArgAction, ArgGroup, Args, Parser, Subcommand};
use roblox_inventory::{AssetId, BadgeId, BundleId, GamePassId, RateLimit};

use crate::item_kind::ItemKind;
use crate::listing_commands::{ListingArgs, ListingName};
use crate::output::Format;

const AFTER_HELP: &str = "\
Credentials are also read from files (--api-key-file, --oauth-token-file, --cookie-file) or the
environment (ROBLOX_API_KEY, ROBLOX_OAUTH_TOKEN, ROBLOSECURITY), which keeps them out of `ps` and shell
history; a flag or file wins over the environment. They are never printed, not even with -vv, and never
sent over plain http to a host that is not this machine unless --allow-insecure-http is given.

-v logs each request on stderr, -vv more; RUST_LOG (for example RUST_LOG=roblox_inventory=debug) chooses
instead.

--mock world: seed 0, 100 items per user, user 261's inventory is hidden, and every credential passed as
a flag or file (or, when none is, an API key and a cookie of its own) belongs to user 156. The environment's
credentials are not used with --mock or by `mock`.

Exit status: 0 success; 1 Roblox or the network returned an error (one line on stderr);
2 usage error (bad flag value, unknown asset type, mixing filter types).";

/// Roblox inventory APIs from the command line: Open Cloud inventory items and the legacy Inventory API.
#[derive(Debug, Parser)]
#[command(name = "rbxinv", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Legacy host base URL.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        default_value = "https://inventory.roblox.com"
    )]
    pub legacy_url: String,
    /// Open Cloud base URL.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        default_value = "https://apis.roblox.com"
    )]
    pub cloud_url: String,
    /// Start the built-in emulator in-process and use it for both hosts.
    #[arg(long, global = true)]
    pub mock: bool,
    /// Open Cloud API key.
    #[arg(
        long,
        global = true,
        value_name = "KEY",
        allow_hyphen_values = true,
        env = API_KEY_ENV,
        hide_env_values = true
    )]
    pub api_key: Option<String>,
    /// Read the Open Cloud API key from this file.
    #[arg(long, global = true, value_name = "PATH")]
    pub api_key_file: Option<PathBuf>,
    /// OAuth2 bearer token.
    #[arg(
        long,
        global = true,
        value_name = "TOKEN",
        allow_hyphen_values = true,
        env = OAUTH_TOKEN_ENV,
        hide_env_values = true
    )]
    pub oauth_token: Option<String>,
    /// Read the OAuth2 bearer token from this file.
    #[arg(long, global = true, value_name = "PATH")]
    pub oauth_token_file: Option<PathBuf>,
    /// .ROBLOSECURITY cookie.
    #[arg(
        long,
        global = true,
        value_name = "COOKIE",
        allow_hyphen_values = true,
        env = COOKIE_ENV,
        hide_env_values = true
    )]
    pub cookie: Option<String>,
    /// Read the .ROBLOSECURITY cookie from this file.
    #[arg(long, global = true, value_name = "PATH")]
    pub cookie_file: Option<PathBuf>,
    /// Share the rate budget with every other process that uses this Redis (redis://host:port/db): each
    /// request counts against one window there, and a 429 any of them meets pauses all of them.
    #[arg(long, global = true, value_name = "URL")]
    pub redis: Option<String>,
    /// The shared budget's name (say, the API key owner's id), so that several keys of one owner share it
    /// [default: a hash of the credential].
    #[arg(long, global = true, value_name = "NAME", requires = "redis")]
    pub budget_name: Option<String>,
    /// The Open Cloud rate limit to keep to, as REQUESTS/SECONDS [default: 100/60 with an API key, 20/60
    /// with an OAuth token, as Roblox documents].
    #[arg(long, global = true, value_name = "N/SECONDS", value_parser = rate_limit)]
    pub cloud_rate_limit: Option<RateLimit>,
    /// Send credentials over plain http:// to a host that is not this machine (unencrypted).
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,
    /// Output format [default: table on a terminal, ndjson otherwise].
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Table and csv columns, by name (nested fields with dots: owner.name) [default: the command's
    /// chosen order, then every other field].
    #[arg(long, global = true, value_delimiter = ',', value_name = "A,B,..")]
    pub columns: Vec<String>,
    /// Stop after N items.
    #[arg(long, global = true, value_name = "N")]
    pub max_items: Option<usize>,
    /// No progress output.
    #[arg(long, global = true)]
    pub quiet: bool,
    /// Log requests on stderr (-v), or more (-vv); RUST_LOG chooses instead when set.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
}

/// The environment variables of the three credentials.
pub const API_KEY_ENV: &str = "ROBLOX_API_KEY";
pub const OAUTH_TOKEN_ENV: &str = "ROBLOX_OAUTH_TOKEN";
pub const COOKIE_ENV: &str = "ROBLOSECURITY";

#[derive(Debug, Subcommand)]
pub enum Command {
    // The commands that print records, each a type of its own in `listing_commands`.
    #[command(flatten)]
    Listing(ListingArgs),
    /// Legacy v1: add an item to, or remove it from, the cookie's user's collection (needs --cookie).
    Collection {
        /// add or remove.
        #[arg(value_enum)]
        action: CollectionAction,
        /// What kind of item.
        #[arg(value_enum, ignore_case = true)]
        item_type: ItemKind,
        /// The item's id.
        item_id: u64,
    },
    /// Whether a user owns an asset, game pass, badge or bundle; prints true or false.
    #[command(group(ArgGroup::new("item").required(true).multiple(false)))]
    Owns {
        /// The user.
        user_id: u64,
        /// An asset id.
        #[arg(long, group = "item", value_name = "ID")]
        asset: Option<AssetId>,
        /// A game pass id.
        #[arg(long, group = "item", value_name = "ID")]
        game_pass: Option<GamePassId>,
        /// A badge id.
        #[arg(long, group = "item", value_name = "ID")]
        badge: Option<BadgeId>,
        /// A bundle id.
        #[arg(long, group = "item", value_name = "ID")]
        bundle: Option<BundleId>,
    },
    /// Whether the caller can view a user's inventory; prints true or false.
    CanView {
        /// The user.
        user_id: u64,
    },
    /// Legacy v2 DELETE /v2/inventory/asset/{assetId}: give up an asset (needs --cookie).
    GiveUp {
        /// The asset.
        asset_id: AssetId,
    },
    /// Queue scans for `work`, one job per user id (from the arguments or stdin); needs --redis.
    Enqueue {
        /// What to scan.
        #[arg(value_enum)]
        kind: ScanKindArg,
        /// The users; without any, whitespace-separated ids are read from stdin.
        user_ids: Vec<u64>,
        /// For inventory: the legacy asset types (Hat,18); for collectibles: at most one.
        #[arg(long, value_name = "T,..")]
        asset_types: Option<String>,
    },
    /// Run queued scans, each written to DIR/COMMAND-USER.ndjson once complete; needs --redis.
    Work(WorkArgs),
    /// The jobs queued, running, done and dead; needs --redis.
    Status,
    /// Print the JSON Schema of the records a listing command writes (for loading its ndjson into a database).
    Schema {
        /// The listing command.
        #[arg(value_enum)]
        command: ListingName,
    },
    /// Run the emulator in the foreground (same world as --mock) until Ctrl-C.
    Mock {
        /// Address to listen on; only loopback addresses unless --allow-non-loopback is given.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
        addr: SocketAddr,
        /// Listen on a non-loopback address (the emulator accepts its credentials from anyone who reaches it).
        #[arg(long)]
        allow_non_loopback: bool,
        /// Seed of the generated world.
        #[arg(long, default_value_t = 0, value_name = "N")]
        seed: u64,
    },
}

/// What `collection` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CollectionAction {
    /// Add the item.
    Add,
    /// Remove the item.
    Remove,
}

/// How `rbxinv work` runs its worker.
#[derive(Debug, Args)]
pub struct WorkArgs {
    /// Where the files go.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Scans at once in this process.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub concurrency: usize,
    /// Exit 0 once the queue is drained, instead of waiting for more jobs.
    #[arg(long)]
    pub until_empty: bool,
    /// Take over a job whose worker has not renewed it for this long (it is taken to have died); a live
    /// worker renews its jobs every third of this, however long its pages take.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub idle_timeout: u64,
    /// Fail an attempt whose scan has stored no page for this long (it is taken to hang); raise it when many
    /// jobs share a small rate limit, so that a page may wait longer for its turn.
    #[arg(long, default_value_t = 600, value_name = "SECONDS")]
    pub max_stall: u64,
}

/// What `enqueue` queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ScanKindArg {
    /// Open Cloud inventory items (like `items`).
    Items,
    /// Legacy v2 inventory of some asset types (like `inventory`; needs --asset-types).
    Inventory,
    /// Legacy v1 collectibles (like `collectibles`).
    Collectibles,
}

/// `N/SECONDS` (`100/60`): N requests per that many seconds (a fraction allowed: `100/0.5`).
fn rate_limit(text: &str) -> Result<RateLimit, String> {
    let (requests, seconds) = text
        .split_once('/')
        .ok_or_else(|| format!("{text:?} is not REQUESTS/SECONDS, for example 100/60"))?;
    let requests: u32 = requests
        .trim()
        .parse()
        .ok()
        .filter(|requests| *requests > 0)
        .ok_or_else(|| format!("{requests:?} is not a positive number of requests"))?;
    let seconds: f64 = seconds
        .trim()
        .parse()
        .ok()
        .filter(|seconds: &f64| seconds.is_finite() && *seconds > 0.0 && *seconds <= 86_400.0)
        .ok_or_else(|| format!("{seconds:?} is not a number of seconds between 0 and 86400"))?;
    Ok(RateLimit {
        requests,
        per: std::time::Duration::from_secs_f64(seconds),
    })
}
