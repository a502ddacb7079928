//! The emulator on a thread and runtime of its own, so that the client being measured has its thread to
//! itself and its CPU clock counts none of the server's work.

use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::{Context, anyhow};
use roblox_inventory::{Client, ClientBuilder};
use roblox_inventory_mock::behaviour::{BehaviourConfig, Counters, Credentials, RateLimitConfig};
use roblox_inventory_mock::{Behaviour, MockServer, WorldConfig};
use tokio::sync::oneshot;

/// The API key every benchmark client presents; it belongs to [`KEY_OWNER`].
pub const API_KEY: &str = "bench-api-key";
/// The user whose API key the clients use (Open Cloud lists this user's inventory).
pub const KEY_OWNER: u64 = 156;

/// A running emulator; dropping it stops the server and joins its thread.
pub struct Emulator {
    url: String,
    behaviour: Arc<Behaviour>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Starts `world` behind `behaviour` on 127.0.0.1, served by a current-thread runtime on a new thread.
    pub fn start(world: WorldConfig, behaviour: BehaviourConfig) -> anyhow::Result<Emulator> {
        let (ready, started) = mpsc::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("emulator".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(error) => {
                        let _ = ready.send(Err(anyhow!(error)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match MockServer::start(world, behaviour).await {
                        Ok(server) => {
                            let _ = ready.send(Ok((server.url(), server.behaviour().clone())));
                            let _ = stopped.await;
                        }
                        Err(error) => {
                            let _ = ready.send(Err(error));
                        }
                    }
                });
            })
            .context("starting the emulator thread")?;
        let (url, behaviour) = started
            .recv()
            .context("the emulator thread ended before it started serving")?
            .context("starting the emulator")?;
        Ok(Emulator {
            url,
            behaviour,
            stop: Some(stop),
            thread: Some(thread),
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
        .rate_limit(None)
        .legacy_rate_limit(None)
        .build()
        .context("building the facade client")
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
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
