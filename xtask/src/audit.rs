//! `cargo xtask audit --upstream FILE SPEC`: compares one of our specs with a document Roblox publishes, the
//! Swagger 2.0 that inventory.roblox.com serves or the OpenAPI 3 source of Roblox's docs, and lists every
//! difference.
//!
//! # Scope
//!
//! The docs source describes every API at once, so only the upstream operations under our spec's version prefix
//! take part: the path segments up to and including the first `v<N>` segment of our paths (`/v1/`, `/v2/`,
//! `/cloud/v2/`). Swagger's `basePath` and OpenAPI's server URL paths are part of a path.
//!
//! # What is compared
//!
//! Operations are matched by method and path template (parameter names inside `{}` aside, so that a renamed path
//! parameter shows up as a parameter difference). Within a matched operation:
//!
//! - parameters, by location and exact name: present on one side only, `required`, `default`, type, enum values,
//!   and for arrays the serialization (Swagger `collectionFormat` against OpenAPI `style`/`explode`);
//! - the request body, and each response status: present on one side only, and the body's type;
//! - bodies and their models, field by field: present on one side only, type, enum values.
//!
//! A type is `type` plus `format`, arrays by their item type, `$ref`s and single-element `allOf` wrappers
//! resolved. Roblox's enum items have no `type` at all; their type is inferred from the enum values and any
//! `format` of ours matches it. Enums are compared by value: ours are named `$ref`s, upstream ones are mostly
//! inline, which makes no difference.
//!
//! Models are paired by position (the body of the same operation and status, the field of the same name) and by
//! name: our `x-roblox-name` against upstream schema names, with `[`, `]`, `,` and `.` all read as `_` because
//! the docs source rewrites them so. Where position pairs one of our models with an upstream model of another
//! name although upstream has one of our model's name, the pairing itself is a difference (`ModelName`).
//!
//! # What is not compared, because spec/README.md makes it systematic
//!
//! `required` on response fields, `nullable`, `x-enum-varnames`, descriptions, summaries, examples, `readOnly`,
//! `additionalProperties`, constraints (`minimum`, `pattern`, ...), defaults of response fields, media types
//! other than the JSON one (`text/json`), tags, `deprecated`, operationIds, every `x-` extension, security
//! (Swagger has none), model names beyond pairing (they never reach the wire), and the error bodies we add: a
//! `4xx`/`5xx` (or `4XX`/`5XX`) response of ours whose body is one of our own schemas without an `x-roblox-name`
//! (LegacyErrorResponse, OpenCloudError) is not compared when upstream gives that status no body, and such a
//! status that upstream lacks is not reported. A model present on one side only is not reported as such: a
//! model matters only where an operation uses it, and there it shows up as a difference of that operation.
//!
//! # Intentional differences
//!
//! A difference is intentional, and listed apart with the note's text, when our spec explains it with an
//! `x-wire-note` at that spot: on the operation, parameter, response or field where it is, or on a schema its
//! `$ref`s pass through (the `allOf` wrapper, the named enum or model). Something present only upstream (an
//! operation, parameter, status or field) has no spot of ours, so there a note counts only if it names the
//! element: a note of the enclosing operation or model, or of one of its parameters, fields or responses. An enum
//! value present on one side only counts as explained only by a note at the spot that names the value: a general
//! note on an enum ("the list grows") must not hide a value Roblox added or one we mistyped.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::path::Path;

use anyhow::{Context, bail};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::prepare::{HTTP_METHODS, escape};
use crate::specs::{Spec, parse_yaml};

const NOTE: &str = "x-wire-note";

/// How many `$ref`/`allOf` hops or nested arrays a schema may chain before it is taken for a cycle.
const MAX_DEPTH: usize = 64;

/// Every difference between our spec and the upstream document, split by whether our spec explains it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Differences no `x-wire-note` explains.
    pub findings: Vec<Difference>,
    /// Differences an `x-wire-note` of ours explains (`note` holds it).
    pub intentional: Vec<Difference>,
}

/// One difference between our spec and the upstream document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Difference {
    /// Where, in our terms: `GET /v2/users/{userId}/inventory parameter assetTypes`,
    /// `model UserAssetItemModelV2 field assetType`.
    pub location: String,
    pub kind: DifferenceKind,
    /// Our side: a type, an enum value, an operationId; `None` when we lack the element.
    pub ours: Option<String>,
    /// The upstream side, likewise.
    pub upstream: Option<String>,
    /// The `x-wire-note` that explains the difference, for intentional ones.
    pub note: Option<String>,
}

