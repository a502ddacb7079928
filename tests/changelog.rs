//! `cargo xtask diff --markdown`: the changes of a spec edit as an entry for CHANGELOG.md, breaking changes
//! first, each naming the crate whose API changes.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use xtask::diff::{changelog_markdown, diff, markdown};
use xtask::specs::{Spec, parse_yaml};
use xtask::summary::summarize;

const BASE: &str = r#"
openapi: 3.0.3
info: {title: t, version: v1}
servers: [{url: "https://inventory.roblox.com"}]
paths:
  /v1/users/{userId}/things:
    get:
      operationId: listThings
      parameters:
        - {name: userId, in: path, required: true, schema: {type: integer, format: int64}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: integer, format: int64}
        name: {type: string}
        kind: {$ref: '#/components/schemas/ThingKind'}
    ThingKind:
      type: integer
      enum: [1, 2]
      x-enum-varnames: [Hat, Face]
"#;

/// BASE with a removed field, a new enum value and a new optional parameter.
fn edited() -> Value {
    let mut spec = parse_yaml(BASE).unwrap();
    spec["components"]["schemas"]["Thing"]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    spec["components"]["schemas"]["ThingKind"]["enum"] = json!([1, 2, 3]);
    spec["components"]["schemas"]["ThingKind"]["x-enum-varnames"] = json!(["Hat", "Face", "Gear"]);
    spec["paths"]["/v1/users/{userId}/things"]["get"]["parameters"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "limit", "in": "query", "schema": {"type": "integer"}}));
    spec
}

#[test]
fn breaking_changes_come_first_each_naming_its_crate() {
    let old = summarize(&parse_yaml(BASE).unwrap()).unwrap();
    let new = summarize(&edited()).unwrap();
    let changes = vec![(Spec::named("legacy-v2").unwrap(), diff(&old, &new))];
    let text = markdown(&changes, &BTreeMap::new(), "v0.1.0");
    assert_eq!(
        text,
        "## Unreleased

Changes to the generated crates' API since `v0.1.0` (`cargo xtask diff --markdown`).

### Breaking changes

- roblox-inventory-legacy-v2: `model Thing field name`: removed (string, optional)

### Other changes

- roblox-inventory-legacy-v2: `operation listThings parameter limit`: added (query, optional, integer)
- roblox-inventory-legacy-v2: `enum ThingKind`: value 3 Gear added
"
    );
}

#[test]
fn no_changes_say_so() {
    let summary = summarize(&parse_yaml(BASE).unwrap()).unwrap();
    let changes = vec![(Spec::named("cloud-v2").unwrap(), diff(&summary, &summary))];
    assert_eq!(
        markdown(&changes, &BTreeMap::new(), "HEAD"),
        "## Unreleased\n\nNo changes to the generated crates' API since `HEAD`.\n"
    );
}

/// Both legacy specs define `Thing` and `ThingKind`, which are generated once into the shared crate: a change to
/// them is listed once, under that crate; a change to what one spec alone has stays with its crate.
#[test]
fn a_change_to_a_shared_model_is_listed_once_under_the_shared_crate() {
    let scratch = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(scratch.path().join("spec")).unwrap();
    for name in ["legacy-v1", "legacy-v2"] {
        let spec = Spec::named(name).unwrap();
        let mut document = edited();
        if name == "legacy-v2" {
            document["components"]["schemas"]["Extra"] = json!({"type": "object"});
        }
        let text = serde_json::to_string(&document).unwrap();
        std::fs::write(scratch.path().join(spec.spec_path()), text).unwrap();
    }
    let base = scratch.path().join("old.yaml");
    std::fs::write(&base, BASE).unwrap();
    let specs = [
        Spec::named("legacy-v1").unwrap(),
        Spec::named("legacy-v2").unwrap(),
    ];
    let text = changelog_markdown(scratch.path(), &specs, base.to_str().unwrap()).unwrap();
    let lines: Vec<&str> = text.lines().filter(|line| line.starts_with("- ")).collect();
    assert_eq!(
        lines,
        [
            "- roblox-inventory-legacy-types: `model Thing field name`: removed (string, optional)",
            "- roblox-inventory-legacy-v1: `operation listThings parameter limit`: added (query, optional, integer)",
            "- roblox-inventory-legacy-types: `enum ThingKind`: value 3 Gear added",
            "- roblox-inventory-legacy-v2: `operation listThings parameter limit`: added (query, optional, integer)",
            "- roblox-inventory-legacy-v2: `model Extra`: added",
        ],
        "{text}"
    );
    let breaking = text.find("### Breaking changes").unwrap();
    let other = text.find("### Other changes").unwrap();
    assert!(breaking < other, "{text}");
}
