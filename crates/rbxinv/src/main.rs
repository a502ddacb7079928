//! `rbxinv`: Roblox's inventory APIs from a shell. See README.md.

mod output;
mod secrets;
mod terminal;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{ArgGroup, Args, Parser, Subcommand};
use futures_util::TryStreamExt;
use roblox_inventory::cloud_v2::types::InventoryItem as RawInventoryItem;
use roblox_inventory::{
    AssetType, Client, Error, ErrorKind, InventoryFilter, InventoryItemAssetType, OwnedItem,
    PaginationError, Scan, legacy_to_cloud, legacy_v1,
};
use roblox_inventory_mock::behaviour::{BehaviourConfig, Credentials};
use roblox_inventory_mock::{MockServer, WorldConfig};
use serde::Serialize;

use crate::output::{Format, Sink};
use crate::secrets::{Given, Secrets};
use crate::terminal::escape_controls;

/// The user whose inventory is hidden in the `--mock` world.
pub const MOCK_HIDDEN_USER: u64 = 261;
/// The user who owns the `--mock` world's credentials.
pub const MOCK_OWNER: u64 = 156;
const MOCK_API_KEY: &str = "mock-api-key";
const MOCK_COOKIE: &str = "mock-cookie";

const AFTER_HELP: &str = "\
Credentials are also read from files (--api-key-file, --oauth-token-file, --cookie-file) or the
environment (ROBLOX_API_KEY, ROBLOX_OAUTH_TOKEN, ROBLOSECURITY), which keeps them out of `ps` and shell
history. They are never printed, and never sent over plain http to a host that is not this machine
unless --allow-insecure-http is given.

--mock world: seed 0, 100 items per user, user 261's inventory is hidden, and every credential passed as
a flag or file (or, when none is, an API key and a cookie of its own) belongs to user 156. The environment's
credentials are not used with --mock or by `mock`.

Exit status: 0 success; 1 Roblox or the network returned an error (one line on stderr);
2 usage error (bad flag value, unknown asset type, mixing filter types).";

