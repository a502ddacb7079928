//! Every listing command in every format, and the one-call commands, against the `--mock` emulator. The
//! emulator's world is built here too (same seed) to find ids that exist in it.

mod common;

use std::process::Output;

use common::{rbxinv_command, rbxinv_mock, text};
use roblox_inventory_mock::world::World;
use roblox_inventory_mock::{ItemKind, WorldConfig};

/// The `--mock` world's user whose credentials `--mock` uses.
const OWNER: u64 = 156;

fn assert_ok(args: &[&str], output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&output.stderr)
    );
}

fn mock_world() -> World {
    World::new(WorldConfig::seeded(0))
}

/// A collectible item id and a bundle id in the owner's inventory.
fn owned_ids() -> (String, u64) {
    let world = mock_world();
    let inventory = world.inventory(OWNER);
    let mut collectible = None;
    let mut bundle = None;
    for item in inventory.iter() {
        match &item.kind {
            ItemKind::Asset {
                collectible: Some(found),
                ..
            } => collectible = collectible.or(Some(found.item_id.clone())),
            ItemKind::Bundle { bundle_id } => bundle = bundle.or(Some(*bundle_id)),
            _ => {}
        }
    }
    (
        collectible.expect("the owner has a collectible"),
        bundle.expect("the owner has a bundle"),
    )
}

/// How many records `output` holds in `format`, each parsed where the format is JSON.
fn records(format: &str, output: &str) -> usize {
    match format {
        "json" => serde_json::from_str::<Vec<serde_json::Value>>(output)
            .unwrap()
            .len(),
        "ndjson" => {
            for line in output.lines() {
                serde_json::from_str::<serde_json::Value>(line).unwrap();
            }
            output.lines().count()
        }
        // A header, then a line per record.
        _ => output.lines().count().saturating_sub(1),
    }
}

#[test]
fn every_listing_command_prints_in_every_format() {
    let (collectible, _) = owned_ids();
    let owner = OWNER.to_string();
    let commands: [(&[&str], &str); 13] = [
        (&["items", &owner], "assetDetails.inventoryItemAssetType"),
        (&["inventory", &owner, "--asset-types", "Hat,18"], "name"),
        (&["by-type", &owner, "8"], "assetName"),
        (&["collectibles", &owner], "name"),
        (
            &["collectibles", &owner, "--asset-type", "RunAnimation"],
            "name",
        ),
        (&["owners", "10000046749"], "owner.name"),
        (&["collectible-owners", &collectible], "owner.name"),
        (&["places", &owner], "name"),
        (&["places", &owner, "--tab", "2"], "name"),
        (&["instances", &owner, "Asset", "10000046749"], "name"),
        (&["categories", &owner], "category"),
        (&["categories", &owner, "--favorites"], "category"),
        (&["package-assets", "10000046749"], "assetId"),
    ];
    for (command, first_column) in commands {
        for format in ["table", "json", "ndjson", "csv"] {
            let mut args = command.to_vec();
            args.extend(["--format", format, "--max-items", "3"]);
            let output = rbxinv_mock(&args);
            assert_ok(&args, &output);
            let stdout = text(&output.stdout);
            // At least one record, whatever the format: a header alone is not a listing.
            assert!(
                (1..=3).contains(&records(format, &stdout)),
                "{args:?}: {stdout}"
            );
            if matches!(format, "table" | "csv") {
                assert!(
                    stdout.starts_with(first_column),
                    "{args:?}: the first column is not {first_column}: {stdout}"
                );
            }
        }
    }
}

