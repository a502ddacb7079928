//! The built `rbxinv` binary against its in-process emulator (`--mock`): no network, no credentials.

mod common;

use std::process::{Command, Output};

use common::{rbxinv_mock, text};

fn stdout(output: &Output) -> String {
    text(&output.stdout)
}

fn stderr(output: &Output) -> String {
    text(&output.stderr)
}

fn assert_ok(output: &Output) {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(output));
}

#[test]
fn items_ndjson_prints_one_object_per_line_with_roblox_field_names() {
    let output = rbxinv_mock(&["items", "156", "--format", "ndjson", "--max-items", "5"]);
    assert_ok(&output);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    for line in lines {
        let item: serde_json::Value = serde_json::from_str(line).expect("a JSON object per line");
        assert!(
            item["path"]
                .as_str()
                .unwrap()
                .starts_with("users/156/inventory-items/")
        );
        assert!(item.get("addTime").is_some() || item.get("gamePassDetails").is_some());
    }
}

#[test]
fn ndjson_is_the_default_when_stdout_is_not_a_terminal() {
    let output = rbxinv_mock(&["items", "156", "--max-items", "2"]);
    assert_ok(&output);
    assert_eq!(stdout(&output).lines().count(), 2);
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn items_json_is_one_array() {
    let output = rbxinv_mock(&["items", "156", "--format", "json", "--max-items", "3"]);
    assert_ok(&output);
    let items: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(items.len(), 3);
}

#[test]
fn items_whole_inventory_pages_to_the_end() {
    let output = rbxinv_mock(&["items", "156"]);
    assert_ok(&output);
    // 100 items in the mock world, less the bundles Open Cloud does not list.
    let count = stdout(&output).lines().count();
    assert!((80..=100).contains(&count), "{count}");
}

#[test]
fn items_filter_by_asset_type() {
    let output = rbxinv_mock(&["items", "156", "--asset-types", "HAT,Face"]);
    assert_ok(&output);
    let text = stdout(&output);
    assert!(
        text.lines().count() >= 2,
        "the mock world's user 156 has hats and faces: {text}"
    );
    for line in text.lines() {
        let item: serde_json::Value = serde_json::from_str(line).unwrap();
        let asset_type = item["assetDetails"]["inventoryItemAssetType"]
            .as_str()
            .unwrap();
        assert!(["HAT", "FACE"].contains(&asset_type), "{asset_type}");
    }
}

#[test]
fn csv_has_a_header_and_flat_columns() {
    let output = rbxinv_mock(&["items", "156", "--format", "csv", "--max-items", "4"]);
    assert_ok(&output);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].contains("path"), "{}", lines[0]);
    assert!(lines[0].contains("assetDetails.assetId"), "{}", lines[0]);
}

#[test]
fn table_is_aligned() {
    let output = rbxinv_mock(&[
        "by-type",
        "156",
        "Hat",
        "--format",
        "table",
        "--max-items",
        "3",
    ]);
    assert_ok(&output);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    // The name first, then the ids.
    assert!(lines[0].starts_with("assetName  "), "{text}");
    let id_column = lines[0].find("assetId").unwrap();
    for line in &lines[1..] {
        assert_eq!(line.as_bytes()[id_column - 1], b' ', "{text}");
        assert!(
            line[id_column..].starts_with(|c: char| c.is_ascii_digit()),
            "{text}"
        );
    }
}

#[test]
fn owns_prints_true_or_false() {
    let owned = rbxinv_mock(&["owns", "156", "--asset", "10000046749"]);
    assert_ok(&owned);
    assert_eq!(stdout(&owned), "true\n");
    let not_owned = rbxinv_mock(&["owns", "156", "--asset", "10000000002"]);
    assert_ok(&not_owned);
    assert_eq!(stdout(&not_owned), "false\n");
}

