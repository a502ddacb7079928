//! The explanations of ours (`x-differs-from-upstream`) that make a difference intentional.
//!
//! Each entry says what differs, in words the audit checks, and why:
//!
//! ```yaml
//! x-differs-from-upstream:
//!   - what: type             # the type differs: ours is what the spec says, upstream's is `upstream`
//!     upstream: string
//!     why: Roblox sends the id as a string of digits.
//!   - what: enum-values      # these values are on one side only
//!     values: [93, 94]
//!     why: Added to the docs source before the Swagger.
//!   - what: only-upstream    # upstream has an element of this name that we leave out
//!     name: packageID
//!     why: The path declares packageId; the parameter's name is a typo upstream.
//! ```
//!
//! A difference is explained only by an entry of its own kind at its spot that names it: the upstream type, name,
//! default, `required` or serialization it has; the enum value; the name of the element only upstream has. An
//! entry that no longer says what upstream has explains nothing, so when Roblox changes the thing again the
//! difference is a finding again. The evidence stays in the `x-wire-note` beside.

use serde_json::{Map, Value};

use super::DifferenceKind;
use super::shape::{display_value, normalized_name};

/// The extension that holds the explanations of an element of our spec.
pub(crate) const KEY: &str = "x-differs-from-upstream";

/// What an explanation says differs; the `what` of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum What {
    Type,
    Enum,
    EnumValues,
    Required,
    Default,
    Serialization,
    Name,
    OnlyOurs,
    OnlyUpstream,
}

impl What {
    const ALL: [(&'static str, What); 9] = [
        ("type", What::Type),
        ("enum", What::Enum),
        ("enum-values", What::EnumValues),
        ("required", What::Required),
        ("default", What::Default),
        ("serialization", What::Serialization),
        ("name", What::Name),
        ("only-ours", What::OnlyOurs),
        ("only-upstream", What::OnlyUpstream),
    ];

    fn parse(text: &str) -> Option<What> {
        What::ALL
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, what)| *what)
    }

    /// The key an entry of this kind must have to say what it explains, if any.
    fn subject_key(self) -> Option<&'static str> {
        match self {
            What::Type | What::Required | What::Default | What::Serialization | What::Name => {
                Some("upstream")
            }
            What::EnumValues => Some("values"),
            What::OnlyUpstream => Some("name"),
            What::Enum | What::OnlyOurs => None,
        }
    }

    fn of(kind: DifferenceKind) -> What {
        use DifferenceKind::*;
        match kind {
            ParameterType | RequestBodyType | ResponseType | FieldType => What::Type,
            EnumOnlyOurs | EnumOnlyUpstream => What::Enum,
            EnumValueOnlyOurs | EnumValueOnlyUpstream => What::EnumValues,
            ParameterRequired => What::Required,
            ParameterDefault => What::Default,
            ParameterStyle => What::Serialization,
            ModelName | ModelRenamed => What::Name,
            OperationOnlyOurs | ParameterOnlyOurs | RequestBodyOnlyOurs | ResponseOnlyOurs
            | FieldOnlyOurs => What::OnlyOurs,
            OperationOnlyUpstream
            | ParameterOnlyUpstream
            | RequestBodyOnlyUpstream
            | ResponseOnlyUpstream
            | FieldOnlyUpstream => What::OnlyUpstream,
        }
    }
}

/// One entry of an element's `x-differs-from-upstream`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Explanation<'a> {
    what: Option<What>,
    entry: &'a Map<String, Value>,
}

impl<'a> Explanation<'a> {
    fn why(&self) -> &'a str {
        self.entry.get("why").and_then(Value::as_str).unwrap_or("")
    }

    /// Whether this entry explains a difference of `kind` whose subject (the upstream side, the enum value, the
    /// name of the element only upstream has) is `subject`.
    fn explains(&self, kind: DifferenceKind, subject: Option<&str>) -> bool {
        let what = What::of(kind);
        if self.what != Some(what) {
            return false;
        }
        let Some(key) = what.subject_key() else {
            return true;
        };
        let Some(subject) = subject else {
            return false;
        };
        let said = |value: &Value| {
            let said = display_value(value);
            match what {
                What::Name => normalized_name(&said) == normalized_name(subject),
                _ => said == subject,
            }
        };
        match self.entry.get(key) {
            Some(Value::Array(values)) => values.iter().any(said),
            Some(value) => said(value),
            None => false,
        }
    }
}

/// The explanations an object of our spec carries.
pub(super) fn of(object: &Map<String, Value>) -> Vec<Explanation<'_>> {
    object
        .get(KEY)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|entry| Explanation {
            what: entry
                .get("what")
                .and_then(Value::as_str)
                .and_then(What::parse),
            entry,
        })
        .collect()
}