/// Roblox inventory APIs from the command line: Open Cloud inventory items and the legacy Inventory API.
#[derive(Debug, Parser)]
#[command(name = "rbxinv", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct Global {
    /// Legacy host base URL.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        default_value = "https://inventory.roblox.com"
    )]
    legacy_url: String,
    /// Open Cloud base URL.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        default_value = "https://apis.roblox.com"
    )]
    cloud_url: String,
    /// Start the built-in emulator in-process and use it for both hosts.
    #[arg(long, global = true)]
    mock: bool,
    /// Open Cloud API key [env: ROBLOX_API_KEY].
    #[arg(long, global = true, value_name = "KEY", allow_hyphen_values = true)]
    api_key: Option<String>,
    /// Read the Open Cloud API key from this file.
    #[arg(long, global = true, value_name = "PATH", conflicts_with = "api_key")]
    api_key_file: Option<PathBuf>,
    /// OAuth2 bearer token [env: ROBLOX_OAUTH_TOKEN].
    #[arg(long, global = true, value_name = "TOKEN", allow_hyphen_values = true)]
    oauth_token: Option<String>,
    /// Read the OAuth2 bearer token from this file.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        conflicts_with = "oauth_token"
    )]
    oauth_token_file: Option<PathBuf>,
    /// .ROBLOSECURITY cookie [env: ROBLOSECURITY].
    #[arg(long, global = true, value_name = "COOKIE", allow_hyphen_values = true)]
    cookie: Option<String>,
    /// Read the .ROBLOSECURITY cookie from this file.
    #[arg(long, global = true, value_name = "PATH", conflicts_with = "cookie")]
    cookie_file: Option<PathBuf>,
    /// Send credentials over plain http:// to a host that is not this machine (unencrypted).
    #[arg(long, global = true)]
    allow_insecure_http: bool,
    /// Output format [default: table on a terminal, ndjson otherwise].
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    format: Option<Format>,
    /// Stop after N items.
    #[arg(long, global = true, value_name = "N")]
    max_items: Option<usize>,
    /// No progress output.
    #[arg(long, global = true)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open Cloud inventory items, every page (GET /cloud/v2/users/{id}/inventory-items).
    ///
    /// Type fields (--asset-types, --only-collectibles, --badges, --game-passes, --private-servers) and ID
    /// fields (--asset-ids, --badge-ids, --game-pass-ids, --private-server-ids) cannot be mixed. Without any,
    /// the whole inventory.
    Items(ItemsArgs),
    /// Legacy v2 /v2/users/{id}/inventory: items of several asset types (names or ids).
    Inventory {
        /// The user.
        user_id: u64,
        /// Legacy asset types, names or ids (Hat,Face or 8,18).
        #[arg(long, value_delimiter = ',', required = true, value_name = "T,..")]
        asset_types: Vec<String>,
    },
    /// Legacy v2 /v2/users/{id}/inventory/{assetTypeId}: items of one asset type (name or id).
    ByType {
        /// The user.
        user_id: u64,
        /// A legacy asset type, name or id (Hat or 8).
        asset_type: String,
    },
    /// Legacy v1 collectibles (limiteds) of a user.
    Collectibles {
        /// The user.
        user_id: u64,
        /// Only this legacy asset type, name or id.
        #[arg(long, value_name = "T")]
        asset_type: Option<String>,
    },
    /// Legacy v2 owners of an asset.
    Owners {
        /// The asset.
        asset_id: u64,
    },
    /// Whether a user owns an asset, game pass, badge or bundle; prints true or false.
    #[command(group(ArgGroup::new("item").required(true).multiple(false)))]
    Owns {
        /// The user.
        user_id: u64,
        /// An asset id.
        #[arg(long, group = "item", value_name = "ID")]
        asset: Option<u64>,
        /// A game pass id.
        #[arg(long, group = "item", value_name = "ID")]
        game_pass: Option<u64>,
        /// A badge id.
        #[arg(long, group = "item", value_name = "ID")]
        badge: Option<u64>,
        /// A bundle id.
        #[arg(long, group = "item", value_name = "ID")]
        bundle: Option<u64>,
    },
    /// Whether the caller can view a user's inventory; prints true or false.
    CanView {
        /// The user.
        user_id: u64,
    },
    /// Legacy v2 DELETE /v2/inventory/asset/{assetId}: give up an asset (needs --cookie).
    GiveUp {
        /// The asset.
        asset_id: u64,
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

#[derive(Debug, Args)]
struct ItemsArgs {
    /// The user.
    user_id: u64,
    /// Open Cloud asset types (HAT,FACE), legacy names (Hat), or * for every asset type.
    #[arg(long, value_delimiter = ',', value_name = "T,..")]
    asset_types: Vec<String>,
    /// Only collectibles (with --asset-types).
    #[arg(long)]
    only_collectibles: bool,
    /// Badges.
    #[arg(long)]
    badges: bool,
    /// Game passes.
    #[arg(long)]
    game_passes: bool,
    /// Private servers.
    #[arg(long)]
    private_servers: bool,
    /// These asset ids.
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    asset_ids: Vec<u64>,
    /// These badge ids.
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    badge_ids: Vec<u64>,
    /// These game pass ids.
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    game_pass_ids: Vec<u64>,
    /// These private server ids.
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    private_server_ids: Vec<u64>,
}

/// Why the command failed, and so its exit status.
enum Failure {
    /// Exit 2.
    Usage(String),
    /// Exit 1.
    Api(String),
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Api(format!("writing output: {error}"))
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Api(describe(&error))
    }
}