/// What differs. `...OnlyOurs`/`...OnlyUpstream`: the element exists on that side alone; `...Type`: both sides
/// have it with different types (`type`/`format`, arrays by item type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum DifferenceKind {
    OperationOnlyOurs,
    OperationOnlyUpstream,
    ParameterOnlyOurs,
    ParameterOnlyUpstream,
    ParameterType,
    ParameterRequired,
    ParameterDefault,
    /// Arrays sent differently: one comma-separated value (`csv`) against repeated keys (`multi`).
    ParameterStyle,
    RequestBodyOnlyOurs,
    RequestBodyOnlyUpstream,
    RequestBodyType,
    ResponseOnlyOurs,
    ResponseOnlyUpstream,
    ResponseType,
    FieldOnlyOurs,
    FieldOnlyUpstream,
    FieldType,
    /// We list allowed values where upstream allows any.
    EnumOnlyOurs,
    /// Upstream lists allowed values where we allow any.
    EnumOnlyUpstream,
    EnumValueOnlyOurs,
    EnumValueOnlyUpstream,
    /// Paired by position with an upstream model other than the one our `x-roblox-name` names.
    ModelName,
}

impl DifferenceKind {
    fn describe(self) -> &'static str {
        use DifferenceKind::*;
        match self {
            OperationOnlyOurs => "operation only in ours",
            OperationOnlyUpstream => "operation only upstream",
            ParameterOnlyOurs => "parameter only in ours",
            ParameterOnlyUpstream => "parameter only upstream",
            ParameterType => "parameter type differs",
            ParameterRequired => "parameter required differs",
            ParameterDefault => "parameter default differs",
            ParameterStyle => "parameter serialization differs",
            RequestBodyOnlyOurs => "request body only in ours",
            RequestBodyOnlyUpstream => "request body only upstream",
            RequestBodyType => "request body type differs",
            ResponseOnlyOurs => "response status only in ours",
            ResponseOnlyUpstream => "response status only upstream",
            ResponseType => "response body type differs",
            FieldOnlyOurs => "field only in ours",
            FieldOnlyUpstream => "field only upstream",
            FieldType => "field type differs",
            EnumOnlyOurs => "enum only in ours (upstream allows any value)",
            EnumOnlyUpstream => "enum only upstream (we allow any value)",
            EnumValueOnlyOurs => "enum value only in ours",
            EnumValueOnlyUpstream => "enum value only upstream",
            ModelName => "paired with a differently named upstream model",
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.kind.describe())?;
        let sides: Vec<String> = [("ours", &self.ours), ("upstream", &self.upstream)]
            .into_iter()
            .filter_map(|(side, value)| value.as_ref().map(|value| format!("{side} {value}")))
            .collect();
        if !sides.is_empty() {
            write!(f, " ({})", sides.join(", "))?;
        }
        if let Some(note) = &self.note {
            write!(f, "\n      note: {note}")?;
        }
        Ok(())
    }
}

impl fmt::Display for AuditReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sections = [
            ("findings", &self.findings),
            (
                "intentional (explained by an x-wire-note)",
                &self.intentional,
            ),
        ];
        for (title, differences) in sections {
            if differences.is_empty() {
                continue;
            }
            writeln!(f, "{title}:")?;
            for difference in differences {
                writeln!(f, "  {difference}")?;
            }
        }
        writeln!(
            f,
            "{} findings, {} intentional",
            self.findings.len(),
            self.intentional.len()
        )
    }
}

/// Reads spec `spec_name` under `root` and the upstream document `upstream` (JSON or YAML), and audits them.
pub fn run(root: &Path, upstream: &Path, spec_name: &str) -> anyhow::Result<AuditReport> {
    let ours = Spec::named(spec_name)?.load(root)?;
    let text = std::fs::read_to_string(upstream)
        .with_context(|| format!("reading {}", upstream.display()))?;
    let document =
        parse_document(&text).with_context(|| format!("parsing {}", upstream.display()))?;
    audit(&ours, &document)
        .with_context(|| format!("auditing spec {spec_name} against {}", upstream.display()))
}

/// JSON is YAML too, but serde_json reads the big upstream JSON files faster and with clearer errors.
fn parse_document(text: &str) -> anyhow::Result<Value> {
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(error) if text.trim_start().starts_with('{') => Err(error.into()),
        Err(_) => parse_yaml(text),
    }
}

/// Compares our spec (OpenAPI 3) with an upstream Swagger 2.0 or OpenAPI 3 document, within our spec's version
/// prefix (see the module docs).
pub fn audit(ours: &Value, upstream: &Value) -> anyhow::Result<AuditReport> {
    let ours = Document::new(ours, Side::Ours)?;
    let upstream = Document::new(upstream, Side::Upstream)?;
    let our_operations = ours.operations()?;
    let scope = version_prefix(&our_operations)?;
    let upstream_operations: Vec<_> = upstream
        .operations()?
        .into_iter()
        .filter(|operation| operation.path.starts_with(&scope))
        .collect();
    let mut auditor = Auditor::new(ours, upstream)?;
    auditor.pair_models_by_name()?;
    auditor.compare_operations(&our_operations, &upstream_operations)?;
    auditor.compare_pending_models()?;
    Ok(auditor.into_report())
}

