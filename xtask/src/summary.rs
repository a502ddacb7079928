//! A normalized, sorted summary of a spec: what users of the generated crates see (operations with their
//! parameters and result types, models with their fields, enums with their values). Model snapshots and
//! `cargo xtask diff` are both built on it, so a spec edit shows up as a few lines naming what changed.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::{Context, bail};
use serde::{Serialize, Serializer};
use serde_json::{Value, json};

/// Everything a spec defines that reaches users of its crate.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SpecSummary {
    /// By operationId.
    pub operations: BTreeMap<String, OperationSummary>,
    /// By schema name.
    pub models: BTreeMap<String, ModelSummary>,
}

/// One operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OperationSummary {
    /// `GET /v2/users/{userId}/inventory`.
    pub request: String,
    /// By parameter name.
    pub parameters: BTreeMap<String, ParameterSummary>,
    /// The success body's type (`none` when there is no body).
    pub success: String,
    /// The error body's type by status (`4XX` included).
    pub errors: BTreeMap<String, String>,
    /// How the operation pages, from its `x-pagination`: `cursor -> nextPageCursor, data, limit <= 100`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paging: Option<String>,
}

/// One parameter, written on one line: `query, required, [AssetType] comma-separated`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParameterSummary {
    /// `path`, `query` or `header`.
    pub location: String,
    /// Whether the caller must give it.
    pub required: bool,
    /// Its type.
    pub type_name: String,
}

/// A named schema.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelSummary {
    /// An object, by field name.
    Object(BTreeMap<String, FieldSummary>),
    /// An enum's values, each `id Name` for integer enums or the string itself.
    Enum(Vec<String>),
    /// Anything else: a `oneOf`, a bare type.
    Alias(String),
}

/// One field, written on one line: `integer(int64), optional, nullable`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldSummary {
    /// Its type.
    pub type_name: String,
    /// Whether it is in the model's `required` list.
    pub required: bool,
    /// Whether it may be `null`.
    pub nullable: bool,
}

impl fmt::Display for ParameterSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let required = if self.required {
            "required"
        } else {
            "optional"
        };
        write!(f, "{}, {required}, {}", self.location, self.type_name)
    }
}

impl fmt::Display for FieldSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let required = if self.required {
            "required"
        } else {
            "optional"
        };
        write!(f, "{}, {required}", self.type_name)?;
        if self.nullable {
            f.write_str(", nullable")?;
        }
        Ok(())
    }
}

impl Serialize for ParameterSummary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for FieldSummary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Summarizes a spec (as read by [`crate::specs::Spec::load`]).
pub fn summarize(spec: &Value) -> anyhow::Result<SpecSummary> {
    let mut summary = SpecSummary::default();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        summary.models.insert(name.clone(), model(schema));
    }
    let paths = spec.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let shared_parameters = item.get("parameters");
        for (method, operation) in item.as_object().into_iter().flatten() {
            if !matches!(
                method.as_str(),
                "get" | "put" | "post" | "delete" | "patch" | "head" | "options"
            ) {
                continue;
            }
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .with_context(|| format!("{method} {path} has no operationId"))?;
            let summarized = summarize_operation(spec, path, method, operation, shared_parameters)
                .with_context(|| format!("operation {id}"))?;
            if summary
                .operations
                .insert(id.to_owned(), summarized)
                .is_some()
            {
                bail!("operationId {id} is used twice");
            }
        }
    }
    Ok(summary)
}

