//! Walking matched operations, parameters, bodies, responses and model fields, and recording every difference.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value};

use super::document::{Document, Operation, Parameter, Response};
use super::explain::{self, Explanation, explaining};
use super::shape::{
    Shape, Ty, display_value, enum_values, normalized_name, same_type, schema_name, summarize,
};
use super::{AuditReport, Difference, DifferenceKind};

#[derive(Clone, Copy, PartialEq, Eq)]
enum SiteKind {
    Parameter,
    RequestBody,
    Response,
    Field,
}

/// Where two schemas are compared, with the explanations of ours that may cover differences there.
#[derive(Clone)]
struct Site<'a> {
    location: String,
    kind: SiteKind,
    explanations: Vec<Explanation<'a>>,
}

impl<'a> Site<'a> {
    fn new(location: String, kind: SiteKind, explanations: Vec<Explanation<'a>>) -> Self {
        Site {
            location,
            kind,
            explanations,
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

pub(super) struct Auditor<'a> {
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
    pub(super) fn new(ours: Document<'a>, upstream: Document<'a>) -> anyhow::Result<Self> {
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

    pub(super) fn into_report(mut self) -> AuditReport {
        self.differences.sort();
        self.differences.dedup();
        let (intentional, findings) = self
            .differences
            .into_iter()
            .partition(|difference| difference.why.is_some());
        AuditReport {
            findings,
            intentional,
        }
    }

    /// Records a difference, intentional if one of `candidates` (nearest first) explains it. What an explanation
    /// must name is the upstream side, or for an enum value only in ours that value, or for an element only
    /// upstream `name`.
    fn record(
        &mut self,
        kind: DifferenceKind,
        location: String,
        ours: Option<String>,
        upstream: Option<String>,
        candidates: &[Explanation<'a>],
        name: Option<&str>,
    ) {
        let subject = match kind {
            DifferenceKind::EnumValueOnlyOurs => ours.as_deref(),
            _ => name.or(upstream.as_deref()),
        };
        let why = explaining(candidates, kind, subject).map(str::to_owned);
        self.differences.push(Difference {
            location,
            kind,
            ours,
            upstream,
            why,
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

    pub(super) fn pair_models_by_name(&mut self) -> anyhow::Result<()> {
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

    pub(super) fn compare_operations(
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
                    &operation.explanations(),
                    None,
                ),
            }
        }
        // An operation only upstream has no spot of ours: any operation of ours may name its path.
        let ours_explain: Vec<Explanation<'a>> =
            ours.iter().flat_map(Operation::explanations).collect();
        for operation in upstream.iter().filter(|op| !our_keys.contains(&op.key())) {
            self.record(
                DifferenceKind::OperationOnlyUpstream,
                operation.label(),
                None,
                Some(operation.name()),
                &ours_explain,
                Some(&operation.path),
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
                        &explain::of(parameter.object),
                        None,
                    );
                }
            }
        }
        let ours_explain: Vec<Explanation<'a>> = ours
            .explanations()
            .into_iter()
            .chain(ours.parameters.iter().flat_map(|p| explain::of(p.object)))
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
                &ours_explain,
                Some(parameter.name),
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
        let explanations: Vec<Explanation<'a>> = explain::of(ours.object)
            .into_iter()
            .chain(our_shape.explanations.iter().copied())
            .collect();
        if ours.required != upstream.required {
            self.record(
                DifferenceKind::ParameterRequired,
                location.clone(),
                Some(ours.required.to_string()),
                Some(upstream.required.to_string()),
                &explanations,
                None,
            );
        }
        if our_shape.default != their_shape.default {
            // No default upstream is said as `none` by an explanation.
            let upstream_default = their_shape.default.map(display_value);
            let none = "none".to_owned();
            self.record(
                DifferenceKind::ParameterDefault,
                location.clone(),
                our_shape.default.map(display_value),
                upstream_default.clone(),
                &explanations,
                Some(upstream_default.as_ref().unwrap_or(&none)),
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
            self.compare_serialization(ours, upstream, &location, &explanations);
        }
        let site = Site::new(location, SiteKind::Parameter, explain::of(ours.object));
        self.compare_schema(ours.schema, upstream.schema, &site)
    }

    /// `assetTypes=8,41` against `assetTypes=8&assetTypes=41` (WIRE-QUIRKS 4): the server may take only one.
    fn compare_serialization(
        &mut self,
        ours: &Parameter<'a>,
        upstream: &Parameter<'a>,
        location: &str,
        explanations: &[Explanation<'a>],
    ) {
        let (a, b) = (
            self.ours.serialization(ours),
            self.upstream.serialization(upstream),
        );
        if a != b {
            self.record(
                DifferenceKind::ParameterStyle,
                location.to_owned(),
                Some(a),
                Some(b),
                explanations,
                None,
            );
        }
    }

    fn compare_bodies(
        &mut self,
        ours: &Operation<'a>,
        upstream: &Operation<'a>,
    ) -> anyhow::Result<()> {
        let location = format!("{} request body", ours.label());
        let body_explain: Vec<Explanation<'a>> = ours
            .object
            .get("requestBody")
            .map(explain::of_value)
            .unwrap_or_default()
            .into_iter()
            .chain(ours.explanations())
            .collect();
        match (ours.body, upstream.body) {
            (Some(a), Some(b)) => {
                let site = Site::new(location, SiteKind::RequestBody, body_explain);
                self.compare_schema(a, b, &site)?;
            }
            (Some(a), None) => {
                let ty = self.ours.describe(a)?;
                self.record(
                    DifferenceKind::RequestBodyOnlyOurs,
                    location,
                    Some(ty),
                    None,
                    &body_explain,
                    None,
                );
            }
            (None, Some(b)) => {
                let ty = self.upstream.describe(b)?;
                self.record(
                    DifferenceKind::RequestBodyOnlyUpstream,
                    location,
                    None,
                    Some(ty),
                    &ours.explanations(),
                    Some("requestBody"),
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
                self.record(
                    DifferenceKind::ResponseOnlyOurs,
                    location,
                    Some(body),
                    None,
                    &explain::of(response.object),
                    None,
                );
            }
        }
        let ours_explain: Vec<Explanation<'a>> = ours
            .explanations()
            .into_iter()
            .chain(ours.responses.values().flat_map(|r| explain::of(r.object)))
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
            self.record(
                DifferenceKind::ResponseOnlyUpstream,
                location,
                None,
                Some(body),
                &ours_explain,
                Some(status),
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
        let explanations = explain::of(ours.object);
        match (ours.schema, upstream.schema) {
            (Some(a), Some(b)) => {
                let site = Site::new(location, SiteKind::Response, explanations);
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
                let mut candidates = explanations;
                if let Some(schema) = ours.schema {
                    candidates.extend(self.ours.shape(schema)?.explanations);
                }
                self.record(
                    DifferenceKind::ResponseType,
                    location,
                    Some(a),
                    Some(b),
                    &candidates,
                    None,
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
        site.explanations
            .extend(our_shape.explanations.iter().copied());
        let (a, b) = (
            self.ours.ty(&our_shape, 0)?,
            self.upstream.ty(&their_shape, 0)?,
        );
        let scalars = matches!((&a, &b), (Ty::Scalar { .. }, Ty::Scalar { .. }));
        if let (Some(a), Some(b)) = (our_shape.reference, their_shape.reference) {
            self.check_model_name(a, b, &site)?;
        }
        if !same_type(&a, &b) {
            let kind = site.type_kind();
            self.record(
                kind,
                site.location.clone(),
                Some(a.to_string()),
                Some(b.to_string()),
                &site.explanations,
                None,
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
                &site.explanations,
                None,
            ),
            (None, Some(values)) => self.record(
                DifferenceKind::EnumOnlyUpstream,
                location(),
                None,
                Some(summarize(values)),
                &site.explanations,
                None,
            ),
            (Some(a), Some(b)) => {
                for value in a.iter().filter(|value| !b.contains(value)) {
                    self.record(
                        DifferenceKind::EnumValueOnlyOurs,
                        location(),
                        Some(display_value(value)),
                        None,
                        &site.explanations,
                        None,
                    );
                }
                for value in b.iter().filter(|value| !a.contains(value)) {
                    self.record(
                        DifferenceKind::EnumValueOnlyUpstream,
                        location(),
                        None,
                        Some(display_value(value)),
                        &site.explanations,
                        None,
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
                self.enqueue(a.to_owned(), b.to_owned());
                Ok(())
            }
            (Some(a), None) => {
                let prefix = format!("model {} field ", schema_name(a));
                self.compare_fields(ours.node, upstream.node, prefix, explain::of(ours.node))
            }
            (None, _) => self.compare_fields(
                ours.node,
                upstream.node,
                site.field_prefix(),
                explain::of(ours.node),
            ),
        }
    }

    /// Use pairs our named model (or enum) with upstream's `upstream`. If upstream also has a model of our
    /// model's Roblox name and it is another one, the operation or field has changed models; if upstream has
    /// none of that name and this one is named otherwise, Roblox renamed ours. Either is a difference of the
    /// model, which the use goes on comparing field by field all the same.
    fn check_model_name(
        &mut self,
        ours: &str,
        upstream: &str,
        site: &Site<'a>,
    ) -> anyhow::Result<()> {
        let Some(name) = self.roblox_name(ours)? else {
            return Ok(());
        };
        // Roblox's name of the upstream model: its own `x-roblox-name` where upstream is a spec of ours.
        let theirs = self
            .upstream
            .resolve(upstream)?
            .get("x-roblox-name")
            .and_then(Value::as_str)
            .map_or_else(|| schema_name(upstream), str::to_owned);
        let (kind, location) = match self.upstream_by_name.get(&normalized_name(name)) {
            Some(named) if named != upstream => (DifferenceKind::ModelName, site.location.clone()),
            None if normalized_name(name) != normalized_name(&theirs) => (
                DifferenceKind::ModelRenamed,
                format!("model {}", schema_name(ours)),
            ),
            _ => return Ok(()),
        };
        let model = self.ours.resolve(ours)?;
        let candidates: Vec<Explanation<'a>> = explain::of_value(model)
            .into_iter()
            .chain(site.explanations.iter().copied())
            .collect();
        self.record(
            kind,
            location,
            Some(name.to_owned()),
            Some(theirs),
            &candidates,
            None,
        );
        Ok(())
    }

    pub(super) fn compare_pending_models(&mut self) -> anyhow::Result<()> {
        while let Some((ours, upstream)) = self.pending.pop_front() {
            let our_model = self.ours.object(self.ours.resolve(&ours)?, &ours)?;
            let their_model = self
                .upstream
                .object(self.upstream.resolve(&upstream)?, &upstream)?;
            let prefix = format!("model {} field ", schema_name(&ours));
            self.compare_fields(our_model, their_model, prefix, explain::of(our_model))?;
        }
        Ok(())
    }

    fn compare_fields(
        &mut self,
        ours: &'a Map<String, Value>,
        upstream: &'a Map<String, Value>,
        prefix: String,
        model_explain: Vec<Explanation<'a>>,
    ) -> anyhow::Result<()> {
        let our_fields = self.ours.properties(ours, 0)?;
        let their_fields = self.upstream.properties(upstream, 0)?;
        for (name, schema) in &our_fields {
            let location = format!("{prefix}{name}");
            match their_fields.get(name) {
                Some(theirs) => {
                    let site = Site::new(location, SiteKind::Field, Vec::new());
                    self.compare_schema(schema, theirs, &site)?;
                }
                None => {
                    let ty = self.ours.describe(schema)?;
                    self.record(
                        DifferenceKind::FieldOnlyOurs,
                        location,
                        Some(ty),
                        None,
                        &explain::of_value(schema),
                        None,
                    );
                }
            }
        }
        for (name, schema) in &their_fields {
            if our_fields.contains_key(name) {
                continue;
            }
            let ty = self.upstream.describe(schema)?;
            self.record(
                DifferenceKind::FieldOnlyUpstream,
                format!("{prefix}{name}"),
                None,
                Some(ty),
                &model_explain,
                Some(name),
            );
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_range_covers_its_class_only() {
        assert!(within_range("404", "4XX"));
        assert!(!within_range("500", "4XX"));
        assert!(!within_range("404", "404"));
        assert!(!within_range("4XX", "4XX"));
    }
}
