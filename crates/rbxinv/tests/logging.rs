//! `-v`, `-vv` and `RUST_LOG` log the requests on stderr, and no verbosity prints a credential.

mod common;

use common::rbxinv_command;

const API_KEY: &str = "key-f00dfeed-secret";
const COOKIE: &str = "_|WARNING:-DO-NOT-SHARE-THIS.--cookie-c0ffee-secret";

/// Runs rbxinv against its emulator with both credentials; returns stderr.
fn stderr_of(verbosity: Option<&str>, rust_log: Option<&str>, command: &[&str]) -> String {
    let mut rbxinv = rbxinv_command();
    rbxinv.args(["--mock", "--api-key", API_KEY, "--cookie", COOKIE]);
    rbxinv.args(verbosity).args(command).env_remove("RUST_LOG");
    if let Some(filter) = rust_log {
        rbxinv.env("RUST_LOG", filter);
    }
    let output = rbxinv.output().expect("running rbxinv");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn no_verbosity_logs_a_credential() {
    // A listing on each host, and a mutation, which fetches a CSRF token first.
    let commands: [&[&str]; 3] = [
        &["items", "156", "--max-items", "150"],
        &["by-type", "156", "Hat"],
        &["collection", "add", "Bundle", "1"],
    ];
    for command in commands {
        for (verbosity, rust_log) in [
            (Some("-v"), None),
            (Some("-vv"), None),
            (None, Some("trace")),
        ] {
            let stderr = stderr_of(verbosity, rust_log, command);
            assert!(
                stderr.contains("roblox_inventory.request"),
                "{command:?} {verbosity:?} {rust_log:?} logged no request: {stderr}"
            );
            for secret in [API_KEY, COOKIE, "f00dfeed", "c0ffee"] {
                assert!(
                    !stderr.contains(secret),
                    "{command:?} {verbosity:?} {rust_log:?} printed a credential: {stderr}"
                );
            }
        }
    }
}

#[test]
fn without_v_nothing_is_logged() {
    let stderr = stderr_of(None, None, &["items", "156", "--max-items", "3"]);
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn v_logs_each_request_with_its_operation_and_status() {
    let stderr = stderr_of(Some("-v"), None, &["by-type", "156", "Hat"]);
    let line = stderr
        .lines()
        .find(|line| line.contains("listUserInventoryByAssetType"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.contains("status=200"), "{line}");
    assert!(
        line.contains("path=\"/v2/users/156/inventory/8\""),
        "{line}"
    );
}
