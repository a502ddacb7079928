//! Starting points for the spec: each operation, parameter, response or field that only the upstream document
//! has, converted to our spec's OpenAPI 3.0 and its conventions where that is mechanical (`$ref`s to our schema
//! names, `components/schemas`, `style: form, explode: false` for comma-separated arrays, no
//! `additionalProperties: false`, no constraints), as YAML to paste.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::yaml::to_yaml;
use crate::audit::document::{Document, RawOperation, Side, server_path};
use crate::audit::{Difference, DifferenceKind};

/// How many missing schemas one report suggests at most (each may refer to more).
const MAX_SCHEMAS: usize = 50;

/// One piece of YAML to paste into a spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fragment {
    /// What it adds: the finding's location, or `schemas` for the models the other fragments refer to.
    pub subject: String,
    /// Where it goes: ``under `paths:` in `spec/legacy-v1.yaml` ``.
    pub placement: String,
    pub yaml: String,
}

/// A fragment for each finding of `findings` that names something only upstream has, then one with the schemas
/// they refer to that our spec lacks.
pub(super) fn fragments(
    spec_name: &str,
    ours: &Value,
    upstream: &Value,
    findings: &[Difference],
) -> anyhow::Result<Vec<Fragment>> {
    let file = format!("`spec/{spec_name}.yaml`");
    let mut converter = Converter::new(ours, upstream)?;
    let mut found = Vec::new();
    for finding in findings {
        let suggestion = match finding.kind {
            DifferenceKind::OperationOnlyUpstream => converter.operation_fragment(finding),
            DifferenceKind::ParameterOnlyUpstream => converter.parameter_fragment(finding),
            DifferenceKind::ResponseOnlyUpstream => converter.response_fragment(finding),
            DifferenceKind::FieldOnlyUpstream => Some(converter.field_fragment(finding)),
            _ => None,
        };
        if let Some((placement, mut value)) = suggestion {
            unix_line_breaks(&mut value);
            found.push(Fragment {
                subject: finding.location.clone(),
                placement: format!("{placement} in {file}"),
                yaml: to_yaml(&value),
            });
        }
    }
    if let Some(mut schemas) = converter.missing_schemas() {
        unix_line_breaks(&mut schemas);
        found.push(Fragment {
            subject: "schemas".to_owned(),
            placement: format!(
                "under `components:` `schemas:` in {file}: the schemas the fragments above refer to that the spec \
                 lacks"
            ),
            yaml: to_yaml(&schemas),
        });
    }
    Ok(found)
}

/// Roblox's texts break lines with `\r\n`; ours with `\n`.
fn unix_line_breaks(value: &mut Value) {
    match value {
        Value::String(text) if text.contains('\r') => *text = text.replace("\r\n", "\n"),
        Value::Array(items) => items.iter_mut().for_each(unix_line_breaks),
        Value::Object(map) => map.values_mut().for_each(unix_line_breaks),
        _ => {}
    }
}

/// Our name for a Roblox model none of our schemas names: the last segment of the name without namespaces, and
/// `XPage` for `ApiPageResponse[X]` (spec/README.md, "Schema names").
fn derived_name(roblox: &str) -> String {
    let last_segment = |name: &str| {
        name.trim_end_matches(['_', ']'])
            .rsplit('.')
            .next()
            .unwrap_or(name)
            .to_owned()
    };
    for wrapper in ["ApiPageResponse[", "ApiPageResponse_"] {
        if let Some((_, inner)) = roblox.split_once(wrapper) {
            return format!("{}Page", last_segment(inner));
        }
    }
    match roblox.split_once('[') {
        Some((outer, _)) => last_segment(outer),
        None => last_segment(roblox),
    }
}

/// Method and path with path parameter names blanked out (`GET /v1/users/{}/items`), as the audit matches them.
fn key(method: &str, path: &str) -> String {
    format!(
        "{} {}",
        method.to_uppercase(),
        crate::audit::document::path_template(path)
    )
}

