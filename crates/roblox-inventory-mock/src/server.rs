//! The emulator as a server in the caller's process, on a random loopback port.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::sync::oneshot;

use crate::behaviour::{self, Behaviour, BehaviourConfig};
use crate::world::{World, WorldConfig};

/// The whole router: the 16 operations behind the behaviour middleware.
pub fn app(world: Arc<World>, behaviour: Arc<Behaviour>) -> axum::Router {
    crate::api::router(world).layer(axum::middleware::from_fn_with_state(
        behaviour,
        behaviour::middleware,
    ))
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
