//! `cargo xtask diff` on spec pairs written for the test: each kind of change, classed as breaking or not for
//! users of the generated crates.

use serde_json::Value;
use xtask::diff::{Change, diff};
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
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/ThingPage'}}}
components:
  schemas:
    ThingPage:
      type: object
      properties:
        nextPageCursor: {type: string, nullable: true}
        data: {type: array, items: {$ref: '#/components/schemas/Thing'}}
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

fn changes(edit: impl FnOnce(&mut Value)) -> Vec<Change> {
    let old = parse_yaml(BASE).unwrap();
    let mut new = old.clone();
    edit(&mut new);
    diff(&summarize(&old).unwrap(), &summarize(&new).unwrap())
}

fn change(breaking: bool, subject: &str, detail: &str) -> Change {
    Change {
        breaking,
        subject: subject.to_owned(),
        detail: detail.to_owned(),
    }
}

#[test]
fn an_unchanged_spec_has_no_changes() {
    assert_eq!(changes(|_| {}), []);
}

#[test]
fn an_added_operation_is_not_breaking() {
    let found = changes(|spec| {
        spec["paths"]["/v1/things/{id}"] = serde_json::json!({"get": {
            "operationId": "getThing",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
        }});
    });
    assert_eq!(
        found,
        [change(
            false,
            "operation getThing",
            "added (GET /v1/things/{id})"
        )]
    );
}

#[test]
fn a_removed_field_is_breaking() {
    let found = changes(|spec| {
        spec["components"]["schemas"]["Thing"]["properties"]
            .as_object_mut()
            .unwrap()
            .remove("name");
    });
    assert_eq!(
        found,
        [change(
            true,
            "model Thing field name",
            "removed (string, optional)"
        )]
    );
}

#[test]
fn a_new_enum_value_is_not_breaking_but_a_removed_one_is() {
    let added = changes(|spec| {
        let kind = &mut spec["components"]["schemas"]["ThingKind"];
        kind["enum"] = serde_json::json!([1, 2, 3]);
        kind["x-enum-varnames"] = serde_json::json!(["Hat", "Face", "Gear"]);
    });
    assert_eq!(
        added,
        [change(false, "enum ThingKind", "value 3 Gear added")]
    );
    let removed = changes(|spec| {
        let kind = &mut spec["components"]["schemas"]["ThingKind"];
        kind["enum"] = serde_json::json!([1]);
        kind["x-enum-varnames"] = serde_json::json!(["Hat"]);
    });
    assert_eq!(
        removed,
        [change(true, "enum ThingKind", "value 2 Face removed")]
    );
}

#[test]
fn a_new_required_parameter_is_breaking_and_a_new_optional_one_is_not() {
    let found = changes(|spec| {
        let parameters = spec["paths"]["/v1/users/{userId}/things"]["get"]["parameters"]
            .as_array_mut()
            .unwrap();
        parameters.push(
            serde_json::json!({"name": "assetTypes", "in": "query", "required": true,
            "style": "form", "explode": false,
            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/ThingKind"}}}),
        );
        parameters.push(
            serde_json::json!({"name": "limit", "in": "query", "schema": {"type": "integer"}}),
        );
    });
    assert_eq!(
        found,
        [
            change(
                true,
                "operation listThings parameter assetTypes",
                "added (query, required, [ThingKind] comma-separated)"
            ),
            change(
                false,
                "operation listThings parameter limit",
                "added (query, optional, integer)"
            ),
        ]
    );
}

#[test]
fn a_changed_type_is_breaking() {
    let found = changes(|spec| {
        spec["components"]["schemas"]["Thing"]["properties"]["id"] =
            serde_json::json!({"type": "string"});
        spec["paths"]["/v1/users/{userId}/things"]["get"]["parameters"][0]["schema"] =
            serde_json::json!({"type": "string"});
    });
    assert_eq!(
        found,
        [
            change(
                true,
                "operation listThings parameter userId",
                "type integer(int64) -> string"
            ),
            change(
                true,
                "model Thing field id",
                "type integer(int64) -> string"
            ),
        ]
    );
}

#[test]
fn making_an_optional_field_nullable_is_not_breaking() {
    // Both decode into the same `Option<T>`.
    let found = changes(|spec| {
        spec["components"]["schemas"]["Thing"]["properties"]["name"]["nullable"] =
            Value::Bool(true);
    });
    assert_eq!(
        found,
        [change(
            false,
            "model Thing field name",
            "string, optional -> string, optional, nullable"
        )]
    );
}

#[test]
fn the_changelog_compares_a_spec_with_a_base_file_as_text_and_json() {
    let scratch = tempfile::tempdir().unwrap();
    let spec = Spec::named("cloud-v2").unwrap();
    let mut edited = parse_yaml(BASE).unwrap();
    edited["paths"]["/v1/users/{userId}/things"]["get"]["operationId"] =
        Value::String("listStuff".into());
    std::fs::create_dir_all(scratch.path().join("spec")).unwrap();
    std::fs::write(
        scratch.path().join(spec.spec_path()),
        serde_json::to_string(&edited).unwrap(),
    )
    .unwrap();
    let base = scratch.path().join("old.yaml");
    std::fs::write(&base, BASE).unwrap();
    let base = base.to_str().unwrap();

    let text = xtask::diff::changelog(scratch.path(), &[spec], base, false).unwrap();
    assert_eq!(
        text,
        format!(
            "spec/cloud-v2.yaml against {base}: 2 change(s), 1 breaking\n  \
             ok       operation listStuff: added (GET /v1/users/{{userId}}/things)\n  \
             BREAKING operation listThings: removed (GET /v1/users/{{userId}}/things)\n"
        )
    );
    let json: Value =
        serde_json::from_str(&xtask::diff::changelog(scratch.path(), &[spec], base, true).unwrap())
            .unwrap();
    assert_eq!(json["cloud-v2"][1]["breaking"], true);
    assert_eq!(json["cloud-v2"][1]["subject"], "operation listThings");
}

#[test]
fn a_base_that_is_neither_file_nor_revision_is_a_clear_error() {
    let error = xtask::diff::changelog(
        &xtask::workspace_root(),
        &[Spec::named("cloud-v2").unwrap()],
        "no-such-revision-or-file",
        false,
    )
    .unwrap_err();
    assert!(
        format!("{error:#}")
            .starts_with("no-such-revision-or-file is neither a file nor a git revision"),
        "{error:#}"
    );
}