struct Converter<'a> {
    upstream: &'a Value,
    swagger: bool,
    operations: Vec<RawOperation<'a>>,
    /// Our schemas by name.
    our_schemas: Map<String, Value>,
    /// Our schema names by normalized `x-roblox-name`.
    ours_by_roblox_name: BTreeMap<String, String>,
    /// Our paths, and the path part of our server URL.
    our_paths: BTreeSet<String>,
    our_server_path: String,
    /// Schemas the fragments refer to that we lack: our name to the upstream `$ref`.
    needed: BTreeMap<String, String>,
}

impl<'a> Converter<'a> {
    fn new(ours: &'a Value, upstream: &'a Value) -> anyhow::Result<Self> {
        let our_schemas = ours
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let ours_by_roblox_name = our_schemas
            .iter()
            .filter_map(|(name, schema)| {
                let roblox = schema.get("x-roblox-name")?.as_str()?;
                Some((crate::audit::shape::normalized_name(roblox), name.clone()))
            })
            .collect();
        // The audit read the same document first, so its errors have been reported already.
        let document = Document::new(upstream, Side::Upstream)?;
        Ok(Converter {
            upstream,
            swagger: document.is_swagger(),
            operations: document.raw_operations()?,
            our_schemas,
            ours_by_roblox_name,
            our_paths: ours
                .get("paths")
                .and_then(Value::as_object)
                .map(|paths| paths.keys().cloned().collect())
                .unwrap_or_default(),
            our_server_path: server_path(ours.get("servers")).unwrap_or_default(),
            needed: BTreeMap::new(),
        })
    }