/// The explanations of a schema of ours, when it is an object.
pub(super) fn of_value(value: &Value) -> Vec<Explanation<'_>> {
    value.as_object().map(of).unwrap_or_default()
}

/// The `why` of the first of `candidates` (nearest first) that explains a difference of `kind` about `subject`.
pub(super) fn explaining<'a>(
    candidates: &[Explanation<'a>],
    kind: DifferenceKind,
    subject: Option<&str>,
) -> Option<&'a str> {
    candidates
        .iter()
        .find(|explanation| explanation.explains(kind, subject))
        .map(Explanation::why)
}

/// What is wrong with the `x-differs-from-upstream` of one object, one line each: not a list of entries, an entry
/// without a known `what`, without its subject (`upstream`, `values` or `name`), or without a `why`.
pub(crate) fn problems(value: &Value) -> Vec<String> {
    let Some(entries) = value.as_array() else {
        return vec![format!("{KEY} must be a list of entries")];
    };
    let mut problems = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let Some(entry) = entry.as_object() else {
            problems.push(format!("{KEY}[{index}] is not an object"));
            continue;
        };
        let what = entry.get("what").and_then(Value::as_str);
        let Some(parsed) = what.and_then(What::parse) else {
            let known: Vec<&str> = What::ALL.iter().map(|(name, _)| *name).collect();
            problems.push(format!(
                "{KEY}[{index}].what is {}: expected one of {}",
                what.map_or("missing".to_owned(), |what| format!("{what:?}")),
                known.join(", ")
            ));
            continue;
        };
        if let Some(key) = parsed.subject_key()
            && !entry.contains_key(key)
        {
            problems.push(format!(
                "{KEY}[{index}] (what: {}) must say `{key}`: what upstream has that it explains",
                what.unwrap_or_default()
            ));
        }
        if entry
            .get("why")
            .and_then(Value::as_str)
            .is_none_or(|why| why.trim().is_empty())
        {
            problems.push(format!("{KEY}[{index}] has no `why`"));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn explanations(value: &Value) -> Vec<Explanation<'_>> {
        of(value.as_object().unwrap())
    }

    #[test]
    fn an_entry_explains_only_the_kind_and_subject_it_names() {
        let object = json!({KEY: [
            {"what": "type", "upstream": "string", "why": "digits"},
            {"what": "enum-values", "values": [93, 94], "why": "newer docs"},
            {"what": "only-upstream", "name": "packageID", "why": "a typo upstream"},
            {"what": "name", "upstream": "Roblox.Web.Responses.Thing[Roblox.Agents.AgentType]", "why": "renamed"},
            {"what": "enum", "why": "open"}
        ]});
        let candidates = explanations(&object);
        let why = |kind, subject| explaining(&candidates, kind, subject);
        assert_eq!(
            why(DifferenceKind::FieldType, Some("string")),
            Some("digits")
        );
        assert_eq!(why(DifferenceKind::FieldType, Some("integer/int64")), None);
        assert_eq!(why(DifferenceKind::ParameterRequired, Some("true")), None);
        assert_eq!(
            why(DifferenceKind::EnumValueOnlyUpstream, Some("94")),
            Some("newer docs")
        );
        assert_eq!(why(DifferenceKind::EnumValueOnlyUpstream, Some("95")), None);
        assert_eq!(
            why(DifferenceKind::ParameterOnlyUpstream, Some("packageID")),
            Some("a typo upstream")
        );
        assert_eq!(
            why(DifferenceKind::FieldOnlyUpstream, Some("verbose")),
            None
        );
        assert_eq!(
            why(
                DifferenceKind::ModelRenamed,
                Some("Roblox.Web.Responses.Thing_Roblox.Agents.AgentType_")
            ),
            Some("renamed"),
            "names compare as both upstream spellings"
        );
        assert_eq!(why(DifferenceKind::EnumOnlyOurs, None), Some("open"));
        assert_eq!(why(DifferenceKind::FieldOnlyOurs, None), None);
    }

    #[test]
    fn malformed_entries_are_named() {
        let problems = problems(&json!([
            {"what": "type", "why": "no upstream"},
            {"what": "colour", "why": "?"},
            {"what": "enum"},
            "text"
        ]));
        assert_eq!(
            problems,
            [
                "x-differs-from-upstream[0] (what: type) must say `upstream`: what upstream has that it explains",
                "x-differs-from-upstream[1].what is \"colour\": expected one of type, enum, enum-values, required, \
                 default, serialization, name, only-ours, only-upstream",
                "x-differs-from-upstream[2] has no `why`",
                "x-differs-from-upstream[3] is not an object",
            ]
        );
        assert_eq!(
            super::problems(&json!("x")),
            ["x-differs-from-upstream must be a list of entries"]
        );
    }
}