impl From<PaginationError<Error, String>> for Failure {
    fn from(error: PaginationError<Error, String>) -> Self {
        match error {
            PaginationError::Fetch { source, .. } => source.into(),
            other => Failure::Api(one_line(&other.to_string())),
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The error and each cause beneath it that adds something ("error sending request: ... Connection refused").
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// One line: status, Roblox's code and message, and what to do.
fn describe(error: &Error) -> String {
    let Some(api) = error.api() else {
        let hint = match error {
            Error::Transport { .. } => "; check the network and --legacy-url / --cloud-url",
            Error::Redirect { .. } => "; check --legacy-url / --cloud-url",
            _ => "",
        };
        return one_line(&format!("{}{hint}", with_causes(error)));
    };
    let hint = match api.kind {
        ErrorKind::InventoryHidden => {
            "inventory is hidden: the user's privacy settings hide it; use the owner's credentials"
        }
        ErrorKind::Unauthorized => {
            "not authorized: pass a valid --api-key, --oauth-token or --cookie for this host"
        }
        ErrorKind::Forbidden => "forbidden: the credential lacks the permission or scope needed",
        ErrorKind::NotFound => "not found: check the ids",
        ErrorKind::RateLimited => "rate limited: retries were exhausted; wait and try again",
        ErrorKind::InvalidArgument => "invalid argument: check the flags' values",
        ErrorKind::Server => "Roblox server error: try again later",
        _ => "request failed",
    };
    one_line(&format!("{hint} ({api})"))
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => error.exit(),
        Err(error) => {
            // clap quotes the arguments it rejects, and a rejected argument may be a secret.
            let message = secrets::redact(&error.render().to_string(), &args);
            eprint!("{}", escape_controls_but_newlines(&message));
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("rbxinv: starting the runtime: {error}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("rbxinv: {}", escape_controls(&message));
            ExitCode::from(2)
        }
        Err(Failure::Api(message)) => {
            eprintln!("rbxinv: {}", escape_controls(&message));
            ExitCode::from(1)
        }
    }
}

/// clap's multi-line usage errors keep their line breaks; every other control character is escaped.
fn escape_controls_but_newlines(text: &str) -> String {
    text.split('\n')
        .map(|line| escape_controls(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The emulator's credentials: the ones the command line passed, never the environment's (a user's real key
/// must not become a secret anyone reaching the emulator could use), else its own.
fn mock_behaviour(credentials: &Secrets) -> BehaviourConfig {
    let none = credentials.is_empty();
    let owned = |value: &Option<String>| {
        value
            .iter()
            .map(|value| (value.clone(), MOCK_OWNER))
            .collect::<Vec<_>>()
    };
    let mut config = Credentials {
        api_keys: owned(&credentials.api_key),
        oauth_tokens: owned(&credentials.oauth_token),
        cookies: owned(&credentials.cookie),
    };
    if none {
        config.api_keys.push((MOCK_API_KEY.to_owned(), MOCK_OWNER));
        config.cookies.push((MOCK_COOKIE.to_owned(), MOCK_OWNER));
    }
    BehaviourConfig {
        credentials: config,
        ..BehaviourConfig::default()
    }
}

fn mock_world(seed: u64) -> WorldConfig {
    WorldConfig {
        hidden_users: vec![MOCK_HIDDEN_USER],
        ..WorldConfig::seeded(seed)
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let global = cli.global;
    let explicit = Secrets::explicit(
        Given {
            value: global.api_key.as_deref(),
            file: global.api_key_file.as_deref(),
            file_flag: "--api-key-file",
        },
        Given {
            value: global.oauth_token.as_deref(),
            file: global.oauth_token_file.as_deref(),
            file_flag: "--oauth-token-file",
        },
        Given {
            value: global.cookie.as_deref(),
            file: global.cookie_file.as_deref(),
            file_flag: "--cookie-file",
        },
    )?;

    if let Command::Mock {
        addr,
        allow_non_loopback,
        seed,
    } = cli.command
    {
        if !addr.ip().is_loopback() && !allow_non_loopback {
            return Err(Failure::Usage(format!(
                "{addr} is not a loopback address: the emulator accepts its credentials from anyone who \
                 reaches it; pass --allow-non-loopback to listen there anyway"
            )));
        }
        let server = MockServer::bind(addr, mock_world(seed), mock_behaviour(&explicit))
            .await
            .map_err(|error| {
                Failure::Api(one_line(&format!("starting the emulator: {error:#}")))
            })?;
        println!("rbxinv mock listening on {}", server.url());
        std::io::stdout().flush()?;
        tokio::signal::ctrl_c().await?;
        return Ok(());
    }

    let mut legacy_url = global.legacy_url;
    let mut cloud_url = global.cloud_url;
    let (credentials, _server) = if global.mock {
        let server = MockServer::start(mock_world(0), mock_behaviour(&explicit))
            .await
            .map_err(|error| {
                Failure::Api(one_line(&format!("starting the emulator: {error:#}")))
            })?;
        legacy_url = server.url();
        cloud_url = server.url();
        let credentials = if explicit.is_empty() {
            Secrets {
                api_key: Some(MOCK_API_KEY.to_owned()),
                cookie: Some(MOCK_COOKIE.to_owned()),
                oauth_token: None,
            }
        } else {
            explicit
        };
        (credentials, Some(server))
    } else {
        (explicit.or_environment(), None)
    };

    let mut builder = Client::builder()
        .legacy_url(legacy_url)
        .cloud_url(cloud_url)
        .allow_insecure_http(global.allow_insecure_http)
        .user_agent(concat!("rbxinv/", env!("CARGO_PKG_VERSION")));
    if let Some(key) = credentials.api_key {
        builder = builder.api_key(key);
    }
    if let Some(token) = credentials.oauth_token {
        builder = builder.oauth_token(token);
    }
    if let Some(cookie) = credentials.cookie {
        builder = builder.cookie(cookie);
    }
    let client = builder.build().map_err(|error| match error {
        Error::InsecureUrl {
            field,
            origin,
            credential,
        } => Failure::Usage(format!(
            "--{} {origin} is plain http to a host that is not this machine, so {credential} would cross \
             the network unencrypted; use https://, or pass --allow-insecure-http to send it anyway",
            field.replace('_', "-")
        )),
        other => Failure::Usage(one_line(&other.to_string())),
    })?;

    let format = global.format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Ndjson
    });
    let progress = !global.quiet && std::io::stderr().is_terminal();
    let listing = Listing {
        format,
        max_items: global.max_items,
        progress,
    };

    match cli.command {
        Command::Items(args) => {
            let filter = items_filter(&args)?;
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
                .map(|text| parse_legacy_type(text))
                .collect::<Result<Vec<_>, _>>()?;
            listing
                .run(client.user_inventory(user_id, types), |item| item)
                .await
        }
        Command::ByType {
            user_id,
            asset_type,
        } => {
            let asset_type = parse_legacy_type(&asset_type)?;
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
                .map(|text| {
                    text.parse::<legacy_v1::types::AssetType>()
                        .map_err(|error| Failure::Usage(format!("--asset-type: {error}")))
                })
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
            if !global.quiet {
                eprintln!("gave up asset {asset_id}");
            }
            Ok(())
        }
        Command::Mock { .. } => unreachable!("handled above"),
    }
}

/// A legacy asset type by name (any case) or id; unknown names are a usage error naming the allowed ones.
fn parse_legacy_type(text: &str) -> Result<AssetType, Failure> {
    text.parse::<AssetType>()
        .map_err(|error| Failure::Usage(format!("unknown asset type: {error}")))
}

/// An Open Cloud asset type: its own name (HAT), a legacy name (Hat), or a legacy id (8).
fn parse_cloud_type(text: &str) -> Result<InventoryItemAssetType, Failure> {
    let cloud_error = match text.parse::<InventoryItemAssetType>() {
        Ok(asset_type) if !asset_type.is_unknown() => return Ok(asset_type),
        Ok(_) => None,
        Err(error) => Some(error),
    };
    if let Ok(legacy) = text.parse::<AssetType>()
        && let Some(cloud) = legacy_to_cloud(&legacy)
    {
        return Ok(cloud);
    }
    Err(Failure::Usage(match cloud_error {
        Some(error) => format!("unknown asset type: {error}"),
        None => format!("unknown asset type: {text:?}"),
    }))
}

fn items_filter(args: &ItemsArgs) -> Result<InventoryFilter, Failure> {
    let has_types = !args.asset_types.is_empty()
        || args.only_collectibles
        || args.badges
        || args.game_passes
        || args.private_servers;
    let has_ids = !args.asset_ids.is_empty()
        || !args.badge_ids.is_empty()
        || !args.game_pass_ids.is_empty()
        || !args.private_server_ids.is_empty();
    let invalid =
        |error: roblox_inventory::FilterError| Failure::Usage(one_line(&error.to_string()));
    match (has_types, has_ids) {
        (false, false) => Ok(InventoryFilter::everything()),
        (true, true) => Err(Failure::Usage(
            "type filters (--asset-types, --only-collectibles, --badges, --game-passes, --private-servers) \
             cannot be mixed with ID filters (--asset-ids, --badge-ids, --game-pass-ids, --private-server-ids)"
                .to_owned(),
        )),
        (true, false) => {
            let mut builder = InventoryFilter::types();
            if args.asset_types.iter().any(|text| text.trim() == "*") {
                builder = builder.all_asset_types();
            } else if !args.asset_types.is_empty() {
                let types = args
                    .asset_types
                    .iter()
                    .map(|text| parse_cloud_type(text))
                    .collect::<Result<Vec<_>, _>>()?;
                builder = builder.asset_types(types);
            }
            if args.only_collectibles {
                builder = builder.only_collectibles();
            }
            if args.badges {
                builder = builder.badges();
            }
            if args.game_passes {
                builder = builder.game_passes();
            }
            if args.private_servers {
                builder = builder.private_servers();
            }
            builder.build().map_err(invalid)
        }
        (false, true) => InventoryFilter::ids()
            .asset_ids(args.asset_ids.iter().copied())
            .badge_ids(args.badge_ids.iter().copied())
            .game_pass_ids(args.game_pass_ids.iter().copied())
            .private_server_ids(args.private_server_ids.iter().copied())
            .build()
            .map_err(invalid),
    }
}

/// How a paged command prints.
struct Listing {
    format: Format,
    max_items: Option<usize>,
    progress: bool,
}

impl Listing {
    /// Runs `scan` page by page, writing each item (converted by `wire` to what Roblox sends) as it arrives.
    async fn run<T, W: Serialize>(
        &self,
        scan: Scan<T>,
        wire: impl Fn(T) -> W,
    ) -> Result<(), Failure> {
        let scan = match self.max_items {
            Some(count) => scan.max_items(count),
            None => scan,
        };
        let mut pages = scan.pages();
        let stdout = std::io::stdout();
        let terminal = stdout.is_terminal();
        let mut sink = Sink::new(self.format, stdout.lock(), terminal);
        let started = Instant::now();
        let (mut items, mut page_count) = (0usize, 0usize);
        let result = loop {
            match pages.try_next().await {
                Ok(Some(page)) => {
                    page_count += 1;
                    items += page.items.len();
                    let written = page
                        .items
                        .into_iter()
                        .try_for_each(|item| {
                            let value = serde_json::to_value(wire(item)).map_err(|error| {
                                Failure::Api(format!("encoding an item: {error}"))
                            })?;
                            sink.item(value)
                        })
                        .and_then(|()| sink.flush());
                    if let Err(error) = written {
                        break Err(error);
                    }
                    if self.progress {
                        let seconds = started.elapsed().as_secs_f64().max(0.001);
                        eprint!(
                            "\r{items} items, {page_count} pages, {:.0} items/s ",
                            items as f64 / seconds
                        );
                    }
                }
                Ok(None) => break Ok(()),
                Err(error) => break Err(Failure::from(error)),
            }
        };
        if self.progress {
            eprint!("\r\x1b[K");
        }
        let result = result.and_then(|()| sink.finish());
        match result {
            // A closed pipe (`rbxinv items 1 | head`) is not an error.
            Err(Failure::Api(message)) if message.contains("Broken pipe") => Ok(()),
            other => other,
        }
    }
}
