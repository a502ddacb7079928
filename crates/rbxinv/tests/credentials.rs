//! Where `rbxinv` takes its credentials from (flags, files, the environment), and where it never does: the
//! emulator never adopts the environment's real credentials as its own secrets.

use std::io::{BufRead, BufReader};
mod common;

use std::process::{Child, Output, Stdio};

use common::{emulator_runtime, rbxinv_command};
use futures_util::TryStreamExt;
use roblox_inventory::{Client, ErrorKind, InventoryFilter, PaginationError};
use roblox_inventory_mock::behaviour::{BehaviourConfig, Credentials};
use roblox_inventory_mock::{MockServer, WorldConfig};

const USER: u64 = 156;
const HIDDEN: u64 = 261;
const KEY: &str = "key-of-156";
const COOKIE: &str = "cookie-of-261";

/// An emulator that knows one API key (of user 156) and one cookie (of user 261, whose inventory is hidden).
fn emulator(runtime: &tokio::runtime::Runtime) -> MockServer {
    runtime.block_on(async {
        let world = WorldConfig {
            hidden_users: vec![HIDDEN],
            ..WorldConfig::seeded(3)
        };
        let behaviour = BehaviourConfig {
            credentials: Credentials {
                api_keys: vec![(KEY.into(), USER)],
                cookies: vec![(COOKIE.into(), HIDDEN)],
                ..Credentials::default()
            },
            ..BehaviourConfig::default()
        };
        MockServer::start(world, behaviour).await.unwrap()
    })
}

/// `rbxinv` against `server` with a clean environment plus `env`.
fn rbxinv(server: &MockServer, env: &[(&str, &str)], args: &[&str]) -> Output {
    let url = server.url();
    let mut command = rbxinv_command();
    command
        .args(["--cloud-url", &url, "--legacy-url", &url, "--quiet"])
        .args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn credentials_from_the_environment_are_sent() {
    let runtime = emulator_runtime(1);
    let server = emulator(&runtime);
    let listable = server
        .world()
        .inventory(USER)
        .iter()
        .filter(|item| item.in_open_cloud())
        .count();

    let with_key = rbxinv(&server, &[("ROBLOX_API_KEY", KEY)], &["items", "156"]);
    assert_eq!(with_key.status.code(), Some(0), "{with_key:?}");
    assert_eq!(stdout(&with_key).lines().count(), listable);
    let without = rbxinv(&server, &[], &["items", "156"]);
    assert_eq!(without.status.code(), Some(1), "the key was needed");

    let with_cookie = rbxinv(&server, &[("ROBLOSECURITY", COOKIE)], &["can-view", "261"]);
    assert_eq!(stdout(&with_cookie), "true\n", "{with_cookie:?}");
    let without = rbxinv(&server, &[], &["can-view", "261"]);
    assert_eq!(stdout(&without), "false\n");

    // A flag wins over the environment.
    let flag_wins = rbxinv(
        &server,
        &[("ROBLOX_API_KEY", KEY)],
        &["--api-key", "not-a-key", "items", "156"],
    );
    assert_eq!(flag_wins.status.code(), Some(1));
}

#[test]
fn credentials_are_read_from_files() {
    let runtime = emulator_runtime(1);
    let server = emulator(&runtime);
    let dir = std::env::temp_dir().join(format!("rbxinv-credentials-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("key");
    std::fs::write(&key, format!("{KEY}\n")).unwrap();
    let cookie = dir.join("cookie");
    std::fs::write(&cookie, COOKIE).unwrap();

    let output = rbxinv(
        &server,
        &[],
        &[
            "--api-key-file",
            key.to_str().unwrap(),
            "items",
            "156",
            "--max-items",
            "3",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(stdout(&output).lines().count(), 3);
    let output = rbxinv(
        &server,
        &[],
        &["--cookie-file", cookie.to_str().unwrap(), "can-view", "261"],
    );
    assert_eq!(stdout(&output), "true\n", "{output:?}");

    let missing = dir.join("missing");
    let output = rbxinv(
        &server,
        &[],
        &["--api-key-file", missing.to_str().unwrap(), "items", "156"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--api-key-file"),
        "{output:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A child process, killed when the test ends, whether it passes or not.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_foreground_emulator_never_adopts_the_environments_credentials() {
    let mut child = Running(
        rbxinv_command()
            .args(["mock", "--addr", "127.0.0.1:0"])
            .env("ROBLOX_API_KEY", "my-real-key")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");

    let list = |key: &'static str| {
        let client = Client::builder()
            .api_key(key)
            .cloud_url(url.clone())
            .build()
            .unwrap();
        async move {
            client
                .inventory_items(USER, &InventoryFilter::everything())
                .max_items(1)
                .items()
                .try_collect::<Vec<_>>()
                .await
        }
    };
    let runtime = emulator_runtime(1);
    let refused = runtime.block_on(list("my-real-key"));
    let accepted = runtime.block_on(list("mock-api-key"));
    match refused {
        Err(PaginationError::Fetch { source, .. }) => {
            assert_eq!(source.kind(), Some(ErrorKind::Unauthorized), "{source}")
        }
        other => panic!("the environment's key was accepted: {other:?}"),
    }
    assert_eq!(accepted.unwrap().len(), 1, "the emulator's own key works");
}
