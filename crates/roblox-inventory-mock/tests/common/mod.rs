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
            cookies: vec![(COOKIE.to_owned(), OWNER)],
            api_keys: vec![(API_KEY.to_owned(), OWNER)],
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

/// A facade client without credentials for the legacy host, and an API key owned by someone else.
pub fn stranger(server: &MockServer) -> Client {
    Client::builder()
        .api_key("not-a-key-of-anyone")
        .legacy_url(server.url())
        .cloud_url(server.url())
        .build()
        .expect("client builds")
}
