//! The built-in emulator: the world and credentials of `--mock`, started in this process, and the `mock`
//! command, which serves the same world in the foreground.

use std::io::Write;
use std::net::SocketAddr;

use roblox_inventory_mock::behaviour::{BehaviourConfig, Credentials};
use roblox_inventory_mock::{MockServer, WorldConfig};

use crate::client::Target;
use crate::failure::{Failure, one_line};
use crate::secrets::Secrets;

/// The user whose inventory is hidden in the emulator's world.
const HIDDEN_USER: u64 = 261;
/// The user who owns every credential the emulator accepts.
const OWNER: u64 = 156;
/// The seed of the `--mock` world (`mock --seed` picks another).
const SEED: u64 = 0;
const API_KEY: &str = "mock-api-key";
const COOKIE: &str = "mock-cookie";

/// Starts the `--mock` emulator in this process, and the target that points both hosts at it with the command
/// line's credentials (`explicit`), else the emulator's own. The environment's are never read here. The
/// emulator answers for as long as the returned server lives.
pub async fn start_in_process(explicit: Secrets) -> Result<(MockServer, Target), Failure> {
    let server = MockServer::start(world(SEED), behaviour(&explicit))
        .await
        .map_err(not_started)?;
    let credentials = if explicit.is_empty() {
        Secrets {
            api_key: Some(API_KEY.to_owned()),
            cookie: Some(COOKIE.to_owned()),
            oauth_token: None,
        }
    } else {
        explicit
    };
    let target = Target {
        legacy_url: server.url(),
        cloud_url: server.url(),
        credentials,
    };
    Ok((server, target))
}

/// `rbxinv mock`: serves the emulator on `addr` until Ctrl-C, accepting the credentials in `explicit`.
pub async fn serve(
    addr: SocketAddr,
    allow_non_loopback: bool,
    seed: u64,
    explicit: &Secrets,
) -> Result<(), Failure> {
    if !addr.ip().is_loopback() && !allow_non_loopback {
        return Err(Failure::Usage(format!(
            "{addr} is not a loopback address: the emulator accepts its credentials from anyone who \
             reaches it; pass --allow-non-loopback to listen there anyway"
        )));
    }
    let server = MockServer::bind(addr, world(seed), behaviour(explicit))
        .await
        .map_err(not_started)?;
    println!("rbxinv mock listening on {}", server.url());
    // Whoever started us may be waiting on this line through a pipe to learn the port.
    std::io::stdout().flush()?;
    tokio::signal::ctrl_c().await?;
    Ok(())
}

fn world(seed: u64) -> WorldConfig {
    WorldConfig {
        hidden_users: vec![HIDDEN_USER],
        ..WorldConfig::seeded(seed)
    }
}

/// The emulator's credentials: the ones the command line passed, never the environment's (a user's real key
/// must not become a secret anyone reaching the emulator could use), else its own.
fn behaviour(explicit: &Secrets) -> BehaviourConfig {
    let owned = |value: &Option<String>| {
        value
            .iter()
            .map(|value| (value.clone(), OWNER))
            .collect::<Vec<_>>()
    };
    let mut credentials = Credentials {
        api_keys: owned(&explicit.api_key),
        oauth_tokens: owned(&explicit.oauth_token),
        cookies: owned(&explicit.cookie),
    };
    if explicit.is_empty() {
        credentials.api_keys.push((API_KEY.to_owned(), OWNER));
        credentials.cookies.push((COOKIE.to_owned(), OWNER));
    }
    BehaviourConfig {
        credentials,
        ..BehaviourConfig::default()
    }
}

fn not_started(error: anyhow::Error) -> Failure {
    Failure::Api(one_line(&format!("starting the emulator: {error:#}")))
}
