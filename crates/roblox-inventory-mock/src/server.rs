//! The emulator as a server in the caller's process, on a random loopback port.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use tokio::sync::oneshot;

use crate::behaviour::{self, Behaviour, BehaviourConfig, CountersReport};
use crate::world::{World, WorldConfig};

/// The path of the emulator's counters as JSON ([`crate::behaviour::CountersReport`]). `/_mock/` is no path of
/// Roblox's, and its routes bypass the behaviour middleware: they need no credential, are never rate limited
/// and are not counted.
pub const COUNTERS_PATH: &str = "/_mock/counters";

/// `POST` here sets the counters back to zero (rate-limit windows are left as they are).
pub const COUNTERS_RESET_PATH: &str = "/_mock/counters/reset";

/// The whole router: the 16 operations behind the behaviour middleware, and the `/_mock/` routes beside it.
pub fn app(world: Arc<World>, behaviour: Arc<Behaviour>) -> axum::Router {
    let api = crate::api::router(world).layer(axum::middleware::from_fn_with_state(
        behaviour.clone(),
        behaviour::middleware,
    ));
    // Merged after the layer, so the middleware never sees these routes; every other path, unknown ones
    // included, still goes through it.
    let control = axum::Router::new()
        .route(COUNTERS_PATH, get(counters))
        .route(COUNTERS_RESET_PATH, post(reset_counters))
        .with_state(behaviour);
    api.merge(control)
}

async fn counters(State(behaviour): State<Arc<Behaviour>>) -> axum::Json<CountersReport> {
    axum::Json(behaviour.counters().report())
}

async fn reset_counters(State(behaviour): State<Arc<Behaviour>>) -> StatusCode {
    behaviour.reset_counters();
    StatusCode::NO_CONTENT
}

/// A running emulator; dropping it stops the server.
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    world: Arc<World>,
    behaviour: Arc<Behaviour>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl MockServer {
    /// Starts on 127.0.0.1 with a port the OS picks, served by a task on the current tokio runtime.
    pub async fn start(
        world: WorldConfig,
        behaviour: BehaviourConfig,
    ) -> anyhow::Result<MockServer> {
        Self::bind("127.0.0.1:0".parse()?, world, behaviour).await
    }

    /// Starts on `address`.
    pub async fn bind(
        address: SocketAddr,
        world: WorldConfig,
        behaviour: BehaviourConfig,
    ) -> anyhow::Result<MockServer> {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("binding {address}"))?;
        let address = listener.local_addr()?;
        let world = Arc::new(World::new(world));
        let behaviour = Behaviour::new(behaviour);
        let app = app(world.clone(), behaviour.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(error) = serve.await {
                eprintln!("roblox-inventory-mock: server error: {error}");
            }
        });
        Ok(MockServer {
            address,
            world,
            behaviour,
            shutdown: Some(shutdown),
        })
    }

    /// The base URL, for example `http://127.0.0.1:40123`, for both the legacy and the Open Cloud host.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The middleware's shared state: counters, `expire_csrf_token`.
    pub fn behaviour(&self) -> &Arc<Behaviour> {
        &self.behaviour
    }

    /// The world being served (its state changes with mutations).
    pub fn world(&self) -> &Arc<World> {
        &self.world
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