/// `/v1/` for `/v1/users/...`, `/cloud/v2/` for `/cloud/v2/users/...`: what every path of ours starts with.
fn version_prefix(operations: &[Operation<'_>]) -> anyhow::Result<String> {
    let mut prefixes = operations.iter().map(|operation| {
        let segments: Vec<&str> = operation
            .path
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let end = segments
            .iter()
            .position(|segment| is_version(segment))
            .map_or(1, |at| at + 1)
            .min(segments.len());
        let prefix = match end {
            0 => "/".to_owned(),
            _ => format!("/{}/", segments[..end].join("/")),
        };
        (prefix, &operation.path)
    });
    let Some((scope, first)) = prefixes.next() else {
        bail!("our spec has no operations, so there is nothing to audit");
    };
    if let Some((_, other)) = prefixes.find(|(prefix, _)| *prefix != scope) {
        bail!("our paths do not share one version prefix: {first} and {other}");
    }
    Ok(scope)
}

fn is_version(segment: &str) -> bool {
    segment
        .strip_prefix('v')
        .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

// ------------------------------------------------------------------------------------------ documents

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
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
struct Document<'a> {
    root: &'a Value,
    dialect: Dialect,
    side: Side,
}

struct Operation<'a> {
    /// `GET`, `POST`, ...
    method: String,
    /// The full path: base path or server path, then the path key.
    path: String,
    object: &'a Map<String, Value>,
    parameters: Vec<Parameter<'a>>,
    body: Option<&'a Value>,
    responses: BTreeMap<&'a str, Response<'a>>,
}

impl<'a> Operation<'a> {
    fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Method and path with path parameter names blanked out, to match operations across documents.
    fn key(&self) -> (String, String) {
        let mut template = String::new();
        let mut in_name = false;
        for c in self.path.chars() {
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
        (self.method.clone(), template)
    }

    fn note(&self) -> Option<&'a str> {
        note_of(self.object)
    }

    /// What names the operation in a report: its operationId, else its summary on one line.
    fn name(&self) -> String {
        ["operationId", "summary"]
            .iter()
            .find_map(|key| self.object.get(*key).and_then(Value::as_str))
            .map_or_else(
                || "present".to_owned(),
                |name| name.split_whitespace().collect::<Vec<_>>().join(" "),
            )
    }
}

struct Parameter<'a> {
    name: &'a str,
    location: &'a str,
    required: bool,
    object: &'a Map<String, Value>,
    /// The parameter's schema; in Swagger 2.0 the parameter object itself carries `type`, `items`, `enum`.
    schema: &'a Value,
}

/// What an entry of a `parameters` list declares: Swagger 2.0 declares the request body there too.
enum Declared<'a> {
    Parameter(Parameter<'a>),
    Body(&'a Value),
}

struct Response<'a> {
    object: &'a Map<String, Value>,
    schema: Option<&'a Value>,
}

impl<'a> Document<'a> {
    fn new(root: &'a Value, side: Side) -> anyhow::Result<Self> {
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

    fn resolve(&self, reference: &str) -> anyhow::Result<&'a Value> {
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

    fn object(&self, value: &'a Value, what: &str) -> anyhow::Result<&'a Map<String, Value>> {
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
    fn named_schemas(&self) -> anyhow::Result<Vec<(&'a str, String)>> {
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
        match self.dialect {
            Dialect::Swagger2 => self
                .root
                .get("basePath")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim_end_matches('/')
                .to_owned(),
            Dialect::OpenApi3 => server_path(self.root.get("servers")).unwrap_or_default(),
        }
    }

    fn operations(&self) -> anyhow::Result<Vec<Operation<'a>>> {
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
            for (method, operation) in item {
                if !HTTP_METHODS.contains(&method.as_str()) {
                    continue;
                }
                let at = format!("paths.{path}.{method}");
                let object = self.object(operation, &at)?;
                let base = server_path(object.get("servers")).unwrap_or_else(|| item_base.clone());
                operations.push(self.operation(
                    format!("{base}{path}"),
                    method,
                    item,
                    object,
                    &at,
                )?);
            }
        }
        Ok(operations)
    }

    fn operation(
        &self,
        path: String,
        method: &str,
        item: &'a Map<String, Value>,
        object: &'a Map<String, Value>,
        at: &str,
    ) -> anyhow::Result<Operation<'a>> {
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
            responses: self.responses(object, at)?,
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
    fn serialization(&self, parameter: &Parameter<'_>) -> String {
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
fn content_schema(content: Option<&Value>) -> Option<&Value> {
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

/// The path part of the first server URL (`https://apis.roblox.com/cloud` gives `/cloud`).
fn server_path(servers: Option<&Value>) -> Option<String> {
    let url = servers?.get(0)?.get("url")?.as_str()?;
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |at| &rest[at..]),
        None => url,
    };
    Some(path.trim_end_matches('/').to_owned())
}

/// Whether `status` (`404`) falls in the status range `range` (`4XX`).
fn within_range(status: &str, range: &str) -> bool {
    let mut range_chars = range.chars();
    let (Some(class), Some('X' | 'x'), Some('X' | 'x'), None) = (
        range_chars.next(),
        range_chars.next(),
        range_chars.next(),
        range_chars.next(),
    ) else {
        return false;
    };
    status.len() == 3 && status.starts_with(class) && status.bytes().all(|b| b.is_ascii_digit())
}

fn find_parameter<'p, 'a>(
    list: &'p [Parameter<'a>],
    like: &Parameter<'_>,
) -> Option<&'p Parameter<'a>> {
    list.iter()
        .find(|other| (other.name, other.location) == (like.name, like.location))
}

fn note_of(object: &Map<String, Value>) -> Option<&str> {
    object.get(NOTE).and_then(Value::as_str)
}

fn value_note(value: &Value) -> Option<&str> {
    value.as_object().and_then(note_of)
}

// ------------------------------------------------------------------------------------------ schemas

/// A schema with its `$ref`s and single-element `allOf` wrappers followed.
struct Shape<'a> {
    node: &'a Map<String, Value>,
    /// The last `$ref` followed: the named schema this is.
    reference: Option<&'a str>,
    /// Every `x-wire-note` met on the way, nearest first.
    notes: Vec<&'a str>,
    /// The first `default` met on the way: a wrapper's default applies to what it wraps.
    default: Option<&'a Value>,
}

