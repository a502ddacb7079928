//! Checks a spec against the conventions in spec/README.md and annotates it, in memory, for progenitor:
//! dates become `roblox_inventory_core::Timestamp`, comma-separated query arrays become
//! `roblox_inventory_core::CommaSeparated`, and named enums are collected to be emitted as open enums.

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::assumptions;
use crate::audit::explain;
use crate::open_enums::{EnumDef, EnumValues};
use crate::operations::{self, OperationDef};
use crate::walk::{HTTP_METHODS, escape, visit, visit_mut};

const CORE_CRATE: &str = "roblox-inventory-core";

/// A spec ready for progenitor, with a record of every substitution made so the generator can assert that
/// each one shows up in the generated code.
pub struct Prepared {
    /// The annotated document.
    pub document: openapiv3::OpenAPI,
    /// The named enum schemas, to be emitted as open enums in place of progenitor's closed ones.
    pub enums: Vec<EnumDef>,
    /// How many `format: date-time` schemas were mapped to `Timestamp`.
    pub timestamps: usize,
    /// How many `type: string, format: int64` schemas (ids as strings of digits) were mapped to `DigitString`,
    /// leaving out those in the family's shared schemas, which this crate uses rather than generates.
    pub digit_strings: usize,
    /// How many path parameters marked `x-path-value: id` were mapped to `ById`.
    pub path_ids: usize,
    /// The name of every query parameter sent as one comma-separated value.
    pub comma_separated: Vec<String>,
    /// The first server URL: the default base URL of the generated client.
    pub default_base_url: String,
    /// Every operation, with its pagination.
    pub operations: Vec<OperationDef>,
    /// Schemas defined once for the spec's family, in the shared crate: their names, and whether each is an enum.
    pub shared: Vec<(String, bool)>,
    /// The shared crate's name in Rust paths, when the spec belongs to a family.
    pub shared_crate: Option<String>,
}

impl Prepared {
    /// The Rust path of a shared schema: `roblox_inventory_legacy_types::AssetType`.
    pub fn shared_path(&self, name: &str) -> Option<String> {
        self.shared_crate
            .as_ref()
            .filter(|_| self.shared.iter().any(|(shared, _)| shared == name))
            .map(|krate| format!("{krate}::{name}"))
    }
}

/// Schemas a spec's family defines once, in a crate of its own.
pub struct Shared<'a> {
    /// The shared crate's name in Rust paths.
    pub rust_crate: String,
    /// The shared schemas by name.
    pub schemas: &'a std::collections::BTreeMap<String, Value>,
}

/// Which of the generator's substitutions of core types for spec forms apply. All do, always; switching one off
/// is for tests that show what a substitution changes in the Rust types (the schema snapshots catch it).
///
/// `format: date-time` as `roblox_inventory_core::Timestamp` cannot be switched off: without it progenitor
/// writes `chrono` types, which the generated crates do not depend on and the generator rejects.
#[derive(Clone, Copy, Debug)]
pub struct Substitutions {
    /// `type: string, format: int64` as `roblox_inventory_core::DigitString`.
    pub digit_strings: bool,
}

impl Default for Substitutions {
    fn default() -> Self {
        Substitutions {
            digit_strings: true,
        }
    }
}

/// Checks the conventions and annotates the spec; the schemas of `shared` are left to the family's crate.
pub fn prepare(spec: Value, shared: Option<Shared<'_>>) -> anyhow::Result<Prepared> {
    prepare_with(spec, shared, Substitutions::default())
}

