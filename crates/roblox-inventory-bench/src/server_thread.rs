//! A loopback server on a thread and current-thread runtime of its own, so that the client being measured has
//! the main thread to itself and that thread's CPU clock counts none of the server's work.

use std::future::Future;
use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::{Context, anyhow};
use tokio::sync::oneshot;

/// A running server thread; dropping it stops the server and joins the thread.
pub struct ServerThread {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl ServerThread {
    /// Runs `start` on a new thread named `name`. `start` binds and begins serving (spawning tasks on the
    /// thread's runtime); the first value it returns is handed back to the caller, the second is kept alive
    /// until the `ServerThread` is dropped. The runtime ends then, and with it every task the server spawned.
    pub fn spawn<T, Guard, Start, Starting>(
        name: &str,
        start: Start,
    ) -> anyhow::Result<(T, ServerThread)>
    where
        T: Send + 'static,
        Start: FnOnce() -> Starting + Send + 'static,
        Starting: Future<Output = anyhow::Result<(T, Guard)>>,
    {
        let (ready, started) = mpsc::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
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
                    match start().await {
                        Ok((value, guard)) => {
                            let _ = ready.send(Ok(value));
                            let _ = stopped.await;
                            drop(guard);
                        }
                        Err(error) => {
                            let _ = ready.send(Err(error));
                        }
                    }
                });
            })
            .with_context(|| format!("starting the {name} thread"))?;
        let value = started
            .recv()
            .with_context(|| format!("the {name} thread ended before it started serving"))?
            .with_context(|| format!("starting the {name}"))?;
        Ok((
            value,
            ServerThread {
                stop: Some(stop),
                thread: Some(thread),
            },
        ))
    }
}

impl Drop for ServerThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
