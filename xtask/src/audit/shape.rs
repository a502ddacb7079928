//! Schemas: `$ref`s and `allOf` wrappers followed to a shape, the type it holds, its fields and enum values.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use super::document::Document;
use super::explain::{self, Explanation};

/// How many `$ref`/`allOf` hops or nested arrays a schema may chain before it is taken for a cycle.
const MAX_DEPTH: usize = 64;

/// A schema with its `$ref`s, single-element `allOf` wrappers and null-or-something `oneOf`s followed.
pub(super) struct Shape<'a> {
    pub(super) node: &'a Map<String, Value>,
    /// The last `$ref` followed: the named schema this is.
    pub(super) reference: Option<&'a str>,
    /// Every explanation (`x-differs-from-upstream`) met on the way, nearest first.
    pub(super) explanations: Vec<Explanation<'a>>,
    /// The first `default` met on the way: a wrapper's default applies to what it wraps.
    pub(super) default: Option<&'a Value>,
}

/// What a schema holds, for telling whether two schemas describe the same values.
#[derive(Debug, PartialEq)]
pub(super) enum Ty {
    Scalar {
        base: String,
        format: Option<String>,
        /// No `type` upstream, only enum values: any `format` matches.
        inferred: bool,
    },
    Array(Box<Ty>),
    Object,
    Other(String),
    Any,
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Scalar {
                base,
                inferred: true,
                ..
            } => write!(f, "{base} (untyped enum)"),
            Ty::Scalar {
                base,
                format: Some(format),
                ..
            } => write!(f, "{base}/{format}"),
            Ty::Scalar { base, .. } => f.write_str(base),
            Ty::Array(items) => write!(f, "array of {items}"),
            Ty::Object => f.write_str("object"),
            Ty::Other(what) => f.write_str(what),
            Ty::Any => f.write_str("any"),
        }
    }
}

pub(super) fn same_type(ours: &Ty, upstream: &Ty) -> bool {
    match (ours, upstream) {
        (
            Ty::Scalar {
                base: a,
                format: fa,
                inferred: ia,
            },
            Ty::Scalar {
                base: b,
                format: fb,
                inferred: ib,
            },
        ) => a == b && (fa == fb || *ia || *ib),
        (Ty::Array(a), Ty::Array(b)) => same_type(a, b),
        _ => ours == upstream,
    }
}

impl<'a> Document<'a> {
    pub(super) fn shape(&self, value: &'a Value) -> anyhow::Result<Shape<'a>> {
        let mut node = self.object(value, "a schema")?;
        let mut shape = Shape {
            node,
            reference: None,
            explanations: Vec::new(),
            default: None,
        };
        for _ in 0..MAX_DEPTH {
            shape.explanations.extend(explain::of(node));
            shape.default = shape.default.or_else(|| node.get("default"));
            let next = match node.get("$ref") {
                Some(reference) => {
                    let reference = reference
                        .as_str()
                        .with_context(|| format!("{}: a $ref is not a string", self.side))?;
                    shape.reference = Some(reference);
                    self.resolve(reference)?
                }
                None => match single_all_of(node).or_else(|| or_null(node)) {
                    Some(only) => only,
                    None => {
                        shape.node = node;
                        return Ok(shape);
                    }
                },
            };
            node = self.object(next, shape.reference.unwrap_or("an allOf entry"))?;
        }
        bail!(
            "{}: schema {} chains more than {MAX_DEPTH} $refs (a cycle?)",
            self.side,
            shape.reference.unwrap_or("?")
        )
    }

    pub(super) fn ty(&self, shape: &Shape<'a>, depth: usize) -> anyhow::Result<Ty> {
        let node = shape.node;
        let declared = declared_type(node).map_err(|e| anyhow::anyhow!("{}: {e}", self.side))?;
        Ok(match declared {
            Some("array") => self.array_ty(node, depth)?,
            Some("object") => Ty::Object,
            Some(base) => Ty::Scalar {
                base: base.to_owned(),
                format: node
                    .get("format")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                inferred: false,
            },
            None if node.contains_key("properties") || node.contains_key("allOf") => Ty::Object,
            None if node.contains_key("items") => self.array_ty(node, depth)?,
            None => match enum_values(node) {
                Some(values) => Ty::Scalar {
                    base: inferred_type(values).to_owned(),
                    format: None,
                    inferred: true,
                },
                None => ["oneOf", "anyOf", "not"]
                    .into_iter()
                    .find(|key| node.contains_key(*key))
                    .map_or(Ty::Any, |key| Ty::Other(key.to_owned())),
            },
        })
    }

    fn array_ty(&self, node: &'a Map<String, Value>, depth: usize) -> anyhow::Result<Ty> {
        if depth >= MAX_DEPTH {
            bail!(
                "{}: arrays nested more than {MAX_DEPTH} deep (a cycle?)",
                self.side
            );
        }
        let items = match node.get("items") {
            Some(items) => self.ty(&self.shape(items)?, depth + 1)?,
            None => Ty::Any,
        };
        Ok(Ty::Array(Box::new(items)))
    }

    /// A schema's fields, those of its `allOf` parts included.
    pub(super) fn properties(
        &self,
        node: &'a Map<String, Value>,
        depth: usize,
    ) -> anyhow::Result<BTreeMap<&'a str, &'a Value>> {
        if depth > MAX_DEPTH {
            bail!(
                "{}: allOf nested more than {MAX_DEPTH} deep (a cycle?)",
                self.side
            );
        }
        let mut fields = BTreeMap::new();
        if let Some(properties) = node.get("properties") {
            for (name, schema) in self.object(properties, "properties")? {
                fields.insert(name.as_str(), schema);
            }
        }
        for part in node
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let part = self.shape(part)?;
            fields.extend(self.properties(part.node, depth + 1)?);
        }
        Ok(fields)
    }