#[test]
fn instances_take_the_item_type_in_any_case_and_refuse_others() {
    let output = rbxinv_mock(&[
        "instances",
        "156",
        "asset",
        "10000046749",
        "--format",
        "ndjson",
    ]);
    assert_ok(&["instances"], &output);
    let first: serde_json::Value =
        serde_json::from_str(text(&output.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(first["id"], 10_000_046_749_i64);
    let refused = rbxinv_mock(&["instances", "156", "Avatar", "1"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("GamePass"), "{stderr}");
}

#[test]
fn collection_add_and_remove_reach_their_operations() {
    let (_, bundle) = owned_ids();
    let bundle = bundle.to_string();
    // Each run starts a fresh emulator, where the owner's bundles are in no collection yet.
    let added = rbxinv_mock(&["collection", "add", "Bundle", &bundle]);
    assert_ok(&["collection", "add"], &added);
    assert!(text(&added.stdout).is_empty());
    assert!(
        text(&added.stderr).contains("Bundle ")
            && text(&added.stderr).contains("added to the collection"),
        "{}",
        text(&added.stderr)
    );
    let quiet = rbxinv_mock(&["--quiet", "collection", "add", "bundle", &bundle]);
    assert_ok(&["collection", "add", "--quiet"], &quiet);
    assert!(text(&quiet.stderr).is_empty(), "{}", text(&quiet.stderr));
    let removed = rbxinv_mock(&["collection", "remove", "Bundle", &bundle]);
    assert_eq!(removed.status.code(), Some(1));
    assert!(
        text(&removed.stderr).contains("DELETE /v1/collections/items/3/")
            && text(&removed.stderr).contains("not in the collection"),
        "{}",
        text(&removed.stderr)
    );
    let missing = rbxinv_mock(&["collection", "add", "Bundle", "1"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        text(&missing.stderr).contains("bundle does not exist"),
        "{}",
        text(&missing.stderr)
    );
}

#[test]
fn columns_choose_and_order_the_table_and_csv() {
    for format in ["table", "csv"] {
        let args = [
            "owners",
            "10000046749",
            "--format",
            format,
            "--max-items",
            "2",
            "--columns",
            "serialNumber,owner.name",
        ];
        let output = rbxinv_mock(&args);
        assert_ok(&args, &output);
        let stdout = text(&output.stdout);
        let header = stdout.lines().next().unwrap();
        let names: Vec<&str> = header
            .split([',', ' '])
            .filter(|name| !name.is_empty())
            .collect();
        assert_eq!(names, ["serialNumber", "owner.name"], "{stdout}");
    }
}

#[test]
fn csv_headers_hold_every_column_the_records_have() {
    // Whole listings of the emulator's records: a column missing from a command's list would be named on
    // stderr (and left out of the csv).
    let (collectible, _) = owned_ids();
    let owner = OWNER.to_string();
    let commands: [&[&str]; 11] = [
        &["items", &owner],
        &["inventory", &owner, "--asset-types", "Hat,Face,Gear,18"],
        &["by-type", &owner, "8"],
        &["collectibles", &owner],
        &["owners", "10000046749", "--max-items", "500"],
        &["collectible-owners", &collectible, "--max-items", "500"],
        &["places", &owner],
        &["instances", &owner, "Asset", "10000046749"],
        &["categories", &owner],
        &["categories", &owner, "--favorites"],
        &["package-assets", "10000046749"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.extend(["--format", "csv"]);
        let output = rbxinv_mock(&args);
        assert_ok(&args, &output);
        assert!(
            output.stderr.is_empty(),
            "{args:?}: {}",
            text(&output.stderr)
        );
    }
}

#[test]
fn schema_describes_the_records_each_listing_writes() {
    let (collectible, _) = owned_ids();
    let owner = OWNER.to_string();
    let listings: [(&str, &[&str]); 10] = [
        ("items", &["items", &owner]),
        (
            "inventory",
            &["inventory", &owner, "--asset-types", "Hat,18"],
        ),
        ("by-type", &["by-type", &owner, "8"]),
        ("collectibles", &["collectibles", &owner]),
        ("owners", &["owners", "10000046749"]),
        ("collectible-owners", &["collectible-owners", &collectible]),
        ("places", &["places", &owner]),
        ("instances", &["instances", &owner, "Asset", "10000046749"]),
        ("categories", &["categories", &owner]),
        ("package-assets", &["package-assets", "10000046749"]),
    ];
    for (name, listing) in listings {
        let schema_run = rbxinv_command().args(["schema", name]).output().unwrap();
        assert_ok(&["schema", name], &schema_run);
        let schema: serde_json::Value = serde_json::from_slice(&schema_run.stdout).unwrap();
        assert!(
            schema["$schema"]
                .as_str()
                .unwrap()
                .contains("json-schema.org"),
            "{name}: {schema}"
        );
        let properties = schema["properties"].as_object().unwrap();
        let mut args = listing.to_vec();
        args.extend(["--format", "ndjson", "--max-items", "5"]);
        let records = rbxinv_mock(&args);
        assert_ok(&args, &records);
        for line in text(&records.stdout).lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            for field in record.as_object().unwrap().keys() {
                assert!(
                    properties.contains_key(field),
                    "{name}: the schema has no {field}: {schema}"
                );
            }
        }
    }
    let unknown = rbxinv_command().args(["schema", "owns"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}
