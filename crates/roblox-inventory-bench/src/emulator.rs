//! The emulator on a server thread of its own, its credentials and rate limits, and facade clients pointed at
//! it.

use std::sync::Arc;

use anyhow::Context;
use roblox_inventory::{Client, ClientBuilder};
use roblox_inventory_mock::behaviour::{BehaviourConfig, Counters, Credentials, RateLimitConfig};
use roblox_inventory_mock::{Behaviour, MockServer, WorldConfig};

use crate::server_thread::ServerThread;

/// The API key every benchmark client presents; it belongs to [`KEY_OWNER`].
pub const API_KEY: &str = "bench-api-key";
/// The user whose API key the clients use (Open Cloud lists this user's inventory).
pub const KEY_OWNER: u64 = 156;

/// A running emulator; dropping it stops the server and joins its thread.
pub struct Emulator {
    url: String,
    behaviour: Arc<Behaviour>,
    _thread: ServerThread,
}

impl Emulator {
    /// Starts `world` behind `behaviour` on 127.0.0.1, served by a current-thread runtime on a new thread.
    pub fn start(world: WorldConfig, behaviour: BehaviourConfig) -> anyhow::Result<Emulator> {
        let ((url, behaviour), thread) = ServerThread::spawn("emulator", move || async move {
            let server = MockServer::start(world, behaviour).await?;
            Ok(((server.url(), server.behaviour().clone()), server))
        })?;
        Ok(Emulator {
            url,
            behaviour,
            _thread: thread,
        })
    }

    /// The base URL of both the legacy and the Open Cloud host.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Requests, 429s and faults so far.
    pub fn counters(&self) -> Counters {
        self.behaviour.counters()
    }

    /// [`client_builder`] for this emulator.
    pub fn client_builder(&self) -> ClientBuilder {
        client_builder(&self.url)
    }
}

/// A facade client builder with the benchmark's API key and both hosts at `url`; everything else as
/// `Client::builder()` sets it.
pub fn client_builder(url: &str) -> ClientBuilder {
    Client::builder()
        .api_key(API_KEY)
        .legacy_url(url)
        .cloud_url(url)
}

/// [`client_builder`] without client-side rate limits, for emulators whose limits are lifted too: a scan then
/// measures the client, not waiting.
pub fn unthrottled_client(url: &str) -> anyhow::Result<Client> {
    client_builder(url)
        .cloud_rate_limit(None)
        .legacy_rate_limit(None)
        .build()
        .context("building the facade client")
}

/// The behaviour of every benchmark emulator: the benchmark's API key, no faults, real time, and the rate
/// limits given.
pub fn behaviour(rate_limit: RateLimitConfig) -> BehaviourConfig {
    BehaviourConfig {
        credentials: Credentials {
            api_keys: vec![(API_KEY.to_owned(), KEY_OWNER)],
            ..Credentials::default()
        },
        rate_limit,
        ..BehaviourConfig::default()
    }
}

/// Rate limits no scan reaches.
pub fn unlimited() -> RateLimitConfig {
    RateLimitConfig {
        api_key_owner_limit: u32::MAX,
        oauth_token_limit: u32::MAX,
        legacy_limit: u32::MAX,
        ..RateLimitConfig::default()
    }
}
