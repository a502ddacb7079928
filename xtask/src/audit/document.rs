//! Reading a Swagger 2.0 or OpenAPI 3 document into operations, parameters, bodies and responses.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use super::explain::{self, Explanation};
use crate::walk::{HTTP_METHODS, escape};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Ours,
    Upstream,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Ours => "our spec",
            Side::Upstream => "the upstream document",
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Swagger2,
    OpenApi3,
}

/// One side of the comparison, with the dialect-specific ways of finding parameters, bodies and schemas.
pub(crate) struct Document<'a> {
    root: &'a Value,
    dialect: Dialect,
    pub(super) side: Side,
}

pub(super) struct Operation<'a> {
    /// `GET`, `POST`, ...
    pub(super) method: String,
    /// The full path: base path or server path, then the path key.
    pub(super) path: String,
    pub(super) object: &'a Map<String, Value>,
    pub(super) parameters: Vec<Parameter<'a>>,
    pub(super) body: Option<&'a Value>,
    pub(super) responses: BTreeMap<&'a str, Response<'a>>,
}

impl<'a> Operation<'a> {
    pub(super) fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Method and path with path parameter names blanked out, to match operations across documents.
    pub(super) fn key(&self) -> (String, String) {
        (self.method.clone(), path_template(&self.path))
    }

    pub(super) fn explanations(&self) -> Vec<Explanation<'a>> {
        explain::of(self.object)
    }

    /// What names the operation in a report: its operationId, else its summary on one line.
    pub(super) fn name(&self) -> String {
        ["operationId", "summary"]
            .iter()
            .find_map(|key| self.object.get(*key).and_then(Value::as_str))
            .map_or_else(
                || "present".to_owned(),
                |name| name.split_whitespace().collect::<Vec<_>>().join(" "),
            )
    }
}

/// An operation as the document declares it, before its parameters, body and responses are read.
pub(crate) struct RawOperation<'a> {
    /// `get`, as the document writes it.
    pub(crate) method: &'a str,
    /// The full path: base path or server path, then the path key.
    pub(crate) path: String,
    /// The path item: its `parameters` apply to the operation too.
    pub(crate) item: &'a Map<String, Value>,
    pub(crate) object: &'a Map<String, Value>,
    /// Where the document declares it (`paths./v1/users.get`), for errors.
    at: String,
}

impl RawOperation<'_> {
    /// `GET /v1/users`, as the audit's findings name operations.
    pub(crate) fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

pub(super) struct Parameter<'a> {
    pub(super) name: &'a str,
    pub(super) location: &'a str,
    pub(super) required: bool,
    pub(super) object: &'a Map<String, Value>,
    /// The parameter's schema; in Swagger 2.0 the parameter object itself carries `type`, `items`, `enum`.
    pub(super) schema: &'a Value,
}

/// What an entry of a `parameters` list declares: Swagger 2.0 declares the request body there too.
enum Declared<'a> {
    Parameter(Parameter<'a>),
    Body(&'a Value),
}

pub(super) struct Response<'a> {
    pub(super) object: &'a Map<String, Value>,
    pub(super) schema: Option<&'a Value>,
}

impl<'a> Document<'a> {
    pub(crate) fn new(root: &'a Value, side: Side) -> anyhow::Result<Self> {
        let swagger = root.get("swagger").and_then(Value::as_str);
        let openapi = root.get("openapi").and_then(Value::as_str);
        let dialect = match (swagger, openapi) {
            (Some("2.0"), _) => Dialect::Swagger2,
            (_, Some(version)) if version.starts_with("3.") => Dialect::OpenApi3,
            _ => bail!(
                "{side} is neither Swagger 2.0 (`swagger: \"2.0\"`) nor OpenAPI 3 (`openapi: 3.x`)"
            ),
        };
        if side == Side::Ours && dialect != Dialect::OpenApi3 {
            bail!("{side} must be OpenAPI 3");
        }
        Ok(Document {
            root,
            dialect,
            side,
        })
    }