fn summarize_operation(
    spec: &Value,
    path: &str,
    method: &str,
    operation: &Value,
    shared_parameters: Option<&Value>,
) -> anyhow::Result<OperationSummary> {
    let mut parameters = BTreeMap::new();
    let declared = shared_parameters
        .and_then(Value::as_array)
        .into_iter()
        .chain(operation.get("parameters").and_then(Value::as_array))
        .flatten();
    for parameter in declared {
        let parameter = resolve(spec, parameter)?;
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .context("a parameter has no name")?;
        let mut type_name = parameter.get("schema").map_or("any".to_owned(), type_name);
        if parameter.get("explode") == Some(&Value::Bool(false)) {
            type_name.push_str(" comma-separated");
        }
        parameters.insert(
            name.to_owned(),
            ParameterSummary {
                location: str_field(parameter, "in").to_owned(),
                required: parameter.get("required") == Some(&Value::Bool(true)),
                type_name,
            },
        );
    }
    let mut success = "none".to_owned();
    let mut errors = BTreeMap::new();
    let responses = operation.get("responses").and_then(Value::as_object);
    for (status, response) in responses.into_iter().flatten() {
        let response = resolve(spec, response)?;
        let body = response
            .pointer("/content/application~1json/schema")
            .map_or("none".to_owned(), type_name);
        if status.starts_with('2') {
            success = body;
        } else {
            errors.insert(status.clone(), body);
        }
    }
    let paging = operation.get("x-pagination").map(|mark| {
        let text = |key: &str| {
            mark.get(key).map_or("?".to_owned(), |value| match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
        };
        let first = mark
            .get("firstCursor")
            .map(|first| format!(" (first {first})"))
            .unwrap_or_default();
        format!(
            "{}{first} -> {}, {}, {} <= {}",
            text("cursor"),
            text("nextCursor"),
            text("items"),
            text("pageSize"),
            text("maxPageSize")
        )
    });
    Ok(OperationSummary {
        request: format!("{} {path}", method.to_uppercase()),
        parameters,
        success,
        errors,
        paging,
    })
}

fn model(schema: &Value) -> ModelSummary {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let names = schema.get("x-enum-varnames").and_then(Value::as_array);
        let mut listed: Vec<(Option<i64>, String)> = values
            .iter()
            .enumerate()
            .map(|(index, value)| match value {
                Value::Number(number) => {
                    let name = names
                        .and_then(|names| names.get(index))
                        .and_then(Value::as_str)
                        .unwrap_or("?");
                    (number.as_i64(), format!("{number} {name}"))
                }
                Value::String(text) => (None, text.clone()),
                other => (None, other.to_string()),
            })
            .collect();
        listed.sort();
        return ModelSummary::Enum(listed.into_iter().map(|(_, value)| value).collect());
    }
    match schema.get("properties").and_then(Value::as_object) {
        Some(properties) => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            ModelSummary::Object(
                properties
                    .iter()
                    .map(|(name, property)| {
                        let field = FieldSummary {
                            type_name: type_name(property),
                            required: required.contains(&name.as_str()),
                            nullable: property.get("nullable") == Some(&Value::Bool(true))
                                || null_branches(property).next().is_some(),
                        };
                        (name.clone(), field)
                    })
                    .collect(),
            )
        }
        None => ModelSummary::Alias(type_name(schema)),
    }
}

/// `{enum: [null]}`: the branch of a `oneOf` that lets a `$ref` be null in strict OpenAPI 3.0.
fn is_null_only(schema: &Value) -> bool {
    schema.get("enum") == Some(&json!([null]))
}

fn null_branches(schema: &Value) -> impl Iterator<Item = &Value> {
    ["oneOf", "anyOf"]
        .into_iter()
        .filter_map(|keyword| schema.get(keyword).and_then(Value::as_array))
        .flatten()
        .filter(|part| is_null_only(part))
}

/// A schema's type in a few characters: `AssetType`, `[AssetType]`, `integer(int64)`, `oneOf(A | B)`.
pub fn type_name(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    for (keyword, separator) in [("allOf", " & "), ("oneOf", " | "), ("anyOf", " | ")] {
        if let Some(parts) = schema.get(keyword).and_then(Value::as_array) {
            // A `{enum: [null]}` branch says "or null", which the field's summary says as `nullable`.
            let parts: Vec<String> = parts
                .iter()
                .filter(|part| !is_null_only(part))
                .map(type_name)
                .collect();
            return if parts.len() == 1 {
                parts.into_iter().next().unwrap_or_default()
            } else {
                format!("{keyword}({})", parts.join(separator))
            };
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => format!(
            "[{}]",
            schema.get("items").map_or("any".to_owned(), type_name)
        ),
        Some("object") => match schema.get("additionalProperties") {
            Some(values @ Value::Object(_)) => format!("map<{}>", type_name(values)),
            _ if schema.get("properties").is_some() => "object{..}".to_owned(),
            _ => "object".to_owned(),
        },
        Some(kind) => match schema.get("format").and_then(Value::as_str) {
            Some(format) => format!("{kind}({format})"),
            None => kind.to_owned(),
        },
        None => "any".to_owned(),
    }
}

fn str_field<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("?")
}

/// Follows a local `$ref` (`#/components/...`).
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> anyhow::Result<&'a Value> {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference
                .strip_prefix('#')
                .with_context(|| format!("{reference} is not a local reference"))?;
            spec.pointer(pointer)
                .with_context(|| format!("{reference} points at nothing"))
        }
        None => Ok(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_short_and_say_everything_users_see() {
        assert_eq!(
            type_name(&json!({"$ref": "#/components/schemas/AssetType"})),
            "AssetType"
        );
        assert_eq!(
            type_name(&json!({"allOf": [{"$ref": "#/x/PageLimit"}]})),
            "PageLimit"
        );
        assert_eq!(
            type_name(&json!({"type": "array", "items": {"type": "integer", "format": "int64"}})),
            "[integer(int64)]"
        );
        assert_eq!(
            type_name(&json!({"oneOf": [{"$ref": "#/a/A"}, {"$ref": "#/a/B"}]})),
            "oneOf(A | B)"
        );
        assert_eq!(
            type_name(&json!({"oneOf": [{"$ref": "#/a/Owner"}, {"enum": [null]}]})),
            "Owner",
            "a null branch is said by `nullable`"
        );
        assert_eq!(
            type_name(&json!({"type": "object", "additionalProperties": {"type": "string"}})),
            "map<string>"
        );
    }
}