    /// The upstream operation our operation `label` (`GET /v1/...`) matches.
    fn operation_matching(&self, label: &str) -> Option<&RawOperation<'a>> {
        let (method, path) = label.split_once(' ')?;
        let wanted = key(method, path);
        self.operations
            .iter()
            .find(|op| key(op.method, &op.path) == wanted)
    }

    /// Follows a `$ref` chain to what it names.
    fn resolve(&self, value: &'a Value) -> &'a Value {
        let mut node = value;
        for _ in 0..64 {
            let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match reference
                .strip_prefix('#')
                .and_then(|pointer| self.upstream.pointer(pointer))
            {
                Some(target) => node = target,
                None => break,
            }
        }
        node
    }

    /// The object a schema holds fields in: `$ref`s, single-element `allOf`s and array items followed.
    fn object_of(&self, value: &'a Value) -> Option<&'a Map<String, Value>> {
        let mut node = self.resolve(value);
        for _ in 0..64 {
            if let Some([only]) = node
                .get("allOf")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                node = self.resolve(only);
            } else if node.get("type").and_then(Value::as_str) == Some("array") {
                node = self.resolve(node.get("items")?);
            } else {
                return node.as_object();
            }
        }
        None
    }

    fn field(&self, base: &'a Value, path: &[&str]) -> Option<&'a Value> {
        let mut node = base;
        for segment in path {
            node = self.object_of(node)?.get("properties")?.get(*segment)?;
        }
        Some(node)
    }

    fn upstream_schema_named(&self, roblox: &str) -> Option<&'a Value> {
        let (pointer, _) = self.schemas_pointer();
        let wanted = crate::audit::shape::normalized_name(roblox);
        self.upstream
            .pointer(pointer)?
            .as_object()?
            .iter()
            .find(|(name, _)| crate::audit::shape::normalized_name(name) == wanted)
            .map(|(_, schema)| schema)
    }

    /// Where the upstream document keeps its schemas, as a JSON pointer and as a `$ref` prefix.
    fn schemas_pointer(&self) -> (&'static str, &'static str) {
        if self.swagger {
            ("/definitions", "#/definitions/")
        } else {
            ("/components/schemas", "#/components/schemas/")
        }
    }

    /// Our name for the upstream schema `reference` points at; noted as needed when we lack it.
    fn our_name(&mut self, reference: &str) -> String {
        let raw = reference.rsplit('/').next().unwrap_or(reference);
        let name = raw.replace("~1", "/").replace("~0", "~");
        if let Some(ours) = self
            .ours_by_roblox_name
            .get(&crate::audit::shape::normalized_name(&name))
        {
            return ours.clone();
        }
        if self.our_schemas.contains_key(&name) {
            return name;
        }
        let ours = derived_name(&name);
        if !self.our_schemas.contains_key(&ours) {
            self.needed
                .entry(ours.clone())
                .or_insert_with(|| reference.to_owned());
        }
        ours
    }

    /// A schema in our dialect and conventions.
    fn schema(&mut self, value: &Value) -> Value {
        let Some(object) = value.as_object() else {
            return value.clone();
        };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let name = self.our_name(reference);
            return json!({"$ref": format!("#/components/schemas/{name}")});
        }
        let mut converted = Map::new();
        for (key, value) in object {
            let value = match key.as_str() {
                "type" | "format" | "description" | "enum" | "default" | "nullable" | "title" => {
                    value.clone()
                }
                "required" if value.is_array() => value.clone(),
                "x-nullable" if value == &Value::Bool(true) => {
                    converted.insert("nullable".to_owned(), Value::Bool(true));
                    continue;
                }
                "items" => self.schema(value),
                "additionalProperties" if value.is_object() => self.schema(value),
                "properties" => Value::Object(
                    value
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(name, field)| (name.clone(), self.schema(field)))
                        .collect(),
                ),
                "allOf" | "oneOf" | "anyOf" => Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|item| self.schema(item))
                        .collect(),
                ),
                // additionalProperties: false, readOnly, examples, constraints, Roblox's extensions: left out
                // (spec/README.md, "Responses").
                _ => continue,
            };
            converted.insert(key.clone(), value);
        }
        Value::Object(converted)
    }

    /// A parameter in our dialect; `None` for a Swagger 2.0 body parameter.
    fn parameter(&mut self, value: &'a Value) -> Option<Value> {
        let object = self.resolve(value).as_object()?;
        let location = object.get("in").and_then(Value::as_str).unwrap_or("query");
        if location == "body" {
            return None;
        }
        let mut converted = Map::new();
        for key in ["name", "in", "description", "required"] {
            if let Some(value) = object.get(key) {
                converted.insert(key.to_owned(), value.clone());
            }
        }
        let schema = if self.swagger {
            let mut schema = Map::new();
            for key in ["type", "format", "enum", "default", "items"] {
                if let Some(value) = object.get(key) {
                    schema.insert(key.to_owned(), value.clone());
                }
            }
            let is_array = object.get("type").and_then(Value::as_str) == Some("array");
            let format = object
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            if is_array && location == "query" && format == "csv" {
                converted.insert("style".to_owned(), json!("form"));
                converted.insert("explode".to_owned(), json!(false));
            }
            Value::Object(schema)
        } else {
            for key in ["style", "explode"] {
                if let Some(value) = object.get(key) {
                    converted.insert(key.to_owned(), value.clone());
                }
            }
            object.get("schema").cloned().unwrap_or_else(|| json!({}))
        };
        converted.insert("schema".to_owned(), self.schema(&schema));
        Some(Value::Object(converted))
    }

    /// The JSON body schema of a response or request body, in either dialect.
    fn body_schema(&self, object: &'a Value) -> Option<&'a Value> {
        if self.swagger {
            return object.get("schema");
        }
        crate::audit::document::content_schema(object.get("content"))
    }

    fn response(&mut self, value: &'a Value) -> Value {
        let object = self.resolve(value);
        let mut converted = Map::new();
        let description = object
            .get("description")
            .cloned()
            .unwrap_or_else(|| json!(""));
        converted.insert("description".to_owned(), description);
        if let Some(schema) = self.body_schema(object) {
            let schema = self.schema(schema);
            converted.insert(
                "content".to_owned(),
                json!({"application/json": {"schema": schema}}),
            );
        }
        Value::Object(converted)
    }

    fn operation(&mut self, operation_index: usize) -> Value {
        let (item, object) = {
            let operation = &self.operations[operation_index];
            (operation.item, operation.object)
        };
        let mut converted = Map::new();
        // Our operationIds are lowerCamelCase, verb first (spec/README.md): a person names it.
        converted.insert("operationId".to_owned(), json!("TODO"));
        for key in ["summary", "description", "tags", "deprecated"] {
            if let Some(value) = object.get(key) {
                converted.insert(key.to_owned(), value.clone());
            }
        }
        let mut parameters = Vec::new();
        let lists = [item.get("parameters"), object.get("parameters")];
        for parameter in lists
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
        {
            match self.parameter(parameter) {
                Some(converted) => parameters.push(converted),
                None => {
                    if let Some(schema) = self.resolve(parameter).get("schema") {
                        let schema = self.schema(schema);
                        converted.insert(
                            "requestBody".to_owned(),
                            json!({"content": {"application/json": {"schema": schema}}}),
                        );
                    }
                }
            }
        }
        if !parameters.is_empty() {
            converted.insert("parameters".to_owned(), Value::Array(parameters));
        }
        if let Some(body) = object.get("requestBody") {
            let body = self.resolve(body);
            if let Some(schema) = self.body_schema(body) {
                let schema = self.schema(schema);
                converted.insert(
                    "requestBody".to_owned(),
                    json!({"content": {"application/json": {"schema": schema}}}),
                );
            }
        }
        let mut responses = Map::new();
        for (status, response) in object
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            responses.insert(status.clone(), self.response(response));
        }
        converted.insert("responses".to_owned(), Value::Object(responses));
        Value::Object(converted)
    }

    fn operation_fragment(&mut self, finding: &Difference) -> Option<(String, Value)> {
        let index = self
            .operations
            .iter()
            .position(|op| op.label() == finding.location)?;
        let (method, full_path) = {
            let operation = &self.operations[index];
            (operation.method.to_owned(), operation.path.clone())
        };
        let path = full_path
            .strip_prefix(&self.our_server_path)
            .filter(|path| path.starts_with('/'))
            .unwrap_or(&full_path)
            .to_owned();
        let operation = self.operation(index);
        if self.our_paths.contains(&path) {
            let placement = format!("under `paths:` `{path}:`");
            return Some((placement, json!({ method: operation })));
        }
        Some((
            "under `paths:`".to_owned(),
            json!({ path: { method: operation } }),
        ))
    }

    fn parameter_fragment(&mut self, finding: &Difference) -> Option<(String, Value)> {
        let (label, name) = finding.location.split_once(" parameter ")?;
        let operation = self.operation_matching(label)?;
        let lists = [
            operation.item.get("parameters"),
            operation.object.get("parameters"),
        ];
        let parameter = lists
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .rev()
            .find(|parameter| {
                self.resolve(parameter).get("name").and_then(Value::as_str) == Some(name)
            })?;
        let converted = self.parameter(parameter)?;
        Some((
            format!("under `parameters:` of `{label}`"),
            Value::Array(vec![converted]),
        ))
    }

    fn response_fragment(&mut self, finding: &Difference) -> Option<(String, Value)> {
        let (label, status) = finding.location.split_once(" response ")?;
        let operation = self.operation_matching(label)?;
        let response = operation.object.get("responses")?.get(status)?;
        let converted = self.response(response);
        Some((
            format!("under `responses:` of `{label}`"),
            json!({ status: converted }),
        ))
    }

    /// A field only upstream has, found in the upstream document where its location says; from the type the
    /// finding gives when it cannot be found.
    fn field_fragment(&mut self, finding: &Difference) -> (String, Value) {
        // `model M field a.b`, `GET /v1/... response 200 field a`: the owner, then the field's path.
        let (owner, path) = finding
            .location
            .rsplit_once(" field ")
            .unwrap_or(("", &finding.location));
        let segments: Vec<&str> = path.split('.').collect();
        let name = segments.last().copied().unwrap_or(path);
        let base = self.field_base(owner);
        let schema = base
            .and_then(|base| self.field(base, &segments))
            .map(|schema| self.schema(schema))
            .unwrap_or_else(|| from_description(finding.upstream.as_deref().unwrap_or("")));
        let parents = &segments[..segments.len().saturating_sub(1)];
        let within = if parents.is_empty() {
            format!("`{owner}`")
        } else {
            format!("`{owner}` field `{}`", parents.join("."))
        };
        (
            format!("under the `properties:` of {within}"),
            json!({ name: schema }),
        )
    }

    /// The upstream schema that `model M` (ours, by its `x-roblox-name`) or `LABEL response S` names.
    fn field_base(&self, owner: &str) -> Option<&'a Value> {
        if let Some(model) = owner.strip_prefix("model ") {
            let roblox = self
                .our_schemas
                .get(model)?
                .get("x-roblox-name")?
                .as_str()?;
            return self.upstream_schema_named(roblox);
        }
        let (label, status) = owner.split_once(" response ")?;
        let operation = self.operation_matching(label)?;
        let response = self.resolve(operation.object.get("responses")?.get(status)?);
        self.body_schema(response)
    }

    /// The schemas the fragments refer to that our spec lacks, with those they refer to in turn.
    fn missing_schemas(&mut self) -> Option<Value> {
        let mut schemas = Map::new();
        let mut done = BTreeSet::new();
        while let Some((name, reference)) = self
            .needed
            .iter()
            .find(|(name, _)| !done.contains(*name))
            .map(|(name, reference)| (name.clone(), reference.clone()))
        {
            done.insert(name.clone());
            if schemas.len() >= MAX_SCHEMAS {
                break;
            }
            let Some(target) = reference
                .strip_prefix('#')
                .and_then(|pointer| self.upstream.pointer(pointer))
            else {
                continue;
            };
            let mut converted = self.schema(target);
            let roblox = reference.rsplit('/').next().unwrap_or(&reference);
            if let Value::Object(object) = &mut converted {
                object.insert("x-roblox-name".to_owned(), json!(roblox));
            }
            schemas.insert(name, converted);
        }
        (!schemas.is_empty()).then_some(Value::Object(schemas))
    }
}