/// What a schema holds, for telling whether two schemas describe the same values.
#[derive(Debug, PartialEq)]
enum Ty {
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

fn same_type(ours: &Ty, upstream: &Ty) -> bool {
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
    fn shape(&self, value: &'a Value) -> anyhow::Result<Shape<'a>> {
        let mut node = self.object(value, "a schema")?;
        let mut shape = Shape {
            node,
            reference: None,
            notes: Vec::new(),
            default: None,
        };
        for _ in 0..MAX_DEPTH {
            shape.notes.extend(note_of(node));
            shape.default = shape.default.or_else(|| node.get("default"));
            let next = match node.get("$ref") {
                Some(reference) => {
                    let reference = reference
                        .as_str()
                        .with_context(|| format!("{}: a $ref is not a string", self.side))?;
                    shape.reference = Some(reference);
                    self.resolve(reference)?
                }
                None => match single_all_of(node) {
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

    fn ty(&self, shape: &Shape<'a>, depth: usize) -> anyhow::Result<Ty> {
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
    fn properties(
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

    fn describe(&self, schema: &'a Value) -> anyhow::Result<String> {
        Ok(self.ty(&self.shape(schema)?, 0)?.to_string())
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

fn enum_values(node: &Map<String, Value>) -> Option<&Vec<Value>> {
    node.get("enum").and_then(Value::as_array)
}

fn display_value(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn summarize(values: &[Value]) -> String {
    const SHOWN: usize = 8;
    let mut shown: Vec<String> = values.iter().take(SHOWN).map(display_value).collect();
    if values.len() > SHOWN {
        shown.push(format!("... ({} values)", values.len()));
    }
    format!("[{}]", shown.join(", "))
}

/// Roblox's model name in a form both upstream documents share: the docs source writes
/// `ApiPageResponse_Roblox.Inventory.Api.Models.PlaceModel_` for Swagger's `ApiPageResponse[...PlaceModel]`.
fn normalized_name(name: &str) -> String {
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
fn schema_name(reference: &str) -> String {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    last.replace("~1", "/").replace("~0", "~")
}

// ------------------------------------------------------------------------------------------ notes

/// Whether `note` names `word` as a whole word (so `id` does not match `valid`), outside its citations: the
/// `87` of `legacy-AssetType-enum.tsv:87-88` or the `1` of `WIRE-QUIRKS 1` does not name enum value 87 or 1.
fn mentions(note: &str, word: &str) -> bool {
    let text = without_citations(note);
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    !word.is_empty()
        && text.match_indices(word).any(|(at, _)| {
            !text[..at].chars().next_back().is_some_and(is_word)
                && !text[at + word.len()..].chars().next().is_some_and(is_word)
        })
}

fn without_citations(note: &str) -> String {
    let mut kept = Vec::new();
    let mut after_quirks = false;
    for token in note.split_whitespace() {
        let bare = token.trim_matches(|c: char| matches!(c, '(' | ')' | ';' | ',' | '`'));
        let quirk_number = after_quirks && bare.starts_with(|c: char| c.is_ascii_digit());
        let file_line = bare.split_once(':').is_some_and(|(file, line)| {
            file.contains('.') && line.starts_with(|c: char| c.is_ascii_digit())
        });
        after_quirks = bare == "WIRE-QUIRKS";
        if !(after_quirks || quirk_number || file_line) {
            kept.push(token);
        }
    }
    kept.join(" ")
}

/// The note that explains a difference at a spot of ours: one that names `hint` if any does, else the nearest.
fn note_at<'n>(notes: &[&'n str], hint: &str) -> Option<&'n str> {
    naming(notes, hint).or_else(|| notes.first().copied())
}

/// For an element only upstream has, only a note that names it explains it.
fn naming<'n>(notes: &[&'n str], name: &str) -> Option<&'n str> {
    notes.iter().copied().find(|note| mentions(note, name))
}

// ------------------------------------------------------------------------------------------ comparison

#[derive(Clone, Copy, PartialEq, Eq)]
enum SiteKind {
    Parameter,
    RequestBody,
    Response,
    Field,
}

/// Where two schemas are compared, with the notes of ours that explain differences there.
#[derive(Clone)]
struct Site<'a> {
    location: String,
    kind: SiteKind,
    notes: Vec<&'a str>,
}

impl<'a> Site<'a> {
    fn new(location: String, kind: SiteKind, notes: impl IntoIterator<Item = &'a str>) -> Self {
        Site {
            location,
            kind,
            notes: notes.into_iter().collect(),
        }
    }

    fn type_kind(&self) -> DifferenceKind {
        match self.kind {
            SiteKind::Parameter => DifferenceKind::ParameterType,
            SiteKind::RequestBody => DifferenceKind::RequestBodyType,
            SiteKind::Response => DifferenceKind::ResponseType,
            SiteKind::Field => DifferenceKind::FieldType,
        }
    }

    /// How the fields of an inline object here are located.
    fn field_prefix(&self) -> String {
        match self.kind {
            SiteKind::Field => format!("{}.", self.location),
            _ => format!("{} field ", self.location),
        }
    }
}

struct Auditor<'a> {
    ours: Document<'a>,
    upstream: Document<'a>,
    /// Upstream `$ref` by normalized Roblox name.
    upstream_by_name: BTreeMap<String, String>,
    differences: Vec<Difference>,
    /// Pairs of named models (our `$ref`, upstream `$ref`) still to compare, and every pair ever queued.
    pending: VecDeque<(String, String)>,
    queued: BTreeSet<(String, String)>,
}

impl<'a> Auditor<'a> {
    fn new(ours: Document<'a>, upstream: Document<'a>) -> anyhow::Result<Self> {
        let upstream_by_name = upstream
            .named_schemas()?
            .into_iter()
            .map(|(name, reference)| (normalized_name(name), reference))
            .collect();
        Ok(Auditor {
            ours,
            upstream,
            upstream_by_name,
            differences: Vec::new(),
            pending: VecDeque::new(),
            queued: BTreeSet::new(),
        })
    }

    fn into_report(mut self) -> AuditReport {
        self.differences.sort();
        self.differences.dedup();
        let (intentional, findings) = self
            .differences
            .into_iter()
            .partition(|difference| difference.note.is_some());
        AuditReport {
            findings,
            intentional,
        }
    }

    fn record(
        &mut self,
        kind: DifferenceKind,
        location: String,
        ours: Option<String>,
        upstream: Option<String>,
        note: Option<&str>,
    ) {
        self.differences.push(Difference {
            location,
            kind,
            ours,
            upstream,
            note: note.map(str::to_owned),
        });
    }

    fn enqueue(&mut self, ours: String, upstream: String) {
        if self.queued.insert((ours.clone(), upstream.clone())) {
            self.pending.push_back((ours, upstream));
        }
    }

    /// Our `x-roblox-name` of the model a `$ref` of ours points at.
    fn roblox_name(&self, reference: &str) -> anyhow::Result<Option<&'a str>> {
        let model = self.ours.resolve(reference)?;
        Ok(model.get("x-roblox-name").and_then(Value::as_str))
    }

    fn pair_models_by_name(&mut self) -> anyhow::Result<()> {
        for (_, reference) in self.ours.named_schemas()? {
            let Some(name) = self.roblox_name(&reference)? else {
                continue;
            };
            if let Some(upstream) = self.upstream_by_name.get(&normalized_name(name)).cloned() {
                self.enqueue(reference, upstream);
            }
        }
        Ok(())
    }

    fn compare_operations(
        &mut self,
        ours: &[Operation<'a>],
        upstream: &[Operation<'a>],
    ) -> anyhow::Result<()> {
        let upstream_by_key: BTreeMap<_, _> = upstream.iter().map(|op| (op.key(), op)).collect();
        let our_keys: BTreeSet<_> = ours.iter().map(Operation::key).collect();
        for operation in ours {
            match upstream_by_key.get(&operation.key()) {
                Some(theirs) => self.compare_operation(operation, theirs)?,
                None => self.record(
                    DifferenceKind::OperationOnlyOurs,
                    operation.label(),
                    Some(operation.name()),
                    None,
                    operation.note(),
                ),
            }
        }
        let our_notes: Vec<&str> = ours.iter().filter_map(Operation::note).collect();
        for operation in upstream.iter().filter(|op| !our_keys.contains(&op.key())) {
            let note = naming(&our_notes, &operation.path);
            self.record(
                DifferenceKind::OperationOnlyUpstream,
                operation.label(),
                None,
                Some(operation.name()),
                note,
            );
        }
        Ok(())
    }

    fn compare_operation(
        &mut self,
        ours: &Operation<'a>,
        upstream: &Operation<'a>,
    ) -> anyhow::Result<()> {
        self.compare_parameters(ours, upstream)?;
        self.compare_bodies(ours, upstream)?;
        self.compare_responses(ours, upstream)
    }

    fn compare_parameters(
        &mut self,
        ours: &Operation<'a>,
        upstream: &Operation<'a>,
    ) -> anyhow::Result<()> {
        let label = ours.label();
        for parameter in &ours.parameters {
            let location = format!("{label} parameter {}", parameter.name);
            match find_parameter(&upstream.parameters, parameter) {
                Some(theirs) => self.compare_parameter(parameter, theirs, location)?,
                None => {
                    let ty = self.ours.describe(parameter.schema)?;
                    self.record(
                        DifferenceKind::ParameterOnlyOurs,
                        location,
                        Some(format!("{} {ty}", parameter.location)),
                        None,
                        note_of(parameter.object),
                    );
                }
            }
        }
        let our_notes: Vec<&str> = ours
            .note()
            .into_iter()
            .chain(ours.parameters.iter().filter_map(|p| note_of(p.object)))
            .collect();
        for parameter in &upstream.parameters {
            if find_parameter(&ours.parameters, parameter).is_some() {
                continue;
            }
            let ty = self.upstream.describe(parameter.schema)?;
            self.record(
                DifferenceKind::ParameterOnlyUpstream,
                format!("{label} parameter {}", parameter.name),
                None,
                Some(format!("{} {ty}", parameter.location)),
                naming(&our_notes, parameter.name),
            );
        }
        Ok(())
    }

    fn compare_parameter(
        &mut self,
        ours: &Parameter<'a>,
        upstream: &Parameter<'a>,
        location: String,
    ) -> anyhow::Result<()> {
        let (our_shape, their_shape) = (
            self.ours.shape(ours.schema)?,
            self.upstream.shape(upstream.schema)?,
        );
        let notes: Vec<&str> = note_of(ours.object)
            .into_iter()
            .chain(our_shape.notes.iter().copied())
            .collect();
        if ours.required != upstream.required {
            self.record(
                DifferenceKind::ParameterRequired,
                location.clone(),
                Some(ours.required.to_string()),
                Some(upstream.required.to_string()),
                note_at(&notes, "required"),
            );
        }
        if our_shape.default != their_shape.default {
            self.record(
                DifferenceKind::ParameterDefault,
                location.clone(),
                our_shape.default.map(display_value),
                their_shape.default.map(display_value),
                note_at(&notes, "default"),
            );
        }
        let both_arrays = matches!(
            (
                self.ours.ty(&our_shape, 0)?,
                self.upstream.ty(&their_shape, 0)?
            ),
            (Ty::Array(_), Ty::Array(_))
        );
        if both_arrays {
            self.compare_serialization(ours, upstream, &location, &notes);
        }
        let site = Site::new(location, SiteKind::Parameter, note_of(ours.object));
        self.compare_schema(ours.schema, upstream.schema, &site)
    }

    /// `assetTypes=8,41` against `assetTypes=8&assetTypes=41` (WIRE-QUIRKS 4): the server may take only one.
    fn compare_serialization(
        &mut self,
        ours: &Parameter<'a>,
        upstream: &Parameter<'a>,
        location: &str,
        notes: &[&str],
    ) {
        let (a, b) = (
            self.ours.serialization(ours),
            self.upstream.serialization(upstream),
        );
        if a != b {
            let note = note_at(notes, "explode");
            self.record(
                DifferenceKind::ParameterStyle,
                location.to_owned(),
                Some(a),
                Some(b),
                note,
            );
        }
    }

    fn compare_bodies(
        &mut self,
        ours: &Operation<'a>,
        upstream: &Operation<'a>,
    ) -> anyhow::Result<()> {
        let location = format!("{} request body", ours.label());
        let body_note = ours
            .object
            .get("requestBody")
            .and_then(value_note)
            .or(ours.note());
        match (ours.body, upstream.body) {
            (Some(a), Some(b)) => {
                let site = Site::new(location, SiteKind::RequestBody, body_note);
                self.compare_schema(a, b, &site)?;
            }
            (Some(a), None) => {
                let ty = self.ours.describe(a)?;
                self.record(
                    DifferenceKind::RequestBodyOnlyOurs,
                    location,
                    Some(ty),
                    None,
                    body_note,
                );
            }
            (None, Some(b)) => {
                let ty = self.upstream.describe(b)?;
                let named = |note: &&str| {
                    ["requestBody", "request body"]
                        .iter()
                        .any(|name| mentions(note, name))
                };
                let note = ours.note().filter(named);
                self.record(
                    DifferenceKind::RequestBodyOnlyUpstream,
                    location,
                    None,
                    Some(ty),
                    note,
                );
            }
            (None, None) => {}
        }
        Ok(())
    }

    fn compare_responses(
        &mut self,
        ours: &Operation<'a>,
        upstream: &Operation<'a>,
    ) -> anyhow::Result<()> {
        let label = ours.label();
        for (status, response) in &ours.responses {
            let location = format!("{label} response {status}");
            if let Some(theirs) = upstream.responses.get(status) {
                self.compare_response(status, response, theirs, location)?;
            } else if !upstream.responses.keys().any(|s| within_range(s, status))
                && !self.is_added_error(status, response)?
            {
                let body = self.body_type(&self.ours, response)?;
                let note = note_of(response.object);
                self.record(
                    DifferenceKind::ResponseOnlyOurs,
                    location,
                    Some(body),
                    None,
                    note,
                );
            }
        }
        let our_notes: Vec<&str> = ours
            .note()
            .into_iter()
            .chain(ours.responses.values().filter_map(|r| note_of(r.object)))
            .collect();
        for (status, response) in &upstream.responses {
            if ours.responses.contains_key(status) {
                continue;
            }
            let location = format!("{label} response {status}");
            // Our `4XX` stands for every 4xx status Roblox may list one by one.
            let range = ours
                .responses
                .iter()
                .find(|(ours, _)| within_range(status, ours));
            if let Some((range, our_response)) = range {
                self.compare_response(range, our_response, response, location)?;
                continue;
            }
            let body = self.body_type(&self.upstream, response)?;
            let note = naming(&our_notes, status);
            self.record(
                DifferenceKind::ResponseOnlyUpstream,
                location,
                None,
                Some(body),
                note,
            );
        }
        Ok(())
    }

    fn compare_response(
        &mut self,
        status: &str,
        ours: &Response<'a>,
        upstream: &Response<'a>,
        location: String,
    ) -> anyhow::Result<()> {
        let note = note_of(ours.object);
        match (ours.schema, upstream.schema) {
            (Some(a), Some(b)) => {
                let site = Site::new(location, SiteKind::Response, note);
                self.compare_schema(a, b, &site)?;
            }
            (None, None) => {}
            // Roblox documents error statuses without a body; the body is ours (spec/README.md, "Errors").
            (Some(_), None) if self.is_added_error(status, ours)? => {}
            _ => {
                let (a, b) = (
                    self.body_type(&self.ours, ours)?,
                    self.body_type(&self.upstream, upstream)?,
                );
                let note = match (note, ours.schema) {
                    (Some(note), _) => Some(note),
                    (None, Some(schema)) => self.ours.shape(schema)?.notes.first().copied(),
                    (None, None) => None,
                };
                self.record(
                    DifferenceKind::ResponseType,
                    location,
                    Some(a),
                    Some(b),
                    note,
                );
            }
        }
        Ok(())
    }

    fn body_type(
        &self,
        document: &Document<'a>,
        response: &Response<'a>,
    ) -> anyhow::Result<String> {
        match response.schema {
            Some(schema) => document.describe(schema),
            None => Ok("no body".to_owned()),
        }
    }

    /// An error status whose body is one of our own schemas (no `x-roblox-name`): Roblox models no error bodies,
    /// our spec adds them (spec/README.md, "Errors").
    fn is_added_error(&self, status: &str, response: &Response<'a>) -> anyhow::Result<bool> {
        if !status.starts_with(['4', '5']) {
            return Ok(false);
        }
        let Some(reference) = response
            .schema
            .and_then(|schema| schema.get("$ref"))
            .and_then(Value::as_str)
        else {
            return Ok(false);
        };
        Ok(self.roblox_name(reference)?.is_none())
    }

    fn compare_schema(
        &mut self,
        ours: &'a Value,
        upstream: &'a Value,
        site: &Site<'a>,
    ) -> anyhow::Result<()> {
        let (our_shape, their_shape) = (self.ours.shape(ours)?, self.upstream.shape(upstream)?);
        let mut site = site.clone();
        site.notes.extend(our_shape.notes.iter().copied());
        let (a, b) = (
            self.ours.ty(&our_shape, 0)?,
            self.upstream.ty(&their_shape, 0)?,
        );
        let scalars = matches!((&a, &b), (Ty::Scalar { .. }, Ty::Scalar { .. }));
        if !same_type(&a, &b) {
            let note = note_at(&site.notes, "");
            let kind = site.type_kind();
            self.record(
                kind,
                site.location.clone(),
                Some(a.to_string()),
                Some(b.to_string()),
                note,
            );
            // A format apart, two scalars still have values to compare; anything else has nothing in common.
            if scalars {
                self.compare_enums(&our_shape, &their_shape, &site);
            }
            return Ok(());
        }
        self.compare_enums(&our_shape, &their_shape, &site);
        match a {
            Ty::Array(_) => {
                if let (Some(a), Some(b)) =
                    (our_shape.node.get("items"), their_shape.node.get("items"))
                {
                    self.compare_schema(a, b, &site)?;
                }
                Ok(())
            }
            Ty::Object => self.compare_objects(&our_shape, &their_shape, &site),
            _ => Ok(()),
        }
    }

    fn compare_enums(&mut self, ours: &Shape<'a>, upstream: &Shape<'a>, site: &Site<'a>) {
        let location = || site.location.clone();
        match (enum_values(ours.node), enum_values(upstream.node)) {
            (None, None) => {}
            (Some(values), None) => self.record(
                DifferenceKind::EnumOnlyOurs,
                location(),
                Some(summarize(values)),
                None,
                note_at(&site.notes, "enum"),
            ),
            (None, Some(values)) => self.record(
                DifferenceKind::EnumOnlyUpstream,
                location(),
                None,
                Some(summarize(values)),
                note_at(&site.notes, "enum"),
            ),
            (Some(a), Some(b)) => {
                for value in a.iter().filter(|value| !b.contains(value)) {
                    let shown = display_value(value);
                    let note = naming(&site.notes, &shown);
                    self.record(
                        DifferenceKind::EnumValueOnlyOurs,
                        location(),
                        Some(shown),
                        None,
                        note,
                    );
                }
                for value in b.iter().filter(|value| !a.contains(value)) {
                    let shown = display_value(value);
                    let note = naming(&site.notes, &shown);
                    self.record(
                        DifferenceKind::EnumValueOnlyUpstream,
                        location(),
                        None,
                        Some(shown),
                        note,
                    );
                }
            }
        }
    }

    fn compare_objects(
        &mut self,
        ours: &Shape<'a>,
        upstream: &Shape<'a>,
        site: &Site<'a>,
    ) -> anyhow::Result<()> {
        match (ours.reference, upstream.reference) {
            (Some(a), Some(b)) => {
                self.check_model_name(a, b, site)?;
                self.enqueue(a.to_owned(), b.to_owned());
                Ok(())
            }
            (Some(a), None) => {
                let prefix = format!("model {} field ", schema_name(a));
                self.compare_fields(ours.node, upstream.node, prefix, note_of(ours.node))
            }
            (None, _) => self.compare_fields(
                ours.node,
                upstream.node,
                site.field_prefix(),
                note_of(ours.node),
            ),
        }
    }

    /// Position pairs our model with upstream's `upstream`; if upstream also has a model of our model's Roblox
    /// name and it is another one, the operation or field has changed models.
    fn check_model_name(
        &mut self,
        ours: &str,
        upstream: &str,
        site: &Site<'a>,
    ) -> anyhow::Result<()> {
        let Some(name) = self.roblox_name(ours)? else {
            return Ok(());
        };
        match self.upstream_by_name.get(&normalized_name(name)) {
            Some(named) if named != upstream => {
                let note = note_at(&site.notes, name);
                self.record(
                    DifferenceKind::ModelName,
                    site.location.clone(),
                    Some(name.to_owned()),
                    Some(schema_name(upstream)),
                    note,
                );
            }
            _ => {}
        }
        Ok(())
    }

    fn compare_pending_models(&mut self) -> anyhow::Result<()> {
        while let Some((ours, upstream)) = self.pending.pop_front() {
            let our_model = self.ours.object(self.ours.resolve(&ours)?, &ours)?;
            let their_model = self
                .upstream
                .object(self.upstream.resolve(&upstream)?, &upstream)?;
            let prefix = format!("model {} field ", schema_name(&ours));
            self.compare_fields(our_model, their_model, prefix, note_of(our_model))?;
        }
        Ok(())
    }

    fn compare_fields(
        &mut self,
        ours: &'a Map<String, Value>,
        upstream: &'a Map<String, Value>,
        prefix: String,
        model_note: Option<&'a str>,
    ) -> anyhow::Result<()> {
        let our_fields = self.ours.properties(ours, 0)?;
        let their_fields = self.upstream.properties(upstream, 0)?;
        for (name, schema) in &our_fields {
            let location = format!("{prefix}{name}");
            match their_fields.get(name) {
                Some(theirs) => {
                    let site = Site::new(location, SiteKind::Field, None);
                    self.compare_schema(schema, theirs, &site)?;
                }
                None => {
                    let ty = self.ours.describe(schema)?;
                    let note =
                        value_note(schema).or(model_note.filter(|note| mentions(note, name)));
                    self.record(
                        DifferenceKind::FieldOnlyOurs,
                        location,
                        Some(ty),
                        None,
                        note,
                    );
                }
            }
        }
        let our_notes: Vec<&str> = model_note
            .into_iter()
            .chain(our_fields.values().filter_map(|schema| value_note(schema)))
            .collect();
        for (name, schema) in &their_fields {
            if our_fields.contains_key(name) {
                continue;
            }
            let ty = self.upstream.describe(schema)?;
            let note = naming(&our_notes, name);
            self.record(
                DifferenceKind::FieldOnlyUpstream,
                format!("{prefix}{name}"),
                None,
                Some(ty),
                note,
            );
        }
        Ok(())
    }
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

    #[test]
    fn a_note_mentions_whole_words_only() {
        assert!(mentions("named `packageID` upstream", "packageID"));
        assert!(!mentions("an invalid id", "valid"));
        assert!(!mentions("values 1993", "93"));
        assert!(mentions("adds 93 TextDocument", "93"));
        assert!(!mentions("(WIRE-QUIRKS 10; docs/enum.tsv:87-88)", "87"));
        assert!(!mentions("(WIRE-QUIRKS 10; docs/enum.tsv:87-88)", "10"));
        assert!(mentions("value 10 (WIRE-QUIRKS 10)", "10"));
    }

    #[test]
    fn a_version_segment_is_v_and_digits() {
        assert!(is_version("v2"));
        assert!(!is_version("v"));
        assert!(!is_version("users"));
    }

    #[test]
    fn a_status_range_covers_its_class_only() {
        assert!(within_range("404", "4XX"));
        assert!(!within_range("500", "4XX"));
        assert!(!within_range("404", "404"));
        assert!(!within_range("4XX", "4XX"));
    }
}
