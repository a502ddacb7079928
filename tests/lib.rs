//! Cross-crate tests live in `tests/*.rs`; this library holds what other packages' tests share with them.

use serde_json::Value;

/// The text of a crate's schema snapshot: every model's JSON Schema (from the crate's `model_schemas()`), one
/// line per value, each line led by the model's name and the path to the value (`AssetDetails/properties/
/// assetId/format: "int64"`), so that a diff names the model and the field it is about. The schemas a model
/// refers to (`$defs`) are left out: each is a model of its own, with its own lines.
pub fn schema_snapshot<S: serde::Serialize>(models: Vec<(&'static str, S)>) -> String {
    let mut lines = Vec::new();
    for (name, schema) in models {
        let mut schema = serde_json::to_value(schema).expect("a schema is JSON");
        if let Value::Object(object) = &mut schema {
            object.remove("$defs");
            object.remove("$schema");
        }
        leaves(name, &schema, &mut lines);
    }
    lines.sort();
    lines.join("\n") + "\n"
}

fn leaves(path: &str, value: &Value, lines: &mut Vec<String>) {
    match value {
        Value::Object(object) if !object.is_empty() => {
            for (key, child) in object {
                leaves(&format!("{path}/{key}"), child, lines);
            }
        }
        Value::Array(items) if !items.is_empty() && items.iter().any(Value::is_object) => {
            for (index, child) in items.iter().enumerate() {
                leaves(&format!("{path}/{index}"), child, lines);
            }
        }
        leaf => lines.push(format!("{path}: {leaf}")),
    }
}

/// Where the committed snapshot of `name` (`cloud-v2`, ...) is, for tests outside this package.
pub fn schema_snapshot_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots")
        .join(format!("schema_snapshots__{name}.snap"))
}

/// The reference material (`../shared/reference`), which sits beside the workspace in the development
/// environment only: it is not part of the repository. Without it, `test` says that it checked nothing.
pub fn reference_or_skip(test: &str) -> Option<std::path::PathBuf> {
    let reference = xtask::workspace_root().join(xtask::regen::REFERENCE);
    if reference.is_dir() {
        return Some(reference);
    }
    eprintln!(
        "{test}: SKIPPED, checked nothing: the reference material is not at {}",
        reference.display()
    );
    None
}