#[test]
fn owns_needs_exactly_one_item() {
    assert_eq!(rbxinv_mock(&["owns", "156"]).status.code(), Some(2));
    let both = rbxinv_mock(&["owns", "156", "--asset", "1", "--badge", "2"]);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn can_view_prints_true_and_false_for_the_hidden_user() {
    let visible = rbxinv_mock(&["can-view", "156"]);
    assert_ok(&visible);
    assert_eq!(stdout(&visible), "true\n");
    let hidden = rbxinv_mock(&["can-view", "261"]);
    assert_ok(&hidden);
    assert_eq!(stdout(&hidden), "false\n");
}

#[test]
fn give_up_an_asset() {
    let output = rbxinv_mock(&["--quiet", "give-up", "10000112766"]);
    assert_ok(&output);
    assert!(stdout(&output).is_empty());
}

#[test]
fn hidden_inventory_exits_1_with_one_line() {
    for args in [&["items", "261"][..], &["by-type", "261", "Hat"]] {
        let output = rbxinv_mock(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(stdout(&output).is_empty());
        let text = stderr(&output);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains("403"), "{text}");
        assert!(text.contains("inventory is hidden"), "{text}");
        assert!(
            !text.contains("mock-api-key") && !text.contains("mock-cookie"),
            "{text}"
        );
    }
}

#[test]
fn unknown_asset_type_exits_2_naming_the_allowed_values() {
    for args in [
        &["by-type", "156", "Hatt"][..],
        &["inventory", "156", "--asset-types", "Hat,Nope"],
        &["items", "156", "--asset-types", "NOPE"],
        &["collectibles", "156", "--asset-type", "Nope"],
    ] {
        let output = rbxinv_mock(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let text = stderr(&output);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains("expected one of"), "{text}");
        assert!(text.contains("Hat") || text.contains("HAT"), "{text}");
    }
}

#[test]
fn mixing_filter_types_exits_2() {
    let output = rbxinv_mock(&["items", "156", "--asset-types", "HAT", "--asset-ids", "1,2"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot be mixed"),
        "{}",
        stderr(&output)
    );
    let alone = rbxinv_mock(&["items", "156", "--only-collectibles"]);
    assert_eq!(alone.status.code(), Some(2), "{}", stderr(&alone));
}

#[test]
fn bad_flag_values_exit_2() {
    assert_eq!(
        rbxinv_mock(&["items", "156", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(rbxinv_mock(&["items", "abc"]).status.code(), Some(2));
    assert_eq!(
        rbxinv_mock(&["items", "1", "--max-items", "-1"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn help_never_shows_secrets() {
    let output = Command::new(env!("CARGO_BIN_EXE_rbxinv"))
        .arg("--help")
        .env("ROBLOX_API_KEY", "super-secret-key")
        .output()
        .unwrap();
    assert_ok(&output);
    let text = stdout(&output);
    assert!(!text.contains("super-secret-key"));
    for name in [
        "items",
        "inventory",
        "by-type",
        "collectibles",
        "owners",
        "owns",
        "can-view",
        "give-up",
        "mock",
        "--legacy-url",
        "--cloud-url",
        "--api-key",
        "--oauth-token",
        "--cookie",
        "--format",
        "--max-items",
        "--quiet",
        "261",
    ] {
        assert!(text.contains(name), "--help lacks {name}");
    }
}

#[test]
fn with_mock_the_environments_credentials_are_left_alone() {
    // A real key in the environment is neither sent to the emulator nor made one of its secrets: --mock uses
    // its own, and works.
    let output = Command::new(env!("CARGO_BIN_EXE_rbxinv"))
        .args(["--mock", "items", "156", "--max-items", "1"])
        .env("ROBLOX_API_KEY", "my-real-key")
        .env("ROBLOSECURITY", "my-real-cookie")
        .output()
        .unwrap();
    assert_ok(&output);
    assert_eq!(stdout(&output).lines().count(), 1);
}

#[test]
fn a_credential_given_as_a_value_and_a_file_is_a_usage_error() {
    let output = rbxinv_mock(&[
        "--api-key",
        "k",
        "--api-key-file",
        "/nonexistent",
        "items",
        "156",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("--api-key and --api-key-file cannot be used together"),
        "{text}"
    );
}

#[test]
fn help_names_the_credential_variables_without_their_values() {
    let output = Command::new(env!("CARGO_BIN_EXE_rbxinv"))
        .arg("--help")
        .env("ROBLOSECURITY", "cookie-from-the-environment")
        .output()
        .unwrap();
    let text = stdout(&output);
    for variable in ["ROBLOX_API_KEY", "ROBLOX_OAUTH_TOKEN", "ROBLOSECURITY"] {
        assert!(text.contains(&format!("[env: {variable}")), "{text}");
    }
    assert!(!text.contains("cookie-from-the-environment"), "{text}");
}
