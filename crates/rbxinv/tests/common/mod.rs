//! What the tests of the `rbxinv` binary share.

use std::process::Command;

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