    pub(super) fn describe(&self, schema: &'a Value) -> anyhow::Result<String> {
        Ok(self.ty(&self.shape(schema)?, 0)?.to_string())
    }
}

/// The schema of a `oneOf` of it and `enum: [null]`: how a strict OpenAPI 3.0 reader is told that a `$ref` may
/// be null, which is nullability (not compared: spec/README.md makes every response field nullable where Roblox
/// sends null), not another type.
fn or_null(node: &Map<String, Value>) -> Option<&Value> {
    let null_only = |value: &Value| value.get("enum") == Some(&Value::Array(vec![Value::Null]));
    match node.get("oneOf")?.as_array()?.as_slice() {
        [value, null] | [null, value] if null_only(null) && !null_only(value) => Some(value),
        _ => None,
    }
}

/// The one schema of an `allOf` wrapper that only adds a description, a note or a default to a `$ref`.
fn single_all_of(node: &Map<String, Value>) -> Option<&Value> {
    match node.get("allOf")?.as_array()?.as_slice() {
        [only] if !node.contains_key("properties") => Some(only),
        _ => None,
    }
}

/// `type`, with OpenAPI 3.1's `[T, "null"]` read as T.
fn declared_type(node: &Map<String, Value>) -> Result<Option<&str>, String> {
    match node.get("type") {
        None => Ok(None),
        Some(Value::String(name)) => Ok(Some(name)),
        Some(Value::Array(names)) => {
            let names: Vec<&str> = names
                .iter()
                .filter_map(Value::as_str)
                .filter(|name| *name != "null")
                .collect();
            match names.as_slice() {
                [only] => Ok(Some(only)),
                _ => Err(format!("unsupported type list {names:?}")),
            }
        }
        Some(other) => Err(format!("`type` {other} is neither a string nor a list")),
    }
}

fn inferred_type(values: &[Value]) -> &'static str {
    let all = |test: fn(&Value) -> bool| values.iter().all(test);
    if all(|v| v.is_i64() || v.is_u64()) {
        "integer"
    } else if all(Value::is_number) {
        "number"
    } else if all(Value::is_string) {
        "string"
    } else if all(Value::is_boolean) {
        "boolean"
    } else {
        "mixed"
    }
}

pub(super) fn enum_values(node: &Map<String, Value>) -> Option<&Vec<Value>> {
    node.get("enum").and_then(Value::as_array)
}

pub(super) fn display_value(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

pub(super) fn summarize(values: &[Value]) -> String {
    const SHOWN: usize = 8;
    let mut shown: Vec<String> = values.iter().take(SHOWN).map(display_value).collect();
    if values.len() > SHOWN {
        shown.push(format!("... ({} values)", values.len()));
    }
    format!("[{}]", shown.join(", "))
}

/// Roblox's model name in a form both upstream documents share: the docs source writes
/// `ApiPageResponse_Roblox.Inventory.Api.Models.PlaceModel_` for Swagger's `ApiPageResponse[...PlaceModel]`.
pub(crate) fn normalized_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, '[' | ']' | ',' | '.') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// The name of the schema a `$ref` points at.
pub(super) fn schema_name(reference: &str) -> String {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    last.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_across_the_two_upstream_spellings() {
        assert_eq!(
            normalized_name(
                "Roblox.Web.WebAPI.Models.ApiPageResponse[Roblox.Inventory.Api.Models.PlaceModel]"
            ),
            normalized_name(
                "Roblox.Web.WebAPI.Models.ApiPageResponse_Roblox.Inventory.Api.Models.PlaceModel_"
            ),
        );
    }
}