/// [`prepare`] with only the `substitutions` given.
pub fn prepare_with(
    mut spec: Value,
    shared: Option<Shared<'_>>,
    substitutions: Substitutions,
) -> anyhow::Result<Prepared> {
    let problems = lint(&spec);
    if !problems.is_empty() {
        bail!(
            "the spec breaks its conventions:\n  - {}",
            problems.join("\n  - ")
        );
    }
    fold_wire_notes_into_descriptions(&mut spec);
    let operations = operations::collect(&spec)?;
    let mut enums = collect_enums(&spec)?;
    let shared_names: Vec<(String, bool)> = shared
        .as_ref()
        .map(|shared| {
            shared
                .schemas
                .iter()
                .map(|(name, schema)| (name.clone(), schema.get("enum").is_some()))
                .collect()
        })
        .unwrap_or_default();
    enums.retain(|enum_def| !shared_names.iter().any(|(name, _)| *name == enum_def.name));
    let timestamps = annotate_timestamps(&mut spec);
    let digit_strings = if substitutions.digit_strings {
        // The shared schemas' digit strings are generated, and checked, in the family's crate.
        let in_shared: usize = shared
            .iter()
            .flat_map(|shared| shared.schemas.values())
            .map(count_digit_strings)
            .sum();
        annotate_digit_strings(&mut spec).saturating_sub(in_shared)
    } else {
        0
    };
    let comma_separated = annotate_comma_separated(&mut spec)?;
    let path_ids = annotate_path_ids(&mut spec)?;
    let default_base_url = spec
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .context("the spec has no servers[0].url")?
        .to_owned();
    let document = serde_json::from_value(spec).context("not an OpenAPI 3.0 document")?;
    Ok(Prepared {
        document,
        enums,
        timestamps,
        digit_strings,
        path_ids,
        comma_separated,
        default_base_url,
        operations,
        shared: shared_names,
        shared_crate: shared.map(|shared| shared.rust_crate),
    })
}

