//! The spec's guesses: an element that rests on inference rather than on a document or a capture carries an
//! `x-assumption` saying what is assumed, on what evidence. `cargo xtask drift` lists them all at the end of every
//! report, so that the maintainer sees what no document backs.

use serde::Serialize;
use serde_json::Value;

use crate::walk::{Step, readable_path};

/// The extension that marks a guess: one text, or a list of them.
pub const KEY: &str = "x-assumption";

/// One guess of a spec.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Assumption {
    /// The spec (`legacy-v1`).
    pub spec: String,
    /// The element that carries it, in `jq`'s notation: `.paths["/v1/users/{userId}/places/inventory"].get`.
    pub location: String,
    /// What is assumed, with its evidence.
    pub text: String,
}

/// Every guess of `document`, the spec `spec`, in document order.
pub fn of(spec: &str, document: &Value) -> Vec<Assumption> {
    let mut found = Vec::new();
    walk(document, &mut Vec::new(), &mut |steps, text| {
        found.push(Assumption {
            spec: spec.to_owned(),
            location: readable_path(steps),
            text: text.to_owned(),
        });
    });
    found
}

fn walk(value: &Value, steps: &mut Vec<Step>, f: &mut impl FnMut(&[Step], &str)) {
    match value {
        Value::Object(object) => {
            for text in texts(object.get(KEY)) {
                f(steps, text);
            }
            for (key, child) in object {
                if key == KEY || key == "example" || key == "examples" {
                    continue;
                }
                steps.push(Step::Key(key.clone()));
                walk(child, steps, f);
                steps.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                steps.push(Step::Index(index));
                walk(child, steps, f);
                steps.pop();
            }
        }
        _ => {}
    }
}

fn texts(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(text)) => vec![text.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// What is wrong with one `x-assumption`: not a text or a list of texts, or a text that names no evidence.
pub(crate) fn problems(value: &Value, names_evidence: impl Fn(&str) -> bool) -> Vec<String> {
    let all_texts = match value {
        Value::String(_) => true,
        Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_string),
        _ => false,
    };
    if !all_texts {
        return vec![format!("{KEY} must be a text or a list of texts")];
    }
    texts(Some(value))
        .into_iter()
        .filter(|text| !names_evidence(text))
        .map(|text| format!("{KEY} {text:?} names no evidence (WIRE-QUIRKS <n> or <file>:<line>)"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_guess_is_listed_where_it_stands() {
        let spec = json!({"paths": {"/v1/places": {"get": {
            "x-assumption": ["100 a page (WIRE-QUIRKS 9)", "the first cursor is 0 (WIRE-QUIRKS 9)"],
            "responses": {"200": {"content": {"application/json": {"schema": {"properties": {
                "owner": {"x-assumption": "null when hidden (WIRE-QUIRKS 5)"}
            }}}}}}
        }}}});
        let found: Vec<(String, String)> = of("legacy-v1", &spec)
            .into_iter()
            .map(|assumption| (assumption.location, assumption.text))
            .collect();
        assert_eq!(
            found,
            [
                (r#".paths["/v1/places"].get"#.to_owned(), "100 a page (WIRE-QUIRKS 9)".to_owned()),
                (r#".paths["/v1/places"].get"#.to_owned(), "the first cursor is 0 (WIRE-QUIRKS 9)".to_owned()),
                (
                    r#".paths["/v1/places"].get.responses["200"].content["application/json"].schema.properties.owner"#
                        .to_owned(),
                    "null when hidden (WIRE-QUIRKS 5)".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_guess_must_be_text_naming_its_evidence() {
        let evidence = |text: &str| text.contains("WIRE-QUIRKS");
        assert_eq!(
            problems(&json!("x (WIRE-QUIRKS 5)"), evidence),
            Vec::<String>::new()
        );
        assert_eq!(
            problems(&json!(["x (WIRE-QUIRKS 5)", "a hunch"]), evidence),
            ["x-assumption \"a hunch\" names no evidence (WIRE-QUIRKS <n> or <file>:<line>)"]
        );
        assert_eq!(
            problems(&json!([]), evidence),
            ["x-assumption must be a text or a list of texts"]
        );
        assert_eq!(
            problems(&json!(3), evidence),
            ["x-assumption must be a text or a list of texts"]
        );
    }
}
