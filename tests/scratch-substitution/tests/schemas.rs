//! A substitution changed, the spec not: the schema snapshot of the real cloud-v2 crate no longer matches, and
//! the lines that differ name the model and the field whose Rust type changed.

use roblox_inventory_tests::{schema_snapshot, schema_snapshot_path};

/// The committed snapshot's body, without insta's header.
fn committed() -> String {
    let text =
        std::fs::read_to_string(schema_snapshot_path("cloud-v2")).expect("the committed snapshot");
    let body = text.splitn(3, "---\n").nth(2).expect("insta's header");
    body.to_owned()
}

#[test]
fn the_schema_snapshot_catches_a_changed_substitution() {
    let scratch = schema_snapshot(roblox_inventory_scratch_substitution::model_schemas());
    let committed = committed();
    assert_ne!(scratch, committed, "the snapshot did not see the change");
    let diff = similar::TextDiff::from_lines(&committed, &scratch);
    let removed: Vec<&str> = diff
        .iter_all_changes()
        .filter(|change| change.tag() == similar::ChangeTag::Delete)
        .map(|change| change.value().trim_end())
        .collect();
    // DigitString wrote `"format": "int64"`; a plain String does not. Every id field of the four details lost it,
    // and nothing else changed.
    for field in [
        "AssetDetails/properties/assetId/format: \"int64\"",
        "AssetDetails/properties/instanceId/format: \"int64\"",
        "BadgeDetails/properties/badgeId/format: \"int64\"",
        "GamePassDetails/properties/gamePassId/format: \"int64\"",
        "PrivateServerDetails/properties/privateServerId/format: \"int64\"",
    ] {
        assert!(
            removed.contains(&field),
            "{field} is not in the diff:\n{removed:#?}"
        );
    }
    assert!(
        removed.iter().all(|line| line.contains("/properties/")),
        "{removed:#?}"
    );
}
