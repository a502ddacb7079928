//! What the tests of the `rbxinv` binary share.
#![allow(dead_code, reason = "each test binary uses a part of it")]

use std::process::{Command, Output};

/// `rbxinv`, with none of the credentials or the terminal width of the environment the tests run in.
pub fn rbxinv_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rbxinv"));
    command
        .env_remove("ROBLOX_API_KEY")
        .env_remove("ROBLOX_OAUTH_TOKEN")
        .env_remove("ROBLOSECURITY")
        .env_remove("COLUMNS");
    command
}

/// Runs `rbxinv` with `args` and waits for it.
pub fn run_rbxinv(args: &[&str]) -> Output {
    rbxinv_command()
        .args(args)
        .output()
        .expect("running rbxinv")
}

/// Runs `rbxinv --mock` (against its in-process emulator) with `args` and waits for it.
pub fn rbxinv_mock(args: &[&str]) -> Output {
    let mock: Vec<&str> = std::iter::once("--mock")
        .chain(args.iter().copied())
        .collect();
    run_rbxinv(&mock)
}

/// What a process printed, which must be UTF-8.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8 output")
}

/// A runtime for the in-process emulator of a test that runs `rbxinv` processes: the test's own thread stays
/// free to wait for them.
pub fn emulator_runtime(threads: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .unwrap()
}

/// What `rbxinv --redis URL status` prints: `queued N\nrunning N\ndone N\ndead N\n`.
pub fn queue_status(redis_url: &str) -> String {
    let status = rbxinv_command()
        .args(["--redis", redis_url, "status"])
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0), "{status:?}");
    text(&status.stdout)
}
