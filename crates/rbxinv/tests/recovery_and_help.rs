//! `rbxinv` against an emulator that limits it hard (a 429 storm it must ride out), and its `--help` kept in
//! step with the README.

mod common;

use std::process::Command;

use common::emulator_runtime;
use roblox_inventory_mock::behaviour::{BehaviourConfig, Credentials, FaultConfig};
use roblox_inventory_mock::{MockServer, UserSpec, WorldConfig};

const USER: u64 = 156;
const KEY: &str = "key-of-156";

#[test]
fn a_429_storm_is_ridden_out_and_every_item_arrives() {
    let runtime = emulator_runtime(1);
    let server = runtime.block_on(async {
        let world = WorldConfig::seeded(5).user(
            USER,
            UserSpec {
                inventory_size: Some(1_500),
                ..UserSpec::default()
            },
        );
        let behaviour = BehaviourConfig {
            credentials: Credentials {
                api_keys: vec![(KEY.into(), USER)],
                ..Credentials::default()
            },
            // A third of all answers are 429 with Retry-After: 1 (a storm); 15 pages must all arrive.
            faults: FaultConfig {
                seed: 9,
                too_many_requests: 0.33,
                ..FaultConfig::default()
            },
            time_scale: 60.0,
            ..BehaviourConfig::default()
        };
        MockServer::start(world, behaviour).await.unwrap()
    });

    let url = server.url();
    let output = Command::new(env!("CARGO_BIN_EXE_rbxinv"))
        .args(["--cloud-url", &url, "--legacy-url", &url, "--api-key", KEY])
        .args(["--format", "ndjson", "--quiet", "items", "156"])
        .env_remove("ROBLOX_API_KEY")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    let listable = server
        .world()
        .inventory(USER)
        .iter()
        .filter(|item| item.in_open_cloud())
        .count();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).lines().count(),
        listable
    );
    let counters = server.behaviour().counters();
    assert!(
        counters.too_many_requests >= 2,
        "the storm did happen: {counters:?}"
    );
    drop(server);
}

/// Every command and long flag `rbxinv --help` and `rbxinv COMMAND --help` list appears in the README.
#[test]
fn the_readme_documents_every_command_and_flag_of_the_help() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let help = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_rbxinv"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).unwrap()
    };
    let top = help(&["--help"]);
    let commands: Vec<String> = top
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .filter(|command| command != "help")
        .collect();
    assert!(commands.len() >= 9, "{top}");
    let mut missing = Vec::new();
    for command in &commands {
        if !readme.contains(command.as_str()) {
            missing.push(command.clone());
        }
        for flag in help(&[command, "--help"])
            .split_whitespace()
            .filter(|word| word.starts_with("--"))
        {
            let flag = flag
                .trim_end_matches([',', '.', ')', ']'])
                .split(['=', '<'])
                .next()
                .unwrap();
            if flag.len() > 2 && flag != "--help" && !readme.contains(flag) {
                missing.push(format!("{command} {flag}"));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "not in README.md: {missing:?}");
}

#[test]
fn items_as_a_table_is_aligned_under_a_header() {
    let output = Command::new(env!("CARGO_BIN_EXE_rbxinv"))
        .args([
            "--mock",
            "--format",
            "table",
            "items",
            "156",
            "--max-items",
            "3",
        ])
        .env_remove("ROBLOX_API_KEY")
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "a header and three rows: {text}");
    assert!(lines[0].contains("path"), "{text}");
    // Aligned: the second column starts at the same place on every line.
    let second_column = |line: &str| {
        line.find("  ")
            .map(|gap| gap + line[gap..].find(|c: char| c != ' ').unwrap())
    };
    let starts: Vec<_> = lines.iter().map(|line| second_column(line)).collect();
    assert!(starts.windows(2).all(|pair| pair[0] == pair[1]), "{text}");
}
