//! A real, throwaway redis-server for tests (this crate's, rbxinv's, and yours): started on a free loopback port
//! with nothing saved to disk, stopped by its pid when dropped. Under `CI=true` a test that needs it fails when it
//! cannot start one; elsewhere it is skipped, saying so and how to install Redis.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running redis-server of this test.
pub struct RedisServer {
    child: Child,
    pub port: u16,
}

impl RedisServer {
    /// The server's URL, `redis://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Starts a server, or says why not: `None` (after printing that the test was skipped) off CI, a panic on
    /// CI, where every test runs.
    pub fn start(test: &str) -> Option<RedisServer> {
        match Self::try_start() {
            Ok(server) => Some(server),
            Err(why) if std::env::var("CI").is_ok_and(|ci| ci == "true") => {
                panic!("{test}: needs redis-server, which could not start: {why}")
            }
            Err(why) => {
                eprintln!(
                    "{test}: SKIPPED: {why}. Install Redis to run it (Debian/Ubuntu: \
                     `apt-get install -y redis-server`; macOS: `brew install redis`)."
                );
                None
            }
        }
    }

    fn try_start() -> Result<RedisServer, String> {
        // A port the kernel just handed out, released for the server to bind; a clash is retried.
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|listener| listener.local_addr())
                .map_err(|error| format!("no free loopback port: {error}"))?
                .port();
            let child = Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|error| format!("redis-server did not start ({error})"))?;
            let mut server = RedisServer { child, port };
            if server.wait_until_ready(Duration::from_secs(10)) {
                return Ok(server);
            }
            // Dropping it stops it; try another port.
        }
        Err("redis-server did not answer on any of five ports".to_owned())
    }

    fn wait_until_ready(&mut self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if let Ok(client) = redis::Client::open(self.url())
                && let Ok(mut connection) = client.get_connection()
                && redis::cmd("PING").query::<String>(&mut connection).is_ok()
            {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        // Stopped by its own pid, never by name: other servers on this machine are not ours.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
