//! `rbxinv items 1 | head`: a reader that stops early is not an error.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::{emulator_runtime, rbxinv_command};
use roblox_inventory_mock::behaviour::{BehaviourConfig, Credentials};
use roblox_inventory_mock::{MockServer, UserSpec, WorldConfig};

const USER: u64 = 156;
const KEY: &str = "key-of-156";
/// Far more than a pipe holds (64 KiB on Linux) in every format, so that rbxinv is certain to be still
/// writing when the reader goes: `--mock`'s 100 items fit in the pipe whole and would never see it close.
const ITEMS: u64 = 2_000;

#[test]
fn a_reader_that_closes_early_ends_the_listing_quietly_with_exit_0() {
    let runtime = emulator_runtime(1);
    let server = runtime.block_on(async {
        let world = WorldConfig::seeded(1).user(
            USER,
            UserSpec {
                inventory_size: Some(ITEMS),
                ..UserSpec::default()
            },
        );
        let behaviour = BehaviourConfig {
            credentials: Credentials {
                api_keys: vec![(KEY.into(), USER)],
                ..Credentials::default()
            },
            ..BehaviourConfig::default()
        };
        MockServer::start(world, behaviour).await.unwrap()
    });
    let url = server.url();

    // ndjson fails on a page's write; the others on the single write at the end.
    for format in ["ndjson", "json", "csv", "table"] {
        let mut child = rbxinv_command()
            .args(["--cloud-url", &url, "--legacy-url", &url, "--api-key", KEY])
            .args(["--format", format, "items", "156"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("running rbxinv");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty(), "{format}: nothing was written");
        // The reader is gone now, like `head -1` after its line.
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}