    pub(super) fn resolve(&self, reference: &str) -> anyhow::Result<&'a Value> {
        let pointer = reference.strip_prefix('#').with_context(|| {
            format!(
                "{}: only local $refs are supported, not {reference:?}",
                self.side
            )
        })?;
        self.root
            .pointer(pointer)
            .with_context(|| format!("{}: $ref {reference:?} points at nothing", self.side))
    }

    pub(super) fn object(
        &self,
        value: &'a Value,
        what: &str,
    ) -> anyhow::Result<&'a Map<String, Value>> {
        value
            .as_object()
            .with_context(|| format!("{}: {what} is not an object", self.side))
    }

    /// Follows a `$ref` if the value is one (parameters, responses and request bodies can be).
    fn dereference(&self, value: &'a Value, what: &str) -> anyhow::Result<&'a Value> {
        let target = match value.get("$ref") {
            Some(reference) => {
                let reference = reference
                    .as_str()
                    .with_context(|| format!("{}: {what}: $ref is not a string", self.side))?;
                self.resolve(reference)?
            }
            None => value,
        };
        self.object(target, what)?;
        Ok(target)
    }

    /// Every named schema: its name and its `$ref`.
    pub(super) fn named_schemas(&self) -> anyhow::Result<Vec<(&'a str, String)>> {
        let pointer = match self.dialect {
            Dialect::Swagger2 => "/definitions",
            Dialect::OpenApi3 => "/components/schemas",
        };
        let Some(schemas) = self.root.pointer(pointer) else {
            return Ok(Vec::new());
        };
        Ok(self
            .object(schemas, pointer)?
            .keys()
            .map(|name| (name.as_str(), format!("#{pointer}/{}", escape(name))))
            .collect())
    }

    fn base_path(&self) -> String {
        base_path(self.root, self.is_swagger())
    }

    pub(super) fn operations(&self) -> anyhow::Result<Vec<Operation<'a>>> {
        self.raw_operations()?
            .into_iter()
            .map(|raw| self.operation(raw))
            .collect()
    }

    /// Every operation under `paths`, in document order; an error for a path item or operation that is not an
    /// object.
    pub(crate) fn raw_operations(&self) -> anyhow::Result<Vec<RawOperation<'a>>> {
        let paths = self
            .root
            .get("paths")
            .with_context(|| format!("{} has no `paths`", self.side))?;
        let paths = self.object(paths, "`paths`")?;
        let base = self.base_path();
        let mut operations = Vec::new();
        for (path, item) in paths {
            let item = self.object(item, &format!("paths.{path}"))?;
            let item_base = server_path(item.get("servers")).unwrap_or_else(|| base.clone());
            for (method, object) in item {
                if !HTTP_METHODS.contains(&method.as_str()) {
                    continue;
                }
                let at = format!("paths.{path}.{method}");
                let object = self.object(object, &at)?;
                let base = server_path(object.get("servers")).unwrap_or_else(|| item_base.clone());
                operations.push(RawOperation {
                    method,
                    path: format!("{base}{path}"),
                    item,
                    object,
                    at,
                });
            }
        }
        Ok(operations)
    }

    /// Whether the document is Swagger 2.0 (else OpenAPI 3).
    pub(crate) fn is_swagger(&self) -> bool {
        self.dialect == Dialect::Swagger2
    }

    fn operation(&self, raw: RawOperation<'a>) -> anyhow::Result<Operation<'a>> {
        let RawOperation {
            method,
            path,
            item,
            object,
            at,
        } = raw;
        let mut parameters: Vec<Parameter<'a>> = Vec::new();
        let mut body = None;
        // Operation-level parameters come last so that they replace path-level ones of the same name.
        let lists = [item.get("parameters"), object.get("parameters")];
        for (index, value) in lists.into_iter().flatten().enumerate() {
            let list = value
                .as_array()
                .with_context(|| format!("{}: {at}: parameters is not a list", self.side))?;
            for (position, parameter) in list.iter().enumerate() {
                let where_ = format!("{at}: parameters[{index}.{position}]");
                match self.parameter(parameter, &where_)? {
                    Declared::Parameter(parameter) => {
                        parameters.retain(|p| {
                            (p.name, p.location) != (parameter.name, parameter.location)
                        });
                        parameters.push(parameter);
                    }
                    Declared::Body(schema) => body = Some(schema),
                }
            }
        }
        if let Some(request_body) = object.get("requestBody") {
            let request_body = self.dereference(request_body, &format!("{at}: requestBody"))?;
            body = content_schema(request_body.get("content"));
        }
        Ok(Operation {
            method: method.to_uppercase(),
            path,
            object,
            parameters,
            body,
            responses: self.responses(object, &at)?,
        })
    }

    fn parameter(&self, value: &'a Value, at: &str) -> anyhow::Result<Declared<'a>> {
        let value = self.dereference(value, at)?;
        let object = self.object(value, at)?;
        let text = |key: &str| {
            object
                .get(key)
                .and_then(Value::as_str)
                .with_context(|| format!("{}: {at}: no `{key}`", self.side))
        };
        let (name, location) = (text("name")?, text("in")?);
        let schema = match (self.dialect, location) {
            (Dialect::Swagger2, "body") => {
                let schema = object.get("schema").with_context(|| {
                    format!("{}: {at}: body parameter without a schema", self.side)
                })?;
                return Ok(Declared::Body(schema));
            }
            // A Swagger 2.0 parameter carries `type`, `items` and `enum` itself.
            (Dialect::Swagger2, _) => value,
            (Dialect::OpenApi3, _) => object
                .get("schema")
                .or_else(|| content_schema(object.get("content")))
                .with_context(|| format!("{}: {at}: parameter {name} has no schema", self.side))?,
        };
        Ok(Declared::Parameter(Parameter {
            name,
            location,
            required: object.get("required").and_then(Value::as_bool) == Some(true),
            object,
            schema,
        }))
    }

    fn responses(
        &self,
        operation: &'a Map<String, Value>,
        at: &str,
    ) -> anyhow::Result<BTreeMap<&'a str, Response<'a>>> {
        let Some(responses) = operation.get("responses") else {
            return Ok(BTreeMap::new());
        };
        let mut found = BTreeMap::new();
        for (status, response) in self.object(responses, &format!("{at}: responses"))? {
            let object = self.dereference(response, &format!("{at}: responses.{status}"))?;
            let object = self.object(object, status)?;
            let schema = match self.dialect {
                Dialect::Swagger2 => object.get("schema"),
                Dialect::OpenApi3 => content_schema(object.get("content")),
            };
            found.insert(status.as_str(), Response { object, schema });
        }
        Ok(found)
    }

    /// Parameter serialization of an array, in Swagger's `collectionFormat` words.
    pub(super) fn serialization(&self, parameter: &Parameter<'_>) -> String {
        let text = |key: &str| parameter.object.get(key).and_then(Value::as_str);
        match self.dialect {
            Dialect::Swagger2 => text("collectionFormat").unwrap_or("csv").to_owned(),
            Dialect::OpenApi3 => {
                let default_style = match parameter.location {
                    "query" | "cookie" => "form",
                    _ => "simple",
                };
                let style = text("style").unwrap_or(default_style);
                let explode = parameter
                    .object
                    .get("explode")
                    .and_then(Value::as_bool)
                    .unwrap_or(style == "form");
                let format = match style {
                    // `explode` changes nothing for an array in a path or header.
                    "simple" => "csv",
                    "form" | "spaceDelimited" | "pipeDelimited" if explode => "multi",
                    "form" => "csv",
                    "spaceDelimited" => "ssv",
                    "pipeDelimited" => "pipes",
                    other => other,
                };
                format.to_owned()
            }
        }
    }
}

/// The JSON schema of a `content` map: `application/json` if there, else any JSON type, else the first.
pub(crate) fn content_schema(content: Option<&Value>) -> Option<&Value> {
    let content = content?.as_object()?;
    let media = content
        .get("application/json")
        .or_else(|| {
            content
                .iter()
                .find(|(media, _)| media.contains("json"))
                .map(|(_, value)| value)
        })
        .or_else(|| content.values().next())?;
    media.get("schema")
}

/// The path every operation of a document sits under: Swagger 2.0's `basePath`, or the path part of an OpenAPI
/// 3 document's first server.
fn base_path(root: &Value, swagger: bool) -> String {
    if swagger {
        root.get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim_end_matches('/')
            .to_owned()
    } else {
        server_path(root.get("servers")).unwrap_or_default()
    }
}

/// The path part of the first server URL (`https://apis.roblox.com/cloud` gives `/cloud`).
pub(crate) fn server_path(servers: Option<&Value>) -> Option<String> {
    let url = servers?.get(0)?.get("url")?.as_str()?;
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |at| &rest[at..]),
        None => url,
    };
    Some(path.trim_end_matches('/').to_owned())
}

/// `path` with its parameter names blanked out (`/v1/users/{}/items`): two documents that name a parameter
/// differently still describe the same operation.
pub(crate) fn path_template(path: &str) -> String {
    let mut template = String::with_capacity(path.len());
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                template.push('{');
            }
            '}' => {
                in_name = false;
                template.push('}');
            }
            _ if in_name => {}
            _ => template.push(c),
        }
    }
    template
}
