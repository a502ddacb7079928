//! Every operation and model of each spec, summarized and snapshotted: a spec edit shows up in review as a
//! small diff of these files (`cargo insta review`, or `INSTA_UPDATE=always cargo test` and `git diff`).

use serde_json::Value;
use xtask::specs::Spec;
use xtask::summary::summarize;

fn load(name: &str) -> Value {
    Spec::named(name)
        .unwrap()
        .load(&xtask::workspace_root())
        .unwrap()
}

#[test]
fn legacy_v1_models() {
    insta::assert_yaml_snapshot!("legacy-v1", summarize(&load("legacy-v1")).unwrap());
}

#[test]
fn legacy_v2_models() {
    insta::assert_yaml_snapshot!("legacy-v2", summarize(&load("legacy-v2")).unwrap());
}

#[test]
fn cloud_v2_models() {
    insta::assert_yaml_snapshot!("cloud-v2", summarize(&load("cloud-v2")).unwrap());
}

/// The snapshot's lines that differ after changing `userAssetId`'s type: the change must name the field, so a
/// reviewer sees what changed without context.
#[test]
fn changing_a_field_type_changes_one_snapshot_line_that_names_the_field() {
    let before = load("legacy-v2");
    let mut after = before.clone();
    after["components"]["schemas"]["InventoryItemModel"]["properties"]["userAssetId"]["format"] =
        Value::String("int32".into());

    let render = |spec: &Value| serde_norway::to_string(&summarize(spec).unwrap()).unwrap();
    let (old, new) = (render(&before), render(&after));
    let diff = similar::TextDiff::from_lines(&old, &new);
    let changed: Vec<String> = diff
        .iter_all_changes()
        .filter(|change| change.tag() != similar::ChangeTag::Equal)
        .map(|change| format!("{}{}", change.tag(), change.value().trim_end()))
        .collect();
    assert_eq!(
        changed,
        [
            "-    userAssetId: integer(int64), optional",
            "+    userAssetId: integer(int32), optional",
        ]
    );
}
