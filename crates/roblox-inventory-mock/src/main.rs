//! `roblox-inventory-mock`: the emulator from a shell.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use roblox_inventory_mock::behaviour::{
    BehaviourConfig, Credentials, FaultConfig, RateLimitConfig,
};
use roblox_inventory_mock::{EmptyTrailingPage, ItemMix, MockServer, WorldConfig};

/// A local emulator of Roblox's inventory APIs (legacy v1/v2 on the same host as Open Cloud v2). Point both
/// the legacy and the Open Cloud base URL of a client at the printed address.
#[derive(Debug, Parser)]
#[command(name = "roblox-inventory-mock", version)]
struct Args {
    /// Address to listen on. Only loopback addresses unless --allow-non-loopback is given.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Allow binding a non-loopback address (the emulator accepts the secrets it is given from anyone).
    #[arg(long)]
    allow_non_loopback: bool,
    /// Seed of the generated world: the same seed always serves the same users and items.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Number of items in every user's generated inventory.
    #[arg(long, default_value_t = 100)]
    inventory_size: u64,
    /// The share of each kind of item in generated inventories, as comma-separated KIND=WEIGHT (kinds: asset,
    /// game-pass, badge, private-server, bundle; collectible-per-mille sets how many asset copies in a thousand
    /// are limiteds). Unnamed kinds keep their default weight (85, 5, 5, 3, 2; 125 per mille).
    #[arg(long, value_name = "KIND=WEIGHT,...", value_parser = item_mix)]
    mix: Option<ItemMix>,
    /// A user whose inventory is private (repeatable).
    #[arg(long = "hidden-user", value_name = "USER_ID")]
    hidden_users: Vec<u64>,
    /// End Open Cloud scans with empty pages after the last items, as Roblox's guide shows can happen: the
    /// empty page carries "" (empty-token, the default of the bare flag), a fresh token to one more empty page
    /// (fresh-token), or the token it was sent (same-token).
    #[arg(long, value_enum, value_name = "ENDING", num_args = 0..=1, default_value = "none",
          default_missing_value = "empty-token")]
    empty_trailing_page: EmptyTrailingPage,
    /// A valid .ROBLOSECURITY cookie and the user it logs in as (repeatable).
    #[arg(long, value_name = "SECRET:USER_ID", value_parser = secret_pair)]
    cookie: Vec<(String, u64)>,
    /// A valid Open Cloud API key and the user who owns it (repeatable).
    #[arg(long = "api-key", value_name = "SECRET:OWNER_ID", value_parser = secret_pair)]
    api_key: Vec<(String, u64)>,
    /// A valid OAuth 2.0 access token and the user who granted it (repeatable).
    #[arg(long = "oauth-token", value_name = "SECRET:USER_ID", value_parser = secret_pair)]
    oauth_token: Vec<(String, u64)>,
    /// Open Cloud requests per window per API key owner (Roblox documents 100 a minute).
    #[arg(long, default_value_t = 100)]
    api_key_rate_limit: u32,
    /// Open Cloud requests per window per OAuth token (Roblox documents 20 a minute).
    #[arg(long, default_value_t = 20)]
    oauth_rate_limit: u32,
    /// Legacy requests per window per cookie (undocumented by Roblox; generous by default).
    #[arg(long, default_value_t = 1000)]
    legacy_rate_limit: u32,
    /// Length of the rate-limit window in documented seconds (divided by --time-scale).
    #[arg(long, default_value_t = 60)]
    rate_window_secs: u64,
    /// How much faster than real time documented durations pass: 60 makes a minute last one second.
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Seed of fault injection: the same seed and request order inject the same faults.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Probability (0-1) of answering a request with a 500.
    #[arg(long, default_value_t = 0.0)]
    fault_500: f64,
    /// Probability (0-1) of answering a request with a 503.
    #[arg(long, default_value_t = 0.0)]
    fault_503: f64,
    /// Probability (0-1) of answering a request with a 429 although the limit is not reached.
    #[arg(long, default_value_t = 0.0)]
    fault_429: f64,
    /// Probability (0-1) of breaking a response off mid-body.
    #[arg(long, default_value_t = 0.0)]
    fault_drop: f64,
    /// Probability (0-1) of delaying a request by --latency-ms.
    #[arg(long, default_value_t = 0.0)]
    latency_probability: f64,
    /// The added latency, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
}

fn item_mix(text: &str) -> Result<ItemMix, String> {
    let mut mix = ItemMix::default();
    for part in text.split(',').filter(|part| !part.trim().is_empty()) {
        let (kind, weight) = part.split_once('=').ok_or("expected KIND=WEIGHT")?;
        let weight = weight
            .trim()
            .parse::<u32>()
            .map_err(|_| format!("'{weight}' is not a weight"))?;
        let slot = match kind.trim() {
            "asset" => &mut mix.asset,
            "game-pass" => &mut mix.game_pass,
            "badge" => &mut mix.badge,
            "private-server" => &mut mix.private_server,
            "bundle" => &mut mix.bundle,
            "collectible-per-mille" => &mut mix.collectible_per_mille,
            other => return Err(format!("unknown kind '{other}'")),
        };
        *slot = weight;
    }
    Ok(mix)
}

fn secret_pair(text: &str) -> Result<(String, u64), String> {
    let (secret, user) = text.rsplit_once(':').ok_or("expected SECRET:USER_ID")?;
    let user = user
        .parse::<u64>()
        .map_err(|_| format!("'{user}' is not a user id"))?;
    if secret.is_empty() {
        return Err("the secret is empty".to_owned());
    }
    Ok((secret.to_owned(), user))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if !args.addr.ip().is_loopback() && !args.allow_non_loopback {
        bail!(
            "{} is not a loopback address; pass --allow-non-loopback to bind it anyway",
            args.addr
        );
    }
    if !(args.time_scale.is_finite() && args.time_scale > 0.0) {
        bail!(
            "--time-scale must be a positive number, not {}",
            args.time_scale
        );
    }
    let world = WorldConfig {
        seed: args.seed,
        default_inventory_size: args.inventory_size,
        hidden_users: args.hidden_users,
        empty_trailing_page: args.empty_trailing_page,
        default_mix: args.mix.unwrap_or_default(),
        ..WorldConfig::default()
    };
    let behaviour = BehaviourConfig {
        credentials: Credentials {
            cookies: args.cookie,
            api_keys: args.api_key,
            oauth_tokens: args.oauth_token,
        },
        rate_limit: RateLimitConfig {
            window: Duration::from_secs(args.rate_window_secs),
            api_key_owner_limit: args.api_key_rate_limit,
            oauth_token_limit: args.oauth_rate_limit,
            legacy_limit: args.legacy_rate_limit,
        },
        faults: FaultConfig {
            seed: args.fault_seed,
            internal_error: args.fault_500,
            unavailable: args.fault_503,
            too_many_requests: args.fault_429,
            dropped_connection: args.fault_drop,
            latency_probability: args.latency_probability,
            latency: Duration::from_millis(args.latency_ms),
        },
        time_scale: args.time_scale,
    };
    let server = MockServer::bind(args.addr, world, behaviour)
        .await
        .context("starting the emulator")?;
    println!("roblox-inventory-mock listening on {}", server.url());
    println!(
        "counters: {}{}",
        server.url(),
        roblox_inventory_mock::server::COUNTERS_PATH
    );
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    Ok(())
}
