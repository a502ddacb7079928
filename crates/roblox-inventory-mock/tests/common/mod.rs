//! What the emulator's tests share: a server with known credentials and a facade client pointed at it.
#![allow(dead_code)]

use roblox_inventory::Client;
use roblox_inventory_mock::behaviour::{BehaviourConfig, Credentials};
use roblox_inventory_mock::{MockServer, UserSpec, WorldConfig};

/// The user the test credentials belong to; their inventory is hidden from everyone else.
pub const OWNER: u64 = 7;
/// A user with a public inventory.
pub const PUBLIC: u64 = 156;
pub const COOKIE: &str = "cookie-of-7";
pub const API_KEY: &str = "api-key-of-7";
/// Another user, with valid credentials of their own: a stranger to [`OWNER`]'s hidden inventory.
pub const STRANGER: u64 = 8;
pub const STRANGER_COOKIE: &str = "cookie-of-8";
pub const STRANGER_API_KEY: &str = "api-key-of-8";

pub fn world() -> WorldConfig {
    WorldConfig::seeded(42)
        .user(
            OWNER,
            UserSpec {
                inventory_size: Some(300),
                hidden: true,
                ..UserSpec::default()
            },
        )
        .user(
            PUBLIC,
            UserSpec {
                inventory_size: Some(1_234),
                ..UserSpec::default()
            },
        )
}

pub fn behaviour() -> BehaviourConfig {
    BehaviourConfig {
        credentials: Credentials {
            cookies: vec![
                (COOKIE.to_owned(), OWNER),
                (STRANGER_COOKIE.to_owned(), STRANGER),
            ],
            api_keys: vec![
                (API_KEY.to_owned(), OWNER),
                (STRANGER_API_KEY.to_owned(), STRANGER),
            ],
            oauth_tokens: Vec::new(),
        },
        ..BehaviourConfig::default()
    }
}

pub async fn start() -> MockServer {
    MockServer::start(world(), behaviour())
        .await
        .expect("emulator starts")
}

/// A facade client with the owner's cookie and API key.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .cookie(COOKIE)
        .api_key(API_KEY)
        .legacy_url(server.url())
        .cloud_url(server.url())
        .build()
        .expect("client builds")
}

/// A facade client logged in as [`STRANGER`], with their valid cookie and API key: authenticated, but not
/// the owner, so only the hidden-inventory check can refuse it.
pub fn stranger(server: &MockServer) -> Client {
    Client::builder()
        .cookie(STRANGER_COOKIE)
        .api_key(STRANGER_API_KEY)
        .legacy_url(server.url())
        .cloud_url(server.url())
        .build()
        .expect("client builds")
}