/// Every way the spec breaks the conventions of spec/README.md that the generator relies on.
pub fn lint(spec: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if spec.get("openapi").and_then(Value::as_str) != Some("3.0.3") {
        problems.push("`openapi` must be \"3.0.3\"".to_owned());
    }
    visit(spec, "", &mut |pointer, object| {
        if object.contains_key("enum") && !is_null_only(object) && !is_component_schema(pointer) {
            problems.push(format!(
                "{pointer}: inline enum; name it under components/schemas"
            ));
        }
        if object.get("additionalProperties") == Some(&Value::Bool(false)) {
            problems.push(format!(
                "{pointer}: additionalProperties: false would reject new fields"
            ));
        }
        if let Some(note) = object.get("x-wire-note") {
            match note.as_str() {
                Some(text) if names_evidence(text) => {}
                Some(_) => problems.push(format!(
                    "{pointer}: x-wire-note names no evidence (WIRE-QUIRKS <n> or <file>:<line>)"
                )),
                None => problems.push(format!("{pointer}: x-wire-note must be one string")),
            }
            // A guess the note admits is listed with the others only if it is marked as one.
            if note
                .as_str()
                .is_some_and(|text| text.contains("UNVERIFIED"))
                && !object.contains_key(assumptions::KEY)
            {
                problems.push(format!(
                    "{pointer}: the x-wire-note says UNVERIFIED: mark the guess with an {}",
                    assumptions::KEY
                ));
            }
        }
        if let Some(explanations) = object.get(explain::KEY) {
            problems.extend(
                explain::problems(explanations)
                    .into_iter()
                    .map(|problem| format!("{pointer}: {problem}")),
            );
        }
        if let Some(assumption) = object.get(assumptions::KEY) {
            problems.extend(
                assumptions::problems(assumption, names_evidence)
                    .into_iter()
                    .map(|problem| format!("{pointer}: {problem}")),
            );
        }
    });
    if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for (method, operation) in item.as_object().into_iter().flatten() {
                if !HTTP_METHODS.contains(&method.as_str()) {
                    continue;
                }
                match operation.get("operationId").and_then(Value::as_str) {
                    None => problems.push(format!("{method} {path}: no operationId")),
                    Some(id) if !is_lower_camel_case(id) => problems.push(format!(
                        "{method} {path}: operationId {id:?} is not lowerCamelCase"
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    problems
}

/// `enum: [null]`, the one inline enum: the null branch of a `oneOf` that lets a `$ref` be null in strict OpenAPI
/// 3.0, where `nullable` counts only beside a `type`.
fn is_null_only(object: &serde_json::Map<String, Value>) -> bool {
    object.get("enum") == Some(&Value::Array(vec![Value::Null]))
}

fn is_component_schema(pointer: &str) -> bool {
    pointer
        .strip_prefix("/components/schemas/")
        .is_some_and(|name| !name.contains('/'))
}

fn is_lower_camel_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Whether a note cites `WIRE-QUIRKS <n>` or a `file.ext:<line>`.
pub fn names_evidence(note: &str) -> bool {
    !crate::citations::citations(note).is_empty()
}

/// Appends each `x-wire-note` to the description beside it, so the generated docs tell users where Roblox's
/// wire differs from its docs.
fn fold_wire_notes_into_descriptions(spec: &mut Value) {
    visit_mut(spec, &mut |object| {
        let Some(note) = object.get("x-wire-note").and_then(Value::as_str) else {
            return;
        };
        let description = match object.get("description").and_then(Value::as_str) {
            Some(description) => format!("{}\n\nOn the wire: {note}", description.trim_end()),
            None => format!("On the wire: {note}"),
        };
        object.insert("description".to_owned(), Value::String(description));
    });
}

fn collect_enums(spec: &Value) -> anyhow::Result<Vec<EnumDef>> {
    let mut enums = Vec::new();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        let Some(values) = schema.get("enum").and_then(Value::as_array) else {
            continue;
        };
        let description = schema
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let values = match schema.get("type").and_then(Value::as_str) {
            Some("integer") => {
                let ids = values
                    .iter()
                    .map(|value| {
                        value.as_i64().with_context(|| {
                            format!(
                                "components/schemas/{name}: enum value {value} is not an integer"
                            )
                        })
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                let names = schema
                    .get("x-enum-varnames")
                    .and_then(Value::as_array)
                    .with_context(|| {
                        format!("components/schemas/{name}: an integer enum needs x-enum-varnames")
                    })?
                    .iter()
                    .map(|value| value.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .with_context(|| {
                        format!("components/schemas/{name}: x-enum-varnames must be strings")
                    })?;
                if names.len() != ids.len() {
                    bail!(
                        "components/schemas/{name}: {} enum values but {} x-enum-varnames",
                        ids.len(),
                        names.len()
                    );
                }
                EnumValues::Int(ids.into_iter().zip(names).collect())
            }
            Some("string") => EnumValues::String(
                values
                    .iter()
                    .map(|value| {
                        value.as_str().map(str::to_owned).with_context(|| {
                            format!("components/schemas/{name}: enum value {value} is not a string")
                        })
                    })
                    .collect::<anyhow::Result<_>>()?,
            ),
            other => bail!("components/schemas/{name}: enum of unsupported type {other:?}"),
        };
        enums.push(EnumDef {
            name: name.clone(),
            description,
            values,
        });
    }
    Ok(enums)
}

fn core_type(path: &str, parameters: Option<Value>) -> Value {
    let mut extension = json!({
        "crate": CORE_CRATE,
        "version": "*",
        "path": format!("roblox_inventory_core::{path}"),
    });
    if let Some(parameters) = parameters {
        extension["parameters"] = parameters;
    }
    extension
}

fn annotate_timestamps(spec: &mut Value) -> usize {
    let mut count = 0;
    visit_mut(spec, &mut |object| {
        let is_date_time = object.get("type").and_then(Value::as_str) == Some("string")
            && object.get("format").and_then(Value::as_str) == Some("date-time");
        if is_date_time {
            object.insert("x-rust-type".to_owned(), core_type("Timestamp", None));
            count += 1;
        }
    });
    count
}

/// Maps every `type: string, format: int64` (an id Open Cloud sends as a string of digits) to `DigitString`.
fn annotate_digit_strings(spec: &mut Value) -> usize {
    let mut count = 0;
    visit_mut(spec, &mut |object| {
        if is_digit_string(object) {
            object.insert("x-rust-type".to_owned(), core_type("DigitString", None));
            count += 1;
        }
    });
    count
}

/// How many schemas [`annotate_digit_strings`] would annotate in `value`.
fn count_digit_strings(value: &Value) -> usize {
    let mut count = 0;
    visit(value, "", &mut |_, object| {
        if is_digit_string(object) {
            count += 1;
        }
    });
    count
}

fn is_digit_string(object: &serde_json::Map<String, Value>) -> bool {
    object.get("type").and_then(Value::as_str) == Some("string")
        && object.get("format").and_then(Value::as_str) == Some("int64")
}

/// Sends a path parameter marked `x-path-value: id` (an integer enum Roblox documents only by its ids) as its id
/// through `roblox_inventory_core::ById`, where every other enum in a path goes by its name. Returns how many
/// parameters it annotated.
fn annotate_path_ids(spec: &mut Value) -> anyhow::Result<usize> {
    let mut count = 0;
    let mut problems = Vec::new();
    visit_mut(spec, &mut |object| {
        let name = object
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned();
        match object
            .get("x-path-value")
            .map(|value| (value.as_str(), object.get("in")))
        {
            None => {}
            Some((Some("name"), _)) => {}
            Some((Some("id"), Some(Value::String(place)))) if place == "path" => {
                match object.get_mut("schema").filter(|schema| schema.get("$ref").is_some()) {
                    Some(schema) => {
                        *schema = json!({
                            "type": "integer",
                            "format": "int64",
                            "x-rust-type": core_type("ById", Some(json!([schema.clone()]))),
                        });
                        count += 1;
                    }
                    None => problems.push(format!(
                        "parameter {name}: x-path-value: id needs a $ref to an integer enum as its schema"
                    )),
                }
            }
            Some(_) => problems.push(format!(
                "parameter {name}: x-path-value must be `id` or `name`, on a path parameter"
            )),
        }
    });
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(count)
}

/// Marks every `explode: false` query array (wherever the parameter is declared) as one comma-separated value.
/// Its items go out by their `Display`, which for an integer enum is the name: such a parameter must say so,
/// `x-query-value: name`, since Roblox documents the numbers.
fn annotate_comma_separated(spec: &mut Value) -> anyhow::Result<Vec<String>> {
    let integer_enums: Vec<String> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| {
            schema.get("enum").is_some()
                && schema.get("type").and_then(Value::as_str) == Some("integer")
        })
        .map(|(name, _)| format!("#/components/schemas/{}", escape(name)))
        .collect();
    let mut annotated = Vec::new();
    let mut problems = Vec::new();
    visit_mut(spec, &mut |object| {
        let says_name = object
            .get("x-query-value")
            .map(|value| value.as_str() == Some("name"));
        let is_query = object.get("in").and_then(Value::as_str) == Some("query");
        let not_exploded = object.get("explode") == Some(&Value::Bool(false));
        let name = object
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned();
        let Some(schema) = object
            .get_mut("schema")
            .filter(|_| is_query && not_exploded)
        else {
            return;
        };
        if schema.get("type").and_then(Value::as_str) != Some("array") {
            return;
        }
        match schema
            .get("items")
            .filter(|items| items.get("$ref").is_some())
        {
            Some(items) => {
                let enum_items = items
                    .get("$ref")
                    .and_then(Value::as_str)
                    .is_some_and(|reference| integer_enums.iter().any(|known| known == reference));
                match (enum_items, says_name) {
                    (true, Some(true)) | (false, None) => {}
                    (true, _) => problems.push(format!(
                        "query parameter {name}: its integer enum goes out by name; say so with x-query-value: name"
                    )),
                    (false, Some(_)) => problems.push(format!(
                        "query parameter {name}: x-query-value is for the integer enums of a comma-separated array"
                    )),
                }
                schema["x-rust-type"] = core_type("CommaSeparated", Some(json!([items.clone()])));
                annotated.push(name);
            }
            None => problems.push(format!(
                "query parameter {name}: the items of a comma-separated array must be a $ref"
            )),
        }
    });
    if problems.is_empty() {
        Ok(annotated)
    } else {
        bail!(problems.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_a_quirk_number_or_a_file_line() {
        assert!(names_evidence("null on the last page (WIRE-QUIRKS 5)"));
        assert!(names_evidence("see responses/x.lua-comment.json:2-3"));
        assert!(!names_evidence("the wire differs"));
        assert!(!names_evidence("WIRE-QUIRKS says so"));
    }

    #[test]
    fn a_comma_separated_integer_enum_says_it_goes_out_by_name() {
        let spec = |marker: Option<&str>| {
            let mut parameter = json!({"name": "assetTypes", "in": "query", "style": "form", "explode": false,
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/AssetType"}}});
            if let Some(marker) = marker {
                parameter["x-query-value"] = json!(marker);
            }
            json!({"components": {"schemas": {"AssetType": {"type": "integer", "enum": [8, 41]}}},
                   "paths": {"/a": {"get": {"parameters": [parameter]}}}})
        };
        assert_eq!(
            annotate_comma_separated(&mut spec(Some("name"))).unwrap(),
            ["assetTypes"]
        );
        for marker in [None, Some("id")] {
            let error = annotate_comma_separated(&mut spec(marker))
                .unwrap_err()
                .to_string();
            assert_eq!(
                error,
                "query parameter assetTypes: its integer enum goes out by name; say so with x-query-value: name",
                "{marker:?}"
            );
        }
    }

    #[test]
    fn comma_separated_parameters_are_found_wherever_they_are_declared() {
        let mut spec = json!({"components": {"parameters": {"Ids": {
            "name": "ids", "in": "query", "style": "form", "explode": false,
            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Id"}}
        }}}, "paths": {"/a": {"get": {"parameters": [
            {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
        ]}}}});
        assert_eq!(annotate_comma_separated(&mut spec).unwrap(), ["ids"]);
        let extension = &spec["components"]["parameters"]["Ids"]["schema"]["x-rust-type"];
        assert_eq!(extension["path"], "roblox_inventory_core::CommaSeparated");
        assert_eq!(
            extension["parameters"][0]["$ref"],
            "#/components/schemas/Id"
        );

        let mut inline = json!({"parameters": [{"name": "ids", "in": "query", "explode": false,
            "schema": {"type": "array", "items": {"type": "integer"}}}]});
        let error = annotate_comma_separated(&mut inline)
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "query parameter ids: the items of a comma-separated array must be a $ref"
        );
    }

    #[test]
    fn path_ids_are_counted() {
        let mut spec = json!({"parameters": [
            {"name": "assetType", "in": "path", "x-path-value": "id",
             "schema": {"$ref": "#/components/schemas/AssetType"}},
            {"name": "bundleType", "in": "path", "x-path-value": "name",
             "schema": {"$ref": "#/components/schemas/BundleType"}}
        ]});
        assert_eq!(annotate_path_ids(&mut spec).unwrap(), 1);
        let extension = &spec["parameters"][0]["schema"]["x-rust-type"];
        assert_eq!(extension["path"], "roblox_inventory_core::ById");
    }

    #[test]
    fn lint_names_each_problem_with_its_location() {
        let spec = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {"operationId": "Bad_Name", "parameters": [
                {"name": "x", "in": "query", "schema": {"type": "string", "enum": ["a"]}}
            ]}}},
            "components": {"schemas": {
                "Fine": {"type": "string", "enum": ["a"]},
                "Model": {"type": "object", "additionalProperties": false,
                          "properties": {"f": {"type": "string", "x-wire-note": "trust me"}}}
            }}
        });
        let problems = lint(&spec);
        assert_eq!(
            problems,
            [
                "/components/schemas/Model: additionalProperties: false would reject new fields",
                "/components/schemas/Model/properties/f: x-wire-note names no evidence (WIRE-QUIRKS <n> or <file>:<line>)",
                "/paths/~1a/get/parameters/0/schema: inline enum; name it under components/schemas",
                "get /a: operationId \"Bad_Name\" is not lowerCamelCase",
            ]
        );
    }
}