/// A schema from the type the audit describes (`integer/int64`, `array of string`), for a field that cannot be
/// found in the upstream document.
fn from_description(description: &str) -> Value {
    if let Some(items) = description.strip_prefix("array of ") {
        return json!({"type": "array", "items": from_description(items)});
    }
    let description = description.trim_end_matches(" (untyped enum)");
    match description.split_once('/') {
        Some((base, format)) => json!({"type": base, "format": format}),
        None if ["string", "integer", "number", "boolean", "object"].contains(&description) => {
            json!({"type": description})
        }
        None => json!({"description": format!("upstream: {description}")}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_model_names_become_ours() {
        assert_eq!(
            derived_name("Roblox.Web.WebAPI.Models.ApiPageResponse[Roblox.Inventory.Api.Models.X]"),
            "XPage"
        );
        assert_eq!(
            derived_name("Roblox.Web.WebAPI.Models.ApiPageResponse_Roblox.Inventory.Api.Models.X_"),
            "XPage"
        );
        assert_eq!(
            derived_name("Roblox.Web.Responses.RelatedEntityTypeResponse[Roblox.Agents.AgentType]"),
            "RelatedEntityTypeResponse"
        );
        assert_eq!(
            derived_name("Roblox.Inventory.Api.Models.UserModel"),
            "UserModel"
        );
        assert_eq!(derived_name("InventoryItem"), "InventoryItem");
    }

    #[test]
    fn a_described_type_becomes_a_schema() {
        assert_eq!(
            from_description("array of integer/int64"),
            json!({"type": "array", "items": {"type": "integer", "format": "int64"}})
        );
        assert_eq!(from_description("string"), json!({"type": "string"}));
    }
}
