//! Walking an OpenAPI document of ours: its objects by JSON pointer, its `x-wire-note`s, its operations' methods.
//! A leaf module: the generator, the citation check and the operation reader all walk documents this way.

use serde_json::{Map, Value};

/// The keys of a path item that are operations.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Calls `f` with the JSON pointer and the text of every `x-wire-note` in the document.
pub fn visit_notes(spec: &Value, f: &mut impl FnMut(&str, &str)) {
    visit(spec, "", &mut |pointer, object| {
        if let Some(note) = object.get("x-wire-note").and_then(Value::as_str) {
            f(pointer, note);
        }
    });
}

/// Calls `f` with the JSON pointer of every object in the document, skipping `x-` extensions and examples.
pub fn visit(value: &Value, pointer: &str, f: &mut impl FnMut(&str, &Map<String, Value>)) {
    match value {
        Value::Object(object) => {
            f(pointer, object);
            for (key, child) in object {
                if key.starts_with("x-") || key == "example" || key == "examples" {
                    continue;
                }
                visit(child, &format!("{pointer}/{}", escape(key)), f);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                visit(child, &format!("{pointer}/{index}"), f);
            }
        }
        _ => {}
    }
}

pub fn visit_mut(value: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>)) {
    match value {
        Value::Object(object) => {
            f(object);
            for (key, child) in object.iter_mut() {
                if key.starts_with("x-") || key == "example" || key == "examples" {
                    continue;
                }
                visit_mut(child, f);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|child| visit_mut(child, f)),
        _ => {}
    }
}

/// `key` as one JSON pointer segment.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// One step of a path into a document: a key, or an index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A path into a document in `jq`'s notation, as reports show it: `.paths["/v1/users/{userId}/items"].get`.
pub fn readable_path(steps: &[Step]) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Key(key) if is_identifier(key) => {
                path.push('.');
                path.push_str(key);
            }
            Step::Key(key) => {
                path.push('[');
                path.push_str(&Value::String(key.clone()).to_string());
                path.push(']');
            }
            Step::Index(index) => path.push_str(&format!("[{index}]")),
        }
    }
    if path.is_empty() {
        ".".to_owned()
    } else {
        path
    }
}

fn is_identifier(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_jq_writes_them() {
        let steps = [
            Step::Key("paths".into()),
            Step::Key("/v1/users/{userId}".into()),
            Step::Key("get".into()),
            Step::Key("responses".into()),
            Step::Key("200".into()),
            Step::Key("parameters".into()),
            Step::Index(0),
            Step::Key("x-assumption".into()),
        ];
        assert_eq!(
            readable_path(&steps),
            r#".paths["/v1/users/{userId}"].get.responses["200"].parameters[0]["x-assumption"]"#
        );
        assert_eq!(readable_path(&[]), ".");
    }
}
