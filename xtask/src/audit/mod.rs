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
//! `required` on response fields, `nullable` (and the null branch of a `oneOf`), `x-enum-varnames`, descriptions, summaries, examples, `readOnly`,
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
//! A difference is intentional, and listed apart with the reason, when our spec explains it with an
//! `x-differs-from-upstream` entry that names it (see `explain.rs`): an entry of the difference's kind that says what
//! upstream has (its type, name, default, `required` or serialization; the enum value; the name of the element
//! only upstream has). It stands on the operation, parameter, response or field where the difference is, or on a
//! schema its `$ref`s pass through (the `allOf` wrapper, the named enum or model). Something present only upstream
//! (an operation, parameter, status or field) has no spot of ours, so there the entry stands on the enclosing
//! operation (or one of its parameters or responses) or model. An `x-wire-note` explains nothing by itself: it
//! gives the evidence, and a note about one thing must not hide a change of another.
//!
//! Models are paired through their use, so a model Roblox renamed is still compared field by field; the rename
//! is a difference of its own ([`DifferenceKind::ModelRenamed`]). A `$ref` of ours that may be null
//! (`oneOf: [$ref, {enum: [null]}]`) is compared as the `$ref`: nullability is systematic (see above).

mod compare;
pub(crate) mod document;
pub(crate) mod explain;
mod report;
pub(crate) mod shape;

use std::path::Path;

use anyhow::{Context, bail};
use serde::Serialize;
use serde_json::Value;

use crate::specs::{Spec, parse_yaml};
use compare::Auditor;
use document::{Document, Operation, Side};

/// Every difference between our spec and the upstream document, split by whether our spec explains it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Differences no `x-differs-from-upstream` entry explains.
    pub findings: Vec<Difference>,
    /// Differences an `x-differs-from-upstream` entry of ours explains (`why` holds its reason).
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
    /// Why the difference is intentional: the `why` of the `x-differs-from-upstream` entry that explains it.
    pub why: Option<String>,
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
    /// Paired by use (the operation, parameter or field that refers to it) with an upstream model or enum of
    /// another name, while upstream has none of our `x-roblox-name`: Roblox renamed it.
    ModelRenamed,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_segment_is_v_and_digits() {
        assert!(is_version("v2"));
        assert!(!is_version("v"));
        assert!(!is_version("users"));
    }
}
