//! The JSON Schema of every model of each generated crate, snapshotted beside the spec summaries: a change to the
//! Rust types that leaves the spec alone (a progenitor or typify upgrade, a generator change, a substitution in
//! xtask) shows up as a diff naming the model and the field. `INSTA_UPDATE=always cargo test` and `git diff`
//! to review one.

use roblox_inventory_tests::schema_snapshot;

#[test]
fn legacy_types_schemas() {
    insta::assert_snapshot!(
        "legacy-types",
        schema_snapshot(roblox_inventory_legacy_types::model_schemas())
    );
}

#[test]
fn legacy_v1_schemas() {
    insta::assert_snapshot!(
        "legacy-v1",
        schema_snapshot(roblox_inventory_legacy_v1::model_schemas())
    );
}

#[test]
fn legacy_v2_schemas() {
    insta::assert_snapshot!(
        "legacy-v2",
        schema_snapshot(roblox_inventory_legacy_v2::model_schemas())
    );
}

#[test]
fn cloud_v2_schemas() {
    insta::assert_snapshot!(
        "cloud-v2",
        schema_snapshot(roblox_inventory_cloud_v2::model_schemas())
    );
}

/// Every schema a spec names is a model in one snapshot: its own crate's, or the shared legacy types'.
#[test]
fn every_model_of_every_spec_is_snapshotted() {
    let names = |models: Vec<(&'static str, schemars::Schema)>| -> Vec<&'static str> {
        models.into_iter().map(|(name, _)| name).collect()
    };
    let shared = names(roblox_inventory_legacy_types::model_schemas());
    for (spec, mut models) in [
        (
            "legacy-v1",
            names(roblox_inventory_legacy_v1::model_schemas()),
        ),
        (
            "legacy-v2",
            names(roblox_inventory_legacy_v2::model_schemas()),
        ),
        (
            "cloud-v2",
            names(roblox_inventory_cloud_v2::model_schemas()),
        ),
    ] {
        if spec != "cloud-v2" {
            models.extend(&shared);
        }
        let document = xtask::specs::Spec::named(spec)
            .unwrap()
            .load(&xtask::workspace_root())
            .unwrap();
        let missing: Vec<&String> = document["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|name| !models.contains(&name.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "{spec}: no schema snapshot of {missing:?}"
        );
    }
}
